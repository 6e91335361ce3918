"""The RocksDB table store (SIGNALFIRE_STORE=rocksdb://): found by faust through its entry
point, writable outside an agent's event for one-partition tables, persistent across a new
process on the same data dir, with memory-bounded defaults. No broker needed: faust opens
the partition databases lazily."""

from __future__ import annotations

import gc
from pathlib import Path
from typing import Any

import faust
import pytest
from faust.types import TP

from signalfire.settings import Settings
from signalfire.stream import rocksdb_store
from signalfire.stream.rocksdb_store import DEFAULT_OPTIONS, store_url


def _table(datadir: Path, *, partitions: int = 1, options: dict[str, Any] | None = None) -> Any:
    app = faust.App(
        "sf-store-test",
        broker="kafka://127.0.0.1:1",
        store=store_url(Settings(store="rocksdb://")),
        datadir=str(datadir),
        web_enabled=False,
        key_serializer="raw",
        value_serializer="raw",
    )
    return app.Table(
        "stories",
        partitions=partitions,
        use_partitioner=True,
        key_type=bytes,
        value_type=bytes,
        options=options,
    )


def test_store_url_maps_the_setting() -> None:
    """memory:// stays faust's; rocksdb:// becomes this project's store scheme."""
    assert store_url(Settings()) == "memory://"
    assert store_url(Settings(store="rocksdb://")) == "signalfire-rocksdb://"


def test_write_outside_an_event_survives_a_new_process(tmp_path: Path) -> None:
    """A write from a timer (no current event) goes to partition 0, and it and the persisted
    changelog offset are there when the store is opened again on the same data dir."""
    table = _table(tmp_path)
    assert isinstance(table.data, rocksdb_store.Store)
    table.data[b"story-1"] = b'{"sources": 3}'
    tp = TP(table.changelog_topic.get_topic_name(), 0)
    table.data.set_persisted_offset(tp, 41)
    del table
    gc.collect()
    again = _table(tmp_path)
    assert again.data.persisted_offset(tp) == 41  # opens partition 0, as an assignment would
    assert again.data[b"story-1"] == b'{"sources": 3}'


def test_multi_partition_table_outside_an_event_is_a_clear_error(tmp_path: Path) -> None:
    """Without an event a multi-partition table cannot know the key's partition: say so."""
    table = _table(tmp_path, partitions=4)
    with pytest.raises(RuntimeError, match="outside an agent's event"):
        table.data[b"k"] = b"v"


def test_memory_defaults_and_table_overrides(tmp_path: Path) -> None:
    """The small defaults apply unless a table passes its own options."""
    assert (
        _table(tmp_path / "a").data.rocksdb_options.block_cache_size
        == (DEFAULT_OPTIONS["block_cache_size"])
    )
    custom = _table(tmp_path / "b", options={"block_cache_size": 1024**2})
    assert custom.data.rocksdb_options.block_cache_size == 1024**2
    assert custom.data.rocksdb_options.write_buffer_size == DEFAULT_OPTIONS["write_buffer_size"]
