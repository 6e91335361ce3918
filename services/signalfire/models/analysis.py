"""The analysis record (CONTRACT.md section 4) and its parts."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

Sentiment = Literal["bullish", "bearish", "neutral"]
Direction = Literal["positive", "negative", "neutral"]
EventType = Literal[
    "agreement",
    "mou",
    "contract",
    "joint_venture",
    "tech_transfer",
    "delivery",
    "acquisition",
    "investment",
    "regulatory",
    "financial_results",
    "incident",
    "cancellation",
]
EVENT_TYPES: tuple[str, ...] = EventType.__args__  # type: ignore[attr-defined]


class DealValue(BaseModel):
    """The headline value of the main deal, with its EUR equivalent at fixed rates."""

    model_config = ConfigDict(frozen=True)

    amount: float
    currency: Annotated[str, Field(pattern=r"^[A-Z]{3}$")]
    eur: float
    text: str | None = None


class Quantity(BaseModel):
    """How many of the main items the deal covers."""

    model_config = ConfigDict(frozen=True)

    count: int
    item: str


class Contribution(BaseModel):
    """One named term of the impact score, so an analyst can see why a story scored 7."""

    model_config = ConfigDict(frozen=True)

    name: str
    points: float
    why: str


class EntityMatch(BaseModel):
    """Where an alias matched; offsets index `ArticleEvent.text` (title, blank line, body)."""

    model_config = ConfigDict(frozen=True)

    id: str
    alias: str
    start: int
    end: int


class EventMention(BaseModel):
    """An event the article reports as happening now, with its cue and parties."""

    model_config = ConfigDict(frozen=True)

    type: EventType
    cue: str
    parties: list[str] = Field(default_factory=list)


class AffectedParty(BaseModel):
    """Who is affected and in which direction (entity id or ISO country code)."""

    model_config = ConfigDict(frozen=True)

    id: str
    direction: Direction


class KeyFact(BaseModel):
    """One sentence of the article that carried a detected fact (an event, the deal value,
    the quantity, a date), so a reader sees why without opening the article."""

    model_config = ConfigDict(frozen=True)

    text: str
    kinds: list[str] = Field(default_factory=list)  # event types, "value", "quantity", "date"


class Facts(BaseModel):
    """What is known about an event: of one article (its analysis) or of a whole story (the
    union over its articles). One definition, shared by the analysis record, the story state
    and the alert, so a new analysed field is added here once. Every field is always written
    (the schemas, made for serialisation, say so); defaults describe "nothing found"."""

    model_config = ConfigDict(frozen=True, json_schema_serialization_defaults_required=True)

    entities: list[str] = Field(default_factory=list)
    countries: list[str] = Field(default_factory=list)
    event_types: list[EventType] = Field(default_factory=list)
    deal_value: DealValue | None = None
    quantity: Quantity | None = None
    impact: Annotated[int, Field(ge=1, le=10)] = 1
    sentiment: Sentiment = "neutral"
    # Extensions beyond the contract's minimum.
    related_entities: list[str] = Field(default_factory=list)
    impact_reasons: list[Contribution] = Field(default_factory=list)
    affected: list[AffectedParty] = Field(default_factory=list)
    key_facts: list[KeyFact] = Field(default_factory=list)
    # Per event type, who it is between (entity ids and ISO codes), as first reported.
    event_parties: dict[str, list[str]] = Field(default_factory=dict)

    def facts(self) -> dict[str, object]:
        """The `Facts` fields of this object (of a subclass too), to build another shape."""
        return {name: getattr(self, name) for name in Facts.model_fields}


class ArticleAnalysis(Facts):
    """What the analysis stage finds in one article, before story clustering: it crosses
    Kafka from the analyze stage to correlation and grows into the `AnalysisRecord`."""

    events: list[EventMention] = Field(default_factory=list)
    matches: list[EntityMatch] = Field(default_factory=list)


class StoryMember(BaseModel):
    """One article of a story as an analyst checks it: outlet, headline, link."""

    model_config = ConfigDict(frozen=True, json_schema_serialization_defaults_required=True)

    article_id: str
    outlet: str = ""  # the source's name; empty in state written before it was kept
    domain: str
    title: str
    url: str
    published_at: datetime


class StoryPlacement(BaseModel):
    """Where correlation placed an article: its story and how many outlets reported it."""

    model_config = ConfigDict(frozen=True, json_schema_serialization_defaults_required=True)

    article_id: str
    story: str
    sources: Annotated[int, Field(ge=1)]
    source_domain: str | None = None
    syndicated_of: str | None = None
    story_members: list[StoryMember] = Field(default_factory=list)


class AnalysisRecord(ArticleAnalysis, StoryPlacement):
    """What the analysis produces for each article (CONTRACT.md section 4): the article's
    analysis joined with its story placement."""

    @classmethod
    def of(cls, analysis: ArticleAnalysis, placement: StoryPlacement) -> AnalysisRecord:
        return cls(**dict(placement), **dict(analysis))
