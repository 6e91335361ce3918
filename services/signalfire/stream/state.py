"""Adapters that let the pure core keep its state in faust tables.

The core (story index, delivery log) is written against `MutableMapping[str, Model]`; a faust
Table of raw bytes is a `MutableMapping[bytes, bytes]`. `ModelMapping` converts at the edge, so
the same core code runs over a dict in the CLI and over a changelog-backed table in the worker.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator, MutableMapping
from typing import Any, Generic, TypeVar, cast

from pydantic import BaseModel

M = TypeVar("M", bound=BaseModel)
V = TypeVar("V")


class _EncodedKeys(MutableMapping[str, V], Generic[V]):
    """str keys over a bytes-keyed mapping (a faust Table with raw serializers)."""

    def __init__(self, backing: MutableMapping[Any, Any]) -> None:
        self._backing = backing

    def __delitem__(self, key: str) -> None:
        del self._backing[key.encode()]

    def __iter__(self) -> Iterator[str]:
        for key in list(self._backing.keys()):
            yield key.decode() if isinstance(key, bytes) else str(key)

    def __len__(self) -> int:
        return len(self._backing)

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and key.encode() in self._backing


class ModelMapping(_EncodedKeys[M], Generic[M]):
    """str -> pydantic model view over a bytes -> bytes mapping (JSON values)."""

    def __init__(self, backing: MutableMapping[Any, Any], model: type[M]) -> None:
        super().__init__(backing)
        self._model = model

    def __getitem__(self, key: str) -> M:
        return self._model.model_validate_json(self._backing[key.encode()])

    def __setitem__(self, key: str, value: M) -> None:
        self._backing[key.encode()] = value.model_dump_json().encode()


class StrMapping(_EncodedKeys[str]):
    """str -> str view over a bytes -> bytes mapping."""

    def __getitem__(self, key: str) -> str:
        value = self._backing[key.encode()]
        return value.decode() if isinstance(value, bytes) else str(value)

    def __setitem__(self, key: str, value: str) -> None:
        self._backing[key.encode()] = value.encode()


_DELETED = object()


class StagedMapping(MutableMapping[str, V], Generic[V]):
    """Reads see staged writes; `flush()` applies them to the backing mapping.

    The correlate agent stages story updates, produces its outputs, waits for the broker's
    acknowledgement and only then flushes. If the worker dies in between, the input offset is
    not committed and the state not written, so the replay produces the outputs again
    (at-least-once) instead of finding the article already "seen" and staying silent.
    """

    def __init__(self, backing: MutableMapping[str, V]) -> None:
        self._backing = backing
        self._staged: dict[str, object] = {}

    def __getitem__(self, key: str) -> V:
        if key in self._staged:
            value = self._staged[key]
            if value is _DELETED:
                raise KeyError(key)
            return value  # type: ignore[return-value]
        return self._backing[key]

    def __setitem__(self, key: str, value: V) -> None:
        self._staged[key] = value

    def __delitem__(self, key: str) -> None:
        if key not in self:
            raise KeyError(key)
        self._staged[key] = _DELETED

    def __contains__(self, key: object) -> bool:
        if isinstance(key, str) and key in self._staged:
            return self._staged[key] is not _DELETED
        return key in self._backing

    def __iter__(self) -> Iterator[str]:
        for key in self._backing:
            if self._staged.get(key) is not _DELETED:
                yield key
        for key, value in list(self._staged.items()):
            if value is not _DELETED and key not in self._backing:
                yield key

    def __len__(self) -> int:
        return sum(1 for _ in self)

    def flush(self) -> int:
        """Write staged changes through; returns how many keys changed."""
        staged, self._staged = self._staged, {}
        for key, value in staged.items():
            if value is _DELETED:
                self._backing.pop(key, None)
            else:
                self._backing[key] = value  # type: ignore[assignment]
        return len(staged)

    def discard(self) -> None:
        """Forget staged changes (the outputs could not be produced)."""
        self._staged.clear()

    def savepoint(self) -> dict[str, object]:
        """The staged changes so far, to roll back to if the next step fails."""
        return dict(self._staged)

    def rollback(self, savepoint: dict[str, object]) -> None:
        self._staged = dict(savepoint)

    @property
    def pending(self) -> int:
        return len(self._staged)


class UnitOfWork:
    """One batch of correlation as a transaction over staged tables: each article is a step
    that either keeps its changes or is rolled back alone (its error dead-letters it), and
    the whole batch is written to the tables only after its outputs are acknowledged, so a
    crash in between replays the articles instead of finding them already "seen".

    `on_rollback` drops caches built over the staged state (the story index)."""

    def __init__(self, mappings: list[StagedMapping[Any]], on_rollback: Callable[[], None]) -> None:
        self._mappings = mappings
        self._on_rollback = on_rollback
        self._savepoints: list[dict[str, object]] = []

    def begin_step(self) -> None:
        self._savepoints = [m.savepoint() for m in self._mappings]

    def rollback_step(self) -> None:
        for mapping, savepoint in zip(self._mappings, self._savepoints, strict=True):
            mapping.rollback(savepoint)
        self._on_rollback()

    def commit(self) -> int:
        """Write every staged change through to the tables; returns how many keys changed."""
        return sum(m.flush() for m in self._mappings)

    def rollback(self) -> None:
        """Forget the whole batch's changes (it will be replayed)."""
        for mapping in self._mappings:
            mapping.discard()
        self._on_rollback()


class BytesKeyMapping(_EncodedKeys[bytes | str]):
    """str keys over a bytes-keyed table; values stored as bytes (str values are encoded)."""

    def __getitem__(self, key: str) -> bytes | str:
        value: bytes | str = self._backing[key.encode()]
        return value

    def __setitem__(self, key: str, value: bytes | str) -> None:
        self._backing[key.encode()] = value.encode() if isinstance(value, str) else value


class ConfirmedBytesMapping(BytesKeyMapping):
    """A `BytesKeyMapping` over a faust Table that can also write one key and hand back the
    broker's acknowledgement of exactly that changelog record (`set_confirmed`), instead of
    flushing the whole producer. The delivery log uses it: the window in which a crash
    would repeat a notification is one changelog round trip after the destination said yes.
    """

    def set_confirmed(self, key: str, value: bytes) -> Awaitable[Any]:
        table: Any = self._backing
        raw = key.encode()
        fut = table.send_changelog(table.partition_for_key(raw), raw, value)
        table.data[raw] = value  # what Table.__setitem__ does, keeping the future
        return cast(Awaitable[Any], fut)
