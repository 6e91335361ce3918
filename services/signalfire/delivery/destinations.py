"""Name a destination without revealing it: a stable digest as the key, Apprise's
privacy form for humans. Neither contains a password or token."""

from __future__ import annotations

import hashlib
from functools import lru_cache
from urllib.parse import parse_qsl, unquote, urlsplit

import apprise
from pydantic import SecretStr

from signalfire.models.watchlist import Watchlist
from signalfire.ops import redaction

DIGEST_CHARS = 16


def destination_id(url: SecretStr) -> str:
    """sha256 of the URL, truncated: the delivery-log key. Stable across restarts and
    processes (unlike hash()); 64 bits make collisions between a watchlist's URLs moot."""
    digest = hashlib.sha256(url.get_secret_value().encode("utf-8")).hexdigest()
    return f"d-{digest[:DIGEST_CHARS]}"


def shown_as(url: SecretStr) -> str:
    """Apprise's `url(privacy=True)` form, safe for logs and records; an unparseable URL
    shows only its scheme."""
    return _shown_as(url.get_secret_value())


@lru_cache(maxsize=1024)
def _shown_as(raw: str) -> str:
    plugin = apprise.Apprise.instantiate(raw, suppress_exceptions=True)
    if plugin is None:
        return f"{raw.partition('://')[0][:20]}://(invalid)"
    return str(plugin.url(privacy=True))  # type: ignore[no-untyped-call]  # apprise untyped


def secret_parts(url: SecretStr) -> frozenset[str]:
    """Every URL component (user, password, host, path segments, query values) that the
    privacy form does not show: these are what must be redacted from any text."""
    raw = url.get_secret_value()
    shown = unquote(shown_as(url))
    parts: set[str] = {raw}
    try:
        split = urlsplit(raw)
        host = split.netloc.rpartition("@")[2]  # .hostname would lower-case tokens
        candidates = [
            split.username,
            split.password,
            host,
            host.rsplit(":", 1)[0],
            *split.path.split("/"),
            *(v for _, v in parse_qsl(split.query)),
        ]
    except ValueError:
        candidates = [raw.partition("://")[2]]
    for part in candidates:
        if not part:
            continue
        for form in (part, unquote(part)):
            if len(form) >= 3 and form not in shown:
                parts.add(form)
    return frozenset(parts)


def register_watchlist_secrets(watchlist: Watchlist) -> None:
    """Every notify URL of a loaded watchlist, whole and in the parts its privacy form hides,
    becomes a secret that no log line, record or error can carry."""
    for subscriber in watchlist.subscribers:
        for url in subscriber.notify:
            redaction.register(secret_parts(url))
