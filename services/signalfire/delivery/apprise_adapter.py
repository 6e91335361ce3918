"""The only module that talks to Apprise.

One Apprise object per send, so each destination succeeds or fails on its own (the
ElastAlert2 mistake was one result for all alerters). Apprise 2.x returns an
AppriseResult per call with the service's captured WARNING logs; we turn that into a
SendResult whose error carries no secret.

Retry-After: Apprise's Slack and JSON plugins drop the HTTP response inside send(); only
the status code survives, in a warning such as "...error=429.". So we recover the
status code (429/5xx retryable, other 4xx not) but Retry-After is NOT reachable without
patching Apprise, and `retry_after` stays None here; the dispatcher's backoff applies
(fakes and future transports that know Retry-After set it and it is honoured).

Apprise logs at DEBUG the full webhook URL (Slack tokens included): `ops.redaction`'s filter
on the "apprise" logger redacts every secret part of the URLs we have handed to it.
"""

from __future__ import annotations

import re
from typing import Any

import apprise
import structlog
from apprise.logger import LOGGER_NAME
from pydantic import SecretStr

from signalfire.delivery.destinations import secret_parts, shown_as
from signalfire.delivery.render import RenderedMessage
from signalfire.delivery.sender import SendResult
from signalfire.ops import redaction

log = structlog.get_logger(__name__)

_STATUS = re.compile(r"error=(\d{3})")
_RETRYABLE_4XX = frozenset({408, 425, 429})


def install_log_redaction() -> None:
    """Idempotent; called by AppriseSender so merely importing has no side effect."""
    redaction.install_filter(LOGGER_NAME)


_FORMATS = {
    "html": apprise.NotifyFormat.HTML,
    "markdown": apprise.NotifyFormat.MARKDOWN,
    "text": apprise.NotifyFormat.TEXT,
}


class AppriseSender:
    """Sends one rendered message to one Apprise URL."""

    def __init__(self, timeout: float = 30.0, asset: Any = None) -> None:
        self.timeout = timeout
        self.asset = asset if asset is not None else apprise.AppriseAsset(storage_mode="memory")
        install_log_redaction()

    async def send(self, url: SecretStr, message: RenderedMessage) -> SendResult:
        secrets = secret_parts(url)
        redaction.register(secrets)
        plugin = apprise.Apprise.instantiate(
            url.get_secret_value(), asset=self.asset, suppress_exceptions=True
        )
        if plugin is None:
            return SendResult(False, "invalid or unsupported notification URL", retryable=False)
        body, fmt = message.body, message.body_format
        if fmt == "html" and message.text is not None and _wants_text(plugin):
            body, fmt = message.text, "text"  # e.g. mailto://...?format=text
        ap = apprise.Apprise(asset=self.asset)
        ap.add(plugin)
        try:
            result = await ap.async_notify(
                body=body, title=message.title, body_format=_FORMATS[fmt], timeout=self.timeout
            )
        except Exception as exc:  # apprise is meant not to raise; never leak its text
            return SendResult(False, redaction.redact(f"{type(exc).__name__}: {exc}", secrets))
        if result:
            return SendResult(True)
        return _failure(result, secrets, self.timeout, shown_as(url))


def _wants_text(plugin: Any) -> bool:
    fmt = getattr(plugin, "notify_format", None)
    return bool(fmt == apprise.NotifyFormat.TEXT)


def _failure(result: Any, secrets: frozenset[str], timeout: float, shown: str) -> SendResult:
    """Turn an AppriseResult into a SendResult with a redacted, human error."""
    status = getattr(result, "status", None)
    if status == apprise.AppriseResultStatus.TIMEOUT:
        return SendResult(False, f"timed out after {timeout:g}s")
    messages: list[str] = []
    for service in result:
        for entry in service.logs():
            if entry.level in ("WARNING", "ERROR", "CRITICAL"):
                messages.append(redaction.redact(entry.message, secrets))
    text = "; ".join(dict.fromkeys(messages)) or "delivery failed (no detail from apprise)"
    codes = [int(m) for m in _STATUS.findall(text)]
    code = codes[-1] if codes else None
    retryable = code is None or code >= 500 or code in _RETRYABLE_4XX
    log.debug("delivery.apprise_failure", shown_as=shown, status_code=code)
    return SendResult(False, text[:500], retryable=retryable, status_code=code)
