"""Checks pydantic cannot make alone: country codes, duplicate ids across files, references.

They run on the plain data of every file (even a file with other errors), so one `check` run
reports everything, and a rule is not flagged for naming a subscriber defined in a broken file."""

from __future__ import annotations

import difflib
from collections.abc import Collection, Iterator, Sequence
from functools import lru_cache
from typing import Any

import pycountry

from signalfire.files.yamldoc import DataPath, Doc
from signalfire.rules.entity_rows import EntityList
from signalfire.rules.errors import Problem

SECTIONS = {"entities": "entity", "subscribers": "subscriber", "rules": "rule"}


def is_country_path(loc: DataPath) -> bool:
    """A place `country_paths` can yield (pydantic's own errors there are replaced)."""
    return (len(loc) == 3 and loc[0] == "entities" and loc[2] == "country") or (
        len(loc) == 6 and loc[0] == "rules" and loc[2:4] == ("when", "countries")
    )


def country_paths(doc: Doc) -> Iterator[DataPath]:
    """Every place a country code can appear."""
    for i, entity in _items(doc.data, "entities"):
        if "country" in entity and entity["country"] is not None:
            yield ("entities", i, "country")
    for i, rule in _items(doc.data, "rules"):
        when = rule.get("when")
        countries = when.get("countries") if isinstance(when, dict) else None
        for mode in ("any", "all"):
            values = countries.get(mode) if isinstance(countries, dict) else None
            if isinstance(values, list):
                for j in range(len(values)):
                    yield ("rules", i, "when", "countries", mode, j)


def check_countries(doc: Doc) -> list[Problem]:
    """ISO 3166-1 alpha-2, upper-case. YAML 1.1 reads an unquoted NO as false; say so."""
    problems = []
    for path in country_paths(doc):
        value = _get(doc.data, path)
        message = country_problem(value)
        if message:
            problems.append(doc.problem(path, message))
    return problems


def country_problem(value: Any) -> str | None:
    """What is wrong with a country code, or None (cached: lists repeat the same codes)."""
    return _string_country_problem(value) if isinstance(value, str) else _country_problem(value)


@lru_cache(maxsize=512)
def _string_country_problem(value: str) -> str | None:
    return _country_problem(value)


def _country_problem(value: Any) -> str | None:
    if value is False:
        return (
            "country code must be a string, got boolean false: YAML 1.1 reads an unquoted NO "
            '(Norway) as false; quote it: "NO"'
        )
    if not isinstance(value, str):
        return 'country code must be a quoted string such as "RO" (ISO 3166-1 alpha-2)'
    if len(value) != 2 or not value.isalpha():
        return f"country code must be 2 letters, ISO 3166-1 alpha-2 (got {value!r})"
    if pycountry.countries.get(alpha_2=value.upper()) is None:
        return f"unknown country code {value!r} (ISO 3166-1 alpha-2)"
    if value != value.upper():
        return f"country codes are upper-case: write {value.upper()!r} (got {value!r})"
    return None


def check_when_not_empty(doc: Doc) -> list[Problem]:
    """A rule without conditions would fire for every story: almost surely a mistake."""
    return [
        doc.problem(("rules", i, "when"), "give at least one condition (min_impact: 1 matches all)")
        for i, rule in _items(doc.data, "rules")
        if isinstance(rule.get("when"), dict)
        and not any(v is not None for v in rule["when"].values())
    ]


def check_ids(
    docs: list[Doc],
    known_entity_ids: Collection[str] | None,
    lists: Sequence[EntityList] = (),
) -> list[Problem]:
    """Duplicate ids (naming both places) and ids used but defined nowhere. `lists` are the
    entity files, whose rows count as entities defined after their watchlist's own."""
    problems: list[Problem] = []
    # Where an id was first defined, formatted only when a duplicate needs it: finding a
    # position can take a pass over a big file.
    defined: dict[str, dict[str, _Where]] = {s: {} for s in SECTIONS}
    for doc in docs:
        for section, noun in SECTIONS.items():
            for i, item in _items(doc.data, section):
                ident = item.get("id")
                if not isinstance(ident, str):
                    continue
                path = (section, i, "id")
                if ident in defined[section]:
                    first = _place(defined[section][ident])
                    problems.append(
                        doc.problem(
                            path, f"duplicate {noun} id '{ident}' (first defined at {first})"
                        )
                    )
                else:
                    defined[section][ident] = (doc, path)
    entity_places = defined["entities"]
    for listed in lists:
        ids = listed.table.ids
        if entity_places.keys().isdisjoint(ids) and len(set(ids)) == len(ids):
            entity_places.update(zip(ids, ((listed, row) for row in range(len(ids))), strict=True))
            continue
        for row, ident in enumerate(ids):
            if ident in entity_places:
                first = _place(entity_places[ident])
                message = f"duplicate entity id '{ident}' (first defined at {first})"
                problems.append(listed.problem(listed.lines[row], "id", message))
            else:
                entity_places[ident] = (listed, row)
    subscribers = list(defined["subscribers"])
    entities = None if known_entity_ids is None else _Ids(entity_places, known_entity_ids)
    for doc in docs:
        problems += _references(doc, subscribers, entities)
    if entities is not None:
        for listed in lists:
            for row, (parent, _, _) in listed.table.rows_with_extra():
                if parent is not None and parent not in entities:
                    message = _undefined_message("entity", parent, entities)
                    problems.append(listed.problem(listed.lines[row], "parent", message))
    return problems


_Where = tuple[Doc, DataPath] | tuple[EntityList, int]


def _place(where: _Where) -> str:
    """`file:line:col` of a YAML place or `file:line` of an entity file's row."""
    if isinstance(where[0], EntityList):
        return where[0].place(int(where[1]))
    doc, path = where
    line, col = doc.pos(path)
    return f"{doc.file}:{line}:{col}"


class _Ids:
    """Entity ids defined anywhere: a set to test, a list only for suggestions."""

    def __init__(self, defined: Collection[str], known: Collection[str]) -> None:
        self._defined, self._known = defined, known

    def __contains__(self, ident: str) -> bool:
        return ident in self._defined or ident in self._known

    def names(self) -> list[str]:
        return [*self._defined, *self._known]


def _references(doc: Doc, subscribers: list[str], entities: _Ids | None) -> list[Problem]:
    problems = []
    for i, rule in _items(doc.data, "rules"):
        for j, sid in _strings(rule.get("notify")):
            if sid not in subscribers:
                problems.append(
                    _undefined(doc, ("rules", i, "notify", j), "subscriber", sid, subscribers)
                )
        when = rule.get("when")
        ents = when.get("entities") if isinstance(when, dict) else None
        if entities is None or not isinstance(ents, dict):
            continue
        for mode in ("any", "all"):
            for j, eid in _strings(ents.get(mode)):
                if eid not in entities:
                    path = ("rules", i, "when", "entities", mode, j)
                    problems.append(_undefined(doc, path, "entity", eid, entities))
    if entities is not None:
        for i, entity in _items(doc.data, "entities"):
            parent = entity.get("parent")
            if isinstance(parent, str) and parent not in entities:
                problems.append(
                    _undefined(doc, ("entities", i, "parent"), "entity", parent, entities)
                )
    return problems


def _undefined(doc: Doc, path: DataPath, noun: str, ident: str, known: list[str] | _Ids) -> Problem:
    return doc.problem(path, _undefined_message(noun, ident, known))


def _undefined_message(noun: str, ident: str, known: list[str] | _Ids) -> str:
    names = known.names() if isinstance(known, _Ids) else known
    close = difflib.get_close_matches(ident, names, n=1, cutoff=0.6)
    hint = f" (did you mean '{close[0]}'?)" if close else ""
    where = (
        "in any watchlist file" if noun == "subscriber" else "in the watchlists or the gazetteer"
    )
    return f"{noun} '{ident}' is not defined {where}{hint}"


def _items(data: Any, section: str) -> Iterator[tuple[int, dict[str, Any]]]:
    values = data.get(section) if isinstance(data, dict) else None
    if isinstance(values, list):
        for i, item in enumerate(values):
            if isinstance(item, dict):
                yield i, item


def _strings(values: Any) -> Iterator[tuple[int, str]]:
    if isinstance(values, list):
        for j, v in enumerate(values):
            if isinstance(v, str):
                yield j, v


def _get(data: Any, path: DataPath) -> Any:
    for part in path:
        data = data[part]
    return data
