"""`python -m tests.faults [--short] [--only NAME ...] [--json FILE]`: run the fault
scenarios against a broker of their own and print what each measured."""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

from tests.faults.harness import Broker, Report
from tests.faults.scenarios import SCENARIOS

COLUMNS = [
    ("scenario", "scenario"),
    ("articles lost", "articles_lost"),
    ("notifications lost", "notifications_lost"),
    ("duplicated", "notifications_duplicated"),
    ("healthy dest. waited (p50/max s)", "wait"),
    ("longest stall s", "max_stall_s"),
    ("restart → working s (max)", "recovery"),
    ("replaced → working s", "replaced_s"),
    ("SIGTERM exit s", "stop_s"),
    ("ok", "ok"),
]


def cell(r: Report, key: str) -> str:
    if key == "wait":
        if r.healthy_wait_p50_s is None:
            return "–"
        return f"{r.healthy_wait_p50_s} / {r.healthy_wait_max_s}"
    if key == "recovery":
        return f"{max(r.recovery_s)}" if r.recovery_s else "–"
    value = getattr(r, key)
    if value is None:
        return "–"
    if key == "stop_s":
        return f"{value:.1f}"
    return str(value)


def table(reports: list[Report]) -> str:
    head = "| " + " | ".join(c for c, _ in COLUMNS) + " |"
    rule = "| " + " | ".join("---" for _ in COLUMNS) + " |"
    rows = ["| " + " | ".join(cell(r, k) for _, k in COLUMNS) + " |" for r in reports]
    return "\n".join([head, rule, *rows])


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m tests.faults")
    p.add_argument("--short", action="store_true", help="the quick version make test runs")
    p.add_argument("--only", nargs="+", choices=sorted(SCENARIOS), default=None)
    p.add_argument("--json", type=Path, help="write the reports here as JSON")
    p.add_argument("--keep-broker", action="store_true")
    p.add_argument("--workdir", type=Path, help="keep worker logs here (default: a temp dir)")
    args = p.parse_args(argv)
    broker = Broker()
    broker.up()
    reports: list[Report] = []
    try:
        with tempfile.TemporaryDirectory(prefix="sf-faults-") as tmp_dir:
            tmp = args.workdir or Path(tmp_dir)
            for name in args.only or list(SCENARIOS):
                started = time.monotonic()
                print(f"== {name} ...", file=sys.stderr, flush=True)
                report = SCENARIOS[name](broker, Path(tmp) / name, short=args.short)
                reports.append(report)
                print(f"   {json.dumps(report.as_dict())}", file=sys.stderr, flush=True)
                print(f"   {time.monotonic() - started:.0f} s", file=sys.stderr, flush=True)
    finally:
        if not args.keep_broker:
            broker.down()
    print(table(reports))
    if args.json:
        args.json.write_text(json.dumps([r.as_dict() for r in reports], indent=2))
    return 0 if all(r.ok for r in reports) else 1


if __name__ == "__main__":
    raise SystemExit(main())
