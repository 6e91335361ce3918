"""Pydantic models for every message and file the product reads or writes."""

from signalfire.models.alert import AlertRecord, DeliveryOutcome
from signalfire.models.analysis import (
    AffectedParty,
    AnalysisRecord,
    Contribution,
    DealValue,
    EntityMatch,
    EventMention,
    Quantity,
)
from signalfire.models.article import ArticleEvent, Source
from signalfire.models.deadletter import DeadLetter
from signalfire.models.entity import Entity, EntityKind

__all__ = [
    "AffectedParty",
    "AlertRecord",
    "AnalysisRecord",
    "ArticleEvent",
    "Contribution",
    "DeadLetter",
    "DealValue",
    "DeliveryOutcome",
    "Entity",
    "EntityKind",
    "EntityMatch",
    "EventMention",
    "Quantity",
    "Source",
]
