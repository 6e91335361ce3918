"""The whole judgement, without Kafka: analyse an article, place it in a story, match rules.

The stream runs the two halves in separate agents (`analyze` scales across partitions;
`correlate` owns story state); `signalfire analyze` and `dry-run` call `process`, so both paths
run the same code.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, MutableMapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from signalfire.analysis.analyzer import Analyzer
from signalfire.analysis.gazetteer import Gazetteer
from signalfire.analysis.naming import display_name
from signalfire.analysis.stories import StoryIndex
from signalfire.models.alert import AlertRecord
from signalfire.models.analysis import AnalysisRecord, ArticleAnalysis, StoryPlacement
from signalfire.models.article import ArticleEvent
from signalfire.models.story import StoryFeatures, StoryState
from signalfire.models.watchlist import Watchlist
from signalfire.rules.matching import Firing, evaluate, held_conditions, story_keywords


@dataclass
class Outcome:
    """What one article produced. `record` is None when its id was already seen."""

    record: AnalysisRecord | None
    story: StoryState | None = None
    alerts: list[AlertRecord] = field(default_factory=list)

    @property
    def duplicate(self) -> bool:
        return self.record is None


def alert_id(rule_id: str, story_id: str, follow_up_level: str = "") -> str:
    """Deterministic, so a replayed article yields the same id and the delivery log dedupes it."""
    digest = hashlib.sha256(f"{rule_id}\x00{story_id}\x00{follow_up_level}".encode()).hexdigest()
    return f"a-{digest[:16]}"


def build_alert(
    firing: Firing,
    story: StoryState,
    article: ArticleEvent,
    now: datetime,
    namer: Callable[[str], str | None] | None = None,
    kind_of: Callable[[str], str | None] | None = None,
) -> AlertRecord:
    """An alert record from a rule firing over the story at this article: the story's facts
    as they stand, what fired and why (the conditions that held), for whom, and for a
    follow-up what the story looked like at the previous alert."""
    rule = firing.rule
    level = f"{story.sources}/{story.impact}" if firing.follow_up else ""
    conditions = held_conditions(rule, story)
    named = [
        *story.entities,
        *story.countries,
        *(p.id for p in story.affected),
        *story.related_entities,
        *(i for c in conditions if c.name in ("entities", "countries") for i in c.matched),
    ]
    previous = firing.previous if firing.follow_up else None
    return AlertRecord(
        **story.facts(),
        alert_id=alert_id(rule.id, story.story_id, level),
        rule_id=rule.id,
        rule_description=rule.description,
        story=story.story_id,
        article_ids=story.article_ids,
        trigger_article_id=article.id,
        headline=article.title,
        url=article.url,
        sources=story.sources,
        source_domains=story.domains,
        story_members=story.members,
        names=_names(namer, named),
        kinds=_names(kind_of, named),
        subscribers=list(rule.notify),
        severity=rule.severity,
        follow_up=firing.follow_up,
        conditions=conditions,
        first_alert_id=alert_id(rule.id, story.story_id),
        previous_sources=previous.sources if previous else None,
        previous_impact=previous.impact if previous else None,
        fired_at=now,
    )


def _names(namer: Callable[[str], str | None] | None, ids: Sequence[str]) -> dict[str, str]:
    if namer is None:
        return {}
    return {i: n for i in dict.fromkeys(ids) if (n := namer(i)) is not None}


def entity_kind(gazetteer: Gazetteer, item_id: str) -> str | None:
    """The gazetteer kind of an entity id ("company", "program", …), "country" for an ISO
    code, or None: alerts list mentioned parties with their kind."""
    entity = gazetteer.get(item_id)
    if entity is not None:
        return entity.kind
    if len(item_id) == 2 and item_id.isupper():
        return "country"
    return None


class Correlator:
    """Story placement and rule matching over state held in one mapping (story id -> story);
    which story an article is in is derived from it (`index.story_of`)."""

    def __init__(
        self,
        stories: MutableMapping[str, StoryState],
        watchlist: Callable[[], Watchlist],
        *,
        window: timedelta = timedelta(days=14),
    ) -> None:
        self.index = StoryIndex(stories, window=window)
        self.namer: Callable[[str], str | None] | None = None  # id -> display name, for alerts
        self.kind_of: Callable[[str], str | None] | None = None  # id -> kind, for alerts
        self._stories = stories
        self._watchlist = watchlist

    def correlate(
        self,
        article: ArticleEvent,
        analysis: ArticleAnalysis,
        now: datetime,
        features: StoryFeatures | None = None,
    ) -> Outcome:
        """Place the article in a story, then fire the rules it newly satisfies. `features`:
        the article's story features when the analyze stage already computed them."""
        if self.index.story_of(article.id) is not None:
            return Outcome(record=None)
        watchlist = self._watchlist()
        assignment = self.index.assign(article, analysis, now, features=features)
        story = assignment.story
        found = story_keywords(watchlist, article.text)
        if found - set(story.keywords):
            story = story.model_copy(update={"keywords": sorted(set(story.keywords) | found)})
        evaluation = evaluate(watchlist, story, trigger_article_id=article.id, now=now)
        story = evaluation.apply(story)
        firings = evaluation.firings
        self._stories[story.story_id] = story
        placement = StoryPlacement(
            article_id=article.id,
            story=story.story_id,
            sources=story.sources,
            source_domain=article.source.domain,
            syndicated_of=assignment.syndicated_of,
            story_members=story.members,
        )
        record = AnalysisRecord.of(analysis, placement)
        alerts = [build_alert(f, story, article, now, self.namer, self.kind_of) for f in firings]
        return Outcome(record=record, story=story, alerts=alerts)


class Pipeline:
    """analyze + correlate in one call, for the offline commands."""

    def __init__(self, analyzer: Analyzer, correlator: Correlator) -> None:
        self.analyzer = analyzer
        self.correlator = correlator

    @classmethod
    def in_memory(cls, analyzer: Analyzer, watchlist: Watchlist) -> Pipeline:
        stories: dict[str, StoryState] = {}
        correlator = Correlator(stories, lambda: watchlist)
        correlator.namer = lambda i: display_name(analyzer.gazetteer, i)
        correlator.kind_of = lambda i: entity_kind(analyzer.gazetteer, i)
        return cls(analyzer, correlator)

    def process(self, article: ArticleEvent, now: datetime) -> Outcome:
        if self.correlator.index.story_of(article.id) is not None:
            return Outcome(record=None)
        return self.correlator.correlate(article, self.analyzer.analyze(article), now)
