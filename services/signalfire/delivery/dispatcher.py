"""Deliver an alert to every destination of every subscriber, each on its own.

Per (alert, destination): skip if the delivery log says it went out; hold it (digest
mode, quiet hours, rate limit) into the DigestBuffer; else send with retries and write
the log only after success. Destinations run concurrently so one slow SMTP server does
not delay a Slack post, and a failure in one never re-sends the others.
"""

from __future__ import annotations

import asyncio
import random
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import datetime

import structlog
from pydantic import SecretStr

from signalfire.delivery.channels import Channel, channel_for
from signalfire.delivery.destinations import destination_id, shown_as
from signalfire.delivery.log import DeliveryLog
from signalfire.delivery.policy import RetryPolicy
from signalfire.delivery.render import RenderedMessage, Renderer
from signalfire.delivery.schedule import DigestBuffer, HeldBatch, RateLimiter, hold_for
from signalfire.delivery.sender import Sender
from signalfire.models.alert import AlertRecord, DeliveryOutcome
from signalfire.models.watchlist import Subscriber

log = structlog.get_logger(__name__)

Now = Callable[[], datetime]
Sleep = Callable[[float], Awaitable[None]]
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


@dataclass(frozen=True)
class _Attempted:
    ok: bool
    attempts: int
    error: str | None


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
        sleep: Sleep = asyncio.sleep,
        rng: random.Random | None = None,
    ) -> None:
        self.sender = sender
        self.log = log
        self.policy = policy or RetryPolicy()
        self.renderer = renderer or Renderer()
        self.buffer = buffer if buffer is not None else DigestBuffer()
        self.limiter = limiter if limiter is not None else RateLimiter()
        self.sleep = sleep
        self.rng = rng or random.Random()

    async def deliver(
        self, alert: AlertRecord, subscribers: Mapping[str, Subscriber], now: Now
    ) -> AlertRecord:
        """Returns the alert with one outcome per (subscriber, destination)."""
        jobs: list[Awaitable[DeliveryOutcome]] = []
        unknown: list[DeliveryOutcome] = []
        messages: dict[Channel, RenderedMessage] = {}
        for sid in alert.subscribers:
            sub = subscribers.get(sid)
            if sub is None:
                unknown.append(
                    DeliveryOutcome(
                        subscriber=sid,
                        destination="-",
                        shown_as="-",
                        status="failed",
                        error="unknown subscriber",
                        at=now(),
                    )
                )
                continue
            for url in sub.notify:
                channel = channel_for(url)
                if channel not in messages:
                    messages[channel] = self.renderer.render(alert, channel)
                jobs.append(self._deliver_one(alert, sub, url, messages[channel], now))
        outcomes = [*unknown, *await asyncio.gather(*jobs)]
        return alert.model_copy(update={"outcomes": outcomes})

    async def _deliver_one(
        self,
        alert: AlertRecord,
        sub: Subscriber,
        url: SecretStr,
        message: RenderedMessage,
        now: Now,
    ) -> DeliveryOutcome:
        dest, shown = destination_id(url), shown_as(url)
        ctx = {
            "alert_id": alert.alert_id,
            "subscriber": sub.id,
            "destination": dest,
            "shown_as": shown,
        }
        base = DeliveryOutcome(
            subscriber=sub.id, destination=dest, shown_as=shown, status="pending"
        )
        if self.log.was_sent(alert.alert_id, dest):
            log.info("delivery.duplicate_skipped", **ctx)
            return base.model_copy(
                update={"status": "sent", "at": self.log.sent_at(alert.alert_id, dest)}
            )
        t = now()
        hold = hold_for(sub, dest, alert.severity, t, self.limiter)
        if hold is not None:
            self.buffer.add(sub.id, dest, alert, hold)
            log.info("delivery.deferred", reason=hold.reason, until=hold.until.isoformat(), **ctx)
            return base.model_copy(
                update={
                    "status": "deferred",
                    "at": t,
                    "hold_reason": hold.reason,
                    "held_until": hold.until,
                }
            )
        self.limiter.record(dest, sub.rate_limit, t)  # reserve the slot before awaiting
        done = await self._send_with_retries(url, message, now, ctx)
        if done.ok:
            self.log.mark_sent(alert.alert_id, dest, now())
        return base.model_copy(
            update={
                "status": "sent" if done.ok else "failed",
                "attempts": done.attempts,
                "error": done.error,
                "at": now(),
            }
        )

    async def _send_with_retries(
        self, url: SecretStr, message: RenderedMessage, now: Now, ctx: Mapping[str, object]
    ) -> _Attempted:
        start = now()
        attempt = 0
        while True:
            attempt += 1
            result = await self.sender.send(url, message)
            if result.ok:
                log.info("delivery.sent", attempts=attempt, **ctx)
                return _Attempted(True, attempt, None)
            elapsed = (now() - start).total_seconds()
            delay = (
                self.policy.next_delay(attempt, elapsed, self.rng.random, result.retry_after)
                if result.retryable
                else None
            )
            if delay is None:
                log.warning(
                    "delivery.failed",
                    attempts=attempt,
                    error=result.error,
                    retryable=result.retryable,
                    **ctx,
                )
                return _Attempted(False, attempt, result.error)
            log.info(
                "delivery.retry",
                attempt=attempt,
                delay=round(delay, 3),
                retry_after=result.retry_after,
                error=result.error,
                **ctx,
            )
            await self.sleep(delay)

    async def flush_due(
        self, subscribers: Mapping[str, Subscriber], now: Now
    ) -> list[DigestResult]:
        """Send every held batch that is due as ONE message per (subscriber, destination).
        Call periodically (e.g. every 30 s); failed batches stay held for the next call."""
        t = now()
        jobs = [self._flush(batch, subscribers, now) for batch in self.buffer.due(t)]
        return [r for r in await asyncio.gather(*jobs) if r is not None]

    async def _flush(
        self, batch: HeldBatch, subscribers: Mapping[str, Subscriber], now: Now
    ) -> DigestResult | None:
        sub = subscribers.get(batch.subscriber)
        url = (
            next((u for u in sub.notify if destination_id(u) == batch.destination), None)
            if sub is not None
            else None
        )
        ids = tuple(a.alert_id for a in batch.alerts)
        if sub is None or url is None:
            # The watchlist no longer has this destination: hand the alerts back to the
            # caller (for alerts.dead) rather than holding them forever.
            self.buffer.remove(batch.subscriber, batch.destination, set(ids))
            log.warning(
                "delivery.dead",
                subscriber=batch.subscriber,
                destination=batch.destination,
                alerts=len(ids),
                error="destination no longer in the watchlist",
            )
            return DigestResult(
                DeliveryOutcome(
                    subscriber=batch.subscriber,
                    destination=batch.destination,
                    shown_as="-",
                    status="failed",
                    error="destination no longer in the watchlist",
                    at=now(),
                ),
                ids,
            )
        pending = [a for a in batch.alerts if not self.log.was_sent(a.alert_id, batch.destination)]
        if not pending:
            self.buffer.remove(batch.subscriber, batch.destination, set(ids))
            return None
        t = now()
        reopen = self.limiter.reopens_at(batch.destination, sub.rate_limit, t)
        if reopen is not None:
            self.buffer.postpone(batch.subscriber, batch.destination, reopen)
            return None
        channel = channel_for(url)
        reason = ", ".join(_REASON_TEXT[r] for r in batch.reasons)
        message = (
            self.renderer.render(pending[0], channel)
            if len(pending) == 1
            else self.renderer.render_digest(pending, channel, reason)
        )
        shown = shown_as(url)
        ctx = {
            "subscriber": sub.id,
            "destination": batch.destination,
            "shown_as": shown,
            "alerts": len(pending),
            "digest": True,
        }
        self.limiter.record(batch.destination, sub.rate_limit, t)
        done = await self._send_with_retries(url, message, now, ctx)
        sent_ids = tuple(a.alert_id for a in pending)
        if done.ok:
            at = now()
            for a in pending:
                self.log.mark_sent(a.alert_id, batch.destination, at, via="digest")
            self.buffer.remove(batch.subscriber, batch.destination, set(ids))
        return DigestResult(
            DeliveryOutcome(
                subscriber=sub.id,
                destination=batch.destination,
                shown_as=shown,
                status="sent" if done.ok else "failed",
                attempts=done.attempts,
                error=done.error,
                at=now(),
            ),
            sent_ids,
        )


def needs_dead_letter(alert: AlertRecord) -> bool:
    """True when some destination failed after all retries (caller sends to alerts.dead)."""
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
