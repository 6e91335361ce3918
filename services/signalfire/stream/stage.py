"""The input side shared by every stage: batches of events, admitted by the offset ledger.

A stage takes what the consumer has (up to `size` events, waiting at most `within`
seconds), processes the admitted ones, makes their outputs durable, and then calls
`done(batch)`: only then may the committer commit past them.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import structlog

from signalfire.stream.offsets import Heal, OffsetLedger, Verdict

log = structlog.get_logger(__name__)


@dataclass
class Batch:
    """Events to process, and per partition the offset below which all will be done."""

    events: list[Any]
    upto: dict[Any, int]
    skipped: int = 0


@dataclass
class StageInput:
    """One stage's source: its ledger, batch size and how gaps get healed."""

    name: str
    ledger: OffsetLedger[Any]
    heal: Callable[[Heal], Any]  # returns an awaitable: run as a task
    ensure: Callable[[set[Any]], Awaitable[None]]  # learn the start of newly seen partitions
    size: int = 500
    within: float = 0.02
    idle: asyncio.Event = field(default_factory=asyncio.Event)
    processed: int = 0
    _tasks: set[asyncio.Task[Any]] = field(default_factory=set)

    def admit(self, events: list[Any]) -> Batch:
        now = time.monotonic()
        batch = Batch([], {})
        for event in events:
            msg = event.message
            verdict, heal = self.ledger.admit(msg.tp, msg.offset, now)
            if verdict is Verdict.ADMIT:
                batch.events.append(event)
                batch.upto[msg.tp] = msg.offset + 1
                continue
            batch.skipped += 1
            if heal is not None:
                task = asyncio.ensure_future(self.heal(heal))
                self._tasks.add(task)
                task.add_done_callback(self._tasks.discard)
        if batch.skipped:
            log.debug("stage.skipped", stage=self.name, events=batch.skipped)
        return batch

    async def batches(self, stream: Any) -> AsyncIterator[Batch]:
        """Admitted batches; the caller must call `done` once their outputs are durable."""
        self.idle.set()
        async for events in stream.take_events(self.size, self.within):
            unknown = {e.message.tp for e in events if not self.ledger.is_assigned(e.message.tp)}
            if unknown:
                await self.ensure(unknown)
            batch = self.admit(list(events))
            if not batch.events:
                continue
            self.idle.clear()
            try:
                yield batch
            finally:
                self.idle.set()

    def done(self, batch: Batch) -> None:
        self.ledger.complete(batch.upto)
        self.processed += len(batch.events)

    async def wait_idle(self, grace: float) -> bool:
        """Wait until no batch is being processed (for shutdown and revocation)."""
        try:
            await asyncio.wait_for(self.idle.wait(), grace)
            return True
        except TimeoutError:
            return False
