"""The gazetteer: entities plus one Aho-Corasick automaton over all their alias variants.

Matching cost per article depends on the article's length and on how many aliases it
actually contains, not on how many entities exist, so a 100,000-entity watchlist costs
about the same per article as the built-in list.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import ahocorasick

from signalfire.files.packaged import packaged_yaml
from signalfire.models.entity import Entity

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
    key = match_key(alias).strip()
    out = {key}
    if _HAS_DIGIT.search(key):
        out.add(_LETTER_DIGIT.sub(r"\1\2", key))
        out.add(_LETTER_DIGIT.sub(r"\1 \2", key))
    return {v for v in out if v}


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


class Gazetteer:
    """Immutable set of entities with the automaton built once at construction."""

    def __init__(self, entities: Sequence[Entity], cues: dict[str, Sequence[str]] | None = None):
        merged: dict[str, Entity] = {}
        for e in entities:
            merged[e.id] = merge_entity(merged[e.id], e) if e.id in merged else e
        self._entities = merged
        cues = cues or {}
        self.shared_cues = Cues(
            _cue_pattern(cues.get("positive", ())), _cue_pattern(cues.get("negative", ()))
        )
        self._cue_cache: dict[str, Cues] = {}
        self._automaton = self._build(merged.values())

    @staticmethod
    def _build(entities: Iterator[Entity] | Any) -> Any:
        table: dict[str, list[AliasEntry]] = {}
        for e in entities:
            amb = set(e.ambiguous)
            for alias in dict.fromkeys([e.name, *e.aliases]):
                entry = AliasEntry(
                    entity_id=e.id,
                    alias=alias,
                    folded=fold(alias),
                    case_sensitive=_is_case_sensitive(alias),
                    ambiguous=alias in amb,
                    plural_ok=e.kind == "program",
                )
                for key in alias_variants(alias):
                    bucket = table.setdefault(key, [])
                    if all(x.entity_id != e.id or x.folded != entry.folded for x in bucket):
                        bucket.append(entry)
        automaton = ahocorasick.Automaton()
        for key, bucket in table.items():
            automaton.add_word(key, (len(key), tuple(bucket)))
        if table:
            automaton.make_automaton()
        return automaton

    @classmethod
    def from_entities(cls, entities: Sequence[Entity]) -> Gazetteer:
        """A gazetteer of exactly these entities, with the built-in shared context cues."""
        return cls(entities, _builtin()[1])

    @classmethod
    def load_builtin(cls, extra: Sequence[Entity] = ()) -> Gazetteer:
        """The package's gazetteer, extended by watchlist entities (same id = extend)."""
        entities, cues = _builtin()
        return cls([*entities, *extra], cues)

    def get(self, entity_id: str) -> Entity | None:
        """The entity with this id, or None."""
        return self._entities.get(entity_id)

    def __contains__(self, entity_id: object) -> bool:
        return entity_id in self._entities

    def __len__(self) -> int:
        return len(self._entities)

    def ids(self) -> frozenset[str]:
        """All entity ids (for validating watchlist rules against known ids)."""
        return frozenset(self._entities)

    def __iter__(self) -> Iterator[Entity]:
        return iter(self._entities.values())

    def iter_hits(self, keyed: str) -> Iterator[tuple[int, int, tuple[AliasEntry, ...]]]:
        """Raw automaton hits over `match_key(text)`: (start, end, entries)."""
        if not self._entities:
            return
        for end_idx, (length, entries) in self._automaton.iter(keyed):
            yield end_idx + 1 - length, end_idx + 1, entries

    def cues_for(self, entity_id: str) -> Cues:
        """Compiled entity-specific cues (cached: watchlists may hold many entities)."""
        cached = self._cue_cache.get(entity_id)
        if cached is None:
            entity = self._entities[entity_id]
            pos, neg = _split_cues(entity.context)
            cached = Cues(_cue_pattern(pos), _cue_pattern(neg), DEFAULT_CUE in entity.context)
            self._cue_cache[entity_id] = cached
        return cached

    def ancestors(self, entity_id: str) -> list[str]:
        """Parent chain of a company (owning groups), nearest first, cycle-safe."""
        out: list[str] = []
        entity = self._entities.get(entity_id)
        while entity is not None and entity.parent and entity.parent not in out:
            if entity.parent == entity_id:
                break
            out.append(entity.parent)
            entity = self._entities.get(entity.parent)
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
