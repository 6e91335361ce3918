"""The one place secrets are removed from text: log lines (ours and third-party), delivery
errors and records.

Secrets are registered as they become known (notify URLs and their parts when a watchlist
loads or a destination is sent to, SASL passwords from settings); `redact` blanks every
registered secret, longest first, and any `user:password@` in a URL-like string.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Iterable, MutableMapping
from typing import Any

MIN_SECRET = 3  # shorter strings would blank ordinary words
MASK = "***"
# user:password@ in any URL-like string (mailto://alerts:pw@host, https://u:p@host).
URL_CREDENTIALS = re.compile(r"([a-z][a-z0-9+.-]*://)([^\s/@:]+):([^\s/@]+)@", re.IGNORECASE)

_lock = threading.Lock()
_secrets: tuple[str, ...] = ()  # longest first; replaced whole, so readers need no lock


def register(parts: Iterable[str]) -> None:
    """Remember secret strings (thread-safe; Apprise logs from its worker threads)."""
    global _secrets
    new = {p for p in parts if len(p) >= MIN_SECRET}
    if not new or new.issubset(_secrets):
        return
    with _lock:
        _secrets = tuple(sorted(set(_secrets) | new, key=len, reverse=True))


def url_password(url: str) -> str | None:
    """The password part of `scheme://user:password@host`, if any."""
    match = URL_CREDENTIALS.search(url)
    return match.group(3) if match else None


def redact(text: str, extra: Iterable[str] = ()) -> str:
    """`text` with every registered (and `extra`) secret and URL credential blanked."""
    secrets = _secrets
    extras = sorted((p for p in extra if len(p) >= MIN_SECRET), key=len, reverse=True)
    for secret in (*extras, *secrets):
        if secret in text:
            text = text.replace(secret, MASK)
    return URL_CREDENTIALS.sub(rf"\1\2:{MASK}@", text)


def redact_value(value: Any) -> Any:
    """`redact` applied to every string inside dicts, lists and tuples."""
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, dict):
        return {k: redact_value(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [redact_value(v) for v in value]
    return value


def structlog_processor(
    _logger: Any, _name: str, event_dict: MutableMapping[str, Any]
) -> MutableMapping[str, Any]:
    """structlog processor: every string of the event redacted."""
    for key, value in list(event_dict.items()):
        event_dict[key] = redact_value(value)
    return event_dict


class RedactingFilter(logging.Filter):
    """A stdlib logging filter that rewrites a record's message with `redact`, for loggers
    whose records are also captured outside our handlers (Apprise's per-call log capture
    feeds delivery error messages)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if _secrets:
            try:
                message = record.getMessage()
            except Exception:  # a malformed record must not break the caller
                message = str(record.msg)
            record.msg, record.args = redact(message), None
        return True


_FILTER = RedactingFilter()


def install_filter(logger_name: str) -> None:
    """Idempotently attach the redacting filter to a stdlib logger."""
    logger = logging.getLogger(logger_name)
    with _lock:
        if _FILTER not in logger.filters:
            logger.addFilter(_FILTER)
