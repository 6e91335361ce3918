"""Hot reload: edits take effect, broken edits keep the last good watchlist, fixes recover."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from signalfire.rules.errors import WatchlistError
from signalfire.rules.loader import LoadedWatchlist
from signalfire.rules.reload import WatchlistHolder

T0 = datetime(2026, 3, 13, tzinfo=UTC)
GOOD = "version: 1\nsubscribers:\n  - {id: desk, notify: ['json://127.0.0.1:8765/hook']}\n"


def with_rule(rule_id: str) -> str:
    return GOOD + f"rules:\n  - {{id: {rule_id}, when: {{min_impact: 3}}, notify: [desk]}}\n"


class FakeFiles:
    """In-memory stat/read: each write bumps the mtime, like a real editor save."""

    def __init__(self) -> None:
        self.content: dict[Path, bytes] = {}
        self.mtime: dict[Path, int] = {}
        self.reads = 0

    def write(self, path: Path, text: str, *, touch: bool = True) -> None:
        self.content[path] = text.encode()
        self.mtime[path] = self.mtime.get(path, 0) + (1 if touch else 0)

    def stat(self, path: Path) -> tuple[int, int]:
        if path not in self.content:
            raise FileNotFoundError(2, "No such file or directory")
        return (self.mtime[path], len(self.content[path]))

    def read(self, path: Path) -> bytes:
        self.reads += 1
        if path not in self.content:
            raise FileNotFoundError(2, "No such file or directory")
        return self.content[path]


@pytest.fixture
def files() -> FakeFiles:
    return FakeFiles()


def holder(files: FakeFiles, path: Path) -> WatchlistHolder:
    return WatchlistHolder([path], {}, interval=timedelta(0), stat=files.stat, read=files.read)


def rule_ids(h: WatchlistHolder) -> list[str]:
    return [r.id for r in h.current.watchlist.rules]


def test_unchanged_files_are_not_read_again(files: FakeFiles) -> None:
    """Same mtime and size: no read, no re-validation."""
    path = Path("w.yaml")
    files.write(path, with_rule("a"))
    h = holder(files, path)
    reads = files.reads
    assert h.maybe_reload(T0).status == "unchanged"
    assert files.reads == reads


def test_edit_takes_effect(files: FakeFiles) -> None:
    """A valid edit replaces the watchlist and reports `reloaded`."""
    path = Path("w.yaml")
    files.write(path, with_rule("a"))
    h = holder(files, path)
    files.write(path, with_rule("b"))
    result = h.maybe_reload(T0)
    assert result.status == "reloaded" and rule_ids(h) == ["b"] and result.loaded is h.current


def test_broken_edit_keeps_last_good_then_fix_applies(files: FakeFiles) -> None:
    """A broken edit is reported once with its problems; the old rules stay until fixed."""
    path = Path("w.yaml")
    files.write(path, with_rule("a"))
    h = holder(files, path)
    files.write(path, with_rule("a").replace("min_impact: 3", "min_impact: 11"))
    result = h.maybe_reload(T0)
    assert result.status == "failed" and rule_ids(h) == ["a"]
    assert [str(p) for p in result.problems] == [
        "w.yaml:5:32: rules[0].when.min_impact: must be between 1 and 10 (got 11)"
    ]
    assert h.maybe_reload(T0).status == "unchanged"  # not re-reported on every tick
    files.write(path, with_rule("fixed"))
    assert h.maybe_reload(T0).status == "reloaded" and rule_ids(h) == ["fixed"]


def test_touch_without_change_is_not_a_reload(files: FakeFiles) -> None:
    """A new mtime with the same content hashes the same: nothing to do."""
    path = Path("w.yaml")
    files.write(path, with_rule("a"))
    h = holder(files, path)
    files.write(path, with_rule("a"))
    assert h.maybe_reload(T0).status == "unchanged"


def test_deleted_file_keeps_last_good(files: FakeFiles) -> None:
    """A vanished file is a failed reload, not an empty watchlist."""
    path = Path("w.yaml")
    files.write(path, with_rule("a"))
    h = holder(files, path)
    del files.content[path]
    result = h.maybe_reload(T0)
    assert result.status == "failed" and "cannot read" in result.problems[0].message
    assert rule_ids(h) == ["a"]


def test_checks_at_most_once_per_interval(files: FakeFiles) -> None:
    """Within `interval` of the last check, edits wait for the next check."""
    path = Path("w.yaml")
    files.write(path, with_rule("a"))
    h = WatchlistHolder([path], {}, interval=timedelta(seconds=5), stat=files.stat, read=files.read)
    assert h.maybe_reload(T0).status == "unchanged"
    files.write(path, with_rule("b"))
    assert h.maybe_reload(T0 + timedelta(seconds=4)).status == "unchanged"
    assert h.maybe_reload(T0 + timedelta(seconds=5)).status == "reloaded"


def test_invalid_at_start_raises(files: FakeFiles) -> None:
    """The service must not start without a valid watchlist."""
    path = Path("w.yaml")
    files.write(path, "version: 2\n")
    with pytest.raises(WatchlistError, match="unsupported version"):
        holder(files, path)


def test_new_file_in_directory_is_picked_up(tmp_path: Path) -> None:
    """With real files: a file added to a watched directory is loaded on the next check."""
    (tmp_path / "a.yaml").write_text(GOOD)
    h = WatchlistHolder([tmp_path], {}, interval=timedelta(0))
    (tmp_path / "b.yaml").write_text(
        "version: 1\nrules:\n  - {id: b, when: {min_impact: 3}, notify: [desk]}\n"
    )
    assert h.maybe_reload(T0).status == "reloaded" and rule_ids(h) == ["b"]
    assert len(h.current.files) == 2


# --- off-loop reloads: prepare + commit, reload_if_changed, entity files ----------------------


def test_prepare_changes_nothing_until_commit(files: FakeFiles) -> None:
    """`prepare` validates an edit (and builds for it) without touching what is in effect;
    `commit` swaps it in and hands over what was built."""
    path = Path("w.yaml")
    files.write(path, with_rule("a"))
    h = holder(files, path)
    files.write(path, with_rule("b"))
    prepared = h.prepare(build=lambda loaded: [r.id for r in loaded.watchlist.rules])
    assert prepared.status == "reloaded" and rule_ids(h) == ["a"]
    result = h.commit(prepared)
    assert result.status == "reloaded" and rule_ids(h) == ["b"] and result.built == ["b"]
    assert h.commit(h.prepare()).status == "unchanged"


def test_a_stale_prepared_result_is_dropped(files: FakeFiles) -> None:
    """A result prepared against a watchlist no longer in effect is not committed."""
    path = Path("w.yaml")
    files.write(path, with_rule("a"))
    h = holder(files, path)
    files.write(path, with_rule("b"))
    first = h.prepare()
    assert h.commit(h.prepare()).status == "reloaded"
    files.write(path, with_rule("c"))
    assert h.commit(first).status == "unchanged" and rule_ids(h) == ["b"]


async def test_reload_if_changed_validates_and_builds_in_a_thread(files: FakeFiles) -> None:
    """The slow part runs off the event loop's thread; a broken edit then keeps the last good
    watchlist and builds nothing."""
    path = Path("w.yaml")
    files.write(path, with_rule("a"))
    h = holder(files, path)
    loop_thread = threading.get_ident()
    threads: list[int] = []

    def build(loaded: LoadedWatchlist) -> str:
        threads.append(threading.get_ident())
        return "analyzer for " + ",".join(r.id for r in loaded.watchlist.rules)

    files.write(path, with_rule("b"))
    result = await h.reload_if_changed(T0, build)
    assert result.status == "reloaded" and result.built == "analyzer for b"
    assert threads and threads[0] != loop_thread
    files.write(path, "version: 2\n")
    result = await h.reload_if_changed(T0 + timedelta(seconds=1), build)
    assert result.status == "failed" and result.built is None and rule_ids(h) == ["b"]
    assert len(threads) == 1


def test_an_edited_entity_file_is_reloaded(tmp_path: Path) -> None:
    """Entity files are watched like the watchlist: editing only the CSV reloads it, a broken
    CSV keeps the last good entities."""
    (tmp_path / "w.yaml").write_text(GOOD + "entity_files: [e.csv]\n")
    csv = tmp_path / "e.csv"
    csv.write_text("id,name,kind\nacme,Acme,company\n")
    h = WatchlistHolder([tmp_path / "w.yaml"], {}, interval=timedelta(0))
    assert [e.id for e in h.current.watchlist.entities] == ["acme"]
    assert h.maybe_reload(T0).status == "unchanged"
    csv.write_text("id,name,kind\nacme,Acme,company\nzeta,Zeta,company\n")
    assert h.maybe_reload(T0).status == "reloaded"
    assert [e.id for e in h.current.watchlist.entities] == ["acme", "zeta"]
    csv.write_text("id,name,kind\nacme,Acme,badkind\n")
    result = h.maybe_reload(T0)
    assert result.status == "failed" and "e.csv:2: kind: unknown entity kind" in str(
        result.problems[0]
    )
    assert len(h.current.watchlist.entities) == 2
    assert h.maybe_reload(T0).status == "unchanged"  # reported once
