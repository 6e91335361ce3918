"""DeliveryService: each destination on its own schedule, pending work that survives a
restart, deadlines, and one published record per alert."""

from __future__ import annotations

import asyncio
import random
import time
from typing import Any

from signalfire.delivery.dispatcher import Dispatcher
from signalfire.delivery.log import DeliveryLog
from signalfire.delivery.outbox import Outbox
from signalfire.delivery.policy import RetryPolicy
from signalfire.delivery.sender import SendResult
from signalfire.delivery.service import DeliveryService
from signalfire.models.alert import AlertRecord
from signalfire.models.watchlist import Subscriber
from tests.unit.delivery_support import JSON_URL, SLACK_URL, FakeSender, make_alert

FAIL = SendResult(False, "HTTP 500", status_code=500)


class Stores:
    """What the worker keeps in tables: survives a 'restart' (a new service)."""

    def __init__(self) -> None:
        self.log: dict[str, bytes | str] = {}
        self.outbox: dict[str, bytes | str] = {}


class Timed(FakeSender):
    """A FakeSender that records when each URL was sent to."""

    def __init__(self, script: dict[str, list[SendResult]] | None = None) -> None:
        super().__init__(script or {})
        self.times: dict[str, list[float]] = {}

    async def send(self, url: Any, message: Any) -> SendResult:
        self.times.setdefault(url.get_secret_value(), []).append(time.monotonic())
        return await super().send(url, message)


def service(
    sender: FakeSender, stores: Stores, published: list[AlertRecord], deadline: float = 30.0
) -> DeliveryService:
    dispatcher = Dispatcher(
        sender,
        DeliveryLog(stores.log),
        RetryPolicy(base=0.02, max_delay=0.05, deadline=deadline),
        rng=random.Random(1),
    )
    subs = {"desk": Subscriber(id="desk", notify=[SLACK_URL, JSON_URL])}

    async def emit(record: AlertRecord) -> None:
        published.append(record)

    return DeliveryService(dispatcher, Outbox(stores.outbox), lambda: subs, emit, idle_poll=0.05)


async def wait_for(cond: Any, limit: float = 5.0) -> None:
    deadline = time.monotonic() + limit
    while not cond():
        assert time.monotonic() < deadline, "timed out"
        await asyncio.sleep(0.01)


async def test_a_failing_destination_does_not_hold_up_a_healthy_one() -> None:
    """The webhook fails 10 times; Slack gets the alert at once. The alert is published
    once, after the webhook finally succeeds, with both outcomes."""
    sender = Timed({JSON_URL.get_secret_value(): [FAIL] * 10})
    published: list[AlertRecord] = []
    svc = service(sender, Stores(), published)
    await svc.start()
    await svc.accept(make_alert("al-1"))
    await wait_for(lambda: published)
    slack = sender.times[SLACK_URL.get_secret_value()]
    webhook = sender.times[JSON_URL.get_secret_value()]
    assert len(slack) == 1 and slack[0] < webhook[1], "Slack went before the first retry"
    await svc.stop()
    assert len(sender.times[JSON_URL.get_secret_value()]) == 11
    (record,) = published
    assert sorted((o.status, o.attempts) for o in record.outcomes) == [("sent", 1), ("sent", 11)]


async def test_pending_deliveries_survive_a_restart_without_resending() -> None:
    """Stopped while the webhook is down: a new service over the same stores finishes the
    webhook and does not send Slack again."""
    stores = Stores()
    sender = Timed({JSON_URL.get_secret_value(): [FAIL] * 1000})
    published: list[AlertRecord] = []
    first = service(sender, stores, published)
    await first.start()
    await first.accept(make_alert("al-1"))
    await wait_for(lambda: len(sender.times.get(JSON_URL.get_secret_value(), [])) >= 2)
    await first.stop()
    assert published == [] and len(stores.outbox) == 1

    healthy = Timed()
    second = service(healthy, stores, published)
    await second.start()
    await wait_for(lambda: published)
    await second.stop()
    assert list(healthy.times) == [JSON_URL.get_secret_value()], "Slack is not sent twice"
    assert {o.status for o in published[0].outcomes} == {"sent"}
    assert stores.outbox == {}


async def test_the_deadline_fails_the_job_and_publishes_it_for_alerts_dead() -> None:
    """Past the deadline the job is failed (the publisher writes alerts.dead); the healthy
    destination's outcome is kept."""
    sender = Timed({JSON_URL.get_secret_value(): [FAIL] * 1000})
    published: list[AlertRecord] = []
    svc = service(sender, Stores(), published, deadline=0.3)
    await svc.start()
    await svc.accept(make_alert("al-1"))
    await wait_for(lambda: published)
    await svc.stop()
    outcomes = {o.shown_as.split(":")[0]: o.status for o in published[0].outcomes}
    assert outcomes == {"slack": "sent", "json": "failed"}


async def test_a_redelivered_alert_is_not_planned_twice() -> None:
    """The same pending alert arriving again (a replay) neither duplicates jobs nor sends
    again once delivered."""
    sender = Timed()
    published: list[AlertRecord] = []
    stores = Stores()
    svc = service(sender, stores, published)
    await svc.start()
    await svc.accept(make_alert("al-1"))
    await svc.accept(make_alert("al-1"))
    await wait_for(lambda: published)
    await svc.accept(make_alert("al-1"))  # after completion: the log says sent
    await wait_for(lambda: len(published) == 2)
    await svc.stop()
    assert {k: len(v) for k, v in sender.times.items()} == {
        SLACK_URL.get_secret_value(): 1,
        JSON_URL.get_secret_value(): 1,
    }
    assert {o.status for o in published[1].outcomes} == {"sent"}
