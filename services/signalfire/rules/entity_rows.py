"""Entity rows into an EntityTable: a plain check for the rows that are clearly valid, pydantic
for the rest.

Validating 100,000 rows with pydantic takes ~1.4 s and leaves 100,000 models behind. A row
of plain strings in the expected form is appended as it is; any other row is validated by
the `Entity` model itself, which either accepts it or gives the errors (so messages are
exactly those of the model and cannot drift). The plain check accepts a subset of what the
model accepts, never more."""

from __future__ import annotations

import re
from array import array
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError
from pydantic_core import ErrorDetails

from signalfire.models.entity import ENTITY_ID, Entity
from signalfire.models.entity_table import KIND_CODE, EntityTable
from signalfire.rules.errors import Problem

FIELDS = tuple(Entity.model_fields)
_FIELD_SET = frozenset(FIELDS)
_COUNTRY = re.compile(r"[A-Z]{2}\Z")  # the model's pattern ^[A-Z]{2}$ (Rust: $ is the end)
_EMPTY: list[str] = []  # an absent list field (never appended to)
_NO_LIMIT = 1 << 62


def _strings(value: Any, max_length: int) -> bool:
    return type(value) is list and all(type(v) is str and 0 < len(v) <= max_length for v in value)


def add_row(table: EntityTable, row: Any) -> list[ErrorDetails]:
    """Append `row` to `table` when valid; otherwise the model's errors (loc within the row)."""
    if type(row) is dict and row.keys() <= _FIELD_SET:
        get = row.get
        ident, name, kind, country = get("id"), get("name"), get("kind"), get("country")
        aliases, parent = get("aliases", _EMPTY), get("parent")
        context, ambiguous = get("context", _EMPTY), get("ambiguous", _EMPTY)
        if (
            type(ident) is str
            and 0 < len(ident) <= 100
            and ENTITY_ID.match(ident)
            and type(name) is str
            and 0 < len(name) <= 300
            and kind in KIND_CODE
            and (country is None or (type(country) is str and _COUNTRY.match(country)))
            and (aliases is _EMPTY or _strings(aliases, 300))
            and (parent is None or type(parent) is str)
            and (context is _EMPTY or _strings(context, _NO_LIMIT))
            and (ambiguous is _EMPTY or _strings(ambiguous, _NO_LIMIT))
        ):
            table.append(ident, name, kind, country, aliases, parent, context, ambiguous)
            return []
    try:
        entity = Entity.model_validate(row, strict=True)
    except ValidationError as e:
        return e.errors()
    table.append_entity(entity)
    return []


@dataclass
class EntityList:
    """The rows of one CSV or JSON-lines entity file, with the line each row starts on."""

    file: str
    table: EntityTable = field(default_factory=EntityTable)
    lines: array[int] = field(default_factory=lambda: array("I"))
    problems: list[Problem] = field(default_factory=list)

    def place(self, row: int) -> str:
        return f"{self.file}:{self.lines[row]}"

    def problem(self, line: int, where: str, message: str) -> Problem:
        return Problem(self.file, line, None, where, message)


def rows_in(items: Iterable[tuple[int, Any]], into: EntityList, describe: Any) -> None:
    """Validate (line, row) pairs into `into`; `describe(line, errors)` turns the model's
    errors for a row into Problems."""
    table, lines = into.table, into.lines
    for line, row in items:
        errors = add_row(table, row)
        if errors:
            into.problems += describe(line, row, errors)
        elif len(lines) < len(table):
            lines.append(line)
