"""Helpers for integration tests: run the worker as a subprocess, read topics."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from kafka import KafkaConsumer, KafkaProducer

ROOT = Path(__file__).resolve().parents[2]
SIGNALFIRE = [sys.executable, "-m", "signalfire.cli"]


class WorkerProcess:
    """`signalfire worker` in a subprocess, its log captured to a file for assertions."""

    def __init__(self, env: dict[str, str], watchlists: list[Path], log_path: Path) -> None:
        self.env = env
        self.watchlists = watchlists
        self.log_path = log_path
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> WorkerProcess:
        log = self.log_path.open("ab")
        self.proc = subprocess.Popen(
            [*SIGNALFIRE, "worker", "--watchlist", *map(str, self.watchlists)],
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            cwd=ROOT,
        )
        return self

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 60.0) -> int:
        assert self.proc is not None
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
        try:
            return self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            raise

    def log_events(self) -> list[dict[str, Any]]:
        out = []
        for line in self.log_path.read_text(errors="replace").splitlines():
            if line.startswith("{"):
                with contextlib.suppress(ValueError):
                    out.append(json.loads(line))
        return out

    def log_text(self) -> str:
        return self.log_path.read_text(errors="replace")


def topic(env: dict[str, str], role: str) -> str:
    return env[f"SIGNALFIRE_TOPICS__{role.upper()}"]


def produce(
    env: dict[str, str], role: str, values: list[bytes], keys: list[bytes | None] | None = None
) -> None:
    producer = KafkaProducer(bootstrap_servers=env["SIGNALFIRE_KAFKA"], acks="all")
    for i, value in enumerate(values):
        producer.send(topic(env, role), key=keys[i] if keys else None, value=value)
    producer.flush()
    producer.close()


def read_topic(
    env: dict[str, str], role: str, *, expect: int, timeout: float = 60.0, settle: float = 0.0
) -> list[Any]:
    """Read a topic from the beginning until `expect` records arrived (or timeout), then
    keep reading for `settle` seconds to catch extras that should not be there."""
    consumer = KafkaConsumer(
        topic(env, role),
        bootstrap_servers=env["SIGNALFIRE_KAFKA"],
        auto_offset_reset="earliest",
        enable_auto_commit=False,
        consumer_timeout_ms=500,
        group_id=None,
    )
    records: list[Any] = []
    deadline = time.monotonic() + timeout
    settle_until: float | None = None
    try:
        while time.monotonic() < deadline:
            for msg in consumer:
                records.append(msg)
            if len(records) >= expect:
                if settle_until is None:
                    settle_until = time.monotonic() + settle
                if time.monotonic() >= settle_until:
                    break
    finally:
        consumer.close()
    return records


def run_cli(
    env: dict[str, str], *args: str, stdin: bytes | None = None, timeout: float = 120
) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [*SIGNALFIRE, *args],
        env={**os.environ, **env},
        input=stdin,
        capture_output=True,
        timeout=timeout,
        cwd=ROOT,
    )
