"""Runs deliveries: one task per destination, each on its own schedule.

An alert is accepted into the durable outbox (`accept`) and its input message is then
committed; from there each destination's task sends its jobs in due order, one at a time,
backing off on failure without holding up any other destination. When every job of an
alert is final, the alert record with its outcomes is published (and a dead letter if a
job failed) through `emit`, and the entry leaves the outbox. Pending work survives restarts
because the outbox and the delivery log live in changelog-backed tables.

No Kafka here: `emit` publishes, `subscribers` gives the current watchlist's subscribers; the
delivery log's store confirms each "sent" mark before the destination's next send.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable, Mapping
from datetime import UTC, datetime
from typing import Any

import structlog

from signalfire.delivery.dispatcher import DESTINATION_GONE, Dispatcher, find_url
from signalfire.delivery.outbox import Outbox, OutboxEntry
from signalfire.models.alert import AlertRecord
from signalfire.models.watchlist import Subscriber
from signalfire.ops.metrics import METRICS

log = structlog.get_logger(__name__)

Now = Callable[[], datetime]
Emit = Callable[[AlertRecord], Awaitable[None]]
EmitDead = Callable[[list[tuple[AlertRecord, str]]], Awaitable[None]]  # (alert, reason)


def _utcnow() -> datetime:
    return datetime.now(UTC)


class DeliveryService:
    def __init__(
        self,
        dispatcher: Dispatcher,
        outbox: Outbox,
        subscribers: Callable[[], Mapping[str, Subscriber]],
        emit: Emit,
        *,
        emit_dead_held: EmitDead | None = None,
        now: Now = _utcnow,
        idle_poll: float = 5.0,
    ) -> None:
        self.dispatcher = dispatcher
        self.outbox = outbox
        self.subscribers = subscribers
        self.emit = emit
        self.emit_dead_held = emit_dead_held
        self.now = now
        self.idle_poll = idle_poll
        self._tasks: dict[str, asyncio.Task[None]] = {}
        self._wake: dict[str, asyncio.Event] = {}
        self._running = False
        self.in_flight = 0

    # -- lifecycle -----------------------------------------------------------------------------

    @property
    def running(self) -> bool:
        return self._running

    async def start(self) -> None:
        """(Re)build the schedule from the outbox and start a task per destination."""
        await self.stop()
        self.outbox.invalidate()
        self._running = True
        for entry in list(self.outbox.entries()):
            if entry.complete:  # published but not yet removed when the worker stopped
                await self._finish(entry)
        for destination in self.outbox.destinations():
            self._ensure(destination)
        log.info(
            "delivery.started", pending=self.outbox.pending_count(), destinations=len(self._tasks)
        )

    async def stop(self, grace: float = 10.0) -> None:
        """Stop the destination tasks; a send in flight gets `grace` seconds to finish."""
        self._running = False
        for event in self._wake.values():
            event.set()
        tasks = list(self._tasks.values())
        self._tasks.clear()
        if tasks:
            _, pending = await asyncio.wait(tasks, timeout=grace)
            for task in pending:
                task.cancel()
            await asyncio.gather(*pending, return_exceptions=True)

    def _ensure(self, destination: str) -> None:
        if not self._running:
            return
        wake = self._wake.setdefault(destination, asyncio.Event())
        wake.set()
        task = self._tasks.get(destination)
        if task is None or task.done():
            self._tasks[destination] = asyncio.ensure_future(self._run(destination))

    # -- accepting ---------------------------------------------------------------------------

    async def accept(self, alert: AlertRecord) -> None:
        """Plan the alert's deliveries; publish it at once if nothing is left to send."""
        if alert.alert_id in self.outbox:
            return  # a re-delivered pending alert: its jobs are already scheduled
        entry = self.dispatcher.plan(alert, self.subscribers(), self.now())
        for job in entry.jobs.values():
            METRICS.alert_fired(job.shown_as)
        if entry.complete:
            await self._finish(entry, stored=False)
            return
        self.outbox.put(entry)
        for job in entry.jobs.values():
            if not job.final:
                self._ensure(job.destination)

    # -- sending -----------------------------------------------------------------------------

    async def _run(self, destination: str) -> None:
        wake = self._wake[destination]
        while self._running:
            item = self.outbox.next_for(destination)
            if item is None:
                wake.clear()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(wake.wait(), self.idle_poll)
                if self.outbox.next_for(destination) is None:
                    return  # nothing left: `_ensure` restarts the task for new jobs
                continue
            entry, job = item
            wait = (job.due - self.now()).total_seconds()
            if wait > 0:
                wake.clear()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(wake.wait(), min(wait, self.idle_poll))
                continue
            try:
                await self._attempt(entry, job)
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception(
                    "delivery.attempt_error", alert_id=entry.alert.alert_id, destination=destination
                )
                await asyncio.sleep(1.0)

    async def _attempt(self, entry: OutboxEntry, job: Any) -> None:
        subscriber = self.subscribers().get(job.subscriber)
        url = find_url(subscriber, job.destination)
        self.in_flight += 1
        try:
            updated = await self.dispatcher.attempt(entry, job, url, self.now)
        finally:
            self.in_flight -= 1
        if updated.status == "sent":
            METRICS.alert_delivered(job.shown_as)
            age = (self.now() - entry.alert.fired_at).total_seconds()
            METRICS.observe_end_to_end("delivered", age)
        elif updated.status == "failed":
            METRICS.alert_dead(job.shown_as)
        else:
            METRICS.alert_retried(job.shown_as)
        current = self.outbox.update(entry.alert.alert_id, updated)
        if current is not None and current.complete:
            await self._finish(current)

    async def _finish(self, entry: OutboxEntry, *, stored: bool = True) -> None:
        """Publish the alert with its outcomes, then forget the entry."""
        await self.emit(entry.record())
        if stored:
            self.outbox.remove(entry.alert.alert_id)

    # -- digests ---------------------------------------------------------------------------

    async def flush_digests(self) -> None:
        """Send the held batches that are due, one attempt each (a failed one stays held for
        the next flush); batches whose destination left the watchlist are dead-lettered."""
        subscribers = self.subscribers()
        dead: list[tuple[AlertRecord, str]] = []
        for batch in self.dispatcher.due_digests(self.now()):
            result = await self.dispatcher.flush_digest(batch, subscribers, self.now)
            if result is None:
                continue
            outcome = result.outcome
            log.info(
                "digest.flushed",
                subscriber=outcome.subscriber,
                destination=outcome.shown_as,
                status=outcome.status,
                alerts=len(result.alert_ids),
            )
            if outcome.status == "sent":
                METRICS.alert_delivered(outcome.shown_as)
            elif outcome.error == DESTINATION_GONE:
                METRICS.alert_dead(outcome.shown_as)
            else:
                METRICS.alert_retried(outcome.shown_as)
            if outcome.status == "failed" and outcome.error == DESTINATION_GONE:
                gone = set(result.alert_ids)
                dead.extend((a, DESTINATION_GONE) for a in batch.alerts if a.alert_id in gone)
        if dead and self.emit_dead_held is not None:
            await self.emit_dead_held(dead)

    # -- for metrics ---------------------------------------------------------------------------

    def queue_depth(self) -> int:
        return self.outbox.pending_count()

    def oldest_pending_age(self) -> float | None:
        oldest = self.outbox.oldest_pending()
        return None if oldest is None else (self.now() - oldest).total_seconds()
