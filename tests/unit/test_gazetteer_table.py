"""A gazetteer over an EntityTable (how watchlists arrive) matches exactly as one over models."""

from __future__ import annotations

import json
from pathlib import Path

from signalfire.analysis.entities import find_entities
from signalfire.analysis.gazetteer import Gazetteer
from signalfire.models.entity import Entity
from signalfire.models.entity_table import EntityTable

ROOT = Path(__file__).resolve().parents[2]
WATCHED = [
    Entity(id="acme-arms", name="Acme Arms", kind="company", country="RO", aliases=["ACME"]),
    Entity(id="romarm", name="Romarm", kind="company", aliases=["Uzina Romarm"]),  # extends
    Entity(id="wl-f16", name="F-16 Works", kind="program", aliases=["F16 Works", "F 16 Works"]),
    Entity(
        id="wl-bucuresti",
        name="București Arms",
        kind="company",
        aliases=["Bucuresti Arms", "Arms"],
        ambiguous=["Arms"],
        context=["factory"],
    ),
    Entity(id="wl-rheinmetall-2", name="Rheinmetall", kind="company"),  # shares a built-in key
]


def texts() -> list[str]:
    lines = (ROOT / "tests/data/dev.jsonl").read_text().splitlines()[:30]
    out = [json.loads(line)["article"]["title"] for line in lines]
    out += [json.loads(line)["article"]["body"] for line in lines]
    return [
        *out,
        "Uzina Romarm and ACME sign; F16 Works and the F-16 Works plant; Bucuresti Arms factory.",
        "Rheinmetall's Arms division",
    ]


def test_table_and_models_give_the_same_matches() -> None:
    """Same hits, aliases, offsets and entity fields for the dev texts and edge cases (an id
    that extends a built-in entity, letter-digit variants, diacritics, an ambiguous alias,
    a key shared with a built-in alias)."""
    models = Gazetteer.load_builtin(WATCHED)
    table = Gazetteer.load_builtin(EntityTable.of(WATCHED))
    assert len(models) == len(table) and models.ids() == table.ids()
    for text in texts():
        assert find_entities(text, table) == find_entities(text, models), text
    for ident in ("romarm", "acme-arms", "wl-bucuresti", "wl-f16"):
        assert table.get(ident) == models.get(ident)
    assert [e.id for e in table] == [e.id for e in models]
    assert table.ancestors("acme-arms") == models.ancestors("acme-arms") == []


def test_repeated_ids_in_a_table_merge_like_models() -> None:
    """A table that repeats an id (the loader refuses that; the gazetteer copes) merges the
    rows as it merges repeated models."""
    rows = [*WATCHED, Entity(id="acme-arms", name="Acme", kind="company", aliases=["AA Group"])]
    table, models = Gazetteer([], table=EntityTable.of(rows)), Gazetteer(rows)
    assert table.get("acme-arms") == models.get("acme-arms")
    text = "AA Group and Acme Arms"
    assert find_entities(text, table) == find_entities(text, models)
