"""Entity recognition: gazetteer hits filtered by word boundaries, case, overlap and context.

Steps: (1) automaton hits over folded lower-case text; (2) keep hits on word boundaries
(a possessive "Saab's" is fine, "Saabs" is not; programmes may take a plural "F-16s");
(3) case rules: acronyms exact, names must keep their capital initial; (4) longest
match wins on overlaps; (5) an alias marked ambiguous counts only when the same entity
is also named unambiguously, or its context cues outweigh negative cues nearby.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from signalfire.models.analysis import EntityMatch

from .gazetteer import AliasEntry, Gazetteer
from .quantities import ITEM_NOUNS
from .textnorm import fold, fold_lower

Span = tuple[int, int, list[AliasEntry]]
WINDOW = 400  # characters either side of a mention where context cues are looked for
SPECIFIC_WEIGHT = 2  # an entity's own cue counts double a shared defence cue


def _boundary_ok(lowered: str, start: int, end: int, plural_ok: bool) -> int | None:
    """The match end (maybe extended by a plural 's'), or None if inside a word."""
    if start > 0 and lowered[start - 1].isalnum() and lowered[start].isalnum():
        return None
    if end >= len(lowered) or not (lowered[end].isalnum() and lowered[end - 1].isalnum()):
        return end
    after = end + 1
    word_ends = after == len(lowered) or not lowered[after].isalnum()
    if plural_ok and lowered[end] == "s" and word_ends:
        return after
    return None


def _inside_word(lowered: str, start: int, end: int) -> bool:
    """True when `_boundary_ok` rejects the hit whatever the entry: it starts inside a word,
    or ends inside one other than by a plural 's'. A big watchlist's short aliases hit
    inside many words ("ctor" in "contractor"); this rejects them before any entry."""
    if start > 0 and lowered[start - 1].isalnum() and lowered[start].isalnum():
        return True
    if end >= len(lowered) or not (lowered[end].isalnum() and lowered[end - 1].isalnum()):
        return False
    after = end + 1
    return lowered[end] != "s" or not (after == len(lowered) or not lowered[after].isalnum())


def _case_ok(span: str, entry: AliasEntry) -> bool:
    """Acronyms must match exactly; names must keep the capitals the alias starts words with."""
    if entry.case_sensitive:
        return _squash(span) == _squash(entry.folded)
    if span.isupper() and len(span) > 3:  # an all-caps headline
        return True
    for a, t in zip(_word_initials(entry.folded), _word_initials(span), strict=False):
        if a.isupper() and not t.isupper():
            return False
    return True


def _word_initials(s: str) -> list[str]:
    """First letter of each word (words split at spaces and hyphens)."""
    return [w[0] for w in s.replace("-", " ").split(" ") if w]


def _squash(s: str) -> str:
    """Drop hyphens and spaces, so F-16, F16 and F 16 compare equal."""
    return s.replace("-", "").replace(" ", "")


_TITLES = re.compile(
    r"(?:\b(?:capt|sgt|lt|col|gen|maj|adm|cpl|pvt|spc|mr|mrs|ms|dr|sen|rep|prof)\.?|"
    r"\b(?:captain|sergeant|lieutenant|colonel|general|major|admiral|corporal|private|"
    r"specialist|senator|secretary|minister|president|chairman|ceo))\s+(?:[a-z.]+\s+)?$"
)


def _context_score(gaz: Gazetteer, lowered: str, start: int, end: int, entity_id: str) -> int:
    """Weighted positive minus negative cue hits near a mention (mention text excluded).

    At least one of the entity's own positive cues must be present: shared defence cues
    alone cannot tell a Carrier Strike Group "CSG" from the Czechoslovak Group. An entity
    whose context holds the default cue "*" starts at one instead, so only negative cues
    (Saab cars, a classic-car club) reject it. A person's title just before the mention
    (Capt. Michael Archer) rules it out.
    """
    if _TITLES.search(lowered[max(0, start - 40) : start]):
        return 0
    lo, hi = max(0, start - WINDOW), min(len(lowered), end + WINDOW)
    window = lowered[lo:start] + " " + lowered[end:hi]
    own, shared = gaz.cues_for(entity_id), gaz.shared_cues
    if not own.default and (own.positive is None or not own.positive.search(window)):
        return 0
    score = 1 if own.default else 0
    for pattern, weight in (
        (own.positive, SPECIFIC_WEIGHT),
        (shared.positive, 1),
        (own.negative, -SPECIFIC_WEIGHT),
        (shared.negative, -1),
    ):
        if pattern is not None:
            score += weight * len(set(pattern.findall(window)))
    return score


@lru_cache(maxsize=4)
def _forms(text: str) -> tuple[str, str, str]:
    """`fold(text)`, `fold_lower(text)` and `match_key(text)` from one folding pass; cached
    because one article's text is matched several times (entities, then countries)."""
    folded = fold(text)
    lowered = folded.lower()
    if len(lowered) != len(text):  # a character whose lower case is longer: the slow path
        lowered = fold_lower(text)
    return folded, lowered, lowered.replace("-", " ")


def _candidates(text: str, gaz: Gazetteer) -> list[Span]:
    """Hits that pass boundary and case checks, each with the entries valid for it."""
    folded, lowered, keyed = _forms(text)
    spans: dict[tuple[int, int], list[AliasEntry]] = {}
    for start, end, entries in gaz.iter_hits(keyed):
        if _inside_word(lowered, start, end):
            continue  # no entry can pass `_boundary_ok`: skip them all at once
        for entry in entries:
            stop = _boundary_ok(lowered, start, end, entry.plural_ok)
            if stop is None or not _case_ok(folded[start:end], entry):
                continue
            spans.setdefault((start, stop), []).append(entry)
    return [(s, e, entries) for (s, e), entries in spans.items()]


def _longest_first(cands: list[Span]) -> list[Span]:
    """Greedy non-overlapping selection, longest span first, then leftmost."""
    chosen: list[Span] = []
    taken: list[tuple[int, int]] = []
    for s, e, entries in sorted(cands, key=lambda c: (c[0] - c[1], c[0])):
        if all(e <= ts or s >= te for ts, te in taken):
            chosen.append((s, e, entries))
            taken.append((s, e))
    return sorted(chosen, key=lambda c: c[0])


def _entry_order(span: str, entries: Sequence[AliasEntry]) -> list[AliasEntry]:
    """Exact-case aliases first, unambiguous before ambiguous."""
    return sorted(entries, key=lambda x: (x.folded != span, x.ambiguous))


def _homonyms(gaz: Gazetteer, lowered: str, chosen: list[Span], named: set[str]) -> set[str]:
    """Entities whose ambiguous alias the article uses in its other sense, shown by a
    negative cue joined to one mention ("Leonardo da Vinci", "the New England Patriots"):
    one sense per article, so none of that alias's unconfirmed mentions count."""
    out: set[str] = set()
    for start, end, entries in chosen:
        for entry in entries:
            eid = entry.entity_id
            if not entry.ambiguous or eid in named or eid in out or eid not in gaz:
                continue
            negative = gaz.cues_for(eid).negative
            if negative is None:
                continue
            after = lowered[end : end + 40].lstrip()
            before = lowered[max(0, start - 40) : start].rstrip()
            if negative.match(after) or any(
                before.endswith(m.group(0)) for m in negative.finditer(before)
            ):
                out.add(eid)
    return out


def find_entities(text: str, gazetteer: Gazetteer) -> list[EntityMatch]:
    """All accepted entity mentions in `text`, in text order, with offsets into `text`."""
    return list(_find_entities(text, gazetteer)[0])


@lru_cache(maxsize=4)
def _find_entities(text: str, gazetteer: Gazetteer) -> tuple[tuple[EntityMatch, ...], bool]:
    """The accepted matches, and whether an ambiguous alias was rejected; cached (matches
    are frozen) because one article's text is matched by several stages."""
    folded, lowered, _ = _forms(text)
    chosen = _longest_first(_candidates(text, gazetteer))
    named = {x.entity_id for _, _, entries in chosen for x in entries if not x.ambiguous}
    homonyms = _homonyms(gazetteer, lowered, chosen, named)
    out: list[EntityMatch] = []
    rejected = False
    for start, end, entries in chosen:
        for entry in _entry_order(folded[start:end], entries):
            if entry.ambiguous and entry.entity_id not in named:
                entity = gazetteer.get(entry.entity_id)
                if (
                    entity is None
                    or not entity.context
                    or entry.entity_id in homonyms
                    or _context_score(gazetteer, lowered, start, end, entry.entity_id) <= 0
                ):
                    continue
            out.append(EntityMatch(id=entry.entity_id, alias=entry.alias, start=start, end=end))
            break
        else:
            rejected = rejected or any(x.ambiguous for x in entries)
    return tuple(out), rejected


def has_homonyms(text: str, gazetteer: Gazetteer) -> bool:
    """True when the text uses an ambiguous alias that `find_entities` rejects (Leonardo
    the painter, a zoo's leopard): a homonym story, not one about the tracked entity."""
    return _find_entities(text, gazetteer)[1]


# "mounted on Jelcz trucks": a subsidiary's name used as the brand of a product.
_PRODUCT_AFTER = re.compile(rf"\s+(?:{ITEM_NOUNS}|chassis|chassies)\b", re.IGNORECASE)


def main_entities(
    matches: Sequence[EntityMatch],
    gazetteer: Gazetteer,
    vocabulary: frozenset[str] | set[str] | None = None,
    include_parents: bool = False,
    text: str = "",
) -> list[str]:
    """Ids the article counts as its entities under the rubric, most mentioned first.

    Organisations, companies and governments count; programmes and systems do not (a
    K9 mention does not mean the article refers to Hanwha), nor countries or people.
    With `include_parents`, a subsidiary also credits its owning groups (so a rule on
    romarm sees a mention of its Uzina Mecanica Sadu plant). With `vocabulary` (e.g. the
    rubric's label ids, which fold subsidiaries into groups: KNDS Deutschland -> knds),
    each id is replaced by itself or its nearest ancestor inside it, or dropped; a
    subsidiary named only as a product brand in `text` ("Jelcz trucks") does not credit
    its group, since the article refers to the product, not to the group.
    """
    counts: dict[str, int] = {}
    first: dict[str, int] = {}
    for m in matches:
        entity = gazetteer.get(m.id)
        if entity is None or entity.kind not in ("company", "organization", "government"):
            continue
        ids = [m.id, *gazetteer.ancestors(m.id)]
        if vocabulary is not None:
            ids = [i for i in ids if i in vocabulary][:1]
            if ids and ids[0] != m.id and _PRODUCT_AFTER.match(text, m.end):
                continue
        elif not include_parents:
            ids = ids[:1]
        for i in ids:
            counts[i] = counts.get(i, 0) + 1
            first.setdefault(i, m.start)
    return sorted(counts, key=lambda i: (-counts[i], first[i]))
