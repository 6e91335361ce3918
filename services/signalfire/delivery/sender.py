"""The port between the dispatcher and whatever sends (Apprise in production, fakes in
tests)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from pydantic import SecretStr

from signalfire.delivery.render import RenderedMessage


@dataclass(frozen=True)
class SendResult:
    """`error` is safe to log and store (no URL, no secret). `retryable` is False when
    retrying cannot help (bad URL, 4xx other than 408/429). `retry_after` is the
    server's wish in seconds, when the transport exposes it."""

    ok: bool
    error: str | None = None
    retry_after: float | None = None
    retryable: bool = True
    status_code: int | None = None


class Sender(Protocol):
    async def send(self, url: SecretStr, message: RenderedMessage) -> SendResult: ...
