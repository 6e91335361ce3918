"""structlog set-up: JSON lines in production, a console renderer on a TTY; secrets redacted.

Third-party loggers (faust, aiokafka, apprise) go through the same pipeline so every line on
stderr has one format and the redaction applies to them too.
"""

from __future__ import annotations

import logging
import re
import sys
from collections.abc import MutableMapping
from typing import Any

import structlog

_SECRETS: set[str] = set()
# user:password@ in any URL-like string (mailto://alerts:pw@host, https://u:p@host).
_URL_CREDENTIALS = re.compile(r"([a-z][a-z0-9+.-]*://)([^\s/@:]+):([^\s/@]+)@", re.IGNORECASE)


def register_secret(value: str) -> None:
    """Remember a secret (a notify URL, an env var value) so no log line can carry it."""
    if len(value) >= 4:
        _SECRETS.add(value)


def register_watchlist_secrets(watchlist: Any) -> None:
    """Every notify URL of a loaded watchlist, whole and its password part, becomes a secret."""
    for subscriber in watchlist.subscribers:
        for url in subscriber.notify:
            value = url.get_secret_value()
            register_secret(value)
            match = _URL_CREDENTIALS.search(value)
            if match:
                register_secret(match.group(3))


def redact(text: str) -> str:
    """Blank out registered secrets and URL credentials."""
    for secret in sorted(_SECRETS, key=len, reverse=True):
        if secret in text:
            text = text.replace(secret, "***")
    return _URL_CREDENTIALS.sub(r"\1\2:***@", text)


def _redact_value(value: Any) -> Any:
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, dict):
        return {k: _redact_value(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_redact_value(v) for v in value]
    return value


def redact_processor(
    _logger: Any, _name: str, event_dict: MutableMapping[str, Any]
) -> MutableMapping[str, Any]:
    """structlog processor applying `redact` to every string in the event."""
    for key, value in list(event_dict.items()):
        event_dict[key] = _redact_value(value)
    return event_dict


def configure(level: str = "info", fmt: str = "auto") -> None:
    """Configure structlog and route stdlib logging through it (idempotent)."""
    use_console = fmt == "console" or (fmt == "auto" and sys.stderr.isatty())
    shared: list[Any] = [
        structlog.contextvars.merge_contextvars,
        structlog.stdlib.add_log_level,
        structlog.stdlib.add_logger_name,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
        structlog.processors.format_exc_info,
        redact_processor,
    ]
    renderer: Any = (
        structlog.dev.ConsoleRenderer(colors=True)
        if use_console
        else structlog.processors.JSONRenderer()
    )
    structlog.configure(
        processors=[*shared, structlog.stdlib.ProcessorFormatter.wrap_for_formatter],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=False,
    )
    formatter = structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=shared,
        processors=[structlog.stdlib.ProcessorFormatter.remove_processors_meta, renderer],
    )
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(formatter)
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    # Chatty libraries: their INFO lines are noise for operators.
    for name in ("aiokafka", "kafka", "faust", "mode", "apprise"):
        logging.getLogger(name).setLevel(max(logging.WARNING, root.level))
