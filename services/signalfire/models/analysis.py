"""The analysis record (CONTRACT.md section 4) and its parts."""

from __future__ import annotations

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


class AnalysisRecord(BaseModel):
    """What the analysis stage produces for each article."""

    model_config = ConfigDict(frozen=True)

    article_id: str
    entities: list[str]
    countries: list[str]
    event_types: list[EventType]
    deal_value: DealValue | None
    quantity: Quantity | None
    impact: Annotated[int, Field(ge=1, le=10)]
    sentiment: Sentiment
    story: str
    sources: Annotated[int, Field(ge=1)]
    # Extensions beyond the contract's minimum.
    related_entities: list[str] = Field(default_factory=list)
    source_domain: str | None = None
    syndicated_of: str | None = None
    impact_reasons: list[Contribution] = Field(default_factory=list)
    events: list[EventMention] = Field(default_factory=list)
    affected: list[AffectedParty] = Field(default_factory=list)
    matches: list[EntityMatch] = Field(default_factory=list)
