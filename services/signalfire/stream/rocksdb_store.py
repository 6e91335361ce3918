"""faust's RocksDB table store, made usable for writes outside an agent's event.

faust-streaming 0.15's `rocksdb://` store picks the partition database for a write from the
event being processed (`current_event().message.partition`) and asserts there is one, so a
table written from a timer (the digest flush) or a background task fails with a bare
AssertionError, where the in-memory store works. Every signalfire table has one partition,
so such a write belongs to partition 0: this store does exactly that, and says clearly when a
multi-partition table is written outside an event. Everything else (per-partition RocksDB
files under the data dir, the persisted changelog offset) is faust's.

Registered as the faust store scheme `signalfire-rocksdb` (entry point `faust.stores` in
pyproject.toml); `store_url` maps `SIGNALFIRE_STORE` to it.
"""

from __future__ import annotations

from typing import Any

from faust.stores.rocksdb import Store as RocksDBStore
from faust.streams import current_event

from signalfire.settings import Settings

SCHEME = "signalfire-rocksdb"
# faust's defaults are sized for big tables: a 2 GiB block cache and 3 x 64 MiB memtables per
# table partition, so five tables could take gigabytes. Ours are small (stories: ~2 KB each);
# these keep a worker within a few hundred MB. A table's own `options` still win.
DEFAULT_OPTIONS: dict[str, int] = {
    "write_buffer_size": 8 * 1024**2,
    "max_write_buffer_number": 2,
    "block_cache_size": 32 * 1024**2,
}


def store_url(settings: Settings) -> str:
    """The faust `store=` URL for SIGNALFIRE_STORE (`memory://` or this module's RocksDB)."""
    return f"{SCHEME}://" if settings.store == "rocksdb://" else settings.store


class Store(RocksDBStore):
    """RocksDB store; writes without a current event go to partition 0 of a one-partition
    table; smaller memory defaults (`DEFAULT_OPTIONS`)."""

    def __init__(
        self, url: Any, app: Any, table: Any, *, options: dict[str, Any] | None = None, **kw: Any
    ) -> None:
        super().__init__(url, app, table, options={**DEFAULT_OPTIONS, **(options or {})}, **kw)

    def _set(self, key: bytes, value: bytes | None) -> None:
        if current_event() is not None:
            super()._set(key, value)
            return
        partitions: Any = self.table.partitions or self.app.conf.topic_partitions
        if partitions != 1:
            raise RuntimeError(
                f"table {self.table.name!r} ({partitions} partitions) written outside an "
                "agent's event: RocksDB cannot tell which partition the key belongs to"
            )
        self._key_index[key] = 0
        self._db_for_partition(0).put(key, value)
