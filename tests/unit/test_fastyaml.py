"""The libyaml fast path reads what ruamel's round-trip parser reads, and places what it places."""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from signalfire.files import fastyaml
from signalfire.files.yamldoc import Doc, _parse_rt, parse

ROOT = Path(__file__).resolve().parents[2]
FILES = [
    ROOT / "deploy/watchlists/example.yaml",
    ROOT / "tests/data/dev-watchlist.yaml",
    ROOT / "tests/data/holdout-watchlist.yaml",
    ROOT / "tests/data/gazetteer-min.yaml",
]
SCALARS = """\
version: 1
a: [NO, no, yes, On, true, False, TRUE, ~, null, Null, 0, -3, +4, 12, 1.5, -2.5e3, .5, 1., 7e2]
b: {"quoted 1": "1", 'x': 'y', plain words: here and there, dash: -, dot: .}
c:
  - - nested
    - {k: v}
  - |
    literal
    block
  - >
    folded
    text
d:
e: last
"""


def all_paths(data: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [path]
    if isinstance(data, dict):
        for k, v in data.items():
            out += all_paths(v, (*path, k))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            out += all_paths(v, (*path, i))
    return out


def rt(text: str) -> Doc:
    doc, problems = _parse_rt(text, file="f", env={})
    assert doc is not None and problems == []
    return doc


@pytest.mark.parametrize("text", [SCALARS, *(f.read_text() for f in FILES)])
def test_same_data_and_positions_as_ruamel(text: str) -> None:
    """Values (YAML 1.2: NO is a string, yes is a string) and the 1-based key and value
    positions of every path equal those of ruamel's round-trip parser."""
    slow = rt(text)
    fast, problems = parse(text, file="f", env={"SMTP_PASSWORD": "pw"} if "${" in text else {})
    assert fast is not None and fast.fast and problems == []
    if "${" not in text:
        assert fast.data == slow.data
        assert [type(v) for v in _leaves(fast.data)] == [type(v) for v in _leaves(slow.data)]
    paths = all_paths(slow.data)
    for path in paths:
        fast.pos(path)
        fast.pos(path, key=True)
    assert fast.locate()
    for path in paths:
        assert fast.pos(path) == slow.pos(path), path
        assert fast.pos(path, key=True) == slow.pos(path, key=True), path


def _leaves(data: Any) -> list[Any]:
    if isinstance(data, dict):
        return [x for v in data.values() for x in _leaves(v)]
    if isinstance(data, list):
        return [x for v in data for x in _leaves(v)]
    return [data]


@pytest.mark.parametrize(
    "text",
    [
        "%YAML 1.1\n---\na: NO\n",  # YAML 1.1 semantics
        "a: &x 1\nb: *x\n",  # anchors and aliases
        "a: !!str 5\n",  # tags
        "a: 1\na: 2\n",  # duplicate key: ruamel words the error
        "a: {b: 1\n",  # syntax error: ruamel words it
        "a: 2001-12-14\n",  # timestamp
        "a: 0x1F\nb: 1_000\nc: 017\n",  # numbers whose construction is ruamel's
        "a: .inf\n",
        "<<: {a: 1}\n",  # merge key
        "a: 1\n---\nb: 2\n",  # two documents
        "? [a, b]\n: c\n",  # a complex key
    ],
)
def test_what_the_fast_path_leaves_to_ruamel(text: str) -> None:
    """Whatever the fast path would not read exactly as ruamel does is refused (NotFast)."""
    with pytest.raises(fastyaml.NotFast):
        fastyaml.load(text)


def test_packaged_data_reads_the_same() -> None:
    """The packaged reference data (gazetteer, countries, FX, weights) parses to exactly what
    ruamel's safe loader gives, so moving it to the fast path changed no value."""
    data = resources.files("signalfire").joinpath("data")
    names = [p.name for p in data.iterdir() if p.name.endswith(".yaml")]
    assert "gazetteer.yaml" in names
    for name in names:
        text = data.joinpath(name).read_text("utf-8")
        assert fastyaml.load(text) == YAML(typ="safe", pure=True).load(text), name


def test_positions_are_found_only_when_asked() -> None:
    """A fast-path document answers (0, 0) for a place not yet searched and notes it; one
    `locate` pass then finds exactly those places (and their ancestors)."""
    doc, _ = parse("version: 1\nrules:\n  - id: a\n    when: {min_impact: 3}\n", file="f", env={})
    assert doc is not None and doc.value_pos == {}
    assert doc.pos(("rules", 0, "when", "min_impact")) == (0, 0)
    assert doc.pos(("rules", 0, "when", "missing"), key=True) == (0, 0)
    assert doc.locate() and not doc.locate()
    assert doc.pos(("rules", 0, "when", "min_impact")) == (4, 24)
    assert doc.pos(("rules", 0, "when", "missing"), key=True) == (4, 5)  # nearest ancestor key
    assert ("version",) not in doc.value_pos


BROKEN = """\
version: 1
entities:
  - {id: Bad, name: X, kind: compnay, country: no}
  - id: ok
    name: OK
    kind: company
    colour: red
subscribers:
  - id: desk
    notify: ["json://${UNSET_TOKEN}@h"]
    digest: weekly
rules:
  - id: r1
    when: {min_impact: 11, event_types: [contrcat], entities: {any: [romarn]}}
    notify: [desk, dsk]
  - id: r1
    when:
      minimpact: 3
    notify: [desk]
"""


def test_fast_and_slow_paths_report_the_same_problems(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every kind of problem, worded and placed identically whether the file took the fast
    path (positions found afterwards) or ruamel's (positions recorded while parsing)."""
    from signalfire.rules.errors import WatchlistError
    from signalfire.rules.loader import parse_watchlist

    def found() -> list[str]:
        with pytest.raises(WatchlistError) as info:
            parse_watchlist(BROKEN, file="w.yaml", env={}, known_entity_ids=["romarm"])
        return [str(p) for p in info.value.problems]

    fast = found()

    def refuse(text: str) -> Any:
        raise fastyaml.NotFast("forced")

    monkeypatch.setattr(fastyaml, "load", refuse)
    slow = found()
    assert fast == slow and len(fast) >= 10
    assert not any(":0:0:" in p for p in fast)
