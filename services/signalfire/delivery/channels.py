"""Which message shape a destination gets, from its Apprise URL scheme (pure)."""

from __future__ import annotations

from enum import StrEnum
from urllib.parse import urlsplit

from pydantic import SecretStr


class Channel(StrEnum):
    SLACK = "slack"
    EMAIL = "email"
    GENERIC = "generic"


_EMAIL_SCHEMES = frozenset({"mailto", "mailtos", "email", "emails"})
_SLACK_SCHEMES = frozenset({"slack"})


def channel_for(url: SecretStr | str) -> Channel:
    """Slack and e-mail get their own templates; every other Apprise URL (json://,
    discord://, …) gets the generic markdown one."""
    raw = url.get_secret_value() if isinstance(url, SecretStr) else url
    scheme = raw.partition("://")[0].strip().lower()
    if scheme in _EMAIL_SCHEMES:
        return Channel.EMAIL
    if scheme in _SLACK_SCHEMES:
        return Channel.SLACK
    if scheme in {"http", "https"}:
        host = (urlsplit(raw).hostname or "").lower()
        if host == "hooks.slack.com":  # apprise accepts native Slack webhook URLs
            return Channel.SLACK
    return Channel.GENERIC
