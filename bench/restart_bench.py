"""Restart time of a worker with N stories in its table: in-memory store vs RocksDB.

A script, not a test. Needs a broker (deploy/local-kafka/up; point --kafka at it).

    .venv/bin/python bench/restart_bench.py --kafka 127.0.0.1:9092              # 100,000 stories
    .venv/bin/python bench/restart_bench.py --kafka 127.0.0.1:9092 --stories 10000 --repeat 3

What it does, so that only the table store differs between runs:

1. seeds the `stories` changelog topic of a fresh app id with N records (kafka-python, as the
   worker's correlate stage would leave them: raw bytes keys, JSON values of --value-bytes);
2. starts a small faust app (a child process of this script) with the worker's table
   settings (`stories`, 1 partition, `use_partitioner=True`, raw bytes) and a timer; faust
   starts timers only once table recovery has completed, so the timer's first tick is the
   moment the worker could process again. The child reports the seconds from its launch to
   that tick and how many stories the table holds, then stops (SIGTERM, or SIGKILL for the
   kill -9 case);
3. runs, alternating within each repeat so machine noise hits both alike:
   * `memory`: memory:// (replays the whole changelog on every start),
   * `rocksdb-warm`: rocksdb on a data dir a previous run left after a clean stop,
   * `rocksdb-kill9`: the same after the previous run was killed with SIGKILL,
   and once at the start `rocksdb-cold` (empty data dir: a first start, or a lost volume).

Prints a table of medians on stderr and one JSON object on stdout. Restart times depend on
the machine; measure on an idle one.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

CHILD = "--child"


def child(args: argparse.Namespace) -> None:
    """The restarted worker: table + agent + timer; reports when recovery is done."""
    import asyncio

    import faust

    from signalfire.settings import Settings
    from signalfire.stream.rocksdb_store import store_url

    launched = float(os.environ["RESTART_BENCH_LAUNCHED"])
    store = store_url(Settings(store=args.store))
    app = faust.App(
        args.app_id,
        broker="kafka://" + args.kafka,
        store=store,
        datadir=args.datadir,
        web_enabled=False,
        topic_partitions=1,
        key_serializer="raw",
        value_serializer="raw",
        consumer_auto_offset_reset="earliest",
        consumer_group_instance_id=args.instance_id or None,
    )
    source = app.topic(f"{args.app_id}-findings", partitions=1, key_type=bytes, value_type=bytes)
    stories = app.Table(
        "stories", partitions=1, use_partitioner=True, key_type=bytes, value_type=bytes
    )

    @app.agent(source)  # type: ignore[untyped-decorator]
    async def correlate(stream: Any) -> None:
        async for _ in stream:  # the worker's correlate stage reads this topic
            pass

    @app.timer(interval=0.05)  # type: ignore[untyped-decorator]
    async def recovered() -> None:
        took = time.time() - launched
        count = len(stories)
        report = json.dumps({"seconds": took, "stories": count})
        Path(args.out).write_text(report)  # noqa: ASYNC240  (a few bytes, once, then exit)
        sig = signal.SIGKILL if args.kill else signal.SIGTERM
        asyncio.get_running_loop().call_soon(os.kill, os.getpid(), sig)

    sys.argv = [sys.argv[0], "worker", "-l", "warn"]
    app.main()


def seed(kafka: str, app_id: str, stories: int, value_bytes: int) -> None:
    """N changelog records for `stories`, and the agent's input topic (1 partition each)."""
    from kafka import KafkaProducer
    from kafka.admin import KafkaAdminClient, NewTopic

    admin = KafkaAdminClient(bootstrap_servers=kafka)
    admin.create_topics(
        [
            NewTopic(
                f"{app_id}-stories-changelog",
                num_partitions=1,
                replication_factor=1,
                topic_configs={"cleanup.policy": "compact"},
            ),
            NewTopic(f"{app_id}-findings", num_partitions=1, replication_factor=1),
        ]
    )
    admin.close()
    producer = KafkaProducer(bootstrap_servers=kafka, acks=1, linger_ms=50, batch_size=1 << 20)
    pad = "x" * max(0, value_bytes - 120)
    topic = f"{app_id}-stories-changelog"
    for i in range(stories):
        value = json.dumps({"story": f"s{i:07d}", "sources": 1 + i % 7, "pad": pad}).encode()
        producer.send(topic, key=f"s{i:07d}".encode(), value=value, partition=0)
    producer.flush()
    producer.close()


def run_child(
    args: argparse.Namespace, store: str, datadir: Path, *, kill: bool = False
) -> dict[str, Any]:
    out = datadir.parent / f"result-{uuid.uuid4().hex[:6]}.json"
    env = {**os.environ, "RESTART_BENCH_LAUNCHED": repr(time.time())}
    cmd = [sys.executable, __file__, CHILD, "--kafka", args.kafka, "--app-id", args.app_id]
    cmd += ["--store", store, "--datadir", str(datadir), "--out", str(out)]
    cmd += ["--instance-id", args.instance_id]
    if kill:
        cmd.append("--kill")
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=args.timeout)
    if not out.exists():
        raise SystemExit(f"{store} run reported nothing:\n{done.stderr[-3000:]}")
    result: dict[str, Any] = json.loads(out.read_text())
    out.unlink()
    return result


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--kafka", default="127.0.0.1:9092")
    p.add_argument("--stories", type=int, default=100_000)
    p.add_argument("--value-bytes", type=int, default=1500, help="size of one story record")
    p.add_argument("--repeat", type=int, default=5)
    p.add_argument("--timeout", type=float, default=900.0, help="seconds per start")
    p.add_argument(
        "--instance-id",
        default="",
        help="static group membership (SIGNALFIRE_INSTANCE_ID), e.g. restart-bench-0",
    )
    p.add_argument(CHILD, action="store_true", help=argparse.SUPPRESS)
    p.add_argument("--app-id", default=f"restart-bench-{uuid.uuid4().hex[:6]}")
    p.add_argument("--store", help=argparse.SUPPRESS)
    p.add_argument("--datadir", help=argparse.SUPPRESS)
    p.add_argument("--out", help=argparse.SUPPRESS)
    p.add_argument("--kill", action="store_true", help=argparse.SUPPRESS)
    args = p.parse_args()
    if args.child:
        child(args)
        return

    work = Path(tempfile.mkdtemp(prefix="restart-bench-"))
    try:
        t0 = time.monotonic()
        seed(args.kafka, args.app_id, args.stories, args.value_bytes)
        print(f"seeded {args.stories} stories in {time.monotonic() - t0:.1f}s", file=sys.stderr)
        mem_dir, rocks_dir = work / "memory", work / "rocksdb"
        runs: dict[str, list[dict[str, Any]]] = {
            "rocksdb-cold": [run_child(args, "rocksdb://", rocks_dir)]
        }
        for _ in range(args.repeat):
            for name, store, datadir, kill in (
                ("memory", "memory://", mem_dir, False),
                ("rocksdb-warm", "rocksdb://", rocks_dir, True),  # this run ends with kill -9
                ("rocksdb-kill9", "rocksdb://", rocks_dir, False),  # ... so this one follows it
            ):
                result = run_child(args, store, datadir, kill=kill)
                runs.setdefault(name, []).append(result)
                print(f"{name:14} {result['seconds']:7.2f}s {result['stories']}", file=sys.stderr)
        summary = {
            name: {
                "median_s": round(statistics.median(r["seconds"] for r in rs), 3),
                "runs_s": [round(r["seconds"], 3) for r in rs],
                "stories": sorted({r["stories"] for r in rs}),
            }
            for name, rs in runs.items()
        }
        print(f"\n{'store':14} {'median s':>9}  stories after recovery", file=sys.stderr)
        for name, row in summary.items():
            print(f"{name:14} {row['median_s']:9.2f}  {row['stories']}", file=sys.stderr)
        print(
            json.dumps(
                {
                    "stories": args.stories,
                    "value_bytes": args.value_bytes,
                    "repeat": args.repeat,
                    "results": summary,
                }
            )
        )
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
