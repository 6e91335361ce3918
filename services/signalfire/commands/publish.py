"""`signalfire publish`: JSON-lines files onto the articles topic."""

from __future__ import annotations

import sys

from kafka.errors import KafkaError

from signalfire.settings import Settings
from signalfire.stream.kafka_config import KafkaConfigError, kafka_python_kwargs, preflight
from signalfire.stream.publish import make_producer, publish


def run(
    settings: Settings, files: list[str], *, topic: str | None, raw: bool, progress: bool
) -> int:
    """Exit 0 when every line went out, 1 when any was skipped or failed, 2 without Kafka."""
    target = topic or settings.topics.articles
    try:
        preflight(settings)
        producer = make_producer(settings.bootstrap_servers, **kafka_python_kwargs(settings))
    except KafkaConfigError as exc:
        print(f"configuration: {exc}", file=sys.stderr)
        return 2
    except KafkaError as exc:
        print(
            f"cannot reach Kafka at {settings.kafka}: {exc}. Is the broker up "
            "(deploy/local-kafka/up)? Set SIGNALFIRE_KAFKA to point elsewhere.",
            file=sys.stderr,
        )
        return 2
    try:
        summary = publish(
            producer, target, files, raw_mode=raw, progress=progress and sys.stderr.isatty()
        )
    finally:
        producer.close()
    for line in summary.skipped:
        print(f"skipped {line}", file=sys.stderr)
    for line in summary.failed:
        print(f"failed {line}", file=sys.stderr)
    print(
        f"published {summary.published} to {target}; skipped {len(summary.skipped)}; "
        f"failed {len(summary.failed)}",
        file=sys.stderr,
    )
    return 0 if summary.ok else 1
