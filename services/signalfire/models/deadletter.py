"""A message that could not be processed, kept whole so nothing is lost."""

from __future__ import annotations

import base64
from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field


class DeadLetter(BaseModel):
    """Original bytes (base64, plus UTF-8 text when decodable), reason and provenance."""

    model_config = ConfigDict(frozen=True)

    reason: str
    stage: str
    errors: list[str] = Field(default_factory=list)
    original_b64: str
    original_text: str | None = None
    key: str | None = None
    topic: str | None = None
    partition: int | None = None
    offset: int | None = None
    failed_at: datetime

    @classmethod
    def for_bytes(
        cls,
        raw: bytes,
        *,
        reason: str,
        stage: str,
        failed_at: datetime,
        errors: list[str] | None = None,
        key: bytes | None = None,
        topic: str | None = None,
        partition: int | None = None,
        offset: int | None = None,
    ) -> DeadLetter:
        """Build a dead letter that carries `raw` byte-for-byte."""
        try:
            text: str | None = raw.decode("utf-8")
        except UnicodeDecodeError:
            text = None
        return cls(
            reason=reason,
            stage=stage,
            errors=errors or [],
            original_b64=base64.b64encode(raw).decode("ascii"),
            original_text=text,
            key=key.decode("utf-8", "replace") if key is not None else None,
            topic=topic,
            partition=partition,
            offset=offset,
            failed_at=failed_at,
        )

    def original(self) -> bytes:
        """The exact bytes that failed."""
        return base64.b64decode(self.original_b64)
