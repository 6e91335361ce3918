"""Rendering: per-channel content, escaping of hostile article text, template overrides."""

from __future__ import annotations

from pathlib import Path

import apprise
import jinja2
import pytest
from jinja2.sandbox import SecurityError

from signalfire.delivery.channels import Channel, channel_for
from signalfire.delivery.escape import header_safe, markdown_text, safe_link, slack_mrkdwn
from signalfire.delivery.render import Renderer, compact_amount
from tests.unit.delivery_support import JSON_URL, MAIL_URL, SLACK_URL, make_alert

HOSTILE = (
    "Deal <!channel> <!here|here> <!everyone> @here @channel @everyone <@U024BE7LH> "
    "<#C024BE7LH|ops> <http://evil.example|click me> [click](http://evil.example) "
    "![img](http://evil.example/x.png) <script>alert(1)</script> & more\r\nBcc: x@evil"
)


def slack_payload(body: str) -> str:
    """The text apprise's Slack plugin would post (its CommonMark→mrkdwn conversion)."""
    plugin = apprise.Apprise.instantiate(SLACK_URL.get_secret_value())
    calls = list(plugin._build_send_calls(body=body, body_format="markdown"))
    return "".join(c["body"] for c in calls)


def test_channel_is_picked_from_the_url_scheme() -> None:
    """slack:// → Slack, mailto(s):// → e-mail, anything else (json://) → generic."""
    assert channel_for(SLACK_URL) is Channel.SLACK
    assert channel_for(MAIL_URL) is Channel.EMAIL
    assert channel_for("mailto://u:p@127.0.0.1:25?to=a@b.c") is Channel.EMAIL
    assert channel_for("https://hooks.slack.com/services/T1/B1/x") is Channel.SLACK
    assert channel_for(JSON_URL) is Channel.GENERIC
    assert channel_for("discord://1/2") is Channel.GENERIC


def test_slack_message_carries_the_analyst_facts() -> None:
    """Headline, severity, impact with its top 3 reasons, parties with a direction, value in
    EUR with the original currency, source verification and the link are all in the Slack
    markdown body (the fallback when Block Kit is not used)."""
    body = Renderer().render(make_alert(), Channel.SLACK).body
    assert "[HIGH]" in body and "Romania and Ukraine sign" in body
    assert "7/10" in body
    assert "Deal above €500M" in body and "State-owned maker" in body
    assert "inor factor" not in body  # only the top 3 reasons
    assert "▲ romarm" in body
    assert "€857M (USD 931M)" in body
    assert "Verified by 2 sources" in body
    assert "https://example.com/2026/03/13/ro-ua-drones" in body


def test_single_source_is_marked_unverified() -> None:
    """One source is flagged so an analyst does not act on an unconfirmed report."""
    body = Renderer().render(make_alert(sources=1), Channel.SLACK).body
    assert "Single source — unverified" in body


def test_value_in_eur_only_when_stated_in_eur() -> None:
    """A EUR deal is not repeated in parentheses; amounts are compact."""
    from signalfire.models.analysis import DealValue

    alert = make_alert(deal_value=DealValue(amount=1_250_000_000, currency="EUR", eur=1.25e9))
    body = Renderer().render(alert, Channel.SLACK).body
    assert "€1.25B" in body and "(EUR" not in body
    assert compact_amount(45_000) == "45K" and compact_amount(999) == "999"


def test_hostile_headline_cannot_mention_or_link_in_slack() -> None:
    """After apprise's own conversion, the posted Slack text has no live mention, channel
    link or injected link: <, > are entities, mass mentions are broken, [..](..) stays text."""
    text = slack_payload(Renderer().render(make_alert(headline=HOSTILE), Channel.SLACK).body)
    for live in (
        "<!channel>",
        "<!here",
        "<!everyone>",
        "<@U024BE7LH>",
        "<#C024BE7LH",
        "<http://evil.example",
        "<script>",
    ):
        assert live not in text
    for mass in ("@here", "@channel", "@everyone"):
        assert mass not in text  # a word joiner sits after the @
    assert "&lt;!channel&gt;" in text
    assert "[click](http://evil.example)" in text  # literal brackets, not a Slack link
    assert "&amp; more" in text
    # the template's own link still works
    assert "<https://example.com/2026/03/13/ro-ua-drones|Read the article>" in text


def test_hostile_headline_is_inert_in_generic_markdown() -> None:
    """Generic (markdown) escapes link/image/HTML syntax from article text."""
    msg = Renderer().render(make_alert(headline=HOSTILE), Channel.GENERIC)
    assert msg.body_format == "markdown"
    assert "[click](http://evil.example)" not in msg.body
    assert "\\[click\\]\\(http://evil.example\\)" in msg.body
    assert "![img]" not in msg.body and "<script>" not in msg.body
    assert "\\<script\\>" in msg.body
    assert "[Read the article](<https://example.com/2026/03/13/ro-ua-drones>)" in msg.body


def test_hostile_headline_is_escaped_in_email_html_and_subject_is_one_line() -> None:
    """HTML is autoescaped; the subject has no CR/LF so no header can be injected."""
    msg = Renderer().render(make_alert(headline=HOSTILE), Channel.EMAIL)
    assert msg.body_format == "html"
    assert "<script>" not in msg.body and "&lt;script&gt;" in msg.body
    assert "\r" not in msg.title and "\n" not in msg.title
    assert msg.title.startswith("[HIGH] impact 7 — Deal")
    assert msg.text is not None and "Bcc: x@evil" in msg.text  # kept, but inline
    assert "\nBcc:" not in msg.text


def test_email_subject_format() -> None:
    """The subject an analyst sorts mail by: '[HIGH] impact 7 — <headline>'."""
    msg = Renderer().render(make_alert(), Channel.EMAIL)
    assert msg.title == "[HIGH] impact 7 — Romania and Ukraine sign drone co-production deal"


def test_non_http_links_are_dropped() -> None:
    """A javascript: or data: article URL never becomes a clickable link."""
    assert safe_link("javascript:alert(1)") == ""
    msg = Renderer().render(make_alert(url="javascript:alert(1)"), Channel.EMAIL)
    assert "javascript:" not in msg.body and "href" not in msg.body


def test_escape_helpers() -> None:
    """Raw mrkdwn escaping covers &, <, >; markdown escaping covers links; subjects are
    one bounded line."""
    assert slack_mrkdwn("a & <!here> @channel") == "a &amp; &lt;!here&gt; @\u2060channel"
    assert markdown_text("[x](y)") == "\\[x\\]\\(y\\)"
    assert header_safe("a\r\nb\x00c" + "x" * 500).startswith("a b c")
    assert len(header_safe("x" * 500)) == 200


def test_user_template_overrides_builtin(tmp_path: Path) -> None:
    """A file with the same name in templates_dir wins; values are still escaped."""
    (tmp_path / "slack.md.j2").write_text("CUSTOM {{ alert.headline }}")
    body = Renderer(tmp_path).render(make_alert(headline="<!channel>"), Channel.SLACK).body
    assert body == "CUSTOM \\<!channel\\>\n"
    # other templates still come from the built-ins
    assert "impact 7" in Renderer(tmp_path).render(make_alert(), Channel.EMAIL).title


def test_user_template_is_sandboxed(tmp_path: Path) -> None:
    """A user template cannot reach Python internals."""
    (tmp_path / "slack.md.j2").write_text("{{ alert.__class__.__mro__ }}")
    with pytest.raises(SecurityError):
        Renderer(tmp_path).render(make_alert(), Channel.SLACK)
    (tmp_path / "slack.md.j2").write_text("{{ ''.__class__.__subclasses__() }}")
    with pytest.raises(SecurityError):
        Renderer(tmp_path).render(make_alert(), Channel.SLACK)


def test_undefined_variable_is_an_error(tmp_path: Path) -> None:
    """StrictUndefined: a typo in a user template fails loudly instead of printing ''."""
    (tmp_path / "slack.md.j2").write_text("{{ alert.headlnie }}")
    with pytest.raises(jinja2.UndefinedError):
        Renderer(tmp_path).render(make_alert(), Channel.SLACK)


def test_digest_lists_every_held_alert_once() -> None:
    """A digest names each story (escaped) and how many alerts there are."""
    alerts = [
        make_alert(f"al-{i}", story=f"s-{i}", headline=f"Story {i} <!here>") for i in range(3)
    ]
    for channel in Channel:
        msg = Renderer().render_digest(alerts, channel, "rate limit overflow")
        for i in range(3):
            assert msg.body.count(f"Story {i}") == 1
        assert "<!here>" not in msg.body
    title = Renderer().render_digest(alerts, Channel.EMAIL, "x").title
    assert title.startswith("[DIGEST] 3 alerts")
