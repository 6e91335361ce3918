"""Dispatcher with a fake sender: per-destination retries, the delivery log, backoff,
Retry-After, rate-limit digests, quiet hours, and secrets kept out of everything."""

from __future__ import annotations

import random
from typing import Any

import pytest
from pydantic import SecretStr
from structlog.testing import capture_logs

from signalfire.delivery.destinations import destination_id
from signalfire.delivery.dispatcher import Dispatcher, dead_reason, find_url, needs_dead_letter
from signalfire.delivery.log import DeliveryLog
from signalfire.delivery.policy import RetryPolicy
from signalfire.delivery.sender import SendResult
from signalfire.models.alert import AlertRecord
from signalfire.models.watchlist import QuietHours, RateLimit, Subscriber
from tests.unit.delivery_support import (
    JSON_URL,
    MAIL_URL,
    PASSWORD,
    SLACK_URL,
    FakeClock,
    FakeSender,
    make_alert,
)

FAIL = SendResult(False, "connection refused")


def setup(
    sender: FakeSender,
    clock: FakeClock,
    policy: RetryPolicy | None = None,
    log: DeliveryLog | None = None,
) -> Dispatcher:
    return Dispatcher(
        sender,
        log or DeliveryLog(),
        policy or RetryPolicy(max_attempts=3),
        rng=random.Random(42),
    )


async def deliver(
    d: Dispatcher, alert: AlertRecord, subscribers: dict[str, Subscriber], clock: FakeClock
) -> AlertRecord:
    """Plan, then attempt every pending job until it is final, the clock jumping to each
    retry's due time (what DeliveryService does per destination, without waiting)."""
    entry = d.plan(alert, subscribers, clock.now())
    for key, job in list(entry.jobs.items()):
        while not job.final:
            if job.due > clock.now():
                await clock.sleep((job.due - clock.now()).total_seconds())
            url = find_url(subscribers.get(job.subscriber), job.destination)
            job = await d.attempt(entry, job, url, clock.now)
            entry = entry.model_copy(update={"jobs": {**entry.jobs, key: job}})
    return entry.record()


async def flush(d: Dispatcher, subscribers: dict[str, Subscriber], clock: FakeClock) -> list[Any]:
    results = []
    for batch in d.due_digests(clock.now()):
        result = await d.flush_digest(batch, subscribers, clock.now)
        if result is not None:
            results.append(result)
    return results


def subs(**kw: object) -> dict[str, Subscriber]:
    return {"desk": Subscriber(id="desk", notify=[SLACK_URL, MAIL_URL], **kw)}  # type: ignore[arg-type]


async def test_each_destination_gets_its_own_outcome() -> None:
    """Two URLs → two outcomes keyed by digest, shown in apprise's privacy form."""
    sender, clock = FakeSender(), FakeClock()
    out = await deliver(setup(sender, clock), make_alert(), subs(), clock)
    assert [o.status for o in out.outcomes] == ["sent", "sent"]
    assert {o.destination for o in out.outcomes} == {
        destination_id(SLACK_URL),
        destination_id(MAIL_URL),
    }
    mail = next(o for o in out.outcomes if o.destination == destination_id(MAIL_URL))
    assert mail.shown_as.startswith("mailtos://desk:****@smtp.example.com")
    assert [m.channel.value for _, m in sender.calls] == ["slack", "email"]


async def test_only_the_failed_destination_is_retried() -> None:
    """A failing e-mail next to a working Slack post: Slack is sent once, e-mail retried
    (the ElastAlert2 mistake would re-send Slack or never retry e-mail)."""
    sender = FakeSender({MAIL_URL.get_secret_value(): [FAIL, FAIL]})
    clock = FakeClock()
    out = await deliver(setup(sender, clock), make_alert(), subs(), clock)
    assert len(sender.sent_to(SLACK_URL)) == 1
    assert len(sender.sent_to(MAIL_URL)) == 3
    mail = next(o for o in out.outcomes if o.destination == destination_id(MAIL_URL))
    assert (mail.status, mail.attempts) == ("sent", 3)


async def test_log_prevents_resend_after_restart_and_retries_only_failures() -> None:
    """Same alert delivered again (restart, re-sent article) with the same log store:
    nothing already sent goes again; the destination that failed last time is retried."""
    store: dict[str, bytes | str] = {}
    sender = FakeSender({MAIL_URL.get_secret_value(): [FAIL, FAIL, FAIL]})
    clock = FakeClock()
    first = await deliver(setup(sender, clock, log=DeliveryLog(store)), make_alert(), subs(), clock)
    assert sorted(o.status for o in first.outcomes) == ["failed", "sent"]
    assert needs_dead_letter(first)
    sender.calls.clear()
    # "restart": new dispatcher, same persisted log
    again = await deliver(setup(sender, clock, log=DeliveryLog(store)), make_alert(), subs(), clock)
    assert [u for u, _ in sender.calls] == [MAIL_URL.get_secret_value()]
    assert [o.status for o in again.outcomes] == ["sent", "sent"]
    sender.calls.clear()
    await deliver(setup(sender, clock, log=DeliveryLog(store)), make_alert(), subs(), clock)
    assert sender.calls == []


async def test_backoff_delays_with_fixed_seed() -> None:
    """Sleeps follow full-jitter exponential backoff, reproducible with a seeded RNG."""
    sender = FakeSender({JSON_URL.get_secret_value(): [FAIL] * 4})
    clock = FakeClock()
    policy = RetryPolicy(base=2, factor=3, max_delay=100, max_attempts=5, deadline=1000)
    d = setup(sender, clock, policy)
    await deliver(d, make_alert(), {"desk": Subscriber(id="desk", notify=[JSON_URL])}, clock)
    rng = random.Random(42)
    expected = [rng.random() * c for c in (2, 6, 18, 54)]
    assert clock.slept == pytest.approx(expected, abs=1e-5)
    assert len(sender.calls) == 5


async def test_retry_after_is_honoured() -> None:
    """A 429 with Retry-After: 30 waits at least 30 s before the next attempt."""
    sender = FakeSender(
        {
            JSON_URL.get_secret_value(): [
                SendResult(False, "HTTP 429", retry_after=30.0, status_code=429)
            ]
        }
    )
    clock = FakeClock()
    out = await deliver(
        setup(sender, clock),
        make_alert(),
        {"desk": Subscriber(id="desk", notify=[JSON_URL])},
        clock,
    )
    assert clock.slept == [30.0]
    assert out.outcomes[0].status == "sent" and out.outcomes[0].attempts == 2


async def test_non_retryable_failure_fails_at_once() -> None:
    """A 401/invalid URL is not retried: retrying cannot help."""
    sender = FakeSender(
        {
            JSON_URL.get_secret_value(): [
                SendResult(False, "HTTP 401", retryable=False, status_code=401)
            ]
        }
    )
    clock = FakeClock()
    out = await deliver(
        setup(sender, clock),
        make_alert(),
        {"desk": Subscriber(id="desk", notify=[JSON_URL])},
        clock,
    )
    assert (out.outcomes[0].status, out.outcomes[0].attempts) == ("failed", 1)
    assert clock.slept == []


async def test_exhausted_retries_fail_with_dead_reason_and_no_secret() -> None:
    """After the last attempt: failed outcome, a dead-letter reason naming the privacy
    form; the password is in no outcome, reason or log line."""
    sender = FakeSender({MAIL_URL.get_secret_value(): [FAIL] * 5})
    clock = FakeClock()
    with capture_logs() as logs:
        out = await deliver(setup(sender, clock), make_alert(), subs(), clock)
    reason = dead_reason(out)
    assert "desk -> mailtos://desk:****@smtp.example.com" in reason
    assert "after 3 attempt(s): connection refused" in reason
    assert {e["event"] for e in logs} >= {"delivery.sent", "delivery.retry", "delivery.failed"}
    for text in (out.model_dump_json(), reason, repr(logs)):
        assert PASSWORD not in text
    assert dead_reason(make_alert()) == ""


async def test_unknown_subscriber_is_a_failed_outcome() -> None:
    """An alert naming a subscriber the watchlist lacks is reported, not dropped."""
    clock = FakeClock()
    out = await deliver(setup(FakeSender(), clock), make_alert(subscribers=["ghost"]), {}, clock)
    assert out.outcomes[0].status == "failed" and out.outcomes[0].error == "unknown subscriber"


async def test_rate_limit_overflow_becomes_one_digest_nothing_dropped() -> None:
    """max 2 per minute, 5 alerts: 2 sent now, 3 deferred, then ONE digest carrying the 3
    when the window reopens; a second flush sends nothing."""
    sender, clock = FakeSender(), FakeClock()
    sub = {
        "desk": Subscriber(
            id="desk", notify=[SLACK_URL], rate_limit=RateLimit(max=2, per_seconds=60)
        )
    }
    d = setup(sender, clock)
    statuses = []
    for i in range(5):
        alert = make_alert(f"al-{i}", story=f"s-{i}", headline=f"Story {i}")
        out = await deliver(d, alert, sub, clock)
        statuses.append(out.outcomes[0].status)
        clock.advance(seconds=1)
    assert statuses == ["sent", "sent", "deferred", "deferred", "deferred"]
    assert await flush(d, sub, clock) == []  # window still closed
    clock.advance(seconds=60)
    [result] = await flush(d, sub, clock)
    assert result.outcome.status == "sent" and result.alert_ids == ("al-2", "al-3", "al-4")
    digest = sender.calls[-1][1].body
    assert all(f"Story {i}" in digest for i in (2, 3, 4)) and "Story 0" not in digest
    assert len(sender.calls) == 3
    assert await flush(d, sub, clock) == []
    # redelivering a held-then-digested alert does not send it again
    again = await deliver(d, make_alert("al-3"), sub, clock)
    assert again.outcomes[0].status == "sent" and len(sender.calls) == 3


async def test_quiet_hours_defer_and_critical_bypasses() -> None:
    """At 09:30 inside 08:00–18:00 quiet hours a high alert is deferred until 18:00, a
    critical one goes now; the held alert goes out (alone, as a normal alert) at 18:00."""
    sender, clock = FakeSender(), FakeClock()
    sub = {
        "desk": Subscriber(
            id="desk", notify=[SLACK_URL], quiet_hours=QuietHours(start="08:00", end="18:00")
        )
    }
    d = setup(sender, clock)
    held = await deliver(d, make_alert("al-h", severity="high"), sub, clock)
    crit = await deliver(d, make_alert("al-c", severity="critical"), sub, clock)
    assert held.outcomes[0].status == "deferred"
    assert held.outcomes[0].hold_reason == "quiet_hours"
    assert held.outcomes[0].held_until is not None and held.outcomes[0].held_until.hour == 18
    assert crit.outcomes[0].status == "sent" and len(sender.calls) == 1
    clock.advance(hours=8)
    assert await flush(d, sub, clock) == []
    clock.advance(hours=1)
    [res] = await flush(d, sub, clock)
    assert res.alert_ids == ("al-h",) and len(sender.calls) == 2
    assert "[HIGH]" in sender.calls[-1][1].body and "Digest" not in sender.calls[-1][1].body


async def test_hourly_digest_mode_accumulates() -> None:
    """Digest mode: alerts wait for the top of the hour and go as one message."""
    sender, clock = FakeSender(), FakeClock()
    sub = {"desk": Subscriber(id="desk", notify=[JSON_URL], digest="hourly")}
    d = setup(sender, clock)
    for i in range(3):
        await deliver(d, make_alert(f"al-{i}"), sub, clock)
    assert sender.calls == []
    clock.advance(minutes=30)
    [res] = await flush(d, sub, clock)
    assert len(res.alert_ids) == 3 and len(sender.calls) == 1
    assert "Digest: 3 alerts" in sender.calls[0][1].body


async def test_failed_digest_stays_held_for_next_flush() -> None:
    """A digest whose send fails keeps its alerts for the next flush (never lost): one
    attempt per flush, so a down destination never holds up the other digests."""
    sender = FakeSender({JSON_URL.get_secret_value(): [FAIL]})
    clock = FakeClock()
    sub = {"desk": Subscriber(id="desk", notify=[JSON_URL], digest="hourly")}
    d = setup(sender, clock)
    await deliver(d, make_alert("al-1"), sub, clock)
    clock.advance(hours=1)
    [res] = await flush(d, sub, clock)
    assert res.outcome.status == "failed"
    [res] = await flush(d, sub, clock)
    assert res.outcome.status == "sent" and res.alert_ids == ("al-1",)


async def test_removed_destination_hands_held_alerts_back() -> None:
    """If the watchlist drops a destination with held alerts, flush reports them failed
    (for alerts.dead) instead of holding them forever."""
    clock = FakeClock()
    d = setup(FakeSender(), clock)
    await deliver(
        d,
        make_alert("al-1"),
        {"desk": Subscriber(id="desk", notify=[JSON_URL], digest="hourly")},
        clock,
    )
    clock.advance(hours=1)
    other = {"desk": Subscriber(id="desk", notify=[SecretStr("json://elsewhere.example/x")])}
    [res] = await flush(d, other, clock)
    assert res.outcome.status == "failed" and res.alert_ids == ("al-1",)
    assert await flush(d, other, clock) == []
