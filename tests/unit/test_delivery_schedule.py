"""Scheduling: quiet hours, digest boundaries, rate-limit windows, the held-alert buffer."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from signalfire.delivery.schedule import (
    DigestBuffer,
    Hold,
    RateLimiter,
    digest_boundary,
    hold_for,
    quiet_until,
)
from signalfire.models.watchlist import QuietHours, RateLimit, Subscriber
from tests.unit.delivery_support import SLACK_URL, make_alert


def at(h: int, m: int = 0, day: int = 13) -> datetime:
    return datetime(2026, 3, day, h, m, tzinfo=UTC)


def test_quiet_hours_wrapping_midnight() -> None:
    """22:00–07:00 holds at 23:30 and 03:00 until 07:00; 12:00 is not quiet."""
    q = QuietHours(start="22:00", end="07:00")
    assert quiet_until(q, at(23, 30)) == at(7, day=14)
    assert quiet_until(q, at(3)) == at(7)
    assert quiet_until(q, at(12)) is None
    assert quiet_until(q, at(7)) is None


def test_quiet_hours_in_local_time_zone() -> None:
    """The window is in the subscriber's zone (Bucharest is UTC+2 in March)."""
    q = QuietHours(start="22:00", end="07:00", tz="Europe/Bucharest")
    assert quiet_until(q, at(21)) == at(5, day=14)  # 23:00 local
    assert quiet_until(q, at(19)) is None  # 21:00 local


def test_digest_boundaries() -> None:
    """Hourly digests go at the next top of the hour, daily ones at the next UTC midnight."""
    assert digest_boundary("hourly", at(9, 30)) == at(10)
    assert digest_boundary("daily", at(9, 30)) == at(0, day=14)


def test_rate_limiter_sliding_window() -> None:
    """max=2 per 60 s: the third message waits until the first leaves the window."""
    rl, limit = RateLimiter(), RateLimit(max=2, per_seconds=60)
    assert rl.reopens_at("d", limit, at(9)) is None
    rl.record("d", limit, at(9))
    rl.record("d", limit, at(9) + timedelta(seconds=10))
    assert rl.reopens_at("d", limit, at(9, 0) + timedelta(seconds=20)) == at(9, 1)
    assert rl.reopens_at("d", limit, at(9, 1)) is None
    assert rl.reopens_at("other", limit, at(9)) is None


def test_critical_bypasses_quiet_hours_but_not_digest_mode() -> None:
    """Quiet hours hold everything but critical; digest mode holds everything."""
    quiet = Subscriber(
        id="a", notify=[SLACK_URL], quiet_hours=QuietHours(start="00:00", end="23:59")
    )
    assert hold_for(quiet, "d", "high", at(9), RateLimiter()) == Hold("quiet_hours", at(23, 59))
    assert hold_for(quiet, "d", "critical", at(9), RateLimiter()) is None
    daily = Subscriber(id="b", notify=[SLACK_URL], digest="daily")
    assert hold_for(daily, "d", "critical", at(9), RateLimiter()) == Hold("digest", at(0, day=14))


def test_buffer_keeps_each_alert_once_and_never_moves_due_earlier() -> None:
    """Adding the same alert twice holds it once; a shorter hold keeps the later due time."""
    buf = DigestBuffer()
    buf.add("s", "d", make_alert("a1"), Hold("quiet_hours", at(7)))
    buf.add("s", "d", make_alert("a1"), Hold("quiet_hours", at(7)))
    buf.add("s", "d", make_alert("a2"), Hold("rate_limit", at(6)))
    assert len(buf) == 2
    assert buf.due(at(6, 30)) == []
    [batch] = buf.due(at(7))
    assert [a.alert_id for a in batch.alerts] == ["a1", "a2"]
    assert batch.reasons == ("quiet_hours", "rate_limit")
    buf.remove("s", "d", {"a1"})
    assert [a.alert_id for a in buf.batches()[0].alerts] == ["a2"]


def test_buffer_survives_a_restart_through_its_store() -> None:
    """State is plain bytes in a MutableMapping, so a persisted table restores it."""
    store: dict[str, bytes | str] = {}
    DigestBuffer(store).add("s", "d", make_alert("a1"), Hold("digest", at(10)))
    assert [a.alert_id for a in DigestBuffer(dict(store)).due(at(10))[0].alerts] == ["a1"]
