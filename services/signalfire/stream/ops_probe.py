"""Readiness, consumer lag and table recovery progress read from a running faust app.

`FaustProbe.sample` runs on the worker's event loop: the ops server schedules it there before
answering `/metrics` or `/readyz` (`OpsServer.add_sampler`), so it reads faust's state from
the thread that owns it. It does not rely on faust timers, which start only once table
recovery has completed, exactly when recovery progress and "not ready" matter.

What it reads from faust-streaming 0.15 (all of it plain attributes, none of them changed):
- partitions assigned: at least one rebalance finished (`app.rebalancing_count > 0`) and
  none is running (`app.rebalancing`);
- tables recovered: `app.tables.recovery.completed` is set and `in_recovery` is false;
- producer connected: the aiokafka producer was started and its cluster metadata lists a
  broker, and the last send did not fail (`ProducerSensor`);
- lag per assigned input partition: `consumer.highwater(tp)` (the end offset) minus where
  processing stands (`committed(tp)`): for the worker, the offset below which every message
  has durable outputs, from the Committer's ledgers (`durable_progress`); for a plain faust
  app, faust's committed offsets;
- recovery progress: `recovery.active_remaining()` (changelog records left, per partition)
  summed per table.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import faust
from faust.exceptions import ConsumerNotStarted

from signalfire.ops.metrics import METRICS, Metrics
from signalfire.ops.readiness import Readiness

Committed = Callable[[Any], int | None]


class ProducerSensor(faust.Sensor):
    """Remembers whether the last produce failed (a broker that went away shows here
    first)."""

    def __init__(self) -> None:
        super().__init__()
        self.last_send_failed = False

    def on_send_completed(self, producer: Any, state: Any, metadata: Any) -> None:
        self.last_send_failed = False

    def on_send_error(self, producer: Any, exc: BaseException, state: Any) -> None:
        self.last_send_failed = True


def _faust_committed(app: Any) -> Committed:
    def committed(tp: Any) -> int | None:
        consumer = app._consumer
        offsets = getattr(consumer, "_committed_offset", None) if consumer else None
        value = offsets.get(tp) if offsets is not None else None
        return int(value) if value is not None else None

    return committed


def durable_progress(committer: Any) -> Committed:
    """Where each input partition stands for the worker: the offset below which every message
    has durable outputs (`OffsetLedger`'s `done`; the commit follows it within
    SIGNALFIRE_COMMIT_INTERVAL), None for a partition the ledgers do not know."""

    def position(tp: Any) -> int | None:
        source = committer.sources.get(tp.topic)
        done = source.ledger.done(tp) if source is not None else None
        return int(done) if done is not None else None

    return position


class FaustProbe:
    """Samples one faust app into a Readiness and the metrics."""

    def __init__(
        self,
        app: Any,
        readiness: Readiness,
        metrics: Metrics = METRICS,
        *,
        committed: Committed | None = None,
        sensor: ProducerSensor | None = None,
    ) -> None:
        self.app = app
        self.readiness = readiness
        self.metrics = metrics
        self.committed = committed or _faust_committed(app)
        self.sensor = sensor
        self._lag_tps: set[tuple[str, int]] = set()

    @classmethod
    def install(
        cls,
        app: Any,
        readiness: Readiness,
        metrics: Metrics = METRICS,
        *,
        committed: Committed | None = None,
    ) -> FaustProbe:
        """A probe with its producer sensor added to the app, and readiness turned off for
        good when faust starts shutting down (SIGTERM). Call before the worker runs."""
        sensor = ProducerSensor()
        app.sensors.add(sensor)

        async def stopping(sender: Any, **_: Any) -> None:
            readiness.stopping()

        app.on_before_shutdown.connect(stopping, weak=False)
        return cls(app, readiness, metrics, committed=committed, sensor=sensor)

    def sample(self) -> None:
        """Update readiness, lag and recovery from the app's current state."""
        app = self.app
        self.readiness.partitions_assigned(
            getattr(app, "rebalancing_count", 0) > 0 and not getattr(app, "rebalancing", True)
        )
        recovery = app.tables.recovery
        recovered = recovery.completed.is_set() and not recovery.in_recovery
        self.readiness.tables_recovered(recovered)
        self.readiness.producer_connected(self._producer_connected())
        self._sample_recovery(recovery)
        self._sample_lag(recovery)

    def _producer_connected(self) -> bool:
        producer = getattr(self.app, "_producer", None)
        client = getattr(getattr(producer, "_producer", None), "client", None)
        if client is None:
            return False
        if self.sensor is not None and self.sensor.last_send_failed:
            return False
        return bool(client.cluster.brokers())

    def _sample_recovery(self, recovery: Any) -> None:
        remaining: dict[str, int] = {t.name: 0 for t in self.app.tables.values()}
        for tp, left in recovery.active_remaining().items():
            table = recovery.tp_to_table.get(tp)
            if table is not None:
                remaining[table.name] = remaining.get(table.name, 0) + max(0, int(left))
        self.metrics.set_table_recovery(remaining, active=bool(recovery.in_recovery))

    def _sample_lag(self, recovery: Any) -> None:
        consumer = getattr(self.app, "_consumer", None)
        if consumer is None:
            return
        try:
            assignment = consumer.assignment()
        except ConsumerNotStarted:  # start-up: nothing assigned yet
            return
        changelogs = set(self.app.tables.changelog_topics)
        seen: set[tuple[str, int]] = set()
        for tp in assignment:
            if tp.topic in changelogs:
                continue
            end = consumer.highwater(tp)
            committed = self.committed(tp)
            if end is None or committed is None:
                continue
            self.metrics.set_consumer_lag(tp.topic, tp.partition, int(end) - committed)
            seen.add((tp.topic, tp.partition))
        self.metrics.forget_partitions(self._lag_tps - seen)
        self._lag_tps = seen


def worker_sampler(worker: Any, metrics: Metrics = METRICS) -> Callable[[], None]:
    """A sampler for state the worker keeps anyway: the watchlist generation and last reload
    result (`LiveWatchlist`), and the delivery outbox's depth and oldest pending age
    (`DeliveryService`). Counters (processed, dead-lettered, sent...) are counted where they
    happen instead (docs/notes/ops.md, call sites)."""

    def sample() -> None:
        live = worker.live
        metrics.watchlist_generation.set(live.generation)
        metrics.watchlist_last_reload_success.set(0 if live.last_reload == "failed" else 1)
        delivery = worker.delivery
        age = delivery.oldest_pending_age()
        metrics.set_delivery_queue("pending", delivery.queue_depth(), age or 0.0)

    return sample
