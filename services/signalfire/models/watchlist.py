"""Watchlist v1 (CONTRACT.md section 2): who wants to hear about what."""

from __future__ import annotations

import difflib
import zoneinfo
from functools import cache
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, SecretStr, field_validator, model_validator

from signalfire.models.alert import Severity
from signalfire.models.analysis import EventType
from signalfire.models.entity import ENTITY_ID, Entity

Id = Annotated[str, Field(min_length=1, max_length=100)]


@cache
def _zones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


_HHMM = r"^([01]\d|2[0-3]):[0-5]\d$"


def _check_id(v: str) -> str:
    if not ENTITY_ID.match(v):
        raise ValueError("ids are lower-case letters, digits, '.', '_' or '-'")
    return v


class AnyAll(BaseModel):
    """`any` holds when one listed value is present; `all` when every one is."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    any: list[str] | None = Field(None, description="Holds when at least one of these is present.")
    all: list[str] | None = Field(None, description="Holds when every one of these is present.")

    @model_validator(mode="after")
    def _one_given(self) -> AnyAll:
        if not self.any and not self.all:
            raise ValueError("give a non-empty 'any' or 'all' list")
        return self


class QuietHours(BaseModel):
    """Hold non-critical alerts between `start` and `end` (HH:MM, in `tz`) and send them after."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    start: Annotated[str, Field(pattern=_HHMM, description="Start, HH:MM (quote it).")]
    end: Annotated[str, Field(pattern=_HHMM, description="End, HH:MM; may be before start.")]
    tz: str = Field("UTC", description="IANA time zone, e.g. Europe/Bucharest.")

    @field_validator("tz")
    @classmethod
    def _known_tz(cls, v: str) -> str:
        # Caught at load time: a typo here would otherwise surface at the first quiet hour.
        if v not in _zones():
            close = difflib.get_close_matches(v, sorted(_zones()), n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            raise ValueError(f"unknown time zone {v!r}{hint}")
        return v


class RateLimit(BaseModel):
    """At most `max` messages per destination per `per_seconds`; overflow goes into a digest."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    max: Annotated[int, Field(ge=1, le=10_000, description="Messages per window.")] = 10
    per_seconds: Annotated[int, Field(ge=1, le=86_400, description="Window length.")] = 60


class Subscriber(BaseModel):
    """Apprise URLs are secrets: held as SecretStr so they never print."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: Id = Field(description="Lower-case id that rules name in `notify`.")
    notify: Annotated[list[SecretStr], Field(min_length=1)] = Field(
        description="Apprise URLs; ${VAR} is replaced from the environment ($${ is a literal)."
    )
    digest: Literal["off", "hourly", "daily"] = Field(
        "off", description="Batch alerts into an hourly or daily digest instead of one each."
    )
    quiet_hours: QuietHours | None = Field(
        None, description="Hold non-critical alerts during these hours."
    )
    rate_limit: RateLimit = Field(
        default_factory=RateLimit, description="Cap on messages per destination."
    )

    _id = field_validator("id")(_check_id)


class Condition(BaseModel):
    """Every condition given must hold over the story as known so far."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    entities: AnyAll | None = Field(
        None, description="Entity ids (gazetteer or watchlist) the story involves."
    )
    countries: AnyAll | None = Field(
        None, description='ISO 3166-1 alpha-2 codes, upper-case and quoted ("NO").'
    )
    event_types: list[EventType] | None = Field(
        None, description="Holds when the story has any of these event types."
    )
    min_impact: Annotated[int, Field(ge=1, le=10)] | None = Field(
        None, description="The story's highest impact is at least this (1..10)."
    )
    min_sources: Annotated[int, Field(ge=1, le=1000)] | None = Field(
        None, description="At least this many distinct source domains reported the story."
    )
    min_value_eur: Annotated[float, Field(ge=0)] | None = Field(
        None, description="The story's largest deal value, in EUR, is at least this."
    )
    keywords: AnyAll | None = Field(
        None, description="Whole words or phrases in the text, case-insensitive."
    )


class Rule(BaseModel):
    """Fires once per story, at the article that first makes the story meet `when`."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: Id = Field(description="Lower-case id, unique across all watchlist files.")
    description: str | None = Field(None, description="Shown in the alert.")
    when: Condition = Field(description="Every condition given must hold.")
    notify: Annotated[list[Id], Field(min_length=1)] = Field(description="Subscriber ids.")
    severity: Severity = Field("medium", description="info | low | medium | high | critical")
    follow_up: bool = Field(
        False, description="Fire again when the story gains sources or a higher impact."
    )

    _id = field_validator("id")(_check_id)


class Watchlist(BaseModel):
    """One file's content, or several merged."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    version: Literal[1] = Field(description="Watchlist format version; always 1.")
    # In a loaded (merged) watchlist this is an EntityTable: a read-only Sequence[Entity]
    # over every inline and listed entity (rules/loader.py).
    entities: list[Entity] = Field(
        default_factory=list, description="Watched entities, added to the built-in gazetteer."
    )
    entity_files: list[Annotated[str, Field(min_length=1)]] = Field(
        default_factory=list,
        description=(
            "More entities, from CSV (header id,name,kind,country,aliases; aliases "
            "separated by |) or JSON-lines files (one entity object per line); paths are "
            "relative to this file. For long lists: they load much faster than YAML."
        ),
    )
    subscribers: list[Subscriber] = Field(
        default_factory=list, description="Who is notified, and how."
    )
    rules: list[Rule] = Field(default_factory=list, description="What to alert on.")
