"""Explicit offset commits: the edge between `OffsetLedger` and faust's consumer.

Each stage's source topic is subscribed with acks disabled, so faust never commits it; this
service does, and only what the ledger says is durable:

- on assignment (faust's `on_partitions_assigned` signal, awaited before the partitions
  flow) it looks up where each partition starts: the group's committed offset, else the
  start of the log;
- every `interval` it flushes the producer (outputs and table changelogs written so far are
  acknowledged by the broker) and then commits the ledgers' durable progress;
- on revocation and on stop it does the same for the partitions it is losing;
- when a ledger reports a gap it asks the broker which offset really comes next (a record
  fetched at the expected offset) and seeks the consumer there.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import structlog

from signalfire.stream.offsets import Heal, OffsetLedger

log = structlog.get_logger(__name__)


class OffsetOracle:
    """Answers about offsets from the broker, through one kafka-python consumer that belongs
    to the group's id but never joins it (no subscription, no commits): committed offsets,
    log starts, and the first record at or after an offset. Calls run in a worker thread."""

    def __init__(self, make_consumer: Callable[[], Any]) -> None:
        self._make = make_consumer
        self._consumer: Any = None
        self._lock = threading.Lock()

    def _client(self) -> Any:
        if self._consumer is None:
            self._consumer = self._make()
        return self._consumer

    def _starts(self, tps: list[tuple[str, int]]) -> dict[tuple[str, int], int]:
        from kafka import TopicPartition

        with self._lock:
            consumer = self._client()
            parts = [TopicPartition(t, p) for t, p in tps]
            begin = consumer.beginning_offsets(parts)
            out: dict[tuple[str, int], int] = {}
            for part in parts:
                committed = consumer.committed(part)
                start = begin.get(part, 0)
                out[(part.topic, part.partition)] = (
                    start if committed is None else max(int(committed), int(start))
                )
            return out

    def _first_at_or_after(self, tp: tuple[str, int], offset: int) -> int | None:
        from kafka import TopicPartition

        with self._lock:
            consumer = self._client()
            part = TopicPartition(*tp)
            end = consumer.end_offsets([part]).get(part, 0)
            if offset >= end:
                return None
            consumer.assign([part])
            consumer.seek(part, offset)
            deadline = time.monotonic() + 10.0
            while time.monotonic() < deadline:
                batch = consumer.poll(timeout_ms=500, max_records=1)
                records = batch.get(part) or []
                if records:
                    return int(records[0].offset)
            return None

    async def starts(self, tps: Iterable[tuple[str, int]]) -> dict[tuple[str, int], int]:
        return await asyncio.to_thread(self._starts, list(tps))

    async def first_at_or_after(self, tp: tuple[str, int], offset: int) -> int | None:
        return await asyncio.to_thread(self._first_at_or_after, tp, offset)

    def close(self) -> None:
        with self._lock:
            if self._consumer is not None:
                self._consumer.close()
                self._consumer = None


@dataclass
class Source:
    """One stage's input topic and its ledger."""

    topic: str
    ledger: OffsetLedger[Any]


class Committer:
    """Commits what the stages' ledgers say is durable, and keeps the ledgers' view of the
    assignment in step with the consumer's.

    `app` is the faust App (its consumer commits and seeks, its producer is flushed before
    every commit); `oracle` answers offset questions from the broker."""

    def __init__(self, app: Any, oracle: OffsetOracle, *, interval: float = 1.0) -> None:
        self.app = app
        self.oracle = oracle
        self.interval = interval
        self.sources: dict[str, Source] = {}
        self._lock = asyncio.Lock()
        self._assign_lock = asyncio.Lock()
        self._healing: set[tuple[str, int]] = set()

    def source(self, topic: str) -> OffsetLedger[Any]:
        """The ledger of the stage that reads `topic` (created on first use)."""
        if topic not in self.sources:
            self.sources[topic] = Source(topic, OffsetLedger())
        return self.sources[topic].ledger

    # -- rebalances ---------------------------------------------------------------------------

    async def on_assigned(self, assigned: Iterable[Any]) -> None:
        """Set the ledgers to the assignment: partitions kept keep their progress, new ones
        start at the committed offset (else the log start)."""
        assigned = set(assigned)
        for topic, src in self.sources.items():
            keep = {tp for tp in assigned if tp.topic == topic}
            src.ledger.revoke(src.ledger.assigned() - keep)
        await self.ensure(assigned)

    async def ensure(self, tps: Iterable[Any]) -> None:
        """Make sure the ledgers know where these partitions start, if they are assigned to
        us (the stream may deliver a newly assigned partition before the rebalance signal
        that announces it has run)."""
        async with self._assign_lock:
            current = self.app.consumer.assignment()
            new = [
                tp
                for tp in set(tps)
                if tp.topic in self.sources
                and tp in current
                and not self.sources[tp.topic].ledger.is_assigned(tp)
            ]
            if not new:
                return
            starts = await self.oracle.starts((tp.topic, tp.partition) for tp in new)
            for tp in new:
                self.sources[tp.topic].ledger.assign({tp: starts.get((tp.topic, tp.partition))})
            log.info(
                "offsets.assigned",
                partitions={
                    f"{tp.topic}[{tp.partition}]": starts.get((tp.topic, tp.partition))
                    for tp in new
                },
            )

    async def on_revoked(self, revoked: Iterable[Any]) -> None:
        """Commit the durable progress of partitions we are losing, then forget them."""
        lost = [tp for tp in revoked if tp.topic in self.sources]
        if not lost:
            return
        await self.commit(only=set(lost))
        for tp in lost:
            self.sources[tp.topic].ledger.revoke([tp])

    # -- commits ------------------------------------------------------------------------------

    async def commit(self, only: set[Any] | None = None) -> dict[Any, int]:
        """Flush the producer, then commit every ledger's durable progress. Returns what was
        committed."""
        async with self._lock:
            offsets: dict[Any, int] = {}
            for src in self.sources.values():
                offsets.update(src.ledger.committable())
            if only is not None:
                offsets = {tp: o for tp, o in offsets.items() if tp in only}
            if not offsets:
                return {}
            await self.app.producer.flush()
            ok = await self.app.consumer._commit(offsets)
            if not ok:
                log.warning("offsets.commit_failed", partitions=len(offsets))
                return {}
            for src in self.sources.values():
                src.ledger.committed({tp: o for tp, o in offsets.items() if tp.topic == src.topic})
            return offsets

    # -- gaps ---------------------------------------------------------------------------------

    async def heal(self, heal: Heal) -> None:
        """Ask the broker what comes at or after the expected offset, move the ledger there
        and seek the consumer, so the skipped messages are delivered again."""
        tp: Any = heal.tp
        key = (tp.topic, tp.partition)
        if key in self._healing:
            return
        self._healing.add(key)
        try:
            first = await self.oracle.first_at_or_after(key, heal.expected)
            ledger = self.sources[tp.topic].ledger
            target = ledger.healed(tp, first, time.monotonic())
            log.warning(
                "offsets.gap",
                topic=tp.topic,
                partition=tp.partition,
                expected=heal.expected,
                delivered=heal.got,
                first_existing=first,
                seek_to=target,
            )
            if target is not None and ledger.is_assigned(tp):
                await self.app.consumer.seek(tp, target)
        except Exception:
            log.exception("offsets.heal_failed", topic=tp.topic, partition=tp.partition)
        finally:
            self._healing.discard(key)


def upto_of(admitted: Mapping[Any, int]) -> dict[Any, int]:
    """{tp: highest admitted offset} -> {tp: offset below which everything is done}."""
    return {tp: offset + 1 for tp, offset in admitted.items()}
