"""Watchlist v1 (CONTRACT.md section 2): who wants to hear about what."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, SecretStr, field_validator, model_validator

from signalfire.models.alert import Severity
from signalfire.models.analysis import EventType
from signalfire.models.entity import ENTITY_ID, Entity

Id = Annotated[str, Field(min_length=1, max_length=100)]


def _check_id(v: str) -> str:
    if not ENTITY_ID.match(v):
        raise ValueError("ids are lower-case letters, digits, '.', '_' or '-'")
    return v


class AnyAll(BaseModel):
    """`any` holds when one listed value is present; `all` when every one is."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    any: list[str] | None = None
    all: list[str] | None = None

    @model_validator(mode="after")
    def _one_given(self) -> AnyAll:
        if not self.any and not self.all:
            raise ValueError("give a non-empty 'any' or 'all' list")
        return self


class QuietHours(BaseModel):
    """Hold non-critical alerts between `start` and `end` (HH:MM, in `tz`) and send them after."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    start: Annotated[str, Field(pattern=r"^([01]\d|2[0-3]):[0-5]\d$")]
    end: Annotated[str, Field(pattern=r"^([01]\d|2[0-3]):[0-5]\d$")]
    tz: str = "UTC"


class RateLimit(BaseModel):
    """At most `max` messages per destination per `per_seconds`; overflow goes into a digest."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    max: Annotated[int, Field(ge=1, le=10_000)] = 10
    per_seconds: Annotated[int, Field(ge=1, le=86_400)] = 60


class Subscriber(BaseModel):
    """Apprise URLs are secrets: held as SecretStr so they never print."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: Id
    notify: Annotated[list[SecretStr], Field(min_length=1)]
    digest: Literal["off", "hourly", "daily"] = "off"
    quiet_hours: QuietHours | None = None
    rate_limit: RateLimit = Field(default_factory=RateLimit)

    _id = field_validator("id")(_check_id)


class Condition(BaseModel):
    """Every condition given must hold over the story as known so far."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    entities: AnyAll | None = None
    countries: AnyAll | None = None
    event_types: list[EventType] | None = None
    min_impact: Annotated[int, Field(ge=1, le=10)] | None = None
    min_sources: Annotated[int, Field(ge=1, le=1000)] | None = None
    min_value_eur: Annotated[float, Field(ge=0)] | None = None
    keywords: AnyAll | None = None


class Rule(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: Id
    description: str | None = None
    when: Condition
    notify: Annotated[list[Id], Field(min_length=1)]
    severity: Severity = "medium"
    follow_up: bool = False

    _id = field_validator("id")(_check_id)


class Watchlist(BaseModel):
    """One file's content, or several merged."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    version: Literal[1]
    entities: list[Entity] = Field(default_factory=list)
    subscribers: list[Subscriber] = Field(default_factory=list)
    rules: list[Rule] = Field(default_factory=list)
