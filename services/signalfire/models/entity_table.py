"""Watchlist entities stored by column: a 100,000-entity list without 100,000 models.

A pydantic `Entity` costs ~1.2 KB and ~14 µs to validate; a row here costs its strings plus
a few bytes of index. The table is a read-only `Sequence[Entity]` (an `Entity` is made when
one is asked for), so code that iterates a watchlist's entities keeps working, while the
gazetteer reads the columns directly."""

from __future__ import annotations

import hashlib
from array import array
from collections.abc import Iterator, Sequence
from typing import get_args, overload

from signalfire.models.entity import Entity, EntityKind

KINDS: tuple[EntityKind, ...] = get_args(EntityKind)
KIND_CODE: dict[str, int] = {k: i for i, k in enumerate(KINDS)}

# The fields few rows have, kept apart: (parent, context, ambiguous).
Rare = tuple[str | None, tuple[str, ...], tuple[str, ...]]
_NO_RARE: Rare = (None, (), ())


class EntityTable(Sequence[Entity]):
    """Entities in columns; append-only while loading, then treated as immutable."""

    __slots__ = ("_alias_end", "_extra", "aliases", "countries", "ids", "kinds", "names")

    def __init__(self) -> None:
        self.ids: list[str] = []
        self.names: list[str] = []
        self.kinds = bytearray()  # index into KINDS
        self.countries: list[str | None] = []
        self.aliases: list[str] = []  # every row's aliases, one after another
        self._alias_end = array("I")  # end of row i's aliases in `aliases`
        self._extra: dict[int, Rare] = {}

    def append(
        self,
        ident: str,
        name: str,
        kind: str,
        country: str | None = None,
        aliases: Sequence[str] = (),
        parent: str | None = None,
        context: Sequence[str] = (),
        ambiguous: Sequence[str] = (),
    ) -> None:
        """Add one already-validated row."""
        row = len(self.ids)
        self.ids.append(ident)
        self.names.append(name)
        self.kinds.append(KIND_CODE[kind])
        self.countries.append(country)
        self.aliases.extend(aliases)
        self._alias_end.append(len(self.aliases))
        if parent is not None or context or ambiguous:
            self._extra[row] = (parent, tuple(context), tuple(ambiguous))

    def append_entity(self, e: Entity) -> None:
        self.append(e.id, e.name, e.kind, e.country, e.aliases, e.parent, e.context, e.ambiguous)

    def extend(self, other: EntityTable) -> None:
        """Append every row of `other` (whole columns at a time)."""
        base, offset = len(self.ids), len(self.aliases)
        self.ids += other.ids
        self.names += other.names
        self.kinds += other.kinds
        self.countries += other.countries
        self.aliases += other.aliases
        self._alias_end.extend(end + offset for end in other._alias_end)
        self._extra.update({base + i: x for i, x in other._extra.items()})

    @classmethod
    def of(cls, entities: Sequence[Entity]) -> EntityTable:
        """A table holding these entities (an EntityTable is returned as it is)."""
        if isinstance(entities, EntityTable):
            return entities
        table = cls()
        for e in entities:
            table.append_entity(e)
        return table.seal()

    @property
    def alias_ends(self) -> array[int]:
        """End of each row's aliases in `aliases` (row i's start at row i-1's end)."""
        return self._alias_end

    def seal(self) -> EntityTable:
        """Done loading: columns become tuples, which the cyclic garbage collector stops
        scanning (lists of 100,000s of strings would be walked at every full collection,
        ~4 % of per-article time with a 100,000-entity watchlist). Returns self."""
        self.ids = tuple(self.ids)  # type: ignore[assignment]
        self.names = tuple(self.names)  # type: ignore[assignment]
        self.countries = tuple(self.countries)  # type: ignore[assignment]
        self.aliases = tuple(self.aliases)  # type: ignore[assignment]
        return self

    def kind(self, row: int) -> EntityKind:
        return KINDS[self.kinds[row]]

    def row_aliases(self, row: int) -> list[str]:
        return list(self.aliases[self._alias_end[row - 1] if row else 0 : self._alias_end[row]])

    def rare(self, row: int) -> Rare:
        """(parent, context, ambiguous) of a row."""
        return self._extra.get(row, _NO_RARE)

    def rows_with_extra(self) -> Iterator[tuple[int, Rare]]:
        return iter(sorted(self._extra.items()))

    def entity(self, row: int) -> Entity:
        """Row `row` as the model that validating it would give."""
        parent, context, ambiguous = self.rare(row)
        return Entity.model_construct(
            id=self.ids[row],
            name=self.names[row],
            kind=self.kind(row),
            country=self.countries[row],
            aliases=self.row_aliases(row),
            parent=parent,
            context=list(context),
            ambiguous=list(ambiguous),
        )

    def fingerprint(self) -> str:
        """sha256 over every field: equal tables mean the same gazetteer."""
        h = hashlib.sha256()
        sep = "\x1f"
        for column in (self.ids, self.names, self.aliases):
            h.update(sep.join(column).encode())
            h.update(b"\x1e")
        h.update(bytes(self.kinds))
        h.update(sep.join(c or "" for c in self.countries).encode())
        h.update(self._alias_end.tobytes())
        h.update(repr(sorted(self._extra.items())).encode())
        return h.hexdigest()

    def __len__(self) -> int:
        return len(self.ids)

    @overload
    def __getitem__(self, index: int) -> Entity: ...
    @overload
    def __getitem__(self, index: slice) -> list[Entity]: ...
    def __getitem__(self, index: int | slice) -> Entity | list[Entity]:
        if isinstance(index, slice):
            return [self.entity(i) for i in range(len(self.ids))[index]]
        if index < 0:
            index += len(self.ids)
        if not 0 <= index < len(self.ids):
            raise IndexError(index)
        return self.entity(index)

    def __iter__(self) -> Iterator[Entity]:
        return (self.entity(i) for i in range(len(self.ids)))

    def __repr__(self) -> str:
        return f"EntityTable({len(self)} entities)"
