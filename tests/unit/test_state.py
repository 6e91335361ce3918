"""State adapters that let the pure core keep its state in faust tables."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from signalfire.models.story import StoryState
from signalfire.stream.state import ModelMapping, StagedMapping, StrMapping

T0 = datetime(2026, 1, 1, tzinfo=UTC)


def story(sid: str, impact: int = 1) -> StoryState:
    return StoryState(story_id=sid, impact=impact, first_seen=T0, last_seen=T0)


def test_model_mapping_round_trips_through_bytes() -> None:
    """Values are stored as JSON bytes under byte keys, and read back equal."""
    backing: dict[bytes, bytes] = {}
    m = ModelMapping(backing, StoryState)
    m["s-1"] = story("s-1", 7)
    assert isinstance(backing[b"s-1"], bytes)
    assert m["s-1"].impact == 7 and "s-1" in m and list(m) == ["s-1"] and len(m) == 1
    del m["s-1"]
    assert "s-1" not in m and backing == {}


def test_str_mapping() -> None:
    """str->str over bytes->bytes."""
    backing: dict[bytes, bytes] = {}
    m = StrMapping(backing)
    m["a"] = "s-1"
    assert backing == {b"a": b"s-1"} and m["a"] == "s-1"


def test_staged_writes_are_invisible_to_backing_until_flush() -> None:
    """Staged state is readable at once but reaches the table only on flush."""
    backing: dict[str, str] = {"old": "1"}
    staged: StagedMapping[str] = StagedMapping(backing)  # type: ignore[type-var]
    staged["new"] = "2"
    del staged["old"]
    assert staged.get("new") == "2" and "old" not in staged
    assert backing == {"old": "1"}
    assert sorted(staged) == ["new"] and len(staged) == 1
    assert staged.flush() == 2
    assert backing == {"new": "2"}


def test_discard_forgets_staged() -> None:
    """A failed event's staged changes can be dropped, leaving the table untouched."""
    backing: dict[str, str] = {"k": "v"}
    staged: StagedMapping[str] = StagedMapping(backing)  # type: ignore[type-var]
    staged["k"] = "changed"
    staged.discard()
    assert staged["k"] == "v" and backing == {"k": "v"}
    with pytest.raises(KeyError):
        del staged["missing"]
