"""Real delivery, no Kafka: apprise → a real aiosmtpd SMTP server and a real HTTP
receiver on 127.0.0.1 (random free ports). Nothing leaves the machine."""

from __future__ import annotations

import asyncio
import email
import logging
import socket
from collections.abc import AsyncIterator
from email.message import Message
from typing import Any

import pytest
from aiohttp import web
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from pydantic import SecretStr
from structlog.testing import capture_logs

from signalfire.delivery import DeliveryLog, Dispatcher, Outbox, RetryPolicy, dead_reason
from signalfire.delivery.apprise_adapter import AppriseSender
from signalfire.delivery.channels import channel_for
from signalfire.delivery.service import DeliveryService
from signalfire.models.alert import AlertRecord
from signalfire.models.watchlist import Subscriber
from tests.unit.delivery_support import PASSWORD, make_alert

SUBJECT = "[HIGH] impact 7 — Romania and Ukraine sign drone co-production deal"
FAST = RetryPolicy(base=0.05, factor=2, max_delay=0.2, max_attempts=4, deadline=10)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Inbox:
    """aiosmtpd handler that keeps every accepted message."""

    def __init__(self) -> None:
        self.messages: list[Message] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(email.message_from_bytes(envelope.content))
        return "250 OK"


def _auth(server: Any, session: Any, envelope: Any, mechanism: str, data: Any) -> AuthResult:
    ok = (
        isinstance(data, LoginPassword)
        and data.login == b"alerts"
        and data.password == PASSWORD.encode()
    )
    return AuthResult(success=ok)


def smtp_server(port: int, inbox: Inbox) -> Controller:
    # Plain loopback SMTP with AUTH: aiosmtpd only offers AUTH over TLS unless told not to.
    return Controller(
        inbox, hostname="127.0.0.1", port=port, authenticator=_auth, auth_require_tls=False
    )


def mail_url(port: int) -> SecretStr:
    # mailto:// (not mailtos://) = no TLS; mode=insecure makes "no STARTTLS" explicit.
    return SecretStr(
        f"mailto://alerts:{PASSWORD}@127.0.0.1:{port}"
        "?from=alerts@example.com&to=desk@example.com&mode=insecure"
    )


@pytest.fixture(autouse=True)
def _quiet_aiosmtpd() -> None:
    logging.getLogger("mail.log").setLevel(logging.WARNING)


@pytest.fixture
async def receiver() -> AsyncIterator[tuple[int, list[dict[str, Any]]]]:
    got: list[dict[str, Any]] = []

    async def hook(request: web.Request) -> web.Response:
        got.append(await request.json())
        return web.Response(text="ok")

    app = web.Application()
    app.router.add_post("/hook", hook)
    runner = web.AppRunner(app)
    await runner.setup()
    port = free_port()
    site = web.TCPSite(runner, "127.0.0.1", port)
    await site.start()
    yield port, got
    await runner.cleanup()


def parts(msg: Message) -> dict[str, str]:
    return {
        p.get_content_type(): p.get_payload(decode=True).decode()  # type: ignore[union-attr]
        for p in msg.walk()
        if not p.is_multipart()
    }


async def deliver_all(
    d: Dispatcher, alerts: list[AlertRecord], subs: dict[str, Subscriber], limit: float = 20.0
) -> list[AlertRecord]:
    """Run the DeliveryService over in-memory stores until every alert is published."""
    published: list[AlertRecord] = []
    done = asyncio.Event()

    async def emit(record: AlertRecord) -> None:
        published.append(record)
        if len(published) == len(alerts):
            done.set()

    svc = DeliveryService(d, Outbox(), lambda: subs, emit, idle_poll=0.05)
    await svc.start()
    try:
        for alert in alerts:
            await svc.accept(alert)
        await asyncio.wait_for(done.wait(), limit)
    finally:
        await svc.stop()
    return published


async def test_email_and_webhook_delivered_exactly_once(
    receiver: tuple[int, list[dict[str, Any]]],
) -> None:
    """One alert → one e-mail (subject, HTML and text parts) and one JSON POST; delivering
    the same alert again sends nothing (the delivery log)."""
    http_port, posts = receiver
    inbox, port = Inbox(), free_port()
    server = smtp_server(port, inbox)
    server.start()
    try:
        sub = {
            "desk": Subscriber(
                id="desk", notify=[mail_url(port), SecretStr(f"json://127.0.0.1:{http_port}/hook")]
            )
        }
        d = Dispatcher(AppriseSender(timeout=10), DeliveryLog(), FAST)
        (out,) = await deliver_all(d, [make_alert()], sub)
        assert [o.status for o in out.outcomes] == ["sent", "sent"]
        (again,) = await deliver_all(d, [make_alert()], sub)
        assert [o.status for o in again.outcomes] == ["sent", "sent"]
    finally:
        server.stop()
    assert len(inbox.messages) == 1
    msg = inbox.messages[0]
    assert str(email.header.make_header(email.header.decode_header(msg["Subject"]))) == SUBJECT
    body = parts(msg)
    assert "<h1" in body["text/html"] and "Romania and Ukraine sign" in body["text/html"]
    assert "€857M (USD 931M)" in body["text/html"]
    assert "Romania and Ukraine sign" in body["text/plain"] and "<h1" not in body["text/plain"]
    assert len(posts) == 1
    assert posts[0]["title"] == SUBJECT
    assert "Verified by 2 sources" in posts[0]["message"]


async def test_smtp_down_then_up_is_retried_without_duplicates() -> None:
    """SMTP refuses the first attempt and comes up during the backoff; the retry delivers
    exactly one e-mail."""
    inbox, port = Inbox(), free_port()
    server = smtp_server(port, inbox)

    class StartAfterFirstFailure(AppriseSender):
        async def send(self, url: Any, message: Any) -> Any:
            result = await super().send(url, message)
            if not result.ok:
                server.start()
            return result

    d = Dispatcher(StartAfterFirstFailure(timeout=10), DeliveryLog(), FAST)
    sub = {"desk": Subscriber(id="desk", notify=[mail_url(port)])}
    try:
        (out,) = await deliver_all(d, [make_alert()], sub)
        await deliver_all(d, [make_alert()], sub)
    finally:
        server.stop()
    assert out.outcomes[0].status == "sent" and out.outcomes[0].attempts == 2
    assert len(inbox.messages) == 1


async def test_smtp_down_for_whole_budget_fails_without_leaking_password(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Every attempt refused: failed outcome with a reason for alerts.dead; the SMTP
    password appears in no structlog event, no stdlib log record and not in the record."""
    port = free_port()
    d = Dispatcher(AppriseSender(timeout=10), DeliveryLog(), FAST)
    sub = {"desk": Subscriber(id="desk", notify=[mail_url(port)])}
    with capture_logs() as events, caplog.at_level(logging.DEBUG):
        (out,) = await deliver_all(d, [make_alert()], sub)
    o = out.outcomes[0]
    assert (o.status, o.attempts) == ("failed", 4)
    assert o.error is not None and "127.0.0.1" in o.error
    assert "mailto://alerts:****@127.0.0.1" in dead_reason(out)
    assert [e["event"] for e in events].count("delivery.retry") == 3
    for text in (out.model_dump_json(), dead_reason(out), repr(events), caplog.text):
        assert PASSWORD not in text


async def test_retry_after_of_a_real_429_reaches_the_dispatcher() -> None:
    """A webhook answering 429 with Retry-After: 7 (and later an HTTP date) is a retryable
    failure whose retry_after the dispatcher will honour; a 200 afterwards is a success."""
    from signalfire.delivery.apprise_adapter import parse_retry_after
    from signalfire.delivery.render import Renderer
    from signalfire.testing.receivers import Received, WebhookReceiver

    received = Received()
    hook = WebhookReceiver(received, 0).start()
    try:
        hook.fail_next, hook.fail_status, hook.retry_after = 1, 429, "7"
        url = SecretStr(f"json://127.0.0.1:{hook.port}/hook")
        message = Renderer().render(make_alert(), channel_for(url))
        sender = AppriseSender(timeout=10)
        first = await sender.send(url, message)
        assert not first.ok and first.retryable and first.retry_after == 7.0
        second = await sender.send(url, message)
        assert second.ok and second.retry_after is None
    finally:
        hook.stop()
    later = parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", now=1445412470.0)
    assert later == 10.0 and parse_retry_after("soon") is None
