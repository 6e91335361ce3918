"""`signalfire publish`: JSON-lines files of ArticleEvents onto the `articles` topic.

Lines are sent as they are (the publisher's bytes), keyed by article id. Lines that are not
ArticleEvents are reported with file and line number and skipped, unless `--raw` asks to send
everything (used to exercise the dead-letter path).
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import orjson
import structlog

from signalfire.decoding import DecodeFailure, decode_article

log = structlog.get_logger(__name__)


@dataclass
class PublishSummary:
    published: int = 0
    skipped: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.skipped and not self.failed


@dataclass(frozen=True)
class Line:
    where: str
    raw: bytes


def read_lines(path: str) -> Iterator[Line]:
    """Yield non-blank lines of a file (or stdin for '-') with 'file:line' locations."""
    stream: IO[bytes] = sys.stdin.buffer if path == "-" else Path(path).open("rb")  # noqa: SIM115
    name = "<stdin>" if path == "-" else path
    try:
        for number, raw in enumerate(stream, start=1):
            raw = raw.strip()
            if raw:
                yield Line(f"{name}:{number}", raw)
    finally:
        if path != "-":
            stream.close()


def unwrap(raw: bytes) -> bytes:
    """Accept labelled eval lines ({"article": ..., "labels": ...}) as articles too."""
    try:
        data = orjson.loads(raw)
    except orjson.JSONDecodeError:
        return raw
    if isinstance(data, dict) and isinstance(data.get("article"), dict) and "id" not in data:
        return orjson.dumps(data["article"])
    return raw


def count_lines(paths: list[str]) -> int | None:
    if "-" in paths:
        return None
    total = 0
    for p in paths:
        with Path(p).open("rb") as f:
            total += sum(1 for line in f if line.strip())
    return total


def publish(
    producer: Any,
    topic: str,
    paths: list[str],
    *,
    raw_mode: bool = False,
    progress: bool = True,
) -> PublishSummary:
    """Send every good line; returns what happened. Flushes before returning."""
    from tqdm import tqdm

    summary = PublishSummary()
    futures: list[tuple[str, Any]] = []
    bar = tqdm(total=count_lines(paths), unit="article", disable=not progress, file=sys.stderr)
    for path in paths:
        for line in read_lines(path):
            value = unwrap(line.raw)
            result = decode_article(value)
            if isinstance(result, DecodeFailure) and not raw_mode:
                summary.skipped.append(
                    f"{line.where}: {result.reason}: {'; '.join(result.errors[:3])}"
                )
                log.warning(
                    "publish.line_skipped",
                    where=line.where,
                    reason=result.reason,
                    errors=result.errors[:3],
                )
                bar.update(1)
                continue
            key = result.id.encode() if not isinstance(result, DecodeFailure) else None
            futures.append((line.where, producer.send(topic, key=key, value=value)))
            bar.update(1)
    producer.flush()
    bar.close()
    for where, fut in futures:
        try:
            fut.get(timeout=30)
            summary.published += 1
        except Exception as exc:
            summary.failed.append(f"{where}: {type(exc).__name__}: {exc}")
    return summary


def make_producer(bootstrap: list[str]) -> Any:
    """kafka-python producer: acks=all and idempotent so a retry never duplicates."""
    from kafka import KafkaProducer

    return KafkaProducer(
        bootstrap_servers=bootstrap,
        acks="all",
        enable_idempotence=True,
        linger_ms=20,
        retries=10,
        max_in_flight_requests_per_connection=5,
        client_id="signalfire-publish",
    )
