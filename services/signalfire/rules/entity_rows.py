"""Entity rows into an EntityTable: a plain check for the rows that are clearly valid, pydantic
for the rest.

Validating 100,000 rows with pydantic takes ~1.4 s and leaves 100,000 models behind. A row
of plain strings in the expected form is appended as it is; any other row is validated by
the `Entity` model itself, which either accepts it or gives the errors (so messages are
exactly those of the model and cannot drift). The plain check accepts a subset of what the
model accepts, never more."""

from __future__ import annotations

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
_UPPER = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ")


def _strings(value: Any, *, max_length: int | None) -> bool:
    if type(value) is not list:
        return False
    for v in value:
        if type(v) is not str or (max_length is not None and not 0 < len(v) <= max_length):
            return False
    return True


def add_row(table: EntityTable, row: Any) -> list[ErrorDetails]:
    """Append `row` to `table` when valid; otherwise the model's errors (loc within the row)."""
    if type(row) is dict and row.keys() <= _FIELD_SET:
        ident, name, kind = row.get("id"), row.get("name"), row.get("kind")
        country, aliases = row.get("country"), row.get("aliases", [])
        parent, context, ambiguous = (
            row.get("parent"),
            row.get("context", []),
            row.get("ambiguous", []),
        )
        if (
            type(ident) is str
            and 0 < len(ident) <= 100
            and ENTITY_ID.match(ident)
            and type(name) is str
            and 0 < len(name) <= 300
            and type(kind) is str
            and kind in KIND_CODE
            and (
                country is None
                or (type(country) is str and len(country) == 2 and set(country) <= _UPPER)
            )
            and _strings(aliases, max_length=300)
            and (parent is None or type(parent) is str)
            and _strings(context, max_length=None)
            and _strings(ambiguous, max_length=None)
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
