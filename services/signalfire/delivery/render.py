"""Render alerts and digests into per-channel messages with user-overridable templates.

Templates run in Jinja's immutable sandbox with StrictUndefined (a user template can
neither reach Python internals nor silently print blanks), and every printed value goes
through the channel's escaper via `finalize`, so a template author cannot forget it.
What the card says (reasons in words, conditions, changes) is built in `card.py`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from jinja2 import ChoiceLoader, FileSystemLoader, StrictUndefined
from jinja2.sandbox import ImmutableSandboxedEnvironment
from markupsafe import Markup

from signalfire.delivery.card import (
    card,
    compact_amount,
    digest_stories,
    sources_text,
    value_text,
)
from signalfire.delivery.channels import Channel
from signalfire.delivery.escape import (
    header_safe,
    markdown_text,
    one_line,
    plain_text,
    slack_block_text,
    slack_text,
)
from signalfire.models.alert import AlertRecord

__all__ = [
    "BUILTIN_TEMPLATES",
    "SLACK_LIMITS",
    "RenderedMessage",
    "Renderer",
    "alert_view",
    "compact_amount",
    "digest_key",
    "sources_text",
    "value_text",
]

BodyFormat = Literal["markdown", "html", "text"]
BUILTIN_TEMPLATES = Path(__file__).with_name("templates")
# Block Kit limits per text (https://api.slack.com/reference/block-kit/blocks): a header is
# plain text up to 150 characters, a section's text up to 3000; context elements are kept
# well under that, and the notification fallback short.
SLACK_LIMITS = {
    "headline": 150,
    "summary": 3000,
    "details": 3000,
    "sources": 2000,
    "rule": 2000,
    "fallback": 300,
}
SLACK_PARTS = tuple(SLACK_LIMITS)


@dataclass(frozen=True)
class RenderedMessage:
    """What a sender needs: `body` in `body_format`; `text` is the plain-text alternative
    (e-mail). `key` names the message for idempotency (the alert id, or a digest's key);
    `thread` is the key of the message it follows up (e-mail In-Reply-To). `blocks`, for
    Slack, are the Block Kit texts (raw mrkdwn) the Apprise adapter fills into
    `templates/slack_blocks.json`; `body` stays the plain-markdown fallback."""

    channel: Channel
    title: str
    body: str
    body_format: BodyFormat
    text: str | None = None
    key: str = ""
    thread: str | None = None
    blocks: Mapping[str, str] | None = None


def alert_view(alert: AlertRecord) -> dict[str, Any]:
    """The card as plain data for templates (see `card.card`)."""
    return card(alert)


def digest_key(alerts: Sequence[AlertRecord]) -> str:
    """A digest's identity: the set of alerts it carries, so a re-sent digest keeps it."""
    ids = "\x00".join(sorted({a.alert_id for a in alerts}))
    return "g-" + hashlib.sha256(ids.encode()).hexdigest()[:16]


SEPARATOR = " · "


def _cut_line(line: str, limit: int) -> str:
    """An overlong line: whole ` · `-separated items while they fit, then how many were
    left out; without separators, cut before any unfinished `<link|label>`."""
    items = line.split(SEPARATOR)
    for keep in range(len(items) - 1, 0, -1):
        head = SEPARATOR.join(items[:keep]) + f" … and {len(items) - keep} more"
        if len(head) <= limit:
            return head
    cut = line[: limit - 1]
    if cut.rfind("<") > cut.rfind(">"):
        cut = cut[: cut.rfind("<")]
    return cut.rstrip() + "…"


def fit(text: str, limit: int) -> str:
    """Keep whole lines while they fit (a link is never cut), then say how many were left
    out; a single overlong line keeps its whole items (see `_cut_line`)."""
    text = text.strip()
    if len(text) <= limit:
        return text
    lines = text.split("\n")
    kept: list[str] = []
    used = 0
    for i, line in enumerate(lines):
        tail = f"… and {len(lines) - i} more line(s)"
        if used + len(line) + 1 + len(tail) > limit:
            if not kept:
                return _cut_line(line, limit)
            kept.append(tail)
            break
        kept.append(line)
        used += len(line) + 1
    return "\n".join(kept)


_FINALIZERS: dict[str, Callable[[Any], str]] = {
    "slack": slack_text,
    "mrkdwn": slack_block_text,
    "markdown": markdown_text,
    "text": plain_text,
}


def _html_finalize(value: Any) -> Any:
    """HTML is autoescaped after this; here only keep article text on one line."""
    if value is None:
        return ""
    return value if isinstance(value, Markup) or not isinstance(value, str) else one_line(value)


class Renderer:
    """Loads `<name>` from `templates_dir` first, else the built-in templates.

    Slack gets Block Kit (from `slack_blocks.j2`) unless the directory overrides
    `slack.md.j2` without `slack_blocks.j2`: then the user's markdown is what is sent."""

    def __init__(self, templates_dir: Path | str | None = None) -> None:
        paths = [str(templates_dir)] if templates_dir else []
        loader = ChoiceLoader([FileSystemLoader([*paths, str(BUILTIN_TEMPLATES)])])
        self._envs = {name: self._env(loader, fn) for name, fn in _FINALIZERS.items()}
        self._html = ImmutableSandboxedEnvironment(
            loader=loader,
            undefined=StrictUndefined,
            autoescape=True,
            finalize=_html_finalize,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        custom = Path(templates_dir) if templates_dir else None
        self.slack_blocks = not (
            custom is not None
            and (custom / "slack.md.j2").is_file()
            and not (custom / "slack_blocks.j2").is_file()
        )

    @staticmethod
    def _env(loader: ChoiceLoader, finalize: Callable[[Any], str]) -> ImmutableSandboxedEnvironment:
        def _fin(value: Any) -> str:
            return "" if value is None else finalize(value)

        return ImmutableSandboxedEnvironment(
            loader=loader,
            undefined=StrictUndefined,
            autoescape=False,
            finalize=_fin,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=False,
        )

    def _render(self, env: str, name: str, **ctx: Any) -> str:
        e = self._html if env == "html" else self._envs[env]
        return e.get_template(name).render(**ctx).strip() + "\n"

    def _subject(self, name: str, **ctx: Any) -> str:
        return header_safe(self._envs["text"].get_template(name).render(**ctx))

    def _blocks(self, **ctx: Any) -> dict[str, str]:
        """The Block Kit texts: top-level `{% set %}` blocks of `slack_blocks.j2`, each
        within Slack's limit, none empty (Slack rejects an empty text)."""
        module = self._envs["mrkdwn"].get_template("slack_blocks.j2").make_module(ctx)
        parts = {}
        for name in SLACK_PARTS:
            raw = str(getattr(module, name, "")).strip()
            parts[name] = fit(raw, SLACK_LIMITS[name]) or "—"
        parts["color"] = str(ctx["alert"]["severity_color"])
        return parts

    def render(self, alert: AlertRecord, channel: Channel) -> RenderedMessage:
        """One alert for one channel."""
        a = alert_view(alert)
        key, thread = alert.alert_id, alert.first_alert_id if alert.follow_up else None
        subject = self._subject("email_subject.txt.j2", alert=a)
        if channel is Channel.SLACK:
            return RenderedMessage(
                channel,
                "",
                self._render("slack", "slack.md.j2", alert=a),
                "markdown",
                key=key,
                thread=thread,
                blocks=self._blocks(alert=a) if self.slack_blocks else None,
            )
        if channel is Channel.EMAIL:
            return RenderedMessage(
                channel,
                subject,
                self._render("html", "email.html.j2", alert=a),
                "html",
                text=self._render("text", "email.txt.j2", alert=a),
                key=key,
                thread=thread,
            )
        return RenderedMessage(
            channel,
            subject,
            self._render("markdown", "generic.md.j2", alert=a),
            "markdown",
            key=key,
            thread=thread,
        )

    def render_digest(
        self, alerts: Sequence[AlertRecord], channel: Channel, reason: str
    ) -> RenderedMessage:
        """Several held alerts as ONE message (rate-limit overflow, digest mode, quiet hours),
        one line per story, most consequential first."""
        views = [alert_view(x) for x in alerts]
        stories = digest_stories(alerts)
        ctx: dict[str, Any] = {
            "alerts": views,
            "count": len(views),
            "stories": stories,
            "story_count": len(stories),
            "reason": reason,
        }
        key = digest_key(alerts)
        subject = self._subject("digest_subject.txt.j2", **ctx)
        if channel is Channel.SLACK:
            return RenderedMessage(
                channel,
                "",
                self._render("slack", "digest_slack.md.j2", **ctx),
                "markdown",
                key=key,
            )
        if channel is Channel.EMAIL:
            return RenderedMessage(
                channel,
                subject,
                self._render("html", "digest_email.html.j2", **ctx),
                "html",
                text=self._render("text", "digest_email.txt.j2", **ctx),
                key=key,
            )
        return RenderedMessage(
            channel,
            subject,
            self._render("markdown", "digest_generic.md.j2", **ctx),
            "markdown",
            key=key,
        )
