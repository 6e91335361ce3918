"""`signalfire redrive`: send dead letters through the pipeline again, once their cause is
fixed (a destination back, a URL corrected, a bug fixed).

- `alerts.dead`: every undeliverable alert goes back to the pending-alerts topic with its
  outcomes cleared; the delivery log makes sure destinations that already got it are not
  notified again, and the retry deadline starts afresh.
- `articles.dead`: every dead-lettered message goes back to the articles topic with its
  original bytes (fetched from its source topic/partition/offset when the letter holds only
  part of them). Letters can be chosen by reason (`--reason`): poison that is still poison
  just comes back as a dead letter.

Progress is kept as the committed offset of a consumer group of its own, so a second run
re-drives only letters written since; `--from-beginning` goes over all of them again.
`--dry-run` prints what would be sent and changes nothing (no sends, no commits).
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, Literal

import orjson
from pydantic import ValidationError

from signalfire.models.deadletter import AlertDeadLetter, MessageDeadLetter
from signalfire.settings import Settings

Kind = Literal["alerts", "articles"]


@dataclass(frozen=True)
class Action:
    """What redrive does with one dead letter: send `value` to `target`, or skip (why)."""

    offset: int
    partition: int
    target: str | None
    key: bytes | None
    value: bytes | None
    what: str
    skip: str | None = None

    def line(self) -> dict[str, Any]:
        return {
            "partition": self.partition,
            "offset": self.offset,
            "action": "skip" if self.skip else "send",
            "to": self.target,
            "what": self.what,
            **({"why": self.skip} if self.skip else {}),
        }


Fetch = Callable[[str, int, int], bytes | None]


def plan(
    kind: Kind,
    settings: Settings,
    partition: int,
    offset: int,
    value: bytes | None,
    *,
    reason: str | None = None,
    fetch: Fetch | None = None,
) -> Action:
    """The action for one dead letter (pure apart from `fetch`, which reads a message from
    its source topic when the letter holds only part of it)."""

    def skip(what: str, why: str) -> Action:
        return Action(offset, partition, None, None, None, what, why)

    try:
        data = orjson.loads(value or b"")
    except orjson.JSONDecodeError:
        return skip("unreadable letter", "not JSON")
    if not isinstance(data, dict):
        return skip("unreadable letter", "not a JSON object")
    if reason and reason.lower() not in str(data.get("reason", "")).lower():
        return skip(f"letter: {data.get('reason')}", f"reason does not contain {reason!r}")
    if kind == "alerts":
        if data.get("kind") != "alert":
            return skip(f"message letter: {data.get('reason')}", "not an alert")
        try:
            letter = AlertDeadLetter.model_validate(data)
        except ValidationError as exc:
            return skip("alert letter", f"does not fit AlertDeadLetter: {exc.error_count()} errors")
        alert = letter.alert.model_copy(update={"outcomes": []})
        return Action(
            offset,
            partition,
            settings.topics.pending_alerts,
            alert.alert_id.encode(),
            alert.model_dump_json().encode(),
            f"alert {alert.alert_id} ({alert.rule_id}): {letter.reason}",
        )
    try:
        message = MessageDeadLetter.model_validate(data)
    except ValidationError as exc:
        return skip("message letter", f"does not fit MessageDeadLetter: {exc.error_count()} errors")
    what = f"{message.topic}[{message.partition}]@{message.offset}: {message.reason}"
    if message.value_kind == "null":
        return skip(what, "a tombstone carries no article")
    original: bytes | None
    if message.truncated:
        if fetch is None or message.topic is None or message.offset is None:
            return skip(what, "letter holds part of the message and its source is unknown")
        original = fetch(message.topic, message.partition or 0, message.offset)
        if original is None:
            return skip(what, "the source message is gone (retention)")
    else:
        original = message.original()
    key = message.key.encode() if message.key is not None else None
    return Action(offset, partition, settings.topics.articles, key, original, what)


def _letters(consumer: Any, idle_ms: int) -> Iterator[Any]:
    while True:
        batch = consumer.poll(timeout_ms=idle_ms)
        if not batch:
            return
        for records in batch.values():
            yield from records


def run(
    settings: Settings,
    kind: Kind,
    *,
    dry_run: bool,
    from_beginning: bool,
    reason: str | None,
    limit: int | None,
    client_kwargs: dict[str, Any],
    out: Any = None,
) -> tuple[int, int]:
    """Re-drive; prints one JSON line per letter; returns (sent, skipped)."""
    from kafka import KafkaConsumer, KafkaProducer, TopicPartition

    out = out or sys.stdout
    source = settings.topics.alerts_dead if kind == "alerts" else settings.topics.articles_dead
    consumer = KafkaConsumer(
        bootstrap_servers=settings.bootstrap_servers,
        group_id=f"{settings.app_id}-redrive-{kind}",
        enable_auto_commit=False,
        auto_offset_reset="earliest",
        max_partition_fetch_bytes=8 * 1024 * 1024,
        **client_kwargs,
    )
    fetcher = KafkaConsumer(
        bootstrap_servers=settings.bootstrap_servers, enable_auto_commit=False, **client_kwargs
    )
    producer = (
        None
        if dry_run
        else KafkaProducer(
            bootstrap_servers=settings.bootstrap_servers,
            acks="all",
            enable_idempotence=True,
            max_request_size=8 * 1024 * 1024,
            compression_type="lz4",
            **client_kwargs,
        )
    )

    def fetch(topic: str, partition: int, offset: int) -> bytes | None:
        tp = TopicPartition(topic, partition)
        fetcher.assign([tp])
        fetcher.seek(tp, offset)
        for records in fetcher.poll(timeout_ms=5000, max_records=1).values():
            for record in records:
                if record.offset == offset:
                    return bytes(record.value) if record.value is not None else None
        return None

    parts = [TopicPartition(source, p) for p in sorted(consumer.partitions_for_topic(source) or [])]
    consumer.assign(parts)
    if from_beginning:
        consumer.seek_to_beginning(*parts)
    sent = skipped = 0
    progress: dict[Any, int] = {}
    try:
        for record in _letters(consumer, 2000):
            action = plan(
                kind,
                settings,
                record.partition,
                record.offset,
                record.value,
                reason=reason,
                fetch=fetch,
            )
            out.write(orjson.dumps(action.line()).decode() + "\n")
            if action.skip:
                skipped += 1
            else:
                sent += 1
                if producer is not None and action.target is not None:
                    producer.send(action.target, key=action.key, value=action.value)
            progress[TopicPartition(source, record.partition)] = record.offset + 1
            if limit is not None and sent + skipped >= limit:
                break
        if producer is not None:
            producer.flush(timeout=60)
            if progress:
                from kafka.structs import OffsetAndMetadata

                consumer.commit({tp: OffsetAndMetadata(o, "", -1) for tp, o in progress.items()})
    finally:
        consumer.close()
        fetcher.close()
        if producer is not None:
            producer.close()
    return sent, skipped
