"""The `signalfire` command: worker, publish, analyze, dry-run, check, eval, schemas."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import structlog
from pydantic import ValidationError

from signalfire.ops import logs
from signalfire.settings import Settings

if TYPE_CHECKING:
    pass

log = structlog.get_logger(__name__)


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="signalfire",
        description="Real-time alerting on defense-industry news.",
    )
    p.add_argument("--log-format", choices=["auto", "json", "console"], help="log renderer")
    p.add_argument("--log-level", choices=["debug", "info", "warning", "error"])
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    w = sub.add_parser("worker", help="run the stream stages against Kafka until stopped")
    w.add_argument("--watchlist", nargs="+", type=Path, required=True, metavar="PATH")
    w.add_argument("--kafka", help="broker host:port (default $SIGNALFIRE_KAFKA or 127.0.0.1:9092)")

    pub = sub.add_parser("publish", help="publish ArticleEvents from JSON-lines files")
    pub.add_argument("files", nargs="+", metavar="FILE", help="JSON-lines files ('-' = stdin)")
    pub.add_argument("--topic", help="topic (default: the articles topic)")
    pub.add_argument("--kafka")
    pub.add_argument(
        "--raw",
        action="store_true",
        help="send every line as is, even ones that are not ArticleEvents",
    )
    pub.add_argument("--no-progress", action="store_true")

    a = sub.add_parser("analyze", help="print analysis records for files of ArticleEvents")
    a.add_argument("files", nargs="*", metavar="FILE")
    a.add_argument("--watchlist", nargs="+", type=Path, default=[], action="extend", metavar="PATH")

    d = sub.add_parser("dry-run", help="print the alerts that would fire; nothing is sent")
    d.add_argument("files", nargs="*", metavar="FILE")
    d.add_argument(
        "--watchlist", nargs="+", type=Path, required=True, action="extend", metavar="PATH"
    )
    d.add_argument(
        "--explain",
        action="store_true",
        help="also print, per rule and story, which conditions held (stderr)",
    )

    pv = sub.add_parser(
        "preview", help="render the alerts files of articles would fire, per channel; no send"
    )
    pv.add_argument("files", nargs="*", metavar="FILE")
    pv.add_argument(
        "--watchlist", nargs="+", type=Path, default=[], action="extend", metavar="PATH"
    )
    pv.add_argument("--out", type=Path, metavar="DIR", help="write files (HTML for e-mail) here")
    pv.add_argument("--digest", action="store_true", help="one digest per subscriber and channel")
    pv.add_argument(
        "--examples",
        action="store_true",
        help="render built-in example alerts that fill every part of the card",
    )

    c = sub.add_parser("check", help="validate watchlists: exit 0 valid, 1 with errors")
    c.add_argument("--watchlist", nargs="+", type=Path, required=True, metavar="PATH")

    e = sub.add_parser("eval", help="score the analysis against labelled JSON-lines files")
    e.add_argument("files", nargs="+", metavar="FILE")
    e.add_argument("--dod", type=Path, help="DoD contract announcements (deal values, contracts)")
    e.add_argument("--dvids", type=Path, help="DVIDS news (false-alarm rate of deal events)")
    e.add_argument(
        "--watchlist",
        nargs="+",
        type=Path,
        default=[],
        action="extend",
        help="also check dry-run alerts against the alerts the labels call for",
    )
    e.add_argument("--json", action="store_true", help="print the metrics as JSON")

    rd = sub.add_parser(
        "redrive",
        help="send dead letters through again (alerts.dead -> delivery, articles.dead -> input)",
    )
    rd.add_argument(
        "--topic",
        choices=["alerts.dead", "articles.dead"],
        default="alerts.dead",
        help="which dead letters (default alerts.dead)",
    )
    rd.add_argument("--dry-run", action="store_true", help="print what would be sent; send nothing")
    rd.add_argument(
        "--from-beginning",
        action="store_true",
        help="all letters, not only those since the last redrive",
    )
    rd.add_argument("--reason", help="only letters whose reason contains this text")
    rd.add_argument("--limit", type=int, help="at most this many letters")
    rd.add_argument("--kafka")

    h = sub.add_parser("healthcheck", help="exit 0 when the worker's heartbeat is fresh")
    h.add_argument("--max-age", type=float, default=60.0, metavar="SECONDS")

    s = sub.add_parser("schemas", help="write (or --check) the JSON Schemas in schemas/")
    s.add_argument("--dir", type=Path, default=Path("schemas"))
    s.add_argument("--check", action="store_true", help="exit 1 if the files are out of date")
    return p


def is_watchlist_path(path: Path) -> bool:
    """Watchlists are YAML files or directories of them; everything else is article input."""
    return path.is_dir() or path.suffix.lower() in (".yaml", ".yml")


def split_inputs(args: argparse.Namespace, parser: argparse.ArgumentParser) -> None:
    """`--watchlist W.yaml FILE.jsonl` (the contract's form) puts FILE in the watchlist list,
    since argparse cannot tell where PATH... ends; move article files back to FILE."""
    if args.command not in ("analyze", "dry-run", "preview"):
        return
    moved = [p for p in args.watchlist if not is_watchlist_path(p)]
    args.watchlist = [p for p in args.watchlist if is_watchlist_path(p)]
    args.files = [str(p) for p in moved] + list(args.files)
    if args.command == "preview" and args.examples:
        return
    if not args.files:
        parser.error(
            f"{args.command}: give at least one FILE of ArticleEvents (JSON lines, '-' = stdin)"
        )
    if args.command in ("dry-run", "preview") and not args.watchlist:
        parser.error(f"{args.command}: give at least one watchlist (.yaml/.yml file or directory)")


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    split_inputs(args, parser)
    overrides: dict[str, object] = {}
    if getattr(args, "kafka", None):
        overrides["kafka"] = args.kafka
    if args.log_format:
        overrides["log_format"] = args.log_format
    if args.log_level:
        overrides["log_level"] = args.log_level
    try:
        settings = Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        for err in exc.errors(include_url=False):
            where = ".".join(str(p) for p in err["loc"])
            # Cross-field errors (no loc) name their variables in the message.
            prefix = f"SIGNALFIRE_{where.upper()}: " if where else ""
            print(f"configuration: {prefix}{err['msg']}", file=sys.stderr)
        return 2
    logs.configure(settings.log_level, settings.log_format)
    from signalfire.rules.errors import WatchlistError

    try:
        return _run(args, settings)
    except WatchlistError as exc:
        print(str(exc), file=sys.stderr)
        print(f"{len(exc.problems)} problem(s) found", file=sys.stderr)
        return 1


def _run(args: argparse.Namespace, settings: Settings) -> int:
    command = args.command
    if command == "worker":
        from signalfire.ops.server import OpsServerError
        from signalfire.stream.kafka_config import KafkaConfigError
        from signalfire.stream.worker import StartupError, run_worker

        try:
            return run_worker(settings, args.watchlist)
        except (StartupError, OpsServerError) as exc:
            print(str(exc), file=sys.stderr)
            return 2
        except KafkaConfigError as exc:
            print(f"configuration: {exc}", file=sys.stderr)
            return 2
    if command == "publish":
        from signalfire.commands import publish

        return publish.run(
            settings, args.files, topic=args.topic, raw=args.raw, progress=not args.no_progress
        )
    if command in ("analyze", "dry-run"):
        from signalfire.commands import analyze

        return analyze.run(
            args.files,
            args.watchlist,
            dry_run=command == "dry-run",
            explain_rules=getattr(args, "explain", False),
        )
    if command == "preview":
        from signalfire.commands import preview

        return preview.run(
            args.files,
            args.watchlist,
            templates_dir=settings.templates_dir,
            out=args.out,
            digest=args.digest,
            examples=args.examples,
        )
    if command == "check":
        from signalfire.commands import check

        return check.run(args.watchlist)
    if command == "eval":
        from signalfire.commands import eval as eval_command

        return eval_command.run(
            args.files, args.watchlist, dod=args.dod, dvids=args.dvids, as_json=args.json
        )
    if command == "redrive":
        from signalfire.commands import redrive

        return redrive.run(settings, args)
    if command == "healthcheck":
        from signalfire.commands import healthcheck

        return healthcheck.run(settings.data_dir, args.max_age, settings.ops_port)
    if command == "schemas":
        from signalfire.commands import schemas

        return schemas.run(args.dir, check=args.check)
    raise AssertionError(command)


def entry() -> None:
    """Console-script entry: a closed pipe (`| head`) ends quietly, not with a traceback."""
    try:
        code = main()
        sys.stdout.flush()
    except BrokenPipeError:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        code = 0
    except KeyboardInterrupt:
        code = 130
    sys.exit(code)


if __name__ == "__main__":
    entry()
