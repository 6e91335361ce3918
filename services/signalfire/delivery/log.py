"""The notification log: which (alert, destination) pairs were delivered.

Like Alertmanager's nflog it is written ONLY after a successful send, and checked
before every send: a restart, a redelivered Kafka message or a re-sent article never
notifies twice, and a partly failed alert retries only the destinations that failed.
Backed by any MutableMapping (a faust Table in the worker, a dict in tests and the CLI).
"""

from __future__ import annotations

from collections.abc import Awaitable, MutableMapping
from datetime import datetime
from typing import Any, Protocol, runtime_checkable

import orjson

Store = MutableMapping[str, bytes | str]


@runtime_checkable
class ConfirmingStore(Protocol):
    """A store that can say when one write is durable (a faust table: its changelog ack)."""

    def set_confirmed(self, key: str, value: bytes) -> Awaitable[Any]: ...


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

    def mark_sent(
        self, alert_id: str, destination: str, at: datetime, via: str = "alert"
    ) -> Awaitable[Any] | None:
        """Call only after the destination accepted the message. `via` says whether it
        went out alone or inside a digest. Returns the durability of the mark when the store
        can tell (await it before the next send: a crash before it resolves is the one
        moment a notification can be repeated)."""
        key, value = (
            log_key(alert_id, destination),
            orjson.dumps({"at": at.isoformat(), "via": via}),
        )
        if isinstance(self._store, ConfirmingStore):
            return self._store.set_confirmed(key, value)
        self._store[key] = value
        return None
