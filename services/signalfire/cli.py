"""The `signalfire` command: worker, publish, analyze, dry-run, check, eval, schemas."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import orjson
import structlog
from pydantic import ValidationError

from signalfire import logs
from signalfire.settings import Settings

if TYPE_CHECKING:
    from signalfire.models.watchlist import Watchlist
    from signalfire.rules.loader import LoadedWatchlist

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
    if args.command not in ("analyze", "dry-run"):
        return
    moved = [p for p in args.watchlist if not is_watchlist_path(p)]
    args.watchlist = [p for p in args.watchlist if is_watchlist_path(p)]
    args.files = [str(p) for p in moved] + list(args.files)
    if not args.files:
        parser.error(
            f"{args.command}: give at least one FILE of ArticleEvents (JSON lines, '-' = stdin)"
        )
    if args.command == "dry-run" and not args.watchlist:
        parser.error("dry-run: give at least one watchlist (.yaml/.yml file or directory)")


def read_articles(paths: Sequence[str]) -> Iterator[object]:
    """Articles from JSON-lines files (labelled eval lines too); bad lines go to stderr."""
    from signalfire.decoding import DecodeFailure, decode_article
    from signalfire.publish import read_lines, unwrap

    for path in paths:
        for line in read_lines(path):
            result = decode_article(unwrap(line.raw))
            if isinstance(result, DecodeFailure):
                print(
                    f"{line.where}: skipped: {result.reason}: {'; '.join(result.errors[:3])}",
                    file=sys.stderr,
                )
                continue
            yield result


def _load_watchlists(paths: Sequence[Path]) -> LoadedWatchlist:
    """Load and validate; WatchlistError is reported by `main` (exit 1)."""
    from signalfire.analysis.gazetteer import builtin_ids
    from signalfire.rules.loader import load_watchlists

    known = builtin_ids()
    loaded = load_watchlists(list(paths), os.environ, known_entity_ids=known)
    logs.register_watchlist_secrets(loaded.watchlist)
    return loaded


def _watchlist(paths: Sequence[Path]) -> Watchlist:
    """The merged watchlists, or an empty one when none were given."""
    from signalfire.models.watchlist import Watchlist

    return _load_watchlists(paths).watchlist if paths else Watchlist(version=1)


def cmd_analyze(args: argparse.Namespace, *, dry_run: bool) -> int:
    from signalfire.analysis.analyzer import Analyzer
    from signalfire.models.article import ArticleEvent
    from signalfire.pipeline import Pipeline
    from signalfire.rules.matching import explain

    watchlist = _watchlist(args.watchlist)
    pipeline = Pipeline.in_memory(Analyzer.build(watchlist.entities), watchlist)
    out = sys.stdout.buffer
    first: dict[str, bytes] = {}  # a re-sent id changes nothing: analyze repeats its line
    for article in read_articles(args.files):
        assert isinstance(article, ArticleEvent)
        outcome = pipeline.process(article, now=article.published_at)
        if not dry_run:
            if outcome.record is not None:
                first[article.id] = orjson.dumps(outcome.record.model_dump(mode="json")) + b"\n"
            out.write(first[article.id])
            continue
        if outcome.record is None:
            continue
        for alert in outcome.alerts:
            out.write(orjson.dumps(alert.dry_run_line()) + b"\n")
        if getattr(args, "explain", False) and outcome.story is not None:
            for rule in watchlist.rules:
                print(
                    f"{article.id} {outcome.story.story_id} {rule.id}: "
                    + "; ".join(explain(rule, outcome.story)),
                    file=sys.stderr,
                )
    out.flush()
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    from signalfire.rules.loader import summary

    print(summary(_load_watchlists(args.watchlist)))
    return 0


def cmd_eval(args: argparse.Namespace) -> int:
    """Field metrics through the real pipeline (stories included), the real corpora, and
    with --watchlist the alerts dry-run fires against those the labels call for."""
    from signalfire.alert_eval import compare, expected_alerts, format_alert_eval
    from signalfire.analysis.analyzer import Analyzer
    from signalfire.evaluation import (
        evaluate,
        evaluate_dod,
        evaluate_dvids,
        format_dod,
        format_dvids,
        format_report,
        read_rows,
    )
    from signalfire.models.alert import AlertRecord
    from signalfire.models.analysis import AnalysisRecord
    from signalfire.models.article import ArticleEvent
    from signalfire.pipeline import Pipeline

    watchlist = _watchlist(args.watchlist)
    analyzer = Analyzer.build(watchlist.entities)
    fired: list[AlertRecord] = []

    def predict(articles: list[ArticleEvent]) -> list[AnalysisRecord]:
        pipeline = Pipeline.in_memory(analyzer, watchlist)
        out = []
        for article in articles:
            outcome = pipeline.process(article, now=article.published_at)
            assert outcome.record is not None  # rows are de-duplicated before predict
            out.append(outcome.record)
            fired.extend(outcome.alerts)
        return out

    report: dict[str, object] = {}
    for path in args.files:
        with open(path, encoding="utf-8") as fh:
            rows = read_rows(fh)
        fired.clear()
        result = evaluate(rows, predict, analyzer.fx.to_eur)
        report[path] = result.model_dump(mode="json")
        if not args.json:
            print(f"== {path}")
            print(format_report(result))
        if args.watchlist:
            expected = expected_alerts(rows, watchlist, analyzer.fx.to_eur)
            stories = {r.article.id: str(r.labels["story"]) for r in rows}
            alerts = compare(expected, fired, stories)
            report[f"{path}#alerts"] = alerts.model_dump(mode="json")
            if not args.json:
                print(format_alert_eval(alerts))
    for name, path, run, fmt in (
        ("dod", args.dod, evaluate_dod, format_dod),
        ("dvids", args.dvids, evaluate_dvids, format_dvids),
    ):
        if path is None:
            continue
        with open(path, encoding="utf-8") as fh:
            rows = read_rows(fh)
        res = run(rows, predict)
        report[name] = res.model_dump(mode="json")
        if not args.json:
            print(f"== {path}")
            print(fmt(res))  # type: ignore[arg-type]
    if args.json:
        print(orjson.dumps(report, option=orjson.OPT_INDENT_2).decode())
    return 0


def cmd_schemas(args: argparse.Namespace) -> int:
    from signalfire.schemas import check_schemas, write_schemas

    if args.check:
        stale = check_schemas(args.dir)
        for name in stale:
            print(f"{args.dir / name}: out of date; run `signalfire schemas`", file=sys.stderr)
        return 1 if stale else 0
    for path in write_schemas(args.dir):
        print(path)
    return 0


def cmd_publish(args: argparse.Namespace, settings: Settings) -> int:
    from kafka.errors import KafkaError

    from signalfire.publish import make_producer, publish

    topic = args.topic or settings.topics.articles
    try:
        producer = make_producer(settings.bootstrap_servers)
    except KafkaError as exc:
        print(
            f"cannot reach Kafka at {settings.kafka}: {exc}. Is the broker up "
            "(deploy/local-kafka/up)? Set SIGNALFIRE_KAFKA to point elsewhere.",
            file=sys.stderr,
        )
        return 2
    try:
        summary = publish(
            producer,
            topic,
            args.files,
            raw_mode=args.raw,
            progress=not args.no_progress and sys.stderr.isatty(),
        )
    finally:
        producer.close()
    for line in summary.skipped:
        print(f"skipped {line}", file=sys.stderr)
    for line in summary.failed:
        print(f"failed {line}", file=sys.stderr)
    print(
        f"published {summary.published} to {topic}; skipped {len(summary.skipped)}; "
        f"failed {len(summary.failed)}",
        file=sys.stderr,
    )
    return 0 if summary.ok else 1


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
            print(f"configuration: SIGNALFIRE_{where.upper()}: {err['msg']}", file=sys.stderr)
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
        from signalfire.stream.worker import StartupError, run_worker

        try:
            return run_worker(settings, args.watchlist)
        except StartupError as exc:
            print(str(exc), file=sys.stderr)
            return 2
    if command == "publish":
        return cmd_publish(args, settings)
    if command == "analyze":
        return cmd_analyze(args, dry_run=False)
    if command == "dry-run":
        return cmd_analyze(args, dry_run=True)
    if command == "check":
        return cmd_check(args)
    if command == "eval":
        return cmd_eval(args)
    if command == "healthcheck":
        from datetime import timedelta

        from signalfire.health import check_heartbeat, utcnow

        problem = check_heartbeat(settings.data_dir, utcnow(), timedelta(seconds=args.max_age))
        if problem:
            print(f"unhealthy: {problem}", file=sys.stderr)
            return 1
        return 0
    if command == "schemas":
        return cmd_schemas(args)
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
