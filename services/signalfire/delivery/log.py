"""The notification log: which (alert, destination) pairs were delivered.

Like Alertmanager's nflog it is written ONLY after a successful send, and checked
before every send: a restart, a redelivered Kafka message or a re-sent article never
notifies twice, and a partly failed alert retries only the destinations that failed.
Backed by any MutableMapping (a faust Table in the worker, a dict in tests and the CLI).
"""

from __future__ import annotations

from collections.abc import MutableMapping
from datetime import datetime

import orjson

Store = MutableMapping[str, bytes | str]


def log_key(alert_id: str, destination: str) -> str:
    return f"{alert_id}|{destination}"


class DeliveryLog:
    def __init__(self, store: Store | None = None) -> None:
        self._store: Store = store if store is not None else {}

    def was_sent(self, alert_id: str, destination: str) -> bool:
        return log_key(alert_id, destination) in self._store

    def sent_at(self, alert_id: str, destination: str) -> datetime | None:
        raw = self._store.get(log_key(alert_id, destination))
        if raw is None:
            return None
        return datetime.fromisoformat(str(orjson.loads(raw)["at"]))

    def mark_sent(self, alert_id: str, destination: str, at: datetime, via: str = "alert") -> None:
        """Call only after the destination accepted the message. `via` says whether it
        went out alone or inside a digest."""
        self._store[log_key(alert_id, destination)] = orjson.dumps(
            {"at": at.isoformat(), "via": via}
        )
