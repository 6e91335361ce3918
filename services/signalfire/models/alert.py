"""Alert records: what fired, for whom, and how each delivery went."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from signalfire.models.analysis import Facts, StoryMember

Severity = Literal["info", "low", "medium", "high", "critical"]
OutcomeStatus = Literal["sent", "failed", "pending", "deferred"]


class DeliveryOutcome(BaseModel):
    """Result for one destination. `destination` is a stable digest, never the secret URL;
    `shown_as` is Apprise's privacy form."""

    model_config = ConfigDict(frozen=True)

    subscriber: str
    destination: str
    shown_as: str
    status: OutcomeStatus
    attempts: int = 0
    error: str | None = None
    at: datetime | None = None
    # Set when status is "deferred": why the alert is held and when it is due to go out.
    hold_reason: Literal["digest", "quiet_hours", "rate_limit"] | None = None
    held_until: datetime | None = None


class HeldCondition(BaseModel):
    """One condition of the rule that fired and what in the story met it, so the alert can
    say why it was sent (`explain` is the line `dry-run --explain` prints for it)."""

    model_config = ConfigDict(frozen=True, json_schema_serialization_defaults_required=True)

    name: str  # entities, countries, event_types, min_impact, min_sources, min_value_eur, keywords
    required: list[str] = Field(default_factory=list)  # the rule's values, or its threshold
    matched: list[str] = Field(default_factory=list)  # the story's values that met it
    explain: str = ""


class AlertRecord(Facts):
    """One alert fired by one rule for one story (CONTRACT.md sections 3 and 5): the story's
    facts when it fired, what fired, for whom, and how each delivery went."""

    alert_id: str
    rule_id: str
    rule_description: str | None = None
    story: str
    article_ids: list[str]
    trigger_article_id: str
    headline: str
    url: str
    sources: int
    source_domains: list[str] = Field(default_factory=list)
    story_members: list[StoryMember] = Field(default_factory=list)
    subscribers: list[str]
    names: dict[str, str] = Field(default_factory=dict)
    # id -> gazetteer kind (company, government, program, …; "country" for ISO codes).
    kinds: dict[str, str] = Field(default_factory=dict)
    severity: Severity
    follow_up: bool = False
    # The rule's conditions as they held when it fired.
    conditions: list[HeldCondition] = Field(default_factory=list)
    # The alert this one follows up (the rule's first alert for the story; its own id for a
    # first alert): e-mail threads follow-ups to it.
    first_alert_id: str | None = None
    # For a follow-up, the story's level at the previous alert of this rule.
    previous_sources: int | None = None
    previous_impact: int | None = None
    fired_at: datetime
    outcomes: list[DeliveryOutcome] = Field(default_factory=list)

    def dry_run_line(self) -> dict[str, object]:
        """The contract's dry-run shape (section 3)."""
        return {
            "rule_id": self.rule_id,
            "story": self.story,
            "article_ids": self.article_ids,
            "impact": self.impact,
            "sources": self.sources,
            "entities": self.entities,
            "event_types": self.event_types,
            "subscribers": self.subscribers,
            "severity": self.severity,
        }
