"""Dead letters: what could not be processed or delivered, with enough to act on it.

Two kinds, told apart by `kind`:

- `MessageDeadLetter` (on `articles.dead`, and on `alerts.dead` for a corrupt internal
  alert): a message that cannot be processed. It carries the original ONCE (as text when it
  is UTF-8, else base64), truncated above a size limit, with the original's length, its
  SHA-256 and topic/partition/offset, so even a truncated letter says where to fetch the
  whole message. A tombstone (null value) is told apart from an empty value.
- `AlertDeadLetter` (on `alerts.dead`): an alert whose delivery failed until its deadline,
  with every outcome; `signalfire redrive` sends it again.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Sequence
from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from signalfire.models.alert import AlertRecord

DEFAULT_MAX_ORIGINAL = 64 * 1024  # bytes of the original kept in a dead letter
MAX_HEADER_VALUE = 256
MAX_ERRORS = 20
MAX_ERROR_CHARS = 500


class DeadHeader(BaseModel):
    model_config = ConfigDict(frozen=True)

    key: str
    value_b64: str | None = None
    truncated: bool = False


class MessageDeadLetter(BaseModel):
    """A message that could not be processed (CONTRACT.md section 1: reason + original)."""

    model_config = ConfigDict(frozen=True, json_schema_serialization_defaults_required=True)

    kind: Literal["message"] = "message"
    reason: str
    stage: str
    errors: list[str] = Field(default_factory=list)
    failed_at: datetime
    topic: str | None = None
    partition: int | None = None
    offset: int | None = None
    key: str | None = None
    value_kind: Literal["bytes", "empty", "null"] = "bytes"
    original_size: Annotated[int, Field(ge=0)] = 0
    original_sha256: str | None = None
    original_text: str | None = None  # the original when it is UTF-8 (maybe truncated)
    original_b64: str | None = None  # else the original's bytes, base64 (maybe truncated)
    truncated: bool = False
    headers: list[DeadHeader] = Field(default_factory=list)
    minimal: bool = False  # the full letter could not be written; this one carries no payload

    @classmethod
    def for_bytes(
        cls,
        raw: bytes | None,
        *,
        reason: str,
        stage: str,
        failed_at: datetime,
        errors: Sequence[str] = (),
        key: bytes | None = None,
        topic: str | None = None,
        partition: int | None = None,
        offset: int | None = None,
        headers: Sequence[tuple[str, bytes | None]] = (),
        max_original: int = DEFAULT_MAX_ORIGINAL,
    ) -> MessageDeadLetter:
        """A letter carrying `raw` once, cut to `max_original` bytes."""
        kept = b"" if raw is None else raw[:max_original]
        text: str | None = None
        b64: str | None = None
        try:
            text = kept.decode("utf-8")
        except UnicodeDecodeError as exc:
            if raw is not None and len(raw) > max_original and exc.start >= len(kept) - 3:
                text = kept[: exc.start].decode("utf-8")  # cut inside a character
            else:
                b64 = base64.b64encode(kept).decode("ascii")
        return cls(
            reason=reason,
            stage=stage,
            errors=[e[:MAX_ERROR_CHARS] for e in list(errors)[:MAX_ERRORS]],
            failed_at=failed_at,
            topic=topic,
            partition=partition,
            offset=offset,
            key=None if key is None else key[:1000].decode("utf-8", "replace"),
            value_kind="null" if raw is None else ("empty" if not raw else "bytes"),
            original_size=0 if raw is None else len(raw),
            original_sha256=None if raw is None else hashlib.sha256(raw).hexdigest(),
            original_text=text if raw else None,
            original_b64=b64,
            truncated=raw is not None and len(raw) > max_original,
            headers=[_header(k, v) for k, v in list(headers)[:50]],
        )

    def minimal_copy(self) -> MessageDeadLetter:
        """Reason and provenance only, for when the full letter cannot be written."""
        return self.model_copy(
            update={
                "errors": [e[:200] for e in self.errors[:3]],
                "key": None if self.key is None else self.key[:200],
                "original_text": None,
                "original_b64": None,
                "headers": [],
                "truncated": self.value_kind == "bytes",
                "minimal": True,
            }
        )

    def original(self) -> bytes | None:
        """The exact bytes that failed (None for a tombstone). Raises when the letter holds
        only part of them: fetch the message from topic/partition/offset instead."""
        if self.truncated:
            raise ValueError(
                f"dead letter holds {self.original_size} bytes only in part; fetch "
                f"{self.topic}[{self.partition}]@{self.offset}"
            )
        if self.value_kind == "null":
            return None
        if self.original_b64 is not None:
            return base64.b64decode(self.original_b64)
        return (self.original_text or "").encode("utf-8")


def _header(key: str, value: bytes | None) -> DeadHeader:
    if value is None:
        return DeadHeader(key=key[:200])
    return DeadHeader(
        key=key[:200],
        value_b64=base64.b64encode(value[:MAX_HEADER_VALUE]).decode("ascii"),
        truncated=len(value) > MAX_HEADER_VALUE,
    )


class AlertDeadLetter(BaseModel):
    """An alert that could not be delivered to every destination before its deadline."""

    model_config = ConfigDict(frozen=True, json_schema_serialization_defaults_required=True)

    kind: Literal["alert"] = "alert"
    reason: str
    dead_at: datetime
    alert: AlertRecord


DeadLetter = MessageDeadLetter  # the name earlier versions used
