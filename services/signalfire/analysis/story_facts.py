"""How a story's facts grow as articles join it: unions of parties and types, the highest
impact (with its reasons and sentiment), the largest deal with its count.

Pure policy, apart from clustering (which story an article joins, `stories.py`) and from
the rules evaluated over the result (`rules/matching.py`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import TypeVar

from signalfire.models.analysis import AffectedParty, Facts, KeyFact
from signalfire.models.story import StoryArticle, StoryState

MAX_KEY_FACTS = 12  # a story card shows the first few; more is noise
T = TypeVar("T")


def _union(existing: Sequence[T], new: Iterable[T]) -> list[T]:
    """Union keeping the order of first appearance."""
    return list(dict.fromkeys([*existing, *new]))


def _affected(
    existing: Sequence[AffectedParty], new: Iterable[AffectedParty]
) -> list[AffectedParty]:
    """One direction per party: the first article that named it decides."""
    out = {p.id: p for p in existing}
    for party in new:
        out.setdefault(party.id, party)
    return list(out.values())


def _key_facts(existing: Sequence[KeyFact], new: Iterable[KeyFact]) -> list[KeyFact]:
    texts = {f.text for f in existing}
    out = list(existing)
    for fact in new:
        if fact.text not in texts and len(out) < MAX_KEY_FACTS:
            texts.add(fact.text)
            out.append(fact)
    return out


def new_story(story_id: str, member: StoryArticle, facts: Facts, now: datetime) -> StoryState:
    """A story seeded with one article's facts."""
    seen_at = min(member.published_at, now)
    return StoryState(
        **facts.facts(),
        story_id=story_id,
        articles=[member],
        first_seen=seen_at,
        last_seen=seen_at,
        updated_at=now,
    )


def grow_story(state: StoryState, member: StoryArticle, f: Facts, now: datetime) -> StoryState:
    """The story with one more article: unions, the max impact and the largest deal."""
    update: dict[str, object] = {
        "articles": [*state.articles, member],
        "entities": _union(state.entities, f.entities),
        "related_entities": _union(state.related_entities, f.related_entities),
        "countries": _union(state.countries, f.countries),
        "event_types": _union(state.event_types, f.event_types),
        "affected": _affected(state.affected, f.affected),
        "key_facts": _key_facts(state.key_facts, f.key_facts),
        "event_parties": {**f.event_parties, **state.event_parties},  # first report wins
        "first_seen": min(state.first_seen, member.published_at, now),
        "last_seen": max(state.last_seen, min(member.published_at, now)),
        "updated_at": now,
    }
    if f.impact > state.impact:
        update |= {
            "impact": f.impact,
            "impact_reasons": list(f.impact_reasons),
            "sentiment": f.sentiment,
        }
    if f.deal_value is not None and (
        state.deal_value is None or f.deal_value.eur > state.deal_value.eur
    ):
        update |= {"deal_value": f.deal_value, "quantity": f.quantity or state.quantity}
    elif state.quantity is None and f.quantity is not None:
        update["quantity"] = f.quantity  # the value's article named no count: first one known
    return state.model_copy(update=update)
