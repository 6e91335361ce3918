"""The gazetteer: entities plus one Aho-Corasick automaton over all their alias variants.

Matching cost per article depends on the article's length and on how many aliases it
actually contains, not on how many entities exist, so a 100,000-entity watchlist costs
about the same per article as the built-in list.
"""

from __future__ import annotations

import gc
import re
from array import array
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import ahocorasick

from signalfire.files.packaged import packaged_yaml
from signalfire.models.entity import Entity
from signalfire.models.entity_table import EntityTable

from .textnorm import fold, fold_lower

_LETTER_DIGIT = re.compile(r"\b([a-z]{1,3}) ?(\d{1,3}[a-z]{0,3})\b")
_HAS_DIGIT = re.compile(r"\d")


@dataclass(frozen=True, slots=True)
class AliasEntry:
    """One way of writing one entity, with the rules for accepting a hit on it."""

    entity_id: str
    alias: str  # as written in the gazetteer or watchlist
    folded: str  # diacritics folded, case kept (for case checks)
    case_sensitive: bool  # acronyms and all-caps names: exact case only
    ambiguous: bool  # also a common word or name: needs context
    plural_ok: bool  # programmes: "F-16s", "Leopards"


@dataclass(frozen=True, slots=True)
class Cues:
    """Context cue patterns; entity-specific cues weigh more than shared ones."""

    positive: re.Pattern[str] | None
    negative: re.Pattern[str] | None
    # The cue "*": the alias is the entity by default and only negative cues (Saab cars,
    # a Saab club) can outweigh that; without it an own positive cue must be present.
    default: bool = False


DEFAULT_CUE = "*"  # in `context`: accept the ambiguous alias unless negative cues outweigh


def _cue_pattern(words: Sequence[str]) -> re.Pattern[str] | None:
    """One word-bounded alternation over folded, lower-cased cue words."""
    words = sorted({fold_lower(w.strip()) for w in words if w.strip()}, key=len, reverse=True)
    if not words:
        return None
    return re.compile(r"(?<![a-z0-9])(?:" + "|".join(map(re.escape, words)) + r")(?![a-z0-9])")


def _split_cues(context: Sequence[str]) -> tuple[list[str], list[str]]:
    """Cues prefixed with '!' are negative (zoo, quarterback), the rest positive."""
    pos = [c for c in context if not c.startswith("!") and c != DEFAULT_CUE]
    neg = [c[1:] for c in context if c.startswith("!")]
    return pos, neg


def match_key(text: str) -> str:
    """The form both aliases and article text are matched in: folded, lower-case, and
    hyphens as spaces (Hyundai-Rotem = Hyundai Rotem). One character per character."""
    return fold_lower(text).replace("-", " ")


def alias_variants(alias: str) -> set[str]:
    """Match keys for an alias: itself, plus F-16/F16/F 16 forms of letter-digit codes."""
    return _variants(match_key(alias).strip())


def _variants(key: str) -> set[str]:
    out = {key}
    if _HAS_DIGIT.search(key):
        out.add(_LETTER_DIGIT.sub(r"\1\2", key))
        out.add(_LETTER_DIGIT.sub(r"\1 \2", key))
    return {v for v in out if v}


_SEP = "\x00"
_HIT_CACHE = 50_000  # keys whose alias entries are kept once made
_CHUNK = 4096  # aliases folded together: big enough to be fast, small enough to reuse memory
_ASCII_FOLD = [(c, fold(c)) for c in map(chr, range(128)) if fold(c) != c]


def _variants_all(aliases: list[str]) -> Iterator[set[str] | tuple[str, ...]]:
    """`alias_variants` of every alias, with the folding done on ASCII aliases a chunk at a
    time (one replace and lower over the joined text: folding maps each character to one).
    Other aliases are folded one by one, exactly as `match_key` does."""
    for start in range(0, len(aliases), _CHUNK):
        chunk = aliases[start : start + _CHUNK]
        blob = _SEP.join(chunk)
        keys: list[str] | None = None
        if blob.count(_SEP) == len(chunk) - 1:  # no alias holds the separator
            for char, folded in _ASCII_FOLD:  # what `fold` does to ASCII, without translate
                blob = blob.replace(char, folded)
            lowered = blob.lower()
            if len(lowered) == len(blob):
                keys = lowered.replace("-", " ").split(_SEP)
        for i, alias in enumerate(chunk):
            ascii_key = keys is not None and alias.isascii()
            key = keys[i].strip() if ascii_key else match_key(alias).strip()  # type: ignore[index]
            if not key:
                yield ()
            elif _HAS_DIGIT.search(key):
                yield _variants(key)
            else:
                yield (key,)


def _is_case_sensitive(alias: str) -> bool:
    """Aliases without lower-case letters (NATO, GD, F-16) are acronyms: exact case."""
    return not any(c.islower() for c in alias)


def merge_entity(old: Entity, new: Entity) -> Entity:
    """A watchlist entity with a known id adds aliases and fills fields the old one lacks."""
    aliases = list(old.aliases)
    for a in [new.name, *new.aliases]:
        if a != old.name and a not in aliases:
            aliases.append(a)
    return old.model_copy(
        update={
            "aliases": aliases,
            "country": old.country or new.country,
            "parent": old.parent or new.parent,
            "context": list(dict.fromkeys([*old.context, *new.context])),
            "ambiguous": list(dict.fromkeys([*old.ambiguous, *new.ambiguous])),
        }
    )


def _repeats(bucket: list[int], i: int, owners: list[str], folded: Any) -> bool:
    """Whether the same entity already has alias `i`'s folded form under this key. An
    entity's aliases are numbered consecutively, so only the bucket's tail can be its own."""
    owner = owners[i]
    for j in reversed(bucket):
        if owners[j] != owner:
            return False
        if folded(j) == folded(i):
            return True
    return False


class Gazetteer:
    """Immutable set of entities with the automaton built once at construction.

    Entities given as models (the built-in ones) are kept as models; a watchlist's
    `EntityTable` is kept as its columns, and a model is made only for an entity that an
    article names. The automaton maps each match key to a small int; the alias entries of a
    key are made on its first hit and cached, so memory follows the aliases, not Python
    objects per alias."""

    def __init__(
        self,
        entities: Sequence[Entity],
        cues: dict[str, Sequence[str]] | None = None,
        *,
        table: EntityTable | None = None,
    ):
        if table is not None and len(set(table.ids)) != len(table):
            entities, table = [*entities, *table], None  # repeated ids: merge them as models
        merged: dict[str, Entity] = {}
        for e in entities:
            merged[e.id] = merge_entity(merged[e.id], e) if e.id in merged else e
        self._table = table if table is not None else EntityTable()
        self._rows: dict[str, int] = {}  # id -> table row, for rows not merged into a model
        for row, ident in enumerate(self._table.ids):
            if ident in merged:  # a watchlist entity extending a built-in one
                merged[ident] = merge_entity(merged[ident], self._table.entity(row))
            else:
                self._rows[ident] = row
        self._entities = merged
        self._made: dict[str, Entity] = {}  # models made from table rows, by id
        cues = cues or {}
        self.shared_cues = Cues(
            _cue_pattern(cues.get("positive", ())), _cue_pattern(cues.get("negative", ()))
        )
        self._cue_cache: dict[str, Cues] = {}
        self._hits: dict[int, tuple[AliasEntry, ...]] = {}
        gc_was = gc.isenabled()
        gc.disable()  # the build makes ~10 objects per alias, none in a cycle
        try:
            self._automaton, self._key_len, self._key_alias, self._buckets = self._build()
        finally:
            if gc_was:
                gc.enable()

    def _aliases(self) -> tuple[list[str], list[str]]:
        """(owner id, alias) of every alias, entity by entity in order, name first, once each:
        the models first (a table row that extends one is merged into it), then the rows."""
        owners: list[str] = []
        texts: list[str] = []
        for e in self._entities.values():
            names = list(dict.fromkeys([e.name, *e.aliases]))
            owners += [e.id] * len(names)
            texts += names
        t, rows = self._table, self._rows
        ids, all_names, all_aliases, ends = t.ids, t.names, t.aliases, t.alias_ends
        start = 0
        for row, end in enumerate(ends):
            ident = ids[row]
            if rows.get(ident) == row:
                names = [all_names[row], *all_aliases[start:end]]
                if len(names) > 1:
                    names = list(dict.fromkeys(names))
                owners += [ident] * len(names)
                texts += names
            start = end
        return owners, texts

    def _build(self) -> tuple[Any, array[int], array[int], list[tuple[int, ...]]]:
        """The automaton (key -> key number; it is also the dict of keys while building, so
        no Python copy of the keys is held) and, per key number, its length and alias(es)."""
        owners, texts = self._aliases()
        # Tuples of strings: the garbage collector does not scan them (see EntityTable.seal).
        self._alias_owner, self._alias_text = tuple(owners), tuple(texts)
        automaton = ahocorasick.Automaton(ahocorasick.STORE_INTS)
        key_alias = array("i")  # alias index, or -1 - bucket number for several
        key_len = array("H")
        buckets: list[list[int]] = []
        folded_cache: dict[int, str] = {}

        def folded(i: int) -> str:
            f = folded_cache.get(i)
            if f is None:
                f = folded_cache[i] = fold(texts[i])
            return f

        for i, key_set in enumerate(_variants_all(texts)):
            for key in key_set:
                k = automaton.get(key, -1)
                if k < 0:
                    automaton.add_word(key, len(key_alias))
                    key_alias.append(i)
                    key_len.append(len(key))
                    continue
                first = key_alias[k]
                bucket = buckets[-1 - first] if first < 0 else [first]
                if _repeats(bucket, i, owners, folded):
                    continue
                if first < 0:
                    bucket.append(i)
                else:
                    buckets.append([first, i])
                    key_alias[k] = -len(buckets)
        if key_alias:
            automaton.make_automaton()
        return automaton, key_len, key_alias, [tuple(b) for b in buckets]

    def _entry(self, i: int) -> AliasEntry:
        """The entry of alias `i`, made on its key's first hit."""
        alias, owner = self._alias_text[i], self._alias_owner[i]
        row = self._rows.get(owner)
        if row is None:
            entity = self._entities[owner]
            ambiguous, kind = alias in entity.ambiguous, entity.kind
        else:  # straight from the columns: no model for a key that is merely hit
            ambiguous, kind = alias in self._table.rare(row)[2], self._table.kind(row)
        return AliasEntry(
            entity_id=owner,
            alias=alias,
            folded=fold(alias),
            case_sensitive=_is_case_sensitive(alias),
            ambiguous=ambiguous,
            plural_ok=kind == "program",
        )

    def _entries(self, k: int) -> tuple[AliasEntry, ...]:
        first = self._key_alias[k]
        if first >= 0:
            return (self._entry(first),)
        return tuple(self._entry(i) for i in self._buckets[-1 - first])

    @classmethod
    def from_entities(cls, entities: Sequence[Entity]) -> Gazetteer:
        """A gazetteer of exactly these entities, with the built-in shared context cues."""
        return cls(entities, _builtin()[1])

    @classmethod
    def load_builtin(cls, extra: Sequence[Entity] = ()) -> Gazetteer:
        """The package's gazetteer, extended by watchlist entities (same id = extend)."""
        entities, cues = _builtin()
        if isinstance(extra, EntityTable):
            return cls(entities, cues, table=extra)
        return cls([*entities, *extra], cues)

    def get(self, entity_id: str) -> Entity | None:
        """The entity with this id, or None."""
        entity = self._entities.get(entity_id)
        if entity is None and entity_id in self._rows:
            entity = self._made.get(entity_id)
            if entity is None:
                entity = self._made[entity_id] = self._table.entity(self._rows[entity_id])
        return entity

    def __contains__(self, entity_id: object) -> bool:
        return entity_id in self._entities or entity_id in self._rows

    def __len__(self) -> int:
        return len(self._entities) + len(self._rows)

    def ids(self) -> frozenset[str]:
        """All entity ids (for validating watchlist rules against known ids)."""
        return frozenset(self._entities).union(self._rows)

    def __iter__(self) -> Iterator[Entity]:
        yield from self._entities.values()
        for ident in self._rows:
            entity = self.get(ident)
            assert entity is not None
            yield entity

    def iter_hits(self, keyed: str) -> Iterator[tuple[int, int, tuple[AliasEntry, ...]]]:
        """Raw automaton hits over `match_key(text)`: (start, end, entries)."""
        if not self._key_len:
            return
        hits, key_len = self._hits, self._key_len
        for end_idx, k in self._automaton.iter(keyed):
            entries = hits.get(k)
            if entries is None:
                if len(hits) >= _HIT_CACHE:  # bounded: a long run may hit many keys
                    hits.clear()
                entries = hits[k] = self._entries(k)
            yield end_idx + 1 - key_len[k], end_idx + 1, entries

    def cues_for(self, entity_id: str) -> Cues:
        """Compiled entity-specific cues (cached: watchlists may hold many entities)."""
        cached = self._cue_cache.get(entity_id)
        if cached is None:
            entity = self.get(entity_id)
            if entity is None:
                raise KeyError(entity_id)
            pos, neg = _split_cues(entity.context)
            cached = Cues(_cue_pattern(pos), _cue_pattern(neg), DEFAULT_CUE in entity.context)
            self._cue_cache[entity_id] = cached
        return cached

    def ancestors(self, entity_id: str) -> list[str]:
        """Parent chain of a company (owning groups), nearest first, cycle-safe."""
        out: list[str] = []
        entity = self.get(entity_id)
        while entity is not None and entity.parent and entity.parent not in out:
            if entity.parent == entity_id:
                break
            out.append(entity.parent)
            entity = self.get(entity.parent)
        return out


@lru_cache(maxsize=1)
def _builtin() -> tuple[tuple[Entity, ...], dict[str, Sequence[str]]]:
    """Parse the packaged gazetteer once per process."""
    doc = packaged_yaml("gazetteer.yaml")
    entities = tuple(Entity(**e) for e in doc["entities"])
    cues: dict[str, Sequence[str]] = {
        str(k): tuple(str(w) for w in v) for k, v in (doc.get("cues") or {}).items()
    }
    return entities, cues


@lru_cache(maxsize=1)
def core_ids() -> frozenset[str]:
    """The canonical ids of the contract's gazetteer (the vocabulary of `entities`)."""
    doc = packaged_yaml("gazetteer-core.yaml")
    return frozenset(str(e["id"]) for e in doc["entities"])


def builtin_ids() -> frozenset[str]:
    """Ids of the built-in gazetteer, from the cached parse: validating a watchlist's entity
    references needs the ids only, not a matching automaton."""
    return frozenset(e.id for e in _builtin()[0])
