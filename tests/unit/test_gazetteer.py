"""Tests for the built-in gazetteer and its watchlist extension."""

from __future__ import annotations

from pathlib import Path

import pytest
from ruamel.yaml import YAML

from signalfire.analysis.entities import find_entities
from signalfire.analysis.gazetteer import Gazetteer, alias_variants
from signalfire.models.entity import Entity

MIN = Path(__file__).resolve().parents[1] / "data" / "gazetteer-min.yaml"


@pytest.fixture(scope="module")
def builtin() -> Gazetteer:
    return Gazetteer.load_builtin()


def _min_entities() -> list[dict[str, object]]:
    doc = YAML(typ="safe").load(MIN.read_text("utf-8"))
    return list(doc["entities"])


def test_builtin_is_large(builtin: Gazetteer) -> None:
    """The built-in gazetteer holds at least 400 real entities."""
    assert len(builtin) >= 400


def test_builtin_contains_every_min_id_with_its_aliases(builtin: Gazetteer) -> None:
    """Every label id of gazetteer-min exists with the same kind, country and aliases."""
    for raw in _min_entities():
        entity = builtin.get(str(raw["id"]))
        assert entity is not None, raw["id"]
        assert entity.kind == raw["kind"]
        assert entity.country == raw.get("country")
        names = {entity.name, *entity.aliases}
        assert {str(raw["name"]), *map(str, raw["aliases"])} <= names  # type: ignore[call-overload]


def test_parents_and_ambiguous_aliases_are_consistent(builtin: Gazetteer) -> None:
    """Parents point at known ids; ambiguous aliases are aliases and come with context."""
    for entity in builtin:
        assert entity.parent is None or entity.parent in builtin, entity.id
        for alias in entity.ambiguous:
            assert alias in {entity.name, *entity.aliases}, (entity.id, alias)
        if entity.ambiguous and entity.id != "nato":
            assert any(not c.startswith("!") for c in entity.context), entity.id


def test_no_alias_is_shared_by_two_builtin_entities(builtin: Gazetteer) -> None:
    """An alias names one entity only (case-variants like HAWK/Hawk aside)."""
    seen: dict[str, str] = {}
    for entity in builtin:
        for alias in {entity.name, *entity.aliases}:
            other = seen.setdefault(alias, entity.id)
            assert other == entity.id, (alias, other, entity.id)


def test_watchlist_adds_alias_to_existing_id() -> None:
    """A watchlist entity with a known id extends it: new alias matches, old ones still do."""
    extra = Entity(id="romarm", name="ROMARM", kind="company", aliases=["CN Romarm SA Group"])
    gaz = Gazetteer.load_builtin([extra])
    entity = gaz.get("romarm")
    assert entity is not None and "CN Romarm SA Group" in entity.aliases
    assert entity.country == "RO"
    text = "CN Romarm SA Group and Romarm signed."
    assert [m.id for m in find_entities(text, gaz)] == ["romarm", "romarm"]


def test_watchlist_adds_new_entity() -> None:
    """A new watchlist id becomes matchable; the built-in entities stay."""
    extra = Entity(id="acme-arms", name="Acme Arms", kind="company", country="RO")
    gaz = Gazetteer.load_builtin([extra])
    assert "acme-arms" in gaz and "rheinmetall" in gaz
    ids = [m.id for m in find_entities("Acme Arms wins order from Rheinmetall", gaz)]
    assert ids == ["acme-arms", "rheinmetall"]


def test_from_entities_holds_exactly_those() -> None:
    """from_entities builds a gazetteer of only the given entities."""
    gaz = Gazetteer.from_entities([Entity(id="x", name="Xylo Corp", kind="company")])
    assert len(gaz) == 1 and gaz.get("rheinmetall") is None
    assert gaz.ids() == frozenset({"x"})


def test_alias_variants_cover_hyphen_and_digit_forms() -> None:
    """F-16 is matchable as F16 and F 16 (hyphens are spaces in match keys)."""
    assert {"f 16", "f16"} <= alias_variants("F-16")


def test_large_gazetteer_builds_and_matches() -> None:
    """20,000 extra entities build quickly and do not change what an article matches."""
    extra = [
        Entity(id=f"gen-{i}", name=f"Genco {i} Holdings", kind="company", aliases=[f"GC{i}X"])
        for i in range(20_000)
    ]
    gaz = Gazetteer.load_builtin(extra)
    assert len(gaz) >= 20_400
    ids = [m.id for m in find_entities("Genco 19999 Holdings and Saab sign", gaz)]
    assert ids == ["gen-19999", "saab"]


def test_builtin_ids_match_the_builtin_gazetteer() -> None:
    """builtin_ids() (used to validate watchlist references without building an automaton)
    gives exactly the built-in gazetteer's ids."""
    from signalfire.analysis.gazetteer import builtin_ids

    assert builtin_ids() == Gazetteer.load_builtin().ids()
