"""When a message may go out (pure bookkeeping, `now` always passed in).

Three reasons to hold an alert instead of sending it: the subscriber wants digests, it
is their quiet hours (critical alerts still go), or the destination's rate limit is
used up. Held alerts are never dropped: they wait in the DigestBuffer and go out as
one message when due. State lives in MutableMappings so the worker can persist it.
"""

from __future__ import annotations

from collections.abc import MutableMapping
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from typing import Any, Literal
from zoneinfo import ZoneInfo

import orjson

from signalfire.models.alert import AlertRecord, Severity
from signalfire.models.watchlist import QuietHours, RateLimit, Subscriber

HoldReason = Literal["digest", "quiet_hours", "rate_limit"]
Store = MutableMapping[str, bytes | str]


@dataclass(frozen=True)
class Hold:
    reason: HoldReason
    until: datetime


def quiet_until(quiet: QuietHours, now: datetime) -> datetime | None:
    """End of the quiet period `now` falls in (UTC), or None outside quiet hours.
    Handles periods that wrap midnight (22:00–07:00) and DST via zoneinfo."""
    tz = ZoneInfo(quiet.tz)
    local = now.astimezone(tz)
    start = time.fromisoformat(quiet.start)
    end = time.fromisoformat(quiet.end)
    t = local.time().replace(tzinfo=None)
    if start == end:
        return None
    inside = (start <= t < end) if start < end else (t >= start or t < end)
    if not inside:
        return None
    end_day = local.date() if t < end else local.date() + timedelta(days=1)
    return datetime.combine(end_day, end, tzinfo=tz).astimezone(UTC)


def digest_boundary(mode: Literal["hourly", "daily"], now: datetime) -> datetime:
    """Next top of the hour / next UTC midnight."""
    utc = now.astimezone(UTC)
    if mode == "hourly":
        return utc.replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)
    return utc.replace(hour=0, minute=0, second=0, microsecond=0) + timedelta(days=1)


class RateLimiter:
    """Sliding window of send times per destination."""

    def __init__(self, store: Store | None = None) -> None:
        self._store: Store = store if store is not None else {}

    def _times(self, destination: str, limit: RateLimit, now: datetime) -> list[float]:
        raw = self._store.get(f"rl|{destination}")
        times: list[float] = orjson.loads(raw) if raw else []
        floor = now.timestamp() - limit.per_seconds
        return [t for t in times if t > floor]

    def reopens_at(self, destination: str, limit: RateLimit, now: datetime) -> datetime | None:
        """None when a message may go now; else when the window has room again."""
        times = self._times(destination, limit, now)
        if len(times) < limit.max:
            return None
        return datetime.fromtimestamp(sorted(times)[-limit.max] + limit.per_seconds, UTC)

    def record(self, destination: str, limit: RateLimit, now: datetime) -> None:
        times = [*self._times(destination, limit, now), now.timestamp()]
        self._store[f"rl|{destination}"] = orjson.dumps(times[-limit.max :])


def hold_for(
    subscriber: Subscriber,
    destination: str,
    severity: Severity,
    now: datetime,
    limiter: RateLimiter,
) -> Hold | None:
    """Why (and until when) this alert must wait, or None to send it now."""
    if subscriber.digest != "off":
        return Hold("digest", digest_boundary(subscriber.digest, now))
    if subscriber.quiet_hours is not None and severity != "critical":
        until = quiet_until(subscriber.quiet_hours, now)
        if until is not None:
            return Hold("quiet_hours", until)
    reopen = limiter.reopens_at(destination, subscriber.rate_limit, now)
    if reopen is not None:
        return Hold("rate_limit", reopen)
    return None


@dataclass(frozen=True)
class HeldBatch:
    subscriber: str
    destination: str
    due: datetime
    reasons: tuple[HoldReason, ...]
    alerts: tuple[AlertRecord, ...]


class DigestBuffer:
    """Held alerts per (subscriber, destination), with the time they are due.

    A later hold never moves `due` earlier: an alert held for quiet hours must not leave
    early because a rate-limit hold for the same destination ended sooner."""

    def __init__(self, store: Store | None = None) -> None:
        self._store: Store = store if store is not None else {}

    @staticmethod
    def _key(subscriber: str, destination: str) -> str:
        return f"held|{subscriber}|{destination}"

    def add(self, subscriber: str, destination: str, alert: AlertRecord, hold: Hold) -> None:
        key = self._key(subscriber, destination)
        raw = self._store.get(key)
        data: dict[str, Any] = (
            orjson.loads(raw)
            if raw
            else {
                "subscriber": subscriber,
                "destination": destination,
                "due": hold.until.isoformat(),
                "reasons": [],
                "alerts": [],
            }
        )
        if any(a["alert_id"] == alert.alert_id for a in data["alerts"]):
            return
        data["due"] = max(datetime.fromisoformat(data["due"]), hold.until).isoformat()
        if hold.reason not in data["reasons"]:
            data["reasons"].append(hold.reason)
        data["alerts"].append(alert.model_dump(mode="json", exclude={"outcomes"}))
        self._store[key] = orjson.dumps(data)

    def batches(self) -> list[HeldBatch]:
        out = []
        for key, raw in list(self._store.items()):
            if not key.startswith("held|"):
                continue
            d = orjson.loads(raw)
            out.append(
                HeldBatch(
                    d["subscriber"],
                    d["destination"],
                    datetime.fromisoformat(d["due"]),
                    tuple(d["reasons"]),
                    tuple(AlertRecord.model_validate(a) for a in d["alerts"]),
                )
            )
        return sorted(out, key=lambda b: (b.due, b.subscriber, b.destination))

    def due(self, now: datetime) -> list[HeldBatch]:
        return [b for b in self.batches() if b.due <= now]

    def postpone(self, subscriber: str, destination: str, until: datetime) -> None:
        key = self._key(subscriber, destination)
        raw = self._store.get(key)
        if raw:
            data = orjson.loads(raw)
            data["due"] = max(datetime.fromisoformat(data["due"]), until).isoformat()
            self._store[key] = orjson.dumps(data)

    def remove(self, subscriber: str, destination: str, alert_ids: set[str]) -> None:
        """Drop only what was delivered: alerts held while the digest was in flight stay."""
        key = self._key(subscriber, destination)
        raw = self._store.get(key)
        if not raw:
            return
        data = orjson.loads(raw)
        data["alerts"] = [a for a in data["alerts"] if a["alert_id"] not in alert_ids]
        if data["alerts"]:
            self._store[key] = orjson.dumps(data)
        else:
            del self._store[key]

    def __len__(self) -> int:
        return sum(len(b.alerts) for b in self.batches())
