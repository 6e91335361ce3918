"""Story clustering: which real-world event an article reports, and how many outlets did.

Two signals decide that an article joins an existing story:

1. Near-duplicate text (MinHash + LSH over word shingles of the body): wire copies and light
   edits of one text. A very close copy is also marked ``syndicated_of`` its original.
2. Event signature: the same key parties (specific entities, countries), compatible event
   types, deal values that do not contradict each other, similar titles, published within a
   few days. Two deals between the same firms months apart stay apart because of the date
   distance; commentary without an event joins a deal story only on strong party overlap.

All state lives in two mappings (``stories`` and ``seen``) so they can be faust Tables in
the stream or plain dicts in the CLI; the LSH and the per-story summaries are caches that
are rebuilt from ``stories`` on first use (or after :meth:`StoryIndex.invalidate`).
"""

from __future__ import annotations

import hashlib
import math
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, MutableMapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from typing import Any

import numpy as np
from datasketch import MinHash, MinHashLSH

from signalfire.analysis.story_facts import grow_story, new_story
from signalfire.models.analysis import ArticleAnalysis, DealValue
from signalfire.models.article import ArticleEvent
from signalfire.models.story import StoryArticle, StoryState

SHINGLE_WORDS = 3
MINHASH_SCHEME = "affine32"  # pinned: stored hash values must stay comparable
NEAR_DUP = 0.5  # estimated shingle Jaccard at which two bodies are one text
SYNDICATED = 0.8  # ... and at which the later one is a copy of the earlier
SURE_DUP = 0.9  # so close that even a contradicting deal value cannot separate them
EVENT_GAP = timedelta(days=4)  # how far apart two reports of one event may be published
COMMENTARY_GAP = timedelta(days=7)  # a follow-up analysis may come a week later
COPY_GAP = timedelta(days=7)  # a republished copy beyond this is a new story (anniversaries)
VALUE_CONFLICT = 0.9  # values further apart than this ratio are different deals
MATCH_SCORE = 0.55  # event-signature score needed to join a story
# Umbrella bodies appear in a large share of defence articles; sharing them says little.
DEFAULT_WEAK_ENTITIES: frozenset[str] = frozenset({"nato", "eu", "pentagon"})

# Event types that different outlets use for the same deal ("agreement" vs "contract").
_DEAL_TYPES = frozenset(
    {"agreement", "mou", "contract", "joint_venture", "tech_transfer", "investment", "acquisition"}
)
_WORD = re.compile(r"[a-z0-9]+")
# fmt: off
_STOP = frozenset({
    "a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "has", "have",
    "in", "into", "is", "it", "its", "of", "on", "or", "over", "s", "says", "said",
    "set", "than", "that", "the", "their", "this", "to", "up", "was", "were", "will", "with",
    "after", "about", "new", "more",
})
# fmt: on


@dataclass(frozen=True)
class Assignment:
    """Where an article landed; ``story`` is already written back to the mapping."""

    story: StoryState
    syndicated_of: str | None
    is_new_story: bool
    already_seen: bool = False


@dataclass
class _Summary:
    """The comparable essentials of one story, kept in memory so scoring never deserialises."""

    entities: set[str]
    countries: set[str]
    event_types: set[str]
    titles: list[frozenset[str]]
    values_eur: list[float]
    counts: set[int]
    first_pub: datetime
    last_pub: datetime
    keys: set[str] = field(default_factory=set)


def story_id_for(article_id: str) -> str:
    """Deterministic id from the founding article, so a replay yields the same ids."""
    return "s-" + hashlib.sha1(article_id.encode("utf-8"), usedforsecurity=False).hexdigest()[:10]


def _words(text: str) -> list[str]:
    return _WORD.findall(unicodedata.normalize("NFKC", text).lower())


@lru_cache(maxsize=65536)
def title_terms(title: str) -> frozenset[str]:
    """Content words of a title with a crude plural strip, for cross-outlet comparison."""
    out = set()
    for w in _words(title):
        if w in _STOP:
            continue
        if len(w) > 3 and w.endswith("s") and not w.endswith("ss"):
            w = w[:-1]
        out.add(w)
    return frozenset(out)


@lru_cache(maxsize=8)
def _permutations(num_perm: int) -> Any:
    """The (seeded, hence always identical) permutation parameters, drawn once: MinHash
    would otherwise redraw them from a fresh RandomState for every sketch it builds."""
    perms = MinHash(num_perm=num_perm, scheme=MINHASH_SCHEME).permutations
    perms.flags.writeable = False  # shared by every sketch
    return perms


_WORD_HASHES: dict[str, int] = {}
_WORD_HASHES_MAX = 500_000
# Odd 64-bit multipliers that mix the three word hashes of a shingle into one value.
_MIX = np.array([0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9], dtype=np.uint64)


def _word_hash(word: str) -> int:
    """A stable 32-bit hash per word (blake2b)."""
    return int.from_bytes(hashlib.blake2b(word.encode("utf-8"), digest_size=4).digest(), "little")


def _word_hashes(words: Sequence[str]) -> Iterable[int]:
    """`_word_hash` of every word, in order, from a cache (news vocabulary repeats heavily):
    the words the cache lacks are hashed first, then the lookups run in C (`map`)."""
    missing = [w for w in set(words) if w not in _WORD_HASHES]
    if missing:
        if len(_WORD_HASHES) + len(missing) > _WORD_HASHES_MAX:
            _WORD_HASHES.clear()
            missing = list(set(words))
        _WORD_HASHES.update(zip(missing, map(_word_hash, missing), strict=True))
    return map(_WORD_HASHES.__getitem__, words)


def shingle_hashes(words: Sequence[str]) -> list[int]:
    """32-bit hashes of the distinct word 3-shingles, mixed from cached word hashes in numpy
    (hashing every shingle's text with SHA-1 was the largest cost of story assignment)."""
    if not words:
        return []
    ids = np.fromiter(_word_hashes(words), dtype=np.uint64, count=len(words))
    if len(ids) < SHINGLE_WORDS:
        ids = np.concatenate([ids, np.zeros(SHINGLE_WORDS - len(ids), dtype=np.uint64)])
    n = len(ids) - SHINGLE_WORDS + 1
    with np.errstate(over="ignore"):  # wrap-around multiplication is the point
        mixed = ids[:n] * _MIX[0] + ids[1 : n + 1] * _MIX[1] + ids[2 : n + 2] * _MIX[2]
    unique: list[int] = np.unique((mixed >> np.uint64(32)).astype(np.uint32)).tolist()
    return unique


def body_minhash(body: str, num_perm: int) -> MinHash:
    """MinHash of word 3-shingles of the normalised body (robust to light edits)."""
    mh = MinHash(
        num_perm=num_perm,
        scheme=MINHASH_SCHEME,
        permutations=_permutations(num_perm),
        hashfunc=int,  # the values are already 32-bit shingle hashes
    )
    hashes = shingle_hashes(_words(body))
    if hashes:
        mh.update_batch(hashes)
    return mh


def _restore(values: list[int], num_perm: int) -> MinHash:
    """A MinHash from stored hash values (same seed and scheme as :func:`body_minhash`)."""
    return MinHash(
        num_perm=num_perm,
        hashvalues=values,
        scheme=MINHASH_SCHEME,
        permutations=_permutations(num_perm),
    )


def _jaccard(a: Iterable[str], b: Iterable[str]) -> float:
    sa, sb = set(a), set(b)
    union = sa | sb
    return len(sa & sb) / len(union) if union else 0.0


def _utc(dt: datetime) -> datetime:
    """The same instant in UTC: comparing datetimes that share one tzinfo is far cheaper
    than comparing ones with different offsets (naive datetimes are left alone)."""
    return dt.astimezone(UTC) if dt.utcoffset() is not None else dt


def _gap(pub: datetime, s: _Summary) -> timedelta:
    if pub < s.first_pub:
        return s.first_pub - pub
    if pub > s.last_pub:
        return pub - s.last_pub
    return timedelta(0)


class StoryIndex:
    """Assigns articles to stories; all durable state lives in the two mappings."""

    def __init__(
        self,
        stories: MutableMapping[str, StoryState],
        seen: MutableMapping[str, str],
        *,
        window: timedelta = timedelta(days=14),
        num_perm: int = 64,
        weak_entities: frozenset[str] = DEFAULT_WEAK_ENTITIES,
    ) -> None:
        self.stories = stories
        self.seen = seen
        self.window = window
        self.num_perm = num_perm
        self.weak_entities = weak_entities
        self._lsh: MinHashLSH | None = None
        self._summaries: dict[str, _Summary] = {}
        self._by_key: dict[str, set[str]] = {}
        # Title-word document frequencies, so boilerplate ("awarded", "contract") weighs little.
        self._df: Counter[str] = Counter()
        self._counted: set[str] = set()

    # -- caches ---------------------------------------------------------------------------

    def invalidate(self) -> None:
        """Drop the in-memory caches (e.g. after a rebalance changed the tables' contents)."""
        self._lsh = None
        self._summaries.clear()
        self._by_key.clear()
        self._df.clear()
        self._counted.clear()

    def _ensure(self) -> MinHashLSH:
        if self._lsh is None:
            self._lsh = MinHashLSH(threshold=NEAR_DUP, num_perm=self.num_perm)
            self._summaries.clear()
            self._by_key.clear()
            self._df.clear()
            self._counted.clear()
            for sid, state in list(self.stories.items()):
                self._index(sid, state)
        return self._lsh

    def _index(self, sid: str, state: StoryState) -> None:
        """(Re)index one story: LSH entries for new members, summary and key postings."""
        lsh = self._lsh
        assert lsh is not None
        for art in state.articles:
            if art.article_id not in self._counted:
                self._counted.add(art.article_id)
                self._df.update(title_terms(art.title))
            if len(art.minhash) == self.num_perm and art.article_id not in lsh.keys:
                mh = _restore(art.minhash, self.num_perm)
                lsh.insert(art.article_id, mh, check_duplication=False)
        old = self._summaries.get(sid)
        if old is not None:
            self._unpost(sid, old)
        summary = _Summary(
            entities=set(state.entities) - self.weak_entities,
            countries=set(state.countries),
            event_types=set(state.event_types),
            titles=[title_terms(a.title) for a in state.articles],
            values_eur=[],
            counts=set(),
            first_pub=_utc(min(a.published_at for a in state.articles)),
            last_pub=_utc(max(a.published_at for a in state.articles)),
        )
        if state.deal_value is not None:
            summary.values_eur.append(state.deal_value.eur)
        if state.quantity is not None:
            summary.counts.add(state.quantity.count)
        summary.keys = {"e:" + e for e in summary.entities} | {"c:" + c for c in summary.countries}
        for key in summary.keys:
            self._by_key.setdefault(key, set()).add(sid)
        self._summaries[sid] = summary

    def _unpost(self, sid: str, summary: _Summary) -> None:
        for key in summary.keys:
            posting = self._by_key.get(key)
            if posting is not None:
                posting.discard(sid)
                if not posting:
                    del self._by_key[key]

    # -- public API -----------------------------------------------------------------------

    def story_of(self, article_id: str) -> str | None:
        """The story an article id was already assigned to (re-sends change nothing)."""
        return self.seen.get(article_id)

    def assign(self, article: ArticleEvent, findings: ArticleAnalysis, now: datetime) -> Assignment:
        """Put the article into its story (new or existing) and write the story back."""
        known = self.seen.get(article.id)
        if known is not None and known in self.stories:
            state = self.stories[known]
            member = next((a for a in state.articles if a.article_id == article.id), None)
            return Assignment(
                story=state,
                syndicated_of=member.syndicated_of if member else None,
                is_new_story=False,
                already_seen=True,
            )
        lsh = self._ensure()
        mh = body_minhash(article.body, self.num_perm)
        sid, syndicated_of = self._near_duplicate(article, findings, mh, lsh)
        if sid is None:
            sid = self._signature_match(article, findings)
        existing = self.stories.get(sid) if sid is not None else None
        if existing is None:  # a cache entry whose write was rolled back: start afresh
            sid, syndicated_of = None, None
        member = StoryArticle(
            article_id=article.id,
            outlet=article.source.name,
            domain=article.source.domain,
            published_at=article.published_at,
            title=article.title,
            url=article.url,
            minhash=[int(v) for v in mh.hashvalues],
            syndicated_of=syndicated_of,
        )
        if sid is None or existing is None:
            sid = story_id_for(article.id)
            state = new_story(sid, member, findings, now)
        else:
            state = grow_story(existing, member, findings, now)
        self.stories[sid] = state
        self.seen[article.id] = sid
        self._index(sid, state)
        return Assignment(story=state, syndicated_of=syndicated_of, is_new_story=existing is None)

    def prune(self, now: datetime) -> int:
        """Forget stories not reported for longer than the window; returns how many."""
        cutoff = now - self.window
        dropped = 0
        for sid, state in list(self.stories.items()):
            if (state.updated_at or state.last_seen) >= cutoff:
                continue
            for art in state.articles:
                if self.seen.get(art.article_id) == sid:
                    del self.seen[art.article_id]
                if art.article_id in self._counted:
                    self._counted.discard(art.article_id)
                    self._df.subtract(title_terms(art.title))
                if self._lsh is not None and art.article_id in self._lsh.keys:
                    self._lsh.remove(art.article_id)
            summary = self._summaries.pop(sid, None)
            if summary is not None:
                self._unpost(sid, summary)
            del self.stories[sid]
            dropped += 1
        return dropped

    # -- matching -------------------------------------------------------------------------

    def _near_duplicate(
        self, article: ArticleEvent, findings: ArticleAnalysis, mh: MinHash, lsh: MinHashLSH
    ) -> tuple[str | None, str | None]:
        """The story of the most similar earlier body, and the original if it is a copy."""
        best: tuple[float, str, str] | None = None
        pub = _utc(article.published_at)
        for other_id in lsh.query(mh):
            sid = self.seen.get(other_id)
            summary = self._summaries.get(sid) if sid else None
            if sid is None or summary is None or _gap(pub, summary) > COPY_GAP:
                continue
            state = self.stories.get(sid)
            if state is None:
                continue
            other = next((a for a in state.articles if a.article_id == other_id), None)
            if other is None or len(other.minhash) != self.num_perm:
                continue
            sim = mh.jaccard(_restore(other.minhash, self.num_perm))
            if sim < NEAR_DUP:
                continue
            # Formulaic texts (contract notices) share most shingles but name other amounts.
            if sim < SURE_DUP and _value_conflict(findings.deal_value, summary.values_eur):
                continue
            if best is None or sim > best[0]:
                root = other.syndicated_of or other.article_id
                best = (sim, sid, root)
        if best is None:
            return None, None
        sim, sid, root = best
        return sid, (root if sim >= SYNDICATED else None)

    def _idf(self, term: str) -> float:
        """Smoothed inverse document frequency over the titles currently indexed."""
        return math.log((len(self._counted) + 10) / (self._df[term] + 1))

    def _entity_weight(self, entity: str, at: datetime) -> float:
        """1 for an entity in one story of these days, less for one in many: a contracting
        agency named in every notice (USACE, DLA) says little about which event this is."""
        df = sum(
            1
            for sid in self._by_key.get("e:" + entity, ())
            if sid in self._summaries and _gap(at, self._summaries[sid]) <= COMMENTARY_GAP
        )
        return 1.0 / (1.0 + max(0, df - 1) / 2)

    def _title_sim(
        self, a: frozenset[str], b: frozenset[str], idf: _IdfMemo | None = None
    ) -> float:
        """IDF-weighted Jaccard of two titles' content words (`idf`: a memo of `_idf`)."""
        if a.isdisjoint(b):
            return 0.0  # what the sums below give for no shared word, without the IDF work
        weight = (idf if idf is not None else _IdfMemo(self)).__getitem__
        union = sum(map(weight, a | b))
        return sum(map(weight, a & b)) / union if union > 0 else 0.0

    def _signature_match(self, article: ArticleEvent, findings: ArticleAnalysis) -> str | None:
        """The best-scoring story sharing key parties, or None when none is close enough."""
        ents = set(findings.entities) - self.weak_entities
        countries = set(findings.countries)
        if not ents and not countries:
            return None
        candidates: set[str] = set()
        for key in [*("e:" + e for e in ents), *("c:" + c for c in countries)]:
            candidates |= self._by_key.get(key, set())
        probe = _Probe(
            entities=ents,
            countries=countries,
            event_types=set(findings.event_types),
            title=title_terms(article.title),
            value_eur=findings.deal_value.eur if findings.deal_value else None,
            count=findings.quantity.count if findings.quantity else None,
            published_at=_utc(article.published_at),
        )
        best: tuple[float, str] | None = None
        idf = _IdfMemo(self)  # document frequencies do not change while scoring
        for sid in sorted(candidates):
            summary = self._summaries.get(sid)
            if summary is None or _too_far(probe, summary):
                continue  # `score` would be 0: skip the title and rarity work
            title = max((self._title_sim(probe.title, t, idf) for t in summary.titles), default=0.0)
            shared = probe.entities & summary.entities
            rarity = (
                sum(self._entity_weight(e, probe.published_at) for e in shared) / len(shared)
                if shared
                else 1.0
            )
            s = score(probe, summary, title, rarity)
            if s >= MATCH_SCORE and (best is None or s > best[0]):
                best = (s, sid)
        return best[1] if best else None


class _IdfMemo(dict[str, float]):
    """`StoryIndex._idf` per term, computed once per term while the counts stand still."""

    def __init__(self, index: StoryIndex) -> None:
        super().__init__()
        self._idf = index._idf

    def __missing__(self, term: str) -> float:
        value = self[term] = self._idf(term)
        return value


@dataclass(frozen=True)
class _Probe:
    """The incoming article's signature."""

    entities: set[str]
    countries: set[str]
    event_types: set[str]
    title: frozenset[str]
    value_eur: float | None
    count: int | None
    published_at: datetime


def _value_conflict(value: DealValue | None, story_values: Sequence[float]) -> bool:
    """Both sides name a deal value and they clearly differ (> 10 %)."""
    if value is None or not story_values:
        return False
    return all(min(value.eur, v) < VALUE_CONFLICT * max(value.eur, v) for v in story_values)


def _type_compat(a: set[str], b: set[str]) -> float | None:
    """1 for a shared type, 0.5 for two deal types, None when the events cannot be one."""
    if a & b:
        return 1.0
    if a <= _DEAL_TYPES and b <= _DEAL_TYPES:
        return 0.5
    return None


def _value_match(p: _Probe, s: _Summary) -> float:
    """+1 when the deal values agree (within 5 %), -1 when they clearly differ, else 0."""
    if p.value_eur is None or not s.values_eur:
        return 0.0
    ratios = [min(p.value_eur, v) / max(p.value_eur, v) for v in s.values_eur if v > 0]
    if ratios and max(ratios) >= 0.95:
        return 1.0
    if ratios and max(ratios) < VALUE_CONFLICT:
        return -1.0
    return 0.0


def _too_far(p: _Probe, s: _Summary) -> bool:
    """Published too far apart to be one event (or one event and its commentary)."""
    events = bool(p.event_types) and bool(s.event_types)
    return _gap(p.published_at, s) > (EVENT_GAP if events else COMMENTARY_GAP)


def score(p: _Probe, s: _Summary, title: float, rarity: float = 1.0) -> float:
    """Event-signature similarity in about [0, 1.3]; below MATCH_SCORE means another story."""
    if _too_far(p, s):
        return 0.0
    gap = _gap(p.published_at, s)
    events = bool(p.event_types) and bool(s.event_types)
    shared_e = len(p.entities & s.entities)
    shared_c = len(p.countries & s.countries)
    c_sim = _jaccard(p.countries, s.countries)
    value = _value_match(p, s)
    qty = 1.0 if p.count is not None and p.count in s.counts else 0.0
    if events:
        compat = _type_compat(p.event_types, s.event_types)
        if compat is None:
            return 0.0  # an incident is not a contract, however many parties they share
        # Countries alone are coarse: without a shared firm, ask for a matching figure, a
        # similar headline, or the very same event signature (all countries, same types).
        same_signature = (
            shared_c >= 2 and c_sim == 1.0 and _jaccard(p.event_types, s.event_types) >= 0.5
        )
        if not (
            (shared_e and (shared_e >= 2 or shared_c or value > 0 or qty or title >= 0.3))
            or same_signature
            or (shared_c >= 1 and title >= 0.3 and value >= 0)
            or (shared_c >= 2 and (value > 0 or qty))
        ):
            return 0.0
    else:
        # Commentary next to a deal (or two event-less pieces): only on strong evidence.
        compat, same_signature = 0.0, False
        strong = (
            shared_e >= 2
            or (shared_e >= 1 and (title >= 0.3 or value > 0))
            or (shared_c >= 1 and value > 0)
        )
        if not strong or (shared_e < 2 and gap > EVENT_GAP):
            return 0.0
    e_sim = shared_e / min(len(p.entities), len(s.entities)) if p.entities and s.entities else 0.0
    near = 0.1 if gap <= timedelta(days=1) else 0.0
    floor = MATCH_SCORE if not events else 0.0  # passed the strict commentary gate above
    return max(floor, 0.0) + (
        0.4 * e_sim * rarity
        + 0.25 * c_sim
        + 0.15 * compat
        + 0.35 * title
        + 0.25 * value
        + 0.1 * qty
        + near
        + 0.1 * same_signature
        - 0.25 * (value < 0)
    )
