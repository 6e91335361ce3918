"""Destination naming and redaction: digests and privacy forms never carry secrets."""

from __future__ import annotations

import logging

import pytest
from pydantic import SecretStr

from signalfire.delivery.apprise_adapter import AppriseSender
from signalfire.delivery.channels import Channel
from signalfire.delivery.destinations import destination_id, secret_parts, shown_as
from signalfire.delivery.render import RenderedMessage
from signalfire.ops import redaction
from tests.unit.delivery_support import MAIL_URL, PASSWORD, SLACK_URL


def test_destination_id_is_stable_and_opaque() -> None:
    """Same URL → same key in every process; the key reveals nothing of the URL."""
    assert destination_id(MAIL_URL) == destination_id(SecretStr(MAIL_URL.get_secret_value()))
    assert destination_id(MAIL_URL) != destination_id(SLACK_URL)
    assert destination_id(MAIL_URL).startswith("d-") and len(destination_id(MAIL_URL)) == 18
    assert PASSWORD not in destination_id(MAIL_URL)


def test_shown_as_is_apprise_privacy_form() -> None:
    """Passwords and tokens are masked; the host stays so people know where it went."""
    assert PASSWORD not in shown_as(MAIL_URL)
    assert "smtp.example.com" in shown_as(MAIL_URL)
    assert "cccccccccccccccccccccccc" not in shown_as(SLACK_URL)
    assert shown_as(SecretStr("nosuchscheme://x:y@z")) == "nosuchscheme://(invalid)"


def test_redact_removes_every_secret_part() -> None:
    """Password, Slack tokens and the raw URL are replaced in arbitrary text."""
    text = (
        "POST https://hooks.slack.com/services/T0AAAAAAA/B0BBBBBBB/"
        f"cccccccccccccccccccccccc {PASSWORD}"
    )
    secrets = secret_parts(SLACK_URL) | secret_parts(MAIL_URL)
    out = redaction.redact(text, secrets)
    assert PASSWORD not in out and "cccccccccccccccccccccccc" not in out
    assert "T0AAAAAAA" not in out


def test_apprise_logger_is_redacted(caplog: pytest.LogCaptureFixture) -> None:
    """Apprise logs the Slack webhook URL (tokens) at DEBUG; once a URL went through the
    sender, our filter masks its secret parts in every apprise record."""
    from signalfire.delivery.apprise_adapter import install_log_redaction

    install_log_redaction()
    redaction.register(secret_parts(SLACK_URL))
    with caplog.at_level(logging.DEBUG, logger="apprise"):
        logging.getLogger("apprise").debug(
            "Slack POST URL: %s",
            "https://hooks.slack.com/services/T0AAAAAAA/B0BBBBBBB/cccccccccccccccccccccccc",
        )
    assert "cccccccccccccccccccccccc" not in caplog.text and "T0AAAAAAA" not in caplog.text
    assert "Slack POST URL: https://hooks.slack.com/services/***/***/***" in caplog.text


async def test_failed_send_error_has_no_secret(caplog: pytest.LogCaptureFixture) -> None:
    """A refused local port: retryable failure, and neither the error nor apprise's logs
    show the password (the send stays on 127.0.0.1)."""
    sender = AppriseSender(timeout=5)
    url = SecretStr(f"json://user:{PASSWORD}@127.0.0.1:9/hook")
    msg = RenderedMessage(Channel.GENERIC, "t", "b", "markdown")
    with caplog.at_level(logging.DEBUG, logger="apprise"):
        result = await sender.send(url, msg)
    assert not result.ok and result.retryable and result.error
    assert "Connection error" in result.error
    assert PASSWORD not in caplog.text and PASSWORD not in result.error


async def test_invalid_url_is_not_retryable() -> None:
    """An unparseable URL fails permanently with a message free of the URL."""
    msg = RenderedMessage(Channel.GENERIC, "t", "b", "markdown")
    bad = await AppriseSender().send(SecretStr(f"nosuch://{PASSWORD}"), msg)
    assert not bad.ok and not bad.retryable and PASSWORD not in (bad.error or "")
