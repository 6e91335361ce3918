"""`signalfire publish`: JSON-lines files of ArticleEvents onto the `articles` topic.

Lines are sent as they are (the publisher's bytes), keyed by article id. Lines that are not
ArticleEvents are reported with file and line number and skipped, unless `--raw` asks to send
everything (used to exercise the dead-letter path).
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from typing import Any

import structlog

from signalfire.files.jsonl import count_lines, read_lines, unwrap
from signalfire.models.decoding import DecodeFailure, decode_article

log = structlog.get_logger(__name__)


@dataclass
class PublishSummary:
    published: int = 0
    skipped: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.skipped and not self.failed


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


def make_producer(bootstrap: list[str], **security: Any) -> Any:
    """kafka-python producer: acks=all and idempotent so a retry never duplicates.
    `security` is `kafka_config.kafka_python_kwargs(settings)` (TLS, SASL) when secured."""
    from kafka import KafkaProducer

    return KafkaProducer(
        **{"bootstrap_servers": bootstrap, **security},
        acks="all",
        enable_idempotence=True,
        linger_ms=20,
        retries=10,
        max_in_flight_requests_per_connection=5,
        client_id="signalfire-publish",
    )
