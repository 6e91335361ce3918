"""What to do with an alert for each destination, and one delivery attempt at a time.

`plan` turns an alert into an outbox entry: per (subscriber, destination) a job that is
already final (the delivery log says it went out; unknown subscriber; held for a digest,
quiet hours or a rate limit) or pending. `attempt` makes ONE send of a pending job and
returns the job as it stands after it: sent (the log is written first), failed (not
retryable, or the deadline has passed) or pending again with the time of the next try.
Nothing here sleeps: `delivery/service.py` runs each destination on its own schedule, so a
failing destination never holds up another (the ElastAlert2 and old-dispatcher mistake).
"""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

import structlog
from pydantic import SecretStr

from signalfire.delivery.channels import channel_for
from signalfire.delivery.destinations import destination_id, shown_as
from signalfire.delivery.log import DeliveryLog
from signalfire.delivery.outbox import Job, OutboxEntry
from signalfire.delivery.policy import RetryPolicy
from signalfire.delivery.render import RenderedMessage, Renderer
from signalfire.delivery.schedule import DigestBuffer, HeldBatch, RateLimiter, hold_for
from signalfire.delivery.sender import Sender, SendResult
from signalfire.models.alert import AlertRecord, DeliveryOutcome
from signalfire.models.watchlist import Subscriber

log = structlog.get_logger(__name__)

Now = Callable[[], datetime]
DESTINATION_GONE = "destination no longer in the watchlist"
_REASON_TEXT = {
    "digest": "scheduled digest",
    "quiet_hours": "held over quiet hours",
    "rate_limit": "rate limit overflow",
}


@dataclass(frozen=True)
class DigestResult:
    """One flushed (or failed) digest: `outcome` for the destination, and the alerts it
    carried (on failure they stay held and are retried at the next flush)."""

    outcome: DeliveryOutcome
    alert_ids: tuple[str, ...]


def find_url(subscriber: Subscriber | None, destination: str) -> SecretStr | None:
    """The subscriber's URL with this destination id (None once it left the watchlist)."""
    if subscriber is None:
        return None
    return next((u for u in subscriber.notify if destination_id(u) == destination), None)


class Dispatcher:
    def __init__(
        self,
        sender: Sender,
        log: DeliveryLog,
        policy: RetryPolicy | None = None,
        *,
        renderer: Renderer | None = None,
        buffer: DigestBuffer | None = None,
        limiter: RateLimiter | None = None,
        rng: random.Random | None = None,
    ) -> None:
        self.sender = sender
        self.log = log
        self.policy = policy or RetryPolicy()
        self.renderer = renderer or Renderer()
        self.buffer = buffer if buffer is not None else DigestBuffer()
        self.limiter = limiter if limiter is not None else RateLimiter()
        self.rng = rng or random.Random()

    # -- planning ----------------------------------------------------------------------------

    def plan(
        self, alert: AlertRecord, subscribers: Mapping[str, Subscriber], now: datetime
    ) -> OutboxEntry:
        """One job per (subscriber, destination); holds go into the digest buffer now."""
        alert = alert.model_copy(update={"outcomes": []})
        jobs: dict[str, Job] = {}
        for sid in alert.subscribers:
            sub = subscribers.get(sid)
            if sub is None:
                job = Job(
                    subscriber=sid,
                    destination="-",
                    shown_as="-",
                    status="failed",
                    error="unknown subscriber",
                    due=now,
                    at=now,
                )
                jobs[job.key] = job
                continue
            for url in sub.notify:
                job = self._plan_one(alert, sub, url, now)
                jobs[job.key] = job
        return OutboxEntry(
            alert=alert,
            accepted_at=now,
            jobs=jobs,
            deadline=now + timedelta(seconds=self.policy.deadline),
        )

    def _plan_one(self, alert: AlertRecord, sub: Subscriber, url: SecretStr, now: datetime) -> Job:
        dest, shown = destination_id(url), shown_as(url)
        job = Job(subscriber=sub.id, destination=dest, shown_as=shown, due=now)
        ctx = {
            "alert_id": alert.alert_id,
            "subscriber": sub.id,
            "destination": dest,
            "shown_as": shown,
        }
        if self.log.was_sent(alert.alert_id, dest):
            log.info("delivery.duplicate_skipped", **ctx)
            return job.model_copy(
                update={"status": "sent", "at": self.log.sent_at(alert.alert_id, dest)}
            )
        hold = hold_for(sub, dest, alert.severity, now, self.limiter)
        if hold is not None:
            self.buffer.add(sub.id, dest, alert, hold)
            log.info("delivery.deferred", reason=hold.reason, until=hold.until.isoformat(), **ctx)
            return job.model_copy(
                update={
                    "status": "deferred",
                    "at": now,
                    "hold_reason": hold.reason,
                    "held_until": hold.until,
                }
            )
        self.limiter.record(dest, sub.rate_limit, now)  # reserve the slot now
        return job

    # -- one attempt -------------------------------------------------------------------------

    async def attempt(self, entry: OutboxEntry, job: Job, url: SecretStr | None, now: Now) -> Job:
        """Send once; the job as it stands afterwards."""
        alert = entry.alert
        ctx = {
            "alert_id": alert.alert_id,
            "subscriber": job.subscriber,
            "destination": job.destination,
            "shown_as": job.shown_as,
        }
        if self.log.was_sent(alert.alert_id, job.destination):
            at = self.log.sent_at(alert.alert_id, job.destination)
            return job.model_copy(update={"status": "sent", "at": at})
        if url is None:
            log.warning("delivery.failed", error=DESTINATION_GONE, **ctx)
            return job.model_copy(
                update={"status": "failed", "error": DESTINATION_GONE, "at": now()}
            )
        started = job.first_attempt_at or now()
        result = await self.sender.send(url, self.renderer.render(alert, channel_for(url)))
        t = now()
        tried = job.model_copy(
            update={"attempts": job.attempts + 1, "at": t, "first_attempt_at": started,
                    "error": result.error}
        )  # fmt: skip
        if result.ok:
            confirmed = self.log.mark_sent(alert.alert_id, job.destination, t)
            if confirmed is not None:
                await confirmed
            log.info("delivery.sent", attempts=tried.attempts, **ctx)
            return tried.model_copy(update={"status": "sent"})
        return self._after_failure(entry, tried, result, ctx)

    def _after_failure(
        self, entry: OutboxEntry, job: Job, result: SendResult, ctx: Mapping[str, object]
    ) -> Job:
        """Retry later (backoff, at least the server's Retry-After) or fail for good: not
        retryable, or no retry fits before the alert's deadline."""
        assert job.at is not None
        elapsed = (job.at - entry.accepted_at).total_seconds()
        delay = (
            self.policy.next_delay(job.attempts, elapsed, self.rng.random, result.retry_after)
            if result.retryable
            else None
        )
        if delay is None:
            log.warning("delivery.failed", attempts=job.attempts, error=result.error,
                        retryable=result.retryable, **ctx)  # fmt: skip
            return job.model_copy(update={"status": "failed"})
        log.info("delivery.retry", attempt=job.attempts, delay=round(delay, 3),
                 retry_after=result.retry_after, error=result.error, **ctx)  # fmt: skip
        return job.model_copy(update={"due": job.at + timedelta(seconds=delay)})

    # -- digests -----------------------------------------------------------------------------

    def due_digests(self, now: datetime) -> list[HeldBatch]:
        return self.buffer.due(now)

    async def flush_digest(
        self, batch: HeldBatch, subscribers: Mapping[str, Subscriber], now: Now
    ) -> DigestResult | None:
        """One attempt to send a due batch as ONE message; on failure it stays held and the
        next flush tries again (never dropped). A batch whose destination left the watchlist
        is handed back (the caller dead-letters its alerts)."""
        url = find_url(subscribers.get(batch.subscriber), batch.destination)
        ids = {a.alert_id for a in batch.alerts}
        if url is None:
            return self._gone(batch, now())
        sub = subscribers[batch.subscriber]
        pending = [a for a in batch.alerts if not self.log.was_sent(a.alert_id, batch.destination)]
        if not pending:
            self.buffer.remove(batch.subscriber, batch.destination, ids)
            return None
        t = now()
        reopen = self.limiter.reopens_at(batch.destination, sub.rate_limit, t)
        if reopen is not None:
            self.buffer.postpone(batch.subscriber, batch.destination, reopen)
            return None
        self.limiter.record(batch.destination, sub.rate_limit, t)
        result = await self.sender.send(url, self._digest_message(batch, pending, url))
        at = now()
        shown = shown_as(url)
        ctx = {"subscriber": sub.id, "destination": batch.destination, "shown_as": shown,
               "alerts": len(pending), "digest": True}  # fmt: skip
        if result.ok:
            marks = [self.log.mark_sent(a.alert_id, batch.destination, at, via="digest")
                     for a in pending]  # fmt: skip
            for mark in marks:
                if mark is not None:
                    await mark
            self.buffer.remove(batch.subscriber, batch.destination, ids)
            log.info("delivery.sent", **ctx)
        else:
            log.info("delivery.retry", error=result.error, **ctx)
        outcome = DeliveryOutcome(
            subscriber=sub.id, destination=batch.destination, shown_as=shown,
            status="sent" if result.ok else "failed", attempts=1, error=result.error, at=at,
        )  # fmt: skip
        return DigestResult(outcome, tuple(a.alert_id for a in pending))

    def _digest_message(
        self, batch: HeldBatch, pending: list[AlertRecord], url: SecretStr
    ) -> RenderedMessage:
        """One alert alone as a normal alert, several as one digest saying why they waited."""
        channel = channel_for(url)
        if len(pending) == 1:
            return self.renderer.render(pending[0], channel)
        reason = ", ".join(_REASON_TEXT[r] for r in batch.reasons)
        return self.renderer.render_digest(pending, channel, reason)

    def _gone(self, batch: HeldBatch, at: datetime) -> DigestResult:
        """The destination left the watchlist: its held alerts go back to the caller."""
        ids = tuple(a.alert_id for a in batch.alerts)
        self.buffer.remove(batch.subscriber, batch.destination, set(ids))
        log.warning("delivery.dead", subscriber=batch.subscriber, destination=batch.destination,
                    alerts=len(ids), error=DESTINATION_GONE)  # fmt: skip
        outcome = DeliveryOutcome(
            subscriber=batch.subscriber, destination=batch.destination, shown_as="-",
            status="failed", error=DESTINATION_GONE, at=at,
        )  # fmt: skip
        return DigestResult(outcome, ids)


def needs_dead_letter(alert: AlertRecord) -> bool:
    """True when some destination failed for good (the caller writes alerts.dead)."""
    return any(o.status == "failed" for o in alert.outcomes)


def dead_reason(alert: AlertRecord) -> str:
    """A one-line reason for alerts.dead naming each failed destination by its privacy
    form (never the URL) with its last error."""
    failed = [o for o in alert.outcomes if o.status == "failed"]
    if not failed:
        return ""
    parts = [
        f"{o.subscriber} -> {o.shown_as} after {o.attempts} attempt(s): {o.error}" for o in failed
    ]
    return f"delivery failed for {len(failed)} destination(s): " + " | ".join(parts)
