"""ArticleEvent v1: the value of a message on the input topic (CONTRACT.md section 1)."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Annotated
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, field_validator

MAX_TITLE = 1000
MAX_BODY = 200_000

# What the URL validator accepts, for validators of the JSON Schema (`format` is advisory in
# most of them): an absolute http(s) URL with a host.
URL_PATTERN = r"^[Hh][Tt][Tt][Pp][Ss]?://[^\s/?#]+([/?#]\S*)?$"
_DOMAIN = re.compile(r"^(?=.{1,253}$)([A-Za-z0-9-]{1,63}\.)*[A-Za-z0-9-]{1,63}$")
# The same rule for schema validators, before `_domain` strips blanks and a leading "www.".
DOMAIN_PATTERN = (
    r"^\s*([Ww][Ww][Ww]\.)?(?=[^\s]{1,253}\s*$)([A-Za-z0-9-]{1,63}\.)*[A-Za-z0-9-]{1,63}\s*$"
)
_URL = re.compile(URL_PATTERN)
# RFC 3339 date-time; the offset (Z or +hh:mm) is mandatory so times are never ambiguous.
RFC3339_PATTERN = r"^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$"
_RFC3339 = re.compile(RFC3339_PATTERN)


class Source(BaseModel):
    """The publisher; `domain` is what source corroboration counts."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    name: Annotated[str, Field(min_length=1, max_length=300)]
    domain: Annotated[
        str, Field(min_length=1, max_length=253, json_schema_extra={"pattern": DOMAIN_PATTERN})
    ]

    @field_validator("domain")
    @classmethod
    def _domain(cls, v: str) -> str:
        v = v.strip().lower().removeprefix("www.")
        if not _DOMAIN.match(v):
            raise ValueError("expected a host name such as example.com")
        return v


class ArticleEvent(BaseModel):
    """One news article. Unknown extra fields are ignored so publishers can add their own."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    id: Annotated[str, Field(min_length=1, max_length=200)]
    url: Annotated[
        str, Field(min_length=1, max_length=4096, json_schema_extra={"pattern": URL_PATTERN})
    ]
    source: Source
    published_at: Annotated[datetime, Field(json_schema_extra={"pattern": RFC3339_PATTERN})]
    title: Annotated[str, Field(min_length=1, max_length=MAX_TITLE)]
    body: Annotated[str, Field(max_length=MAX_BODY)]
    language: Annotated[str, Field(min_length=2, max_length=35)] = "en"
    authors: list[Annotated[str, Field(max_length=300)]] = Field(default_factory=list)
    tags: list[Annotated[str, Field(max_length=300)]] = Field(default_factory=list)

    @field_validator("url")
    @classmethod
    def _url(cls, v: str) -> str:
        parts = urlsplit(v)
        if parts.scheme.lower() not in ("http", "https") or not parts.netloc or not _URL.match(v):
            raise ValueError("expected an absolute http(s) URL")
        return v

    @field_validator("published_at", mode="before")
    @classmethod
    def _rfc3339(cls, v: object) -> object:
        if not isinstance(v, str) or not _RFC3339.match(v):
            raise ValueError(
                "expected an RFC 3339 timestamp with offset, e.g. 2026-03-13T09:30:00Z"
            )
        return v

    @property
    def text(self) -> str:
        """Title and body as one text; offsets in analysis records refer to this string."""
        return f"{self.title}\n\n{self.body}"
