"""Secrets never reach a log line."""

from __future__ import annotations

import io
import logging

import structlog

from signalfire.ops import logs, redaction


def test_url_credentials_redacted() -> None:
    """user:password@ in any URL is blanked, the rest kept for debugging."""
    out = redaction.redact("failed mailto://alerts:hunter22@127.0.0.1:2525?to=x")
    assert "hunter22" not in out and "mailto://alerts:***@127.0.0.1:2525" in out


def test_registered_secret_redacted_everywhere(capsys: object) -> None:
    """A registered secret is removed from structlog and stdlib log lines, nested too."""
    redaction.register(["xoxb-SECRET-TOKEN-123"])
    logs.configure("info", "json")
    stream = io.StringIO()
    logging.getLogger().handlers[0].stream = stream  # type: ignore[attr-defined]
    structlog.get_logger("t").info(
        "x.sent", url="slack://xoxb-SECRET-TOKEN-123/x", nested={"a": ["xoxb-SECRET-TOKEN-123"]}
    )
    logging.getLogger("apprise").warning("posting to xoxb-SECRET-TOKEN-123 failed")
    text = stream.getvalue()
    assert "xoxb-SECRET-TOKEN-123" not in text
    assert text.count("***") >= 3 and '"event": "x.sent"' in text
