"""Deliveries still to make, kept durable so they survive restarts (pure bookkeeping).

One entry per alert: the alert and one `Job` per destination. A job is pending until it
reaches a final state: sent, failed (not retryable, or past the alert's deadline) or
deferred (held for a digest). When every job of an alert is final the entry is complete:
the caller publishes the alert record with its outcomes (and a dead letter if any job
failed) and removes the entry. Backed by any MutableMapping (a faust Table in the worker).
"""

from __future__ import annotations

import heapq
from collections.abc import Iterator, MutableMapping
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict

from signalfire.models.alert import AlertRecord, DeliveryOutcome

JobStatus = Literal["pending", "sent", "failed", "deferred"]
Store = MutableMapping[str, bytes | str]


class Job(BaseModel):
    """One (alert, destination) delivery."""

    model_config = ConfigDict(frozen=True)

    subscriber: str
    destination: str  # stable digest of the URL, never the URL
    shown_as: str
    status: JobStatus = "pending"
    attempts: int = 0
    due: datetime  # when to try (next)
    first_attempt_at: datetime | None = None
    error: str | None = None
    at: datetime | None = None
    hold_reason: Literal["digest", "quiet_hours", "rate_limit"] | None = None
    held_until: datetime | None = None

    @property
    def key(self) -> str:
        return f"{self.subscriber}|{self.destination}"

    @property
    def final(self) -> bool:
        return self.status != "pending"

    def outcome(self) -> DeliveryOutcome:
        return DeliveryOutcome(
            subscriber=self.subscriber,
            destination=self.destination,
            shown_as=self.shown_as,
            status=self.status,
            attempts=self.attempts,
            error=self.error,
            at=self.at,
            hold_reason=self.hold_reason,
            held_until=self.held_until,
        )


class OutboxEntry(BaseModel):
    model_config = ConfigDict(frozen=True)

    alert: AlertRecord
    accepted_at: datetime
    deadline: datetime
    jobs: dict[str, Job]

    @property
    def complete(self) -> bool:
        return all(j.final for j in self.jobs.values())

    def record(self) -> AlertRecord:
        """The alert with one outcome per destination, in the order they were planned."""
        return self.alert.model_copy(
            update={"outcomes": [*self.alert.outcomes, *(j.outcome() for j in self.jobs.values())]}
        )


class Outbox:
    """Entries by alert id over a store, with an in-memory index of pending jobs per
    destination (rebuilt from the store on demand)."""

    def __init__(self, store: Store | None = None) -> None:
        self._store: Store = store if store is not None else {}
        self._due: dict[str, list[tuple[datetime, str, str]]] | None = None

    # -- entries -----------------------------------------------------------------------------

    def get(self, alert_id: str) -> OutboxEntry | None:
        raw = self._store.get(alert_id)
        return None if raw is None else OutboxEntry.model_validate_json(raw)

    def __contains__(self, alert_id: str) -> bool:
        return alert_id in self._store

    def __len__(self) -> int:
        return len(self._store)

    def entries(self) -> Iterator[OutboxEntry]:
        for alert_id in list(self._store):
            entry = self.get(alert_id)
            if entry is not None:
                yield entry

    def put(self, entry: OutboxEntry) -> None:
        self._store[entry.alert.alert_id] = entry.model_dump_json()
        if self._due is not None:
            for job in entry.jobs.values():
                if not job.final:
                    self._push(job, entry.alert.alert_id)

    def update(self, alert_id: str, job: Job) -> OutboxEntry | None:
        entry = self.get(alert_id)
        if entry is None:
            return None
        entry = entry.model_copy(update={"jobs": {**entry.jobs, job.key: job}})
        self.put(entry)
        return entry

    def remove(self, alert_id: str) -> None:
        self._store.pop(alert_id, None)

    # -- what is due -------------------------------------------------------------------------

    def invalidate(self) -> None:
        """Forget the index (the store was replaced, e.g. after a rebalance)."""
        self._due = None

    def _index(self) -> dict[str, list[tuple[datetime, str, str]]]:
        if self._due is None:
            self._due = {}
            for entry in self.entries():
                for job in entry.jobs.values():
                    if not job.final:
                        self._push(job, entry.alert.alert_id)
        return self._due

    def _push(self, job: Job, alert_id: str) -> None:
        assert self._due is not None
        heapq.heappush(self._due.setdefault(job.destination, []), (job.due, alert_id, job.key))

    def destinations(self) -> list[str]:
        return [d for d, heap in self._index().items() if heap]

    def next_for(self, destination: str) -> tuple[OutboxEntry, Job] | None:
        """The pending job of this destination that is due first (stale index entries for
        jobs that moved on are dropped here)."""
        heap = self._index().get(destination) or []
        while heap:
            due, alert_id, key = heap[0]
            entry = self.get(alert_id)
            job = entry.jobs.get(key) if entry is not None else None
            if entry is None or job is None or job.final or job.due != due:
                heapq.heappop(heap)
                continue
            return entry, job
        return None

    def pending_count(self) -> int:
        return sum(1 for entry in self.entries() for job in entry.jobs.values() if not job.final)

    def oldest_pending(self) -> datetime | None:
        oldest = [e.accepted_at for e in self.entries() if not e.complete]
        return min(oldest) if oldest else None
