"""What each message carries for idempotency and threading, through real Apprise to a real
loopback SMTP server and HTTP receiver: stable Message-IDs, In-Reply-To for follow-ups, our
text alternative, webhook Idempotency-Key header and body field."""

from __future__ import annotations

import email
import logging
import socket
from collections.abc import AsyncIterator, Iterator
from email.message import Message
from typing import Any

import pytest
from aiohttp import web
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from pydantic import SecretStr

from signalfire.delivery.apprise_adapter import (
    AppriseSender,
    _with_params,
    idempotency_key,
    install_email_compose,
    message_id,
)
from signalfire.delivery.channels import Channel
from signalfire.delivery.examples import example_alerts
from signalfire.delivery.render import Renderer
from tests.unit.delivery_support import PASSWORD

FIRST, FOLLOW_UP, COBRA, _ = example_alerts()


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
    return AuthResult(
        success=isinstance(data, LoginPassword) and data.password == PASSWORD.encode()
    )


@pytest.fixture
def smtp() -> Iterator[tuple[int, Inbox]]:
    logging.getLogger("mail.log").setLevel(logging.WARNING)
    inbox, port = Inbox(), free_port()
    controller = Controller(
        inbox, hostname="127.0.0.1", port=port, authenticator=_auth, auth_require_tls=False
    )
    controller.start()
    yield port, inbox
    controller.stop()


@pytest.fixture
async def receiver() -> AsyncIterator[tuple[int, list[tuple[dict[str, str], bytes]]]]:
    got: list[tuple[dict[str, str], bytes]] = []

    async def hook(request: web.Request) -> web.Response:
        got.append((dict(request.headers), await request.read()))
        return web.Response(text="ok")

    app = web.Application()
    app.router.add_post("/hook", hook)
    runner = web.AppRunner(app)
    await runner.setup()
    port = free_port()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    yield port, got
    await runner.cleanup()


def mail_url(port: int, to: str = "desk@example.com") -> SecretStr:
    return SecretStr(
        f"mailto://alerts:{PASSWORD}@127.0.0.1:{port}?from=alerts@example.com&to={to}&mode=insecure"
    )


async def test_message_id_is_stable_per_alert_and_destination(smtp: tuple[int, Inbox]) -> None:
    """One Message-ID header, ours: the same alert to the same mailbox twice has the same
    id, to another mailbox a different one; a follow-up replies to the first alert's id
    at that mailbox; the private compose header never reaches the wire."""
    port, inbox = smtp
    sender, renderer = AppriseSender(timeout=5), Renderer()
    desk, team = mail_url(port), mail_url(port, "team@example.com")
    first = renderer.render(FIRST, Channel.EMAIL)
    for url in (desk, desk, team):
        assert (await sender.send(url, first)).ok
    assert (await sender.send(desk, renderer.render(FOLLOW_UP, Channel.EMAIL))).ok
    ids = [m.get_all("Message-ID") for m in inbox.messages]
    assert all(len(i or []) == 1 for i in ids)
    a, again, other, follow = (i[0] for i in ids if i)
    assert a == again == message_id(FIRST.alert_id, desk, "example.com")
    assert other != a and other.startswith(f"<{FIRST.alert_id}.")
    assert follow == message_id(FOLLOW_UP.alert_id, desk, "example.com")
    reply = inbox.messages[3]
    assert reply["In-Reply-To"] == reply["References"] == a
    assert inbox.messages[0]["In-Reply-To"] is None
    assert all("X-Signalfire-Compose" not in m for m in inbox.messages)
    assert PASSWORD not in a


async def test_email_text_part_is_our_text_alternative(smtp: tuple[int, Inbox]) -> None:
    """multipart/alternative with our plain text (links written out), then the HTML."""
    port, inbox = smtp
    msg = Renderer().render(COBRA, Channel.EMAIL)
    assert (await AppriseSender(timeout=5).send(mail_url(port), msg)).ok
    [got] = inbox.messages
    parts = [p for p in got.walk() if not p.is_multipart()]
    assert [p.get_content_type() for p in parts] == ["text/plain", "text/html"]
    plain = parts[0].get_payload(decode=True)
    assert isinstance(plain, bytes) and msg.text is not None
    assert plain.decode().replace("\r\n", "\n") == msg.text  # SMTP sends CRLF
    assert COBRA.story_members[1].url in plain.decode()


def test_compose_wrapper_installs_once() -> None:
    """Installing twice wraps once (the worker, CLI and tests all construct senders)."""
    assert install_email_compose() and install_email_compose()
    from apprise.plugins.email import NotifyEmail

    func = NotifyEmail.__dict__["prepare_emails"].__func__
    assert getattr(func, "_signalfire_compose", False)
    assert not hasattr(getattr(func, "__wrapped__", None), "_signalfire_compose")


async def test_webhook_carries_idempotency_key_header_and_field(
    receiver: tuple[int, list[tuple[dict[str, str], bytes]]],
) -> None:
    """json:// posts get `Idempotency-Key` and `idempotency_key`, equal and stable per
    alert and destination; another alert gets another key."""
    import json

    port, got = receiver
    url = SecretStr(f"json://127.0.0.1:{port}/hook")
    sender, renderer = AppriseSender(timeout=5), Renderer()
    for alert in (FIRST, FIRST, COBRA):
        assert (await sender.send(url, renderer.render(alert, Channel.GENERIC))).ok
    keys = [(h["Idempotency-Key"], json.loads(b)["idempotency_key"]) for h, b in got]
    assert [a == b for a, b in keys] == [True, True, True]
    assert keys[0] == keys[1] != keys[2]
    assert keys[0][0] == idempotency_key(FIRST.alert_id, url)


def test_url_parameters_keep_what_the_user_set() -> None:
    """A URL that already sets the header or field keeps its own value."""
    raw = "json://h.example/p?+Idempotency-Key=mine"
    out = _with_params(raw, {"+Idempotency-Key": "k", ":idempotency_key": "k"})
    assert out == raw + "&:idempotency_key=k"
    assert _with_params("json://h.example/p", {"+A": "b c"}) == "json://h.example/p?+A=b%20c"
