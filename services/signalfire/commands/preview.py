"""`signalfire preview`: what analysts would receive, rendered, never sent.

Runs the same Pipeline as `dry-run` over files of articles and renders each alert that
fires for every channel its subscribers use (e-mail, Slack, generic), with the templates
the worker would use (`SIGNALFIRE_TEMPLATES_DIR` included), to the terminal or to files.
`--examples` renders built-in alerts that fill every part of the card instead.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

import apprise
from pydantic import SecretStr

from signalfire.analysis.analyzer import Analyzer
from signalfire.commands import watchlists
from signalfire.delivery.apprise_adapter import idempotency_key, message_id, use_blocks
from signalfire.delivery.channels import Channel, channel_for
from signalfire.delivery.destinations import shown_as
from signalfire.delivery.examples import example_alerts
from signalfire.delivery.render import RenderedMessage, Renderer
from signalfire.files.jsonl import read_articles
from signalfire.models.alert import AlertRecord
from signalfire.models.watchlist import Watchlist
from signalfire.pipeline import Pipeline

# Where the examples go when there is no watchlist: one of each channel.
_EXAMPLE_URLS = {
    Channel.EMAIL: SecretStr("mailto://alerts@example.com?to=desk@example.com"),
    Channel.SLACK: SecretStr("slack://T000EXAMPL/B000EXAMPL/xxxxxxxxxxxxxxxxxxxxxxxx"),
    Channel.GENERIC: SecretStr("json://hooks.example.com/signalfire"),
}


@dataclass(frozen=True)
class Target:
    """One place an alert goes: who, through which URL and channel."""

    subscriber: str
    url: SecretStr
    channel: Channel


def targets(alert: AlertRecord, watchlist: Watchlist | None) -> list[Target]:
    """Every (subscriber, channel) the alert reaches; one URL per channel and subscriber."""
    if watchlist is None:
        return [Target("example", url, ch) for ch, url in _EXAMPLE_URLS.items()]
    subs = {s.id: s for s in watchlist.subscribers}
    out: list[Target] = []
    for sid in alert.subscribers:
        sub = subs.get(sid)
        seen: set[Channel] = set()
        for url in sub.notify if sub else []:
            channel = channel_for(url)
            if channel not in seen:
                seen.add(channel)
                out.append(Target(sid, url, channel))
    return out


def fired_alerts(files: Sequence[str], watchlist: Watchlist) -> list[AlertRecord]:
    """The alerts `dry-run` would print, as records."""
    pipeline = Pipeline.in_memory(Analyzer.build(watchlist.entities), watchlist)
    alerts: list[AlertRecord] = []
    for article in read_articles(files):
        alerts.extend(pipeline.process(article, now=article.published_at).alerts)
    return alerts


def slack_payload(url: SecretStr, message: RenderedMessage) -> dict[str, object] | None:
    """The Block Kit attachment the Slack plugin would post for this URL, or None when it
    posts the markdown body (its own template, a workflow URL, no blocks)."""
    plugin = apprise.Apprise.instantiate(url.get_secret_value(), suppress_exceptions=True)
    if plugin is None or not message.blocks or not use_blocks(plugin, message.blocks):
        return None
    payload = getattr(plugin, "gen_payload")(message.body, message.title)  # noqa: B009  # Slack
    return payload if isinstance(payload, dict) else None


def _email_headers(url: SecretStr, message: RenderedMessage) -> list[str]:
    plugin = apprise.Apprise.instantiate(url.get_secret_value(), suppress_exceptions=True)
    from_addr = getattr(plugin, "from_addr", None)
    domain = str(from_addr[1]).rpartition("@")[2] if from_addr else ""
    lines = [f"Subject: {message.title}", f"Message-ID: {message_id(message.key, url, domain)}"]
    if message.thread and message.thread != message.key:
        lines.append(f"In-Reply-To: {message_id(message.thread, url, domain)}")
    return lines


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", text).strip("-")[:60]


def _write_files(out: Path, stem: str, url: SecretStr, message: RenderedMessage) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []

    def put(suffix: str, text: str) -> None:
        path = out / f"{stem}{suffix}"
        path.write_text(text, encoding="utf-8")
        written.append(path)

    if message.channel is Channel.EMAIL:
        put(".html", message.body)
        put(".txt", "\n".join(_email_headers(url, message)) + "\n\n" + (message.text or ""))
    elif message.channel is Channel.SLACK:
        payload = slack_payload(url, message)
        if payload is not None:
            put(".slack.json", json.dumps(payload, ensure_ascii=False, indent=2) + "\n")
        put(".slack.md", message.body)
    else:
        head = f"Title: {message.title}\nIdempotency-Key: {idempotency_key(message.key, url)}\n\n"
        put(".md", head + message.body)
    return written


def _print(stream: TextIO, url: SecretStr, message: RenderedMessage) -> None:
    if message.channel is Channel.EMAIL:
        stream.write("\n".join(_email_headers(url, message)) + "\n\n" + (message.text or ""))
        return
    blocks = message.blocks
    if message.channel is Channel.SLACK and blocks and slack_payload(url, message) is not None:
        for name in ("headline", "summary", "details", "sources", "rule"):
            stream.write(f"[{name}]\n{blocks[name]}\n")
        return
    stream.write(f"Title: {message.title}\n" if message.title else "")
    stream.write(message.body)


def render_all(
    alerts: Iterable[AlertRecord],
    watchlist: Watchlist | None,
    renderer: Renderer,
    *,
    out: Path | None,
    digest: bool,
    stream: TextIO,
) -> int:
    """Render every alert (or one digest per target) and print or write it; returns the
    number of messages rendered."""
    alerts = list(alerts)
    jobs: list[tuple[str, Target, RenderedMessage]] = []
    if digest:
        by_target: dict[tuple[str, str], tuple[Target, list[AlertRecord]]] = {}
        for alert in alerts:
            for t in targets(alert, watchlist):
                by_target.setdefault((t.subscriber, t.channel), (t, []))[1].append(alert)
        for t, group in by_target.values():
            message = renderer.render_digest(group, t.channel, "preview")
            jobs.append((f"digest-{_slug(t.subscriber)}-{t.channel}", t, message))
    else:
        for i, alert in enumerate(alerts, 1):
            for t in targets(alert, watchlist):
                stem = f"{i:02d}-{_slug(alert.rule_id)}-{_slug(t.subscriber)}-{t.channel}"
                jobs.append((stem, t, renderer.render(alert, t.channel)))
    for stem, t, message in jobs:
        if out is not None:
            for path in _write_files(out, stem, t.url, message):
                stream.write(f"{path}\n")
            continue
        stream.write(f"\n===== {stem} · {t.subscriber} · {shown_as(t.url)}\n")
        _print(stream, t.url, message)
    return len(jobs)


def run(
    files: Sequence[str],
    watchlist_paths: Sequence[Path],
    *,
    templates_dir: Path | None,
    out: Path | None,
    digest: bool = False,
    examples: bool = False,
) -> int:
    watchlist = watchlists.merged(watchlist_paths) if watchlist_paths else None
    if examples:
        alerts = example_alerts()
        watchlist = None
    else:
        assert watchlist is not None  # the CLI requires --watchlist without --examples
        alerts = fired_alerts(files, watchlist)
    count = render_all(
        alerts, watchlist, Renderer(templates_dir), out=out, digest=digest, stream=sys.stdout
    )
    print(f"{len(alerts)} alert(s), {count} message(s) rendered", file=sys.stderr)
    return 0
