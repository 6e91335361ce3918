"""What is known about one story so far: the union over its articles."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from signalfire.models.analysis import DealValue, Facts, StoryMember


class StoryArticle(StoryMember):
    """One member article, with what clustering needs to compare later arrivals to it
    (`minhash`: the body's shingle sketch, kept for a story's first few members only)."""

    minhash: list[int] = Field(default_factory=list)
    syndicated_of: str | None = None

    def member(self) -> StoryMember:
        """The analyst's view of this article (outlet, title, link)."""
        return StoryMember(**{name: getattr(self, name) for name in StoryMember.model_fields})


class StoryFeatures(BaseModel):
    """What story clustering needs from one article's text (its term vector, lead years and
    shingle sketch). Pure and stateless, so the parallel analyze stage can compute it and
    hand it to the single-partition correlate stage with the analysis
    (`stories.story_features`)."""

    model_config = ConfigDict(frozen=True)

    terms: dict[str, float]
    years: list[int] = Field(default_factory=list)
    sketch: list[int] = Field(default_factory=list)


class FiredMark(BaseModel):
    """A rule fired for this story at this level; follow-ups fire only when it grows."""

    model_config = ConfigDict(frozen=True)

    sources: int
    impact: int


class StoryProfile(BaseModel):
    """What story clustering compares a new article with, bounded whatever the story's size:
    the top weighted terms of its members (the sum of their unit term vectors, rounded), and
    the deal values, quantities and lead years its members named. `terms` is kept in
    descending weight order."""

    model_config = ConfigDict(frozen=True)

    terms: dict[str, float] = Field(default_factory=dict)
    values: list[DealValue] = Field(default_factory=list)
    counts: list[int] = Field(default_factory=list)
    years: list[int] = Field(default_factory=list)


class StoryState(Facts):
    """The aggregate that rules are evaluated over (CONTRACT.md section 2, last paragraph):
    the story's facts (the union over its articles) plus membership and rule marks."""

    story_id: str
    articles: list[StoryArticle] = Field(default_factory=list)
    keywords: list[str] = Field(default_factory=list)
    fired: dict[str, FiredMark] = Field(default_factory=dict)
    profile: StoryProfile = Field(default_factory=StoryProfile)
    first_seen: datetime
    last_seen: datetime
    # When an article last joined (processing time): the story window counts from here,
    # so replaying old articles does not close their stories at once.
    updated_at: datetime | None = None

    @property
    def article_ids(self) -> list[str]:
        return [a.article_id for a in self.articles]

    @property
    def members(self) -> list[StoryMember]:
        """Member articles as analysts see them, in order of arrival."""
        return [a.member() for a in self.articles]

    @property
    def domains(self) -> list[str]:
        """Distinct source domains, in order of first report."""
        return list(dict.fromkeys(a.domain for a in self.articles))

    @property
    def all_entities(self) -> set[str]:
        """Canonical and related ids: what watchlist `entities` conditions match against."""
        return {*self.entities, *self.related_entities}

    @property
    def sources(self) -> int:
        return len(self.domains)

    @property
    def max_value_eur(self) -> float | None:
        return self.deal_value.eur if self.deal_value else None
