"""Pydantic models for every message and file the product reads or writes."""

from signalfire.models.alert import AlertRecord, DeliveryOutcome
from signalfire.models.analysis import (
    AffectedParty,
    AnalysisRecord,
    ArticleAnalysis,
    Contribution,
    DealValue,
    EntityMatch,
    EventMention,
    Facts,
    KeyFact,
    Quantity,
    StoryMember,
)
from signalfire.models.article import ArticleEvent, Source
from signalfire.models.deadletter import AlertDeadLetter, MessageDeadLetter
from signalfire.models.entity import Entity, EntityKind

__all__ = [
    "AffectedParty",
    "AlertDeadLetter",
    "AlertRecord",
    "AnalysisRecord",
    "ArticleAnalysis",
    "ArticleEvent",
    "Contribution",
    "DealValue",
    "DeliveryOutcome",
    "Entity",
    "EntityKind",
    "EntityMatch",
    "EventMention",
    "Facts",
    "KeyFact",
    "MessageDeadLetter",
    "Quantity",
    "Source",
    "StoryMember",
]
