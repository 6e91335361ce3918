"""Render alerts and digests into per-channel messages with user-overridable templates.

Templates run in Jinja's immutable sandbox with StrictUndefined (a user template can
neither reach Python internals nor silently print blanks), and every printed value goes
through the channel's escaper via `finalize`, so a template author cannot forget it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from jinja2 import ChoiceLoader, FileSystemLoader, StrictUndefined
from jinja2.sandbox import ImmutableSandboxedEnvironment
from markupsafe import Markup

from signalfire.delivery.channels import Channel
from signalfire.delivery.escape import (
    header_safe,
    markdown_text,
    one_line,
    plain_text,
    safe_link,
    slack_text,
)
from signalfire.models.alert import AlertRecord

BodyFormat = Literal["markdown", "html", "text"]
BUILTIN_TEMPLATES = Path(__file__).with_name("templates")


@dataclass(frozen=True)
class RenderedMessage:
    """What a sender needs: `body` in `body_format`; `text` is the plain-text alternative
    (e-mail) used when a destination asks for text."""

    channel: Channel
    title: str
    body: str
    body_format: BodyFormat
    text: str | None = None


def compact_amount(amount: float) -> str:
    """857000000 -> '857M', 1250000000 -> '1.25B': analysts read magnitudes, not digits."""
    for div, suffix in ((1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "K")):
        if abs(amount) >= div:
            return f"{amount / div:.2f}".rstrip("0").rstrip(".") + suffix
    return f"{amount:.0f}"


def value_text(alert: AlertRecord) -> str | None:
    """'€857M (USD 931M)': EUR first (what rules compare), the stated currency after."""
    dv = alert.deal_value
    if dv is None:
        return None
    eur = f"€{compact_amount(dv.eur)}"
    return eur if dv.currency == "EUR" else f"{eur} ({dv.currency} {compact_amount(dv.amount)})"


def sources_text(sources: int) -> str:
    return f"verified by {sources} sources" if sources >= 2 else "single source (unverified)"


def alert_view(alert: AlertRecord) -> dict[str, Any]:
    """Plain data for templates (no model objects: less for a user template to poke at)."""
    reasons = sorted(alert.impact_reasons, key=lambda c: -abs(c.points))[:3]
    names = alert.names
    return {
        "alert_id": alert.alert_id,
        "rule_id": alert.rule_id,
        "rule_description": alert.rule_description or "",
        "story": alert.story,
        "headline": alert.headline,
        # safe_link allows only http(s) and percent-encodes every character that could
        # end a link or attribute, so the URL is marked safe from per-channel escaping.
        "url": Markup(safe_link(alert.url)),  # noqa: S704
        "severity": alert.severity,
        "severity_label": alert.severity.upper(),
        "impact": alert.impact,
        "reasons": [{"why": r.why, "name": r.name, "points": f"{r.points:+g}"} for r in reasons],
        "entities": [names.get(i, i) for i in alert.entities],
        "countries": [names.get(c, c) for c in alert.countries],
        "event_types": [t.replace("_", " ") for t in alert.event_types],
        "parties": [
            {"id": names.get(p.id, p.id), "direction": p.direction} for p in alert.affected
        ],
        "value": value_text(alert),
        "quantity": f"{alert.quantity.count} {alert.quantity.item}" if alert.quantity else None,
        "sources": alert.sources,
        "sources_text": sources_text(alert.sources),
        "source_domains": list(alert.source_domains),
        "sentiment": alert.sentiment,
        "follow_up": alert.follow_up,
        "fired_at": alert.fired_at.isoformat(),
    }


_FINALIZERS: dict[str, Callable[[Any], str]] = {
    "slack": slack_text,
    "markdown": markdown_text,
    "text": plain_text,
}


def _html_finalize(value: Any) -> Any:
    """HTML is autoescaped after this; here only keep article text on one line."""
    if value is None:
        return ""
    return value if isinstance(value, Markup) or not isinstance(value, str) else one_line(value)


class Renderer:
    """Loads `<name>` from `templates_dir` first, else the built-in templates."""

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

    def render(self, alert: AlertRecord, channel: Channel) -> RenderedMessage:
        """One alert for one channel."""
        a = alert_view(alert)
        subject = self._subject("email_subject.txt.j2", alert=a)
        if channel is Channel.SLACK:
            return RenderedMessage(
                channel, "", self._render("slack", "slack.md.j2", alert=a), "markdown"
            )
        if channel is Channel.EMAIL:
            return RenderedMessage(
                channel,
                subject,
                self._render("html", "email.html.j2", alert=a),
                "html",
                text=self._render("text", "email.txt.j2", alert=a),
            )
        return RenderedMessage(
            channel, subject, self._render("markdown", "generic.md.j2", alert=a), "markdown"
        )

    def render_digest(
        self, alerts: Sequence[AlertRecord], channel: Channel, reason: str
    ) -> RenderedMessage:
        """Several held alerts as ONE message (rate-limit overflow, digest mode, quiet hours)."""
        views = [alert_view(x) for x in alerts]
        ctx: dict[str, Any] = {"alerts": views, "count": len(views), "reason": reason}
        subject = self._subject("digest_subject.txt.j2", **ctx)
        if channel is Channel.SLACK:
            return RenderedMessage(
                channel, "", self._render("slack", "digest_slack.md.j2", **ctx), "markdown"
            )
        if channel is Channel.EMAIL:
            return RenderedMessage(
                channel,
                subject,
                self._render("html", "digest_email.html.j2", **ctx),
                "html",
                text=self._render("text", "digest_email.txt.j2", **ctx),
            )
        return RenderedMessage(
            channel, subject, self._render("markdown", "digest_generic.md.j2", **ctx), "markdown"
        )
