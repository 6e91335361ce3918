"""The only module that talks to Apprise.

One Apprise object per send, so each destination succeeds or fails on its own (the
ElastAlert2 mistake was one result for all alerters). Apprise 2.x returns an
AppriseResult per call with the service's captured WARNING logs; we turn that into a
SendResult whose error carries no secret.

Per channel, what each message carries beyond its text (checked against apprise 2.3.0):
- e-mail: a Message-ID that is stable per alert and destination, and for a follow-up
  In-Reply-To/References to the rule's first alert of the story, so clients thread them and a
  re-sent alert is recognisably the same message. Apprise always writes its own random
  Message-ID after any `+Header` (a second Message-ID header: Gmail rejects such mail) and
  derives the text/plain part from the HTML (dropping link targets), so `install_email_compose`
  wraps `NotifyEmail.prepare_emails` once to put our Message-ID and our text alternative in
  the message it built. It is inert unless a send asks for it through a private header.
- json://, form://, xml:// webhooks: an `Idempotency-Key` header and an `idempotency_key`
  body field (Apprise's `+Header=value` and `:key=value` URL parameters), unless the URL
  already sets them.
- Slack: Block Kit through the Slack plugin's own `template=` support (a JSON file with
  `{{tokens}}`, JSON-escaped by Apprise), filled from `RenderedMessage.blocks`; a URL with its
  own template, or a workflow URL, gets the plain mrkdwn body instead.

Retry-After: Apprise's HTTP plugins call `requests` themselves and keep only the status code
(in a warning such as "...error=429."); the response never leaves `send()`. Apprise runs each
send in a thread with a copy of the caller's context, so `install_retry_after_capture` wraps
`requests.Session.send` once: inside one of our sends (a context variable says so) a 429 or
503 response's Retry-After (seconds or an HTTP date) is kept for that send, and returned as
`SendResult.retry_after`, which the dispatcher honours. The status code decides retrying
(429/5xx retryable, other 4xx not).

Apprise logs at DEBUG the full webhook URL (Slack tokens included): `ops.redaction`'s filter
on the "apprise" logger redacts every secret part of the URLs we have handed to it.
"""

from __future__ import annotations

import contextvars
import dataclasses
import email
import email.utils
import hashlib
import inspect
import re
import threading
import time
import uuid
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from email.message import Message
from email.mime.text import MIMEText
from typing import Any
from urllib.parse import quote, unquote

import apprise
import structlog
from apprise.logger import LOGGER_NAME
from apprise.plugins.email import NotifyEmail
from apprise.plugins.slack import NotifySlack, SlackMode
from pydantic import SecretStr

from signalfire.delivery.destinations import secret_parts, shown_as
from signalfire.delivery.render import BUILTIN_TEMPLATES, RenderedMessage
from signalfire.delivery.sender import SendResult
from signalfire.ops import redaction

log = structlog.get_logger(__name__)

_STATUS = re.compile(r"error=(\d{3})")
_RETRYABLE_4XX = frozenset({408, 425, 429})
_WEBHOOK_SCHEMES = frozenset({"json", "jsons", "form", "forms", "xml", "xmls"})
IDEMPOTENCY_HEADER = "Idempotency-Key"
IDEMPOTENCY_FIELD = "idempotency_key"
SLACK_BLOCKS_TEMPLATE = BUILTIN_TEMPLATES / "slack_blocks.json"
# Carries a ticket from the plugin's headers to our prepare_emails wrapper; removed there, so
# it never reaches the wire.
_COMPOSE_HEADER = "X-Signalfire-Compose"


def install_log_redaction() -> None:
    """Idempotent; called by AppriseSender so merely importing has no side effect."""
    redaction.install_filter(LOGGER_NAME)


_FORMATS = {
    "html": apprise.NotifyFormat.HTML,
    "markdown": apprise.NotifyFormat.MARKDOWN,
    "text": apprise.NotifyFormat.TEXT,
}


def destination_tag(url: SecretStr) -> str:
    """What makes an idempotency key per destination: a digest of the URL's privacy form,
    which has no password or token (a digest of the whole URL would let a recipient test
    guesses of a weak SMTP password offline)."""
    return hashlib.sha256(shown_as(url).encode()).hexdigest()[:12]


def idempotency_key(message_key: str, url: SecretStr) -> str:
    """Stable per message and destination: a re-sent alert carries the same key."""
    return f"{message_key}.{destination_tag(url)}"


def message_id(message_key: str, url: SecretStr, domain: str) -> str:
    """An RFC 5322 Message-ID for this message at this destination."""
    return f"<{idempotency_key(message_key, url)}@{domain or 'signalfire.invalid'}>"


@dataclass(frozen=True)
class _Compose:
    message_id: str
    text: str | None


_PENDING: dict[str, _Compose] = {}


def install_email_compose() -> bool:
    """Wrap `NotifyEmail.prepare_emails` (once) so a send that registered a ticket gets our
    Message-ID and text/plain part. False (and nothing wrapped) if Apprise's signature is
    not the one this was written against; e-mail then goes out with Apprise's own."""
    current = NotifyEmail.__dict__.get("prepare_emails")
    func = getattr(current, "__func__", None)
    if func is None:
        return False
    if getattr(func, "_signalfire_compose", False):
        return True
    if "headers" not in inspect.signature(func).parameters:
        return False

    def prepare_emails(*args: Any, **kwargs: Any) -> Iterator[Any]:
        headers = dict(kwargs.get("headers") or {})
        ticket = headers.pop(_COMPOSE_HEADER, None)
        kwargs["headers"] = headers
        compose = _PENDING.get(ticket) if ticket else None
        for prepared in func(*args, **kwargs):
            yield _amend(prepared, compose) if compose else prepared

    prepare_emails._signalfire_compose = True  # type: ignore[attr-defined]
    NotifyEmail.prepare_emails = staticmethod(prepare_emails)  # type: ignore[method-assign]
    return True


def _amend(prepared: Any, compose: _Compose) -> Any:
    """The message Apprise built, with our Message-ID and our text alternative."""
    msg = email.message_from_string(prepared.body)
    del msg["Message-ID"]
    msg["Message-ID"] = compose.message_id
    if compose.text is not None and msg.get_content_type() == "multipart/alternative":
        parts: list[Message | str] = [p for p in msg.get_payload() if isinstance(p, Message)]
        if parts and isinstance(parts[0], Message) and parts[0].get_content_type() == "text/plain":
            parts[0] = MIMEText(compose.text, "plain", "utf-8")
            msg.set_payload(parts)
    prepared.body = msg.as_string()
    return prepared


def _with_params(raw: str, params: Mapping[str, str]) -> str:
    """`raw` with Apprise URL parameters added, except those it already sets."""
    query = raw.partition("?")[2]
    # Apprise reads `+` literally here (not as a space), so no form decoding.
    have = {unquote(part.partition("=")[0]).lower() for part in query.split("&") if part}
    extra = [
        f"{quote(k, safe='+:')}={quote(v, safe='')}"
        for k, v in params.items()
        if k.lower() not in have
    ]
    if not extra:
        return raw
    return raw + ("&" if "?" in raw else "?") + "&".join(extra)


def _url_for(url: SecretStr, message: RenderedMessage) -> str:
    raw = url.get_secret_value()
    scheme = raw.partition("://")[0].strip().lower()
    if scheme in _WEBHOOK_SCHEMES and message.key:
        key = idempotency_key(message.key, url)
        return _with_params(raw, {f"+{IDEMPOTENCY_HEADER}": key, f":{IDEMPOTENCY_FIELD}": key})
    return raw


class AppriseSender:
    """Sends one rendered message to one Apprise URL."""

    def __init__(self, timeout: float = 30.0, asset: Any = None) -> None:
        self.timeout = timeout
        self.asset = asset if asset is not None else apprise.AppriseAsset(storage_mode="memory")
        install_log_redaction()
        self.email_compose = install_email_compose()

    async def send(self, url: SecretStr, message: RenderedMessage) -> SendResult:
        install_retry_after_capture()
        secrets = secret_parts(url)
        redaction.register(secrets)
        plugin = apprise.Apprise.instantiate(
            _url_for(url, message), asset=self.asset, suppress_exceptions=True
        )
        if plugin is None:
            return SendResult(False, "invalid or unsupported notification URL", retryable=False)
        body, fmt = message.body, message.body_format
        if fmt == "html" and message.text is not None and _wants_text(plugin):
            body, fmt = message.text, "text"  # e.g. mailto://...?format=text
        ticket = None
        if isinstance(plugin, NotifyEmail):
            ticket = self._thread_email(plugin, url, message, fmt)
        elif isinstance(plugin, NotifySlack) and message.blocks:
            use_blocks(plugin, message.blocks)
        ap = apprise.Apprise(asset=self.asset)
        ap.add(plugin)
        seen: dict[str, float] = {}
        token = _RETRY_AFTER.set(seen)
        try:
            result = await ap.async_notify(
                body=body, title=message.title, body_format=_FORMATS[fmt], timeout=self.timeout
            )
        except Exception as exc:  # apprise is meant not to raise; never leak its text
            return SendResult(False, redaction.redact(f"{type(exc).__name__}: {exc}", secrets))
        finally:
            _RETRY_AFTER.reset(token)
            if ticket is not None:
                _PENDING.pop(ticket, None)
        if result:
            return SendResult(True)
        failure = _failure(result, secrets, self.timeout, shown_as(url))
        return dataclasses.replace(failure, retry_after=seen.get("retry_after"))

    def _thread_email(
        self, plugin: Any, url: SecretStr, message: RenderedMessage, fmt: str
    ) -> str | None:
        """Threading headers on the plugin, and a ticket for our Message-ID and text part."""
        if not message.key:
            return None
        domain = str(plugin.from_addr[1]).rpartition("@")[2]
        headers: dict[str, str] = plugin.headers
        if message.thread and message.thread != message.key:
            parent = message_id(message.thread, url, domain)
            headers.setdefault("In-Reply-To", parent)
            headers.setdefault("References", parent)
        if not self.email_compose:
            return None
        ticket = uuid.uuid4().hex
        text = message.text if fmt == "html" else None
        _PENDING[ticket] = _Compose(message_id(message.key, url, domain), text)
        headers[_COMPOSE_HEADER] = ticket
        return ticket


def use_blocks(plugin: Any, blocks: Mapping[str, str]) -> bool:
    """Make a Slack plugin post our Block Kit card (its `template=` mode) unless the URL
    brings its own template or is a workflow (which takes plain text)."""
    if len(plugin.template) or plugin.mode not in (
        SlackMode.WEBHOOK,
        SlackMode.WEBHOOK_GOV,
        SlackMode.BOT,
    ):
        return False
    plugin.template.add(str(SLACK_BLOCKS_TEMPLATE))
    if not len(plugin.template):
        return False
    plugin.tokens.update({f"sf_{name}": value for name, value in blocks.items()})
    plugin.use_blocks = True
    return True


_RETRY_AFTER: contextvars.ContextVar[dict[str, float] | None] = contextvars.ContextVar(
    "signalfire_retry_after", default=None
)
_capture_lock = threading.Lock()
_captured = False


def parse_retry_after(value: str | None, now: float | None = None) -> float | None:
    """Seconds to wait from a Retry-After header: delta-seconds or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


def install_retry_after_capture() -> None:
    """Wrap `requests.Session.send` once so a 429/503's Retry-After reaches our send."""
    global _captured
    with _capture_lock:
        if _captured:
            return
        import requests

        original = requests.Session.send

        def send(self: Any, request: Any, **kwargs: Any) -> Any:
            response = original(self, request, **kwargs)
            box = _RETRY_AFTER.get()
            if box is not None and response.status_code in (429, 503):
                seconds = parse_retry_after(response.headers.get("Retry-After"))
                if seconds is not None:
                    box["retry_after"] = seconds
            return response

        requests.Session.send = send  # type: ignore[method-assign]
        _captured = True


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


__all__ = [
    "IDEMPOTENCY_FIELD",
    "IDEMPOTENCY_HEADER",
    "SLACK_BLOCKS_TEMPLATE",
    "AppriseSender",
    "idempotency_key",
    "install_email_compose",
    "install_log_redaction",
    "message_id",
    "use_blocks",
]
