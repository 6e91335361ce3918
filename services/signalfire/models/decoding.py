"""Bytes from the `articles` topic to a validated ArticleEvent, or a reason why not.

Never raises: whatever arrives, the caller gets either an article or a failure it can dead-letter.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

import orjson
from pydantic import ValidationError

from signalfire.models.article import ArticleEvent

MAX_MESSAGE_BYTES = 1_000_000


@dataclass(frozen=True)
class DecodeFailure:
    """Why a message could not become an ArticleEvent."""

    reason: str
    errors: list[str] = field(default_factory=list)


def _describe(exc: ValidationError) -> list[str]:
    out = []
    for err in exc.errors(include_url=False, include_input=False):
        where = ".".join(str(p) for p in err["loc"]) or "(message)"
        out.append(f"{where}: {err['msg']}")
    return out


def decode_article(raw: bytes | None) -> ArticleEvent | DecodeFailure:
    """Parse and validate one message value against ArticleEvent v1."""
    if raw is None:
        return DecodeFailure("empty message (tombstone)")
    if len(raw) > MAX_MESSAGE_BYTES:
        return DecodeFailure(f"message too large ({len(raw)} bytes > {MAX_MESSAGE_BYTES})")
    try:
        data = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        # orjson refuses some valid JSON (integers beyond 64 bits); the stdlib decides.
        try:
            data = json.loads(raw)
        except (ValueError, RecursionError):
            return DecodeFailure("malformed JSON", [str(exc)])
    if not isinstance(data, dict):
        return DecodeFailure(
            "not an ArticleEvent", [f"expected a JSON object, got {type(data).__name__}"]
        )
    try:
        return ArticleEvent.model_validate(data)
    except ValidationError as exc:
        return DecodeFailure("does not fit ArticleEvent v1", _describe(exc))
    except (ValueError, TypeError, RecursionError) as exc:  # defensive: never escape
        return DecodeFailure("does not fit ArticleEvent v1", [str(exc)[:500]])
