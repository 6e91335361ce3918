"""An entity of the gazetteer or of a watchlist (same shape in both)."""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

EntityKind = Literal["company", "government", "organization", "country", "program", "person"]
ENTITY_ID = re.compile(r"^[a-z0-9][a-z0-9._-]*$")


class Entity(BaseModel):
    """A named actor. `context` words, when given, must appear near an alias that is a
    common word (leopard, cobra, patriot) before the match counts."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: Annotated[str, Field(min_length=1, max_length=100)]
    name: Annotated[str, Field(min_length=1, max_length=300)]
    kind: EntityKind
    country: Annotated[str, Field(pattern=r"^[A-Z]{2}$")] | None = None
    aliases: list[Annotated[str, Field(min_length=1, max_length=300)]] = Field(default_factory=list)
    parent: str | None = None
    context: list[str] = Field(default_factory=list)
    ambiguous: list[str] = Field(default_factory=list)

    @field_validator("id")
    @classmethod
    def _id(cls, v: str) -> str:
        if not ENTITY_ID.match(v):
            raise ValueError("ids are lower-case letters, digits, '.', '_' or '-'")
        return v
