"""Story clustering: which real-world event an article reports, and how many outlets did.

Single pass: each article joins the open story it matches best, or founds a new one. The match
is content first, facts second:

1. Content: the cosine between the article's weighted terms (`story_terms`: distinctive
   words against a fixed English background, proper names found from the text's casing, name
   pairs, numbers, years, gazetteer parties) and the story's profile (the top terms of its
   members' summed vectors), halved for every `HALF_LIFE` the two are published apart beyond a
   day's grace: reports of one event cluster in time, look-alike events weeks apart do not.
2. Facts the analysis found confirm or contradict it: a matching deal value, quantity, or a
   shared gazetteer party doing the same kind of thing adds to a content match (never makes
   one); a contradicting deal value, incompatible event types (an incident is no contract)
   or different years in the leads subtract.
3. Near-copies: a story keeps MinHash sketches of its first members; a high shingle Jaccard
   marks the article `syndicated_of` the original, and an almost exact copy joins even when
   its extracted facts disagree.

Candidate stories come from an inverted index over each story's top terms, never from a scan:
a term shared by more than `POSTING_CAP` open stories is too common to find anything and is
skipped, so the work per article is bounded however many stories are open.

All durable state is the `stories` mapping (a faust table in the worker, a dict offline);
article -> story, the postings and the expiry queue are in-memory indexes rebuilt from it on
first use or after `invalidate()`. Nothing depends on the clock or on randomness, and ties are
broken by story id, so a replay of the same input yields the same stories.
"""

from __future__ import annotations

import hashlib
import heapq
import math
from collections import Counter
from collections.abc import MutableMapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from itertools import repeat
from operator import mul, neg

from signalfire.analysis.sketches import similarities, sketch
from signalfire.analysis.story_facts import grow_story, new_story
from signalfire.analysis.story_terms import ArticleTerms, article_terms, ascii_text, tokens
from signalfire.models.analysis import ArticleAnalysis, DealValue
from signalfire.models.article import ArticleEvent
from signalfire.models.story import StoryArticle, StoryFeatures, StoryProfile, StoryState

MATCH = 0.30  # score an article needs to join a story
GRACE = timedelta(days=1)  # reports within a day are equally close
HALF_LIFE = timedelta(days=7)  # ... beyond it, content similarity halves every week
EVIDENCE_FLOOR = 0.15  # facts confirm a content match from this cosine up
VALUE_AGREES = 0.10  # the same deal value (EUR within 10 %)
COUNT_AGREES = 0.05  # the same quantity
PARTY_AGREES = 0.10  # a shared party doing the same, or two shared parties (decays with time)
VALUE_CONFLICT = 0.20  # every deal value of the story clearly differs
TYPE_CONFLICT = 0.15  # event types that cannot be one event
YEAR_CONFLICT = 0.20  # the leads name different years
VALUE_TOLERANCE = 0.9  # values closer than this ratio are one deal
SYNDICATED = 0.8  # estimated shingle Jaccard at which an article is a copy
SURE_DUP = 0.9  # ... at which even contradicting facts cannot separate them
COPY_CONTENT = 0.35  # content cosine from which a member may be copied (sketches compared)
DUP_CONTENT = 0.5  # ... and worth a look at the sketches when nothing else matched
COPY_GAP = timedelta(days=7)  # a copy republished later than this is a new story
STORY_TERMS = 40  # terms kept in a story's profile
INDEX_TERMS = 24  # ... of which the top ones are posted in the inverted index
POSTING_CAP = 64  # a term in more open stories than this finds nothing distinctive
CANDIDATES = 10  # stories scored in full per article
MIN_SHARED = 2  # ... sharing at least this many posted terms, when any does
MAX_SKETCHES = 8  # members whose shingle sketches a story keeps
MAX_FACTS = 8  # deal values, quantities and years a profile keeps
# Umbrella bodies appear in a large share of defence articles; sharing them says little.
DEFAULT_WEAK_ENTITIES: frozenset[str] = frozenset({"nato", "eu", "pentagon"})
# Event types that different outlets use for the same deal ("agreement" vs "contract").
_DEAL_TYPES = frozenset(
    {"agreement", "mou", "contract", "joint_venture", "tech_transfer", "investment", "acquisition"}
)


@dataclass(frozen=True)
class Assignment:
    """Where an article landed; ``story`` is already written back to the mapping."""

    story: StoryState
    syndicated_of: str | None
    is_new_story: bool
    already_seen: bool = False


@dataclass(frozen=True, slots=True)
class _Summary:
    """The comparable essentials of one story, in memory so scoring never deserialises."""

    terms: tuple[str, ...]
    weights: tuple[float, ...]
    norm: float
    posted: tuple[str, ...]
    first_pub: datetime
    last_pub: datetime
    expires: datetime  # the story is forgotten a window after this
    event_types: frozenset[str]
    entities: frozenset[str]
    values: tuple[DealValue, ...]
    counts: frozenset[int]
    years: frozenset[int]
    article_ids: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class _Probe:
    """The incoming article, as scoring sees it."""

    terms: dict[str, float]
    years: frozenset[int]
    event_types: frozenset[str]
    entities: frozenset[str]
    value: DealValue | None
    count: int | None
    published_at: datetime


def story_features(
    article: ArticleEvent,
    analysis: ArticleAnalysis,
    weak_entities: frozenset[str] = DEFAULT_WEAK_ENTITIES,
) -> StoryFeatures:
    """The article's term vector, lead years and shingle sketch (pure, no state)."""
    words = tokens(ascii_text(article.body), lower=False)
    terms: ArticleTerms = article_terms(
        article.title,
        article.body,
        [e for e in analysis.entities if e not in weak_entities],
        analysis.countries,
        body_tokens=words,
    )
    return StoryFeatures.model_construct(  # built from checked parts: skip re-validation
        terms=terms.weights, years=sorted(terms.years), sketch=sketch(words)
    )


def story_id_for(article_id: str) -> str:
    """Deterministic id from the founding article, so a replay yields the same ids."""
    return "s-" + hashlib.sha1(article_id.encode("utf-8"), usedforsecurity=False).hexdigest()[:10]


def _utc(dt: datetime) -> datetime:
    """The same instant in UTC (comparing datetimes with one tzinfo is much cheaper)."""
    return dt.astimezone(UTC) if dt.utcoffset() is not None else dt


def _gap(at: datetime, s: _Summary) -> timedelta:
    """How far `at` lies outside the story's span of publication times."""
    if at < s.first_pub:
        return s.first_pub - at
    if at > s.last_pub:
        return at - s.last_pub
    return timedelta(0)


def decay(gap: timedelta) -> float:
    """1 within `GRACE`, then halved every `HALF_LIFE`."""
    beyond = (gap - GRACE) / HALF_LIFE
    return 0.5**beyond if beyond > 0 else 1.0


def values_agree(a: DealValue, b: DealValue) -> bool:
    """One deal: EUR values within 10 %."""
    return min(a.eur, b.eur) >= VALUE_TOLERANCE * max(a.eur, b.eur)


def values_conflict(a: DealValue, b: DealValue) -> bool:
    """Two deals: EUR values clearly apart, and not the same figure read in two currencies
    ("2.9 billion kroner" as DKK by one outlet and NOK by another)."""
    same_figure = abs(a.amount - b.amount) <= 0.01 * max(a.amount, b.amount)
    return not values_agree(a, b) and not same_figure


def _type_compat(a: frozenset[str], b: frozenset[str]) -> bool:
    """Event types that can describe one event: a shared type, or two kinds of deal."""
    return bool(a & b) or (a <= _DEAL_TYPES and b <= _DEAL_TYPES)


def score(p: _Probe, s: _Summary, content: float, gap: timedelta) -> float:
    """How well the article fits the story: decayed content similarity plus what the facts
    say; `MATCH` or more joins."""
    f = decay(gap)
    total = content * f
    if p.value is not None and s.values:
        if any(values_agree(p.value, v) for v in s.values):
            total += VALUE_AGREES if content >= EVIDENCE_FLOOR else 0.0
        elif all(values_conflict(p.value, v) for v in s.values):
            total -= VALUE_CONFLICT
    if p.event_types and s.event_types and not _type_compat(p.event_types, s.event_types):
        total -= TYPE_CONFLICT
    if p.years and s.years and p.years.isdisjoint(s.years):
        total -= YEAR_CONFLICT
    if content >= EVIDENCE_FLOOR:
        if p.count is not None and p.count in s.counts:
            total += COUNT_AGREES
        shared = len(p.entities & s.entities)
        if (shared and p.event_types & s.event_types) or (
            shared >= 2 and not (p.event_types and s.event_types)
        ):
            total += PARTY_AGREES * f
    return total


class StoryIndex:
    """Assigns articles to stories; all durable state lives in the `stories` mapping."""

    def __init__(
        self,
        stories: MutableMapping[str, StoryState],
        *,
        window: timedelta = timedelta(days=14),
        weak_entities: frozenset[str] = DEFAULT_WEAK_ENTITIES,
    ) -> None:
        self.stories = stories
        self.window = window
        self.weak_entities = weak_entities
        self._built = False
        self._summaries: dict[str, _Summary] = {}
        self._postings: dict[str, set[str]] = {}
        self._story_of: dict[str, str] = {}
        self._expiry: list[tuple[datetime, str]] = []  # (expires, story), lazily deleted

    # -- in-memory indexes ----------------------------------------------------------------

    def invalidate(self) -> None:
        """Drop the in-memory indexes (e.g. after staged table writes were discarded); the
        next call rebuilds them from the mapping."""
        self._built = False
        self._summaries.clear()
        self._postings.clear()
        self._story_of.clear()
        self._expiry.clear()

    def _ensure(self) -> None:
        if self._built:
            return
        self.invalidate()
        for sid in sorted(self.stories):
            state = self.stories.get(sid)
            if state is not None:
                self._index(sid, state, push=False)
        self._expiry = [(s.expires, sid) for sid, s in self._summaries.items()]
        heapq.heapify(self._expiry)
        self._built = True

    def _index(self, sid: str, state: StoryState, *, push: bool = True) -> None:
        """(Re)index one story from its state: summary, postings, article ids, expiry."""
        old = self._summaries.get(sid)
        summary = _summarise(state, self.weak_entities)
        self._summaries[sid] = summary
        before = frozenset(old.posted) if old is not None else frozenset()
        after = frozenset(summary.posted)
        for term in before - after:
            self._drop_posting(term, sid)
        for term in after - before:
            self._postings.setdefault(term, set()).add(sid)
        for aid in summary.article_ids:
            self._story_of[aid] = sid
        if push:
            heapq.heappush(self._expiry, (summary.expires, sid))

    def _drop_posting(self, term: str, sid: str) -> None:
        posting = self._postings.get(term)
        if posting is not None:
            posting.discard(sid)
            if not posting:
                del self._postings[term]

    def _unindex(self, sid: str, summary: _Summary) -> None:
        for term in summary.posted:
            self._drop_posting(term, sid)
        for aid in summary.article_ids:
            if self._story_of.get(aid) == sid:
                del self._story_of[aid]
        del self._summaries[sid]

    # -- public API -----------------------------------------------------------------------

    def story_of(self, article_id: str) -> str | None:
        """The story an article id was already assigned to (re-sends change nothing)."""
        self._ensure()
        sid = self._story_of.get(article_id)
        return sid if sid is not None and sid in self.stories else None

    def assign(
        self,
        article: ArticleEvent,
        analysis: ArticleAnalysis,
        now: datetime,
        features: StoryFeatures | None = None,
    ) -> Assignment:
        """Put the article into its story (new or existing) and write the story back.
        `features`: `story_features(article, analysis)` when the caller computed them
        already (e.g. in the parallel analyze stage); computed here otherwise."""
        self._ensure()
        known = self._story_of.get(article.id)
        state = self.stories.get(known) if known is not None else None
        if state is not None:
            member = next((a for a in state.articles if a.article_id == article.id), None)
            if member is not None:
                return Assignment(
                    story=state,
                    syndicated_of=member.syndicated_of,
                    is_new_story=False,
                    already_seen=True,
                )
        if features is None:
            features = story_features(article, analysis, self.weak_entities)
        shingles = features.sketch
        probe = _Probe(
            terms=features.terms,
            years=frozenset(features.years),
            event_types=frozenset(analysis.event_types),
            entities=frozenset(e for e in analysis.entities if e not in self.weak_entities),
            value=analysis.deal_value,
            count=analysis.quantity.count if analysis.quantity else None,
            published_at=_utc(article.published_at),
        )
        sid, existing, syndicated_of = self._place(probe, shingles)
        member = StoryArticle.model_construct(  # every field comes from a validated article
            article_id=article.id,
            outlet=article.source.name,
            domain=article.source.domain,
            published_at=article.published_at,
            title=article.title,
            url=article.url,
            minhash=shingles if existing is None or _sketched(existing) < MAX_SKETCHES else [],
            syndicated_of=syndicated_of,
        )
        if sid is None or existing is None:
            sid = story_id_for(article.id)
            state = new_story(sid, member, analysis, now)
            state = state.model_copy(update={"profile": _grown(StoryProfile(), probe)})
        else:
            state = grow_story(existing, member, analysis, now)
            state = state.model_copy(update={"profile": _grown(existing.profile, probe)})
        self.stories[sid] = state
        self._index(sid, state)
        return Assignment(story=state, syndicated_of=syndicated_of, is_new_story=existing is None)

    def prune(self, now: datetime, *, limit: int | None = None) -> int:
        """Forget stories neither reported nor touched for longer than the window, oldest
        first; at most `limit` of them per call (bounded work, so the stream can prune a few
        per batch). Returns how many were dropped."""
        self._ensure()
        cutoff = _utc(now) - self.window
        dropped = 0
        budget = None if limit is None else 4 * limit + 16  # stale queue entries are cheap
        while self._expiry and self._expiry[0][0] < cutoff:
            if limit is not None and dropped >= limit:
                break
            if budget is not None:
                budget -= 1
                if budget < 0:
                    break
            seen_at, sid = heapq.heappop(self._expiry)
            summary = self._summaries.get(sid)
            if summary is None or summary.expires != seen_at:
                continue  # the story grew since (a later entry stands for it) or is gone
            self._unindex(sid, summary)
            if sid in self.stories:
                del self.stories[sid]
            dropped += 1
        return dropped

    # -- matching -------------------------------------------------------------------------

    def _candidates(self, probe: _Probe) -> list[str]:
        """Stories sharing the article's distinctive terms: at most `CANDIDATES`, those
        sharing most first, and only those sharing two or more when any does (one shared
        term out of dozens is a coincidence, not a story)."""
        hits: Counter[str] = Counter()
        postings = self._postings.get
        for term in probe.terms:
            posting = postings(term)
            if posting is not None and len(posting) <= POSTING_CAP:
                hits.update(posting)
        ranked = sorted(zip(map(neg, hits.values()), hits.keys(), strict=True))[:CANDIDATES]
        if ranked and ranked[0][0] <= -2:
            ranked = [r for r in ranked if r[0] <= -MIN_SHARED]
        return sorted(sid for _, sid in ranked)

    def _place(
        self, probe: _Probe, shingles: list[int]
    ) -> tuple[str | None, StoryState | None, str | None]:
        """The story the article joins (with its state) and the original it copies, or
        (None, None, None) for a new story."""
        weights = probe.terms.get
        best: tuple[float, str] | None = None
        best_content = 0.0
        closest: tuple[float, str] | None = None  # best content among possible copies
        for sid in self._candidates(probe):
            s = self._summaries[sid]
            gap = _gap(probe.published_at, s)
            if gap > self.window:
                continue
            content = sum(map(mul, s.weights, map(weights, s.terms, repeat(0.0)))) / s.norm
            total = score(probe, s, content, gap)
            if best is None or total > best[0]:
                best, best_content = (total, sid), content
            if (
                content >= DUP_CONTENT
                and gap <= COPY_GAP
                and (closest is None or content > closest[0])
            ):
                closest = (content, sid)
        if best is not None and best[0] >= MATCH:
            state = self.stories.get(best[1])
            if state is not None:
                root = None
                if best_content >= COPY_CONTENT:  # a copy shares nearly all its terms
                    sim, original = _nearest_copy(state, shingles)
                    root = original if sim >= SYNDICATED else None
                return best[1], state, root
        if closest is not None:  # a copy whose extracted facts disagree with the story's
            state = self.stories.get(closest[1])
            if state is not None:
                sim, root = _nearest_copy(state, shingles)
                if sim >= SURE_DUP:
                    return closest[1], state, root
        return None, None, None


def _sketched(state: StoryState) -> int:
    return sum(1 for a in state.articles if a.minhash)


def _nearest_copy(state: StoryState, shingles: list[int]) -> tuple[float, str]:
    """The highest shingle similarity to a sketched member, and that member's original."""
    sketched = [a for a in state.articles if len(a.minhash) == len(shingles)]
    if not sketched or not shingles:
        return 0.0, ""
    sims = similarities(shingles, [a.minhash for a in sketched])
    best = max(range(len(sketched)), key=sims.__getitem__)
    art = sketched[best]
    return sims[best], art.syndicated_of or art.article_id


def _grown(profile: StoryProfile, probe: _Probe) -> StoryProfile:
    """The profile with one more member: summed term weights (top `STORY_TERMS`, rounded so
    the stored profile is compact and rebuilds the same index), and its facts."""
    acc = dict(profile.terms)
    for term, w in probe.terms.items():
        acc[term] = acc.get(term, 0.0) + w
    top = sorted([(-w, t) for t, w in acc.items()])[:STORY_TERMS]
    values = list(profile.values)
    if probe.value is not None and len(values) < MAX_FACTS and probe.value not in values:
        values.append(probe.value)
    counts = list(profile.counts)
    if probe.count is not None and len(counts) < MAX_FACTS and probe.count not in counts:
        counts.append(probe.count)
    years = sorted(set(profile.years) | probe.years)[-MAX_FACTS:]
    return StoryProfile.model_construct(  # built from validated parts
        terms={t: round(-w, 4) for w, t in top},
        values=values,
        counts=counts,
        years=years,
    )


def _summarise(state: StoryState, weak_entities: frozenset[str]) -> _Summary:
    """A story's summary, from its state alone (so a rebuild gives the same index)."""
    terms = state.profile.terms
    weights = tuple(terms.values())
    pubs = [_utc(a.published_at) for a in state.articles]
    return _Summary(
        terms=tuple(terms),
        weights=weights,
        norm=math.sqrt(sum(w * w for w in weights)) or 1.0,
        posted=tuple(t for t in terms if not t.startswith("c:"))[:INDEX_TERMS],
        first_pub=min(pubs),
        last_pub=max(pubs),
        expires=_utc(max(state.last_seen, state.updated_at or state.last_seen)),
        event_types=frozenset(state.event_types),
        entities=frozenset(state.entities) - weak_entities,
        values=tuple(state.profile.values),
        counts=frozenset(state.profile.counts),
        years=frozenset(state.profile.years),
        article_ids=tuple(a.article_id for a in state.articles),
    )
