"""What is known about one story so far: the union over its articles."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from signalfire.models.analysis import Contribution, DealValue, Quantity


class StoryArticle(BaseModel):
    """One member article, with what clustering needs to compare later arrivals to it."""

    model_config = ConfigDict(frozen=True)

    article_id: str
    domain: str
    published_at: datetime
    title: str
    url: str
    minhash: list[int] = Field(default_factory=list)
    syndicated_of: str | None = None


class FiredMark(BaseModel):
    """A rule fired for this story at this level; follow-ups fire only when it grows."""

    model_config = ConfigDict(frozen=True)

    sources: int
    impact: int


class StoryState(BaseModel):
    """The aggregate that rules are evaluated over (CONTRACT.md section 2, last paragraph)."""

    story_id: str
    articles: list[StoryArticle] = Field(default_factory=list)
    entities: list[str] = Field(default_factory=list)
    related_entities: list[str] = Field(default_factory=list)
    countries: list[str] = Field(default_factory=list)
    event_types: list[str] = Field(default_factory=list)
    keywords: list[str] = Field(default_factory=list)
    impact: int = 1
    impact_reasons: list[Contribution] = Field(default_factory=list)
    deal_value: DealValue | None = None
    quantity: Quantity | None = None
    sentiment: str = "neutral"
    fired: dict[str, FiredMark] = Field(default_factory=dict)
    first_seen: datetime
    last_seen: datetime

    @property
    def article_ids(self) -> list[str]:
        return [a.article_id for a in self.articles]

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
