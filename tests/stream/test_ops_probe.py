"""FaustProbe reads readiness, lag and recovery progress from a faust app's state (here a
stand-in with the same attributes faust-streaming 0.15 has)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

from faust.types import TP
from prometheus_client import CollectorRegistry

from signalfire.ops.metrics import Metrics
from signalfire.ops.readiness import Readiness
from signalfire.stream.ops_probe import FaustProbe, ProducerSensor


class Event:
    def __init__(self, is_set: bool) -> None:
        self._set = is_set

    def is_set(self) -> bool:
        return self._set


@dataclass
class FakeConsumer:
    assigned: set[TP]
    highwaters: dict[TP, int | None]
    _committed_offset: dict[TP, int | None]

    def assignment(self) -> set[TP]:
        return self.assigned

    def highwater(self, tp: TP) -> int | None:
        return self.highwaters.get(tp)


@dataclass
class FakeTables(dict[str, Any]):
    recovery: Any = None
    changelog_topics: set[str] = field(default_factory=set)


def _app(*, rebalancing: bool, recovered: bool, brokers: list[int]) -> Any:
    a0, a1 = TP("articles", 0), TP("articles", 1)
    changelog = TP("sf-stories-changelog", 0)
    stories = SimpleNamespace(name="stories")
    recovery = SimpleNamespace(
        completed=Event(recovered),
        in_recovery=not recovered,
        tp_to_table={changelog: stories},
        active_remaining=lambda: Counter({changelog: 0 if recovered else 1234}),
    )
    tables = FakeTables(recovery=recovery, changelog_topics={"sf-stories-changelog"})
    tables["stories"] = stories
    consumer = FakeConsumer(
        assigned={a0, a1, changelog},
        highwaters={a0: 110, a1: 50, changelog: 99},
        _committed_offset={a0: 100, a1: None},
    )
    client = SimpleNamespace(cluster=SimpleNamespace(brokers=lambda: brokers))
    return SimpleNamespace(
        rebalancing=rebalancing,
        rebalancing_count=1,
        tables=tables,
        _consumer=consumer,
        _producer=SimpleNamespace(_producer=SimpleNamespace(client=client)),
    )


def _probe(app: Any) -> tuple[FaustProbe, Readiness, Metrics]:
    metrics = Metrics(CollectorRegistry(), process=False)
    readiness = Readiness(metrics)
    return FaustProbe(app, readiness, metrics, sensor=ProducerSensor()), readiness, metrics


def test_ready_when_assigned_recovered_and_connected() -> None:
    """All three conditions read from the app make the worker ready."""
    probe, readiness, _ = _probe(_app(rebalancing=False, recovered=True, brokers=[1]))
    probe.sample()
    assert readiness.snapshot()[0] is True


def test_recovering_worker_is_not_ready_and_reports_progress() -> None:
    """During recovery: tables_recovered false, records left per table, recovery active."""
    probe, readiness, metrics = _probe(_app(rebalancing=False, recovered=False, brokers=[1]))
    probe.sample()
    ready, conditions = readiness.snapshot()
    assert not ready and conditions["tables_recovered"] is False
    get = metrics.registry.get_sample_value
    assert get("signalfire_table_recovery_remaining", {"table": "stories"}) == 1234.0
    assert get("signalfire_table_recovery_active") == 1.0


def test_rebalancing_or_failed_sends_make_it_unready() -> None:
    """A running rebalance, or a producer whose last send failed, is not ready."""
    probe, readiness, _ = _probe(_app(rebalancing=True, recovered=True, brokers=[1]))
    probe.sample()
    assert readiness.snapshot()[1]["partitions_assigned"] is False
    probe, readiness, _ = _probe(_app(rebalancing=False, recovered=True, brokers=[1]))
    assert probe.sensor is not None
    probe.sensor.on_send_error(None, RuntimeError("broker gone"), None)
    probe.sample()
    assert readiness.snapshot()[1]["producer_connected"] is False
    probe.sensor.on_send_completed(None, None, None)
    probe.sample()
    assert readiness.snapshot()[0] is True


def test_lag_per_input_partition_only() -> None:
    """Lag = end offset - committed offset for input partitions; changelog partitions and
    partitions without a committed offset yet are left out."""
    probe, _, metrics = _probe(_app(rebalancing=False, recovered=True, brokers=[1]))
    probe.sample()
    get = metrics.registry.get_sample_value
    assert get("signalfire_consumer_lag", {"topic": "articles", "partition": "0"}) == 10.0
    assert get("signalfire_consumer_lag", {"topic": "articles", "partition": "1"}) is None
    assert (
        get("signalfire_consumer_lag", {"topic": "sf-stories-changelog", "partition": "0"}) is None
    )


def test_revoked_partition_lag_is_dropped() -> None:
    """After a rebalance takes a partition away, its lag series disappears."""
    app = _app(rebalancing=False, recovered=True, brokers=[1])
    probe, _, metrics = _probe(app)
    probe.sample()
    app._consumer.assigned = set()
    probe.sample()
    get = metrics.registry.get_sample_value
    assert get("signalfire_consumer_lag", {"topic": "articles", "partition": "0"}) is None


def test_explicit_commit_record_can_replace_fausts() -> None:
    """The committed offsets can come from the caller (explicit commits)."""
    app = _app(rebalancing=False, recovered=True, brokers=[1])
    metrics = Metrics(CollectorRegistry(), process=False)
    probe = FaustProbe(app, Readiness(metrics), metrics, committed=lambda tp: 40)
    probe.sample()
    get = metrics.registry.get_sample_value
    assert get("signalfire_consumer_lag", {"topic": "articles", "partition": "1"}) == 10.0


async def test_install_makes_shutdown_unready() -> None:
    """With the probe installed, faust's on_before_shutdown (SIGTERM) makes /readyz fail
    for good, whatever the conditions say."""
    import faust

    app = faust.App("sf-probe-test", broker="kafka://127.0.0.1:1", web_enabled=False)
    metrics = Metrics(CollectorRegistry(), process=False)
    readiness = Readiness(metrics)
    probe = FaustProbe.install(app, readiness, metrics)
    assert probe.sensor in app.sensors
    for condition in ("partitions_assigned", "tables_recovered", "producer_connected"):
        readiness.set(condition, True)  # type: ignore[arg-type]
    assert readiness.snapshot()[0] is True
    await app.on_before_shutdown.send()
    assert readiness.snapshot()[0] is False


def test_durable_progress_reads_the_committer_ledgers() -> None:
    """The worker's lag counts from the ledgers' durable progress, not faust's commits."""
    from signalfire.stream.committer import Committer
    from signalfire.stream.ops_probe import durable_progress

    committer = Committer(app=None, oracle=None)  # type: ignore[arg-type]
    ledger = committer.source("articles")
    a0 = TP("articles", 0)
    ledger.assign({a0: 100})
    ledger.admit(a0, 100, 0.0)
    ledger.admit(a0, 101, 0.0)
    ledger.complete({a0: 102})
    position = durable_progress(committer)
    assert position(a0) == 102
    assert position(TP("articles", 1)) is None
    assert position(TP("other", 0)) is None


def test_consumer_not_started_yet_is_no_error() -> None:
    """Before faust's consumer thread runs, sampling reports readiness and skips lag."""
    from faust.exceptions import ConsumerNotStarted

    app = _app(rebalancing=False, recovered=True, brokers=[1])

    def not_started() -> set[TP]:
        raise ConsumerNotStarted("Consumer thread not yet started")

    app._consumer.assignment = not_started
    probe, readiness, metrics = _probe(app)
    probe.sample()
    assert readiness.snapshot()[1]["tables_recovered"] is True
    assert (
        metrics.registry.get_sample_value(
            "signalfire_consumer_lag", {"topic": "articles", "partition": "0"}
        )
        is None
    )


def test_worker_sampler_reads_watchlist_and_outbox() -> None:
    """Generation and last reload result come from LiveWatchlist, queue depth and oldest
    age from the delivery service."""
    from signalfire.stream.ops_probe import worker_sampler

    live = SimpleNamespace(generation=3, last_reload="failed")
    delivery = SimpleNamespace(queue_depth=lambda: 4, oldest_pending_age=lambda: 42.5)
    metrics = Metrics(CollectorRegistry(), process=False)
    worker_sampler(SimpleNamespace(live=live, delivery=delivery), metrics)()
    get = metrics.registry.get_sample_value
    assert get("signalfire_watchlist_generation") == 3.0
    assert get("signalfire_watchlist_last_reload_success") == 0.0
    assert get("signalfire_delivery_queue_depth", {"queue": "pending"}) == 4.0
    assert get("signalfire_delivery_oldest_pending_seconds", {"queue": "pending"}) == 42.5
    live.last_reload = "reloaded"
    delivery.queue_depth, delivery.oldest_pending_age = (lambda: 0), (lambda: None)
    worker_sampler(SimpleNamespace(live=live, delivery=delivery), metrics)()
    assert get("signalfire_watchlist_last_reload_success") == 1.0
    assert get("signalfire_delivery_oldest_pending_seconds", {"queue": "pending"}) == 0.0
