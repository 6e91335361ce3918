"""Readiness: the three conditions the stream reports, read by `/readyz` and `/metrics`.

Ready means the worker does what it is there for: its partitions are assigned, its tables
recovered (so a correlate or dispatch decision sees all state) and its producer connected (so
outputs can be acknowledged). The stream sets each condition as it changes, from its event
loop; the ops server reads them from its own thread, hence the lock.
"""

from __future__ import annotations

import threading

from signalfire.ops.metrics import METRICS, READY_CONDITIONS, Metrics, ReadyCondition


class Readiness:
    """Thread-safe readiness conditions, mirrored into the `signalfire_worker_ready*`
    gauges. Every condition starts false; `stopping()` makes the worker unready for good."""

    def __init__(self, metrics: Metrics | None = METRICS) -> None:
        self._lock = threading.Lock()
        self._conditions: dict[ReadyCondition, bool] = dict.fromkeys(READY_CONDITIONS, False)
        self._stopping = False
        self._metrics = metrics
        self._publish()

    def set(self, condition: ReadyCondition, held: bool) -> None:
        """Record one condition (unknown names raise KeyError: a typo must not pass)."""
        if condition not in self._conditions:
            raise KeyError(condition)
        with self._lock:
            if self._conditions[condition] == held:
                return
            self._conditions[condition] = held
        self._publish()

    def partitions_assigned(self, held: bool = True) -> None:
        """After a rebalance completed (True) or when one starts (False)."""
        self.set("partitions_assigned", held)

    def tables_recovered(self, held: bool = True) -> None:
        """When table recovery finished (True) or restarts after a rebalance (False)."""
        self.set("tables_recovered", held)

    def producer_connected(self, held: bool = True) -> None:
        """When the producer connected or a send succeeded (True), or sends fail (False)."""
        self.set("producer_connected", held)

    def stopping(self) -> None:
        """On SIGTERM: unready from now on, whatever the conditions say."""
        with self._lock:
            self._stopping = True
        self._publish()

    def snapshot(self) -> tuple[bool, dict[str, bool]]:
        """(ready, conditions) as one consistent reading."""
        with self._lock:
            conditions: dict[str, bool] = {str(k): v for k, v in self._conditions.items()}
            ready = all(conditions.values()) and not self._stopping
            if self._stopping:
                conditions["not_stopping"] = False
        return ready, conditions

    def _publish(self) -> None:
        if self._metrics is None:
            return
        with self._lock:
            conditions = dict(self._conditions)
            stopping = self._stopping
        self._metrics.set_ready(conditions)
        if stopping:
            self._metrics.worker_ready.set(0)
