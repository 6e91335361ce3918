"""The alert card: what an analyst reads in each channel, its HTML structure, Slack's size
limits, hostile text and digests grouped by story."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser
from pathlib import Path

import apprise

from signalfire.delivery.apprise_adapter import use_blocks
from signalfire.delivery.card import condition_text, reason_text
from signalfire.delivery.channels import Channel
from signalfire.delivery.examples import example_alerts
from signalfire.delivery.render import SLACK_LIMITS, Renderer, fit
from signalfire.models.alert import AlertRecord, HeldCondition
from signalfire.models.analysis import Contribution, KeyFact, StoryMember
from tests.unit.delivery_support import SLACK_URL

FIRST, FOLLOW_UP, COBRA, SINGLE = example_alerts()
HOSTILE = "<!channel> @here <http://evil.example|click> [x](http://evil.example) <script>x</script>"


class Tags(HTMLParser):
    """Every start tag with its attributes, and the visible text."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parse(html: str) -> Tags:
    parser = Tags()
    parser.feed(html)
    return parser


def test_reasons_read_as_words_built_from_the_alert() -> None:
    """Impact contributions become analyst phrases from the structured fields, not the
    analysis' developer notes."""
    assert reason_text(COBRA.impact_reasons[0], COBRA) == (
        "€857M contract for 1,059 COBRA II 4x4 vehicles"
    )
    assert reason_text(FIRST.impact_reasons[0], FIRST) == (
        "Joint venture between Romania, Ukraine and ROMARM"
    )
    assert "transfers technology" in reason_text(FIRST.impact_reasons[1], FIRST)
    odd = Contribution(name="base:delivery", points=4, why="delivery reported ('handed over')")
    lone = FIRST.model_copy(update={"countries": [], "entities": []})
    assert reason_text(odd, lone) == "Delivery reported"
    unknown = Contribution(name="new_term", points=1, why="something new ('cue text')")
    assert reason_text(unknown, FIRST) == "Something new"


def test_conditions_read_as_the_rule_that_held() -> None:
    """Held conditions are phrased with display names and thresholds."""
    texts = [condition_text(c, COBRA) for c in COBRA.conditions]
    assert texts == ["mentions ROMARM", "event: MoU, Contract", "impact 7 ≥ 5"]
    value = HeldCondition(name="min_value_eur", required=["500000000"], matched=["857000000"])
    assert condition_text(value, COBRA) == "deal €857M ≥ €500M"


def test_email_carries_the_whole_seed_card() -> None:
    """The e-mail shows what the seed story card shows: category, sentiment, impact with a
    scale, verified-by with each outlet linked, key facts, mentioned with kinds, who's
    affected with directions, and why the rule fired."""
    msg = Renderer().render(FIRST, Channel.EMAIL)
    page = parse(msg.body)
    text = " ".join(" ".join(page.text).split())
    for part in (
        "Joint venture",
        "Bullish",
        "Verified by 2 sources",
        "Key facts",
        "ROMARM is expected to host",
        "Mentioned",
        "NATO organization",
        "Who's affected",
        "▲ Positive",
        "▼ Negative",
        "involves Romania",
        "keyword “drones”",
    ):
        assert part in text, part
    hrefs = [a["href"] for tag, a in page.tags if tag == "a"]
    for member in FIRST.story_members:
        assert member.url in hrefs
    scale = [a for tag, a in page.tags if tag == "td" and "width:8px" in (a.get("style") or "")]
    filled = [a for a in scale if "#e5e7eb" not in (a.get("style") or "")]
    assert (len(scale), len(filled)) == (10, FIRST.impact)


def test_email_html_is_self_contained_and_table_based() -> None:
    """No scripts, no <style> or remote assets, inline styles on a table layout, every link
    http(s); the viewport meta makes it responsive on phones."""
    for alert in example_alerts():
        page = parse(Renderer().render(alert, Channel.EMAIL).body)
        names = [t for t, _ in page.tags]
        assert "script" not in names and "style" not in names and "link" not in names
        assert not [a for t, a in page.tags if t in ("img", "iframe", "object", "embed")]
        assert names.count("table") >= 3 and "body" in names
        assert ("meta", {"name": "viewport", "content": "width=device-width, initial-scale=1"}) in (
            page.tags
        )
        for tag, attrs in page.tags:
            if tag == "a":
                assert (attrs["href"] or "").startswith("https://")
            assert not any(k.startswith("on") for k in attrs), (tag, attrs)


def test_text_alternative_has_the_same_content() -> None:
    """Plain text carries the key facts, reasons, affected parties, each source's URL and the
    rule, like the HTML."""
    msg = Renderer().render(FOLLOW_UP, Channel.EMAIL)
    assert msg.text is not None
    for fact in FOLLOW_UP.key_facts:
        assert fact.text in msg.text
    for member in FOLLOW_UP.story_members:
        assert member.url in msg.text and member.outlet in msg.text
    assert "▼ Russia (country): Negative" in msg.text
    assert "Joint venture between Romania, Ukraine and ROMARM" in msg.text
    assert "Rule black-sea-drones" in msg.text
    assert "UPDATE: now 3 sources (was 2); impact 7 → 8" in msg.text
    assert "Kyiv Defense Post [new]" in msg.text


def test_follow_up_says_what_changed_and_threads() -> None:
    """A follow-up's subject and body say it is an update and what grew; it carries the
    first alert's key for threading, a first alert carries none."""
    msg = Renderer().render(FOLLOW_UP, Channel.EMAIL)
    assert msg.title.startswith("[HIGH] Update: impact 8 — ")
    assert "now 3 sources (was 2)" in msg.body and "impact 7 → 8" in msg.body
    assert (msg.key, msg.thread) == (FOLLOW_UP.alert_id, FIRST.alert_id)
    first = Renderer().render(FIRST, Channel.EMAIL)
    assert (first.key, first.thread) == (FIRST.alert_id, None)
    assert "Update" not in first.title and "now 3 sources" not in first.body


def test_single_source_is_flagged_in_every_channel() -> None:
    """N = 1 is marked unverified, as the seed's method asks."""
    for channel in Channel:
        msg = Renderer().render(SINGLE, channel)
        shown = msg.body + (msg.text or "") + json.dumps(msg.blocks or {}, ensure_ascii=False)
        assert "Single source — unverified" in shown


def test_generic_markdown_card() -> None:
    """Generic channels get the card as markdown with each outlet linked."""
    body = Renderer().render(COBRA, Channel.GENERIC).body
    assert "**Value:** €857M · **Quantity:** 1,059 COBRA II 4x4 vehicles" in body
    assert "COBRA II (program)" in body and "Türkiye (country)" in body
    for member in COBRA.story_members:
        assert f"[{member.outlet}](<{member.url}>)" in body
    assert "1. ASELSAN and ROMARM signed" in body


def slack_attachment(alert: AlertRecord) -> dict[str, object]:
    """The Block Kit attachment apprise's Slack plugin would post for the alert."""
    msg = Renderer().render(alert, Channel.SLACK)
    assert msg.blocks is not None
    plugin = apprise.Apprise.instantiate(SLACK_URL.get_secret_value())
    assert use_blocks(plugin, msg.blocks)
    payload = plugin.gen_payload(msg.body, msg.title)
    assert isinstance(payload, dict)
    return payload


def test_slack_gets_block_kit_with_the_card() -> None:
    """Header with the headline, a summary with impact and reasons, details with key facts
    and parties, outlets as links, the rule; coloured by severity."""
    att = slack_attachment(COBRA)
    assert att["color"] == "#c2410c"
    blocks = att["blocks"]
    assert isinstance(blocks, list)
    assert [b["type"] for b in blocks] == ["header", "section", "section", "context", "context"]
    text = json.dumps(blocks, ensure_ascii=False)
    assert COBRA.headline in text
    assert "€857M contract for 1,059 COBRA II 4x4 vehicles" in text
    assert "ASELSAN _company_" in text and "▲ Otokar" in text
    for member in COBRA.story_members:
        assert f"<{member.url}|{member.outlet}>" in text


def big_alert() -> AlertRecord:
    """A story with far more than fits: 60 outlets, 30 long key facts, 40 entities."""
    t0 = datetime(2026, 3, 13, tzinfo=UTC)
    members = [
        StoryMember(
            article_id=f"m{i}",
            outlet=f"Outlet {i} " + "x" * 60,
            domain=f"outlet{i}.example",
            title="T" * 200,
            url=f"https://outlet{i}.example/" + "p" * 150,
            published_at=t0 + timedelta(minutes=i),
        )
        for i in range(60)
    ]
    ids = [f"e{i}" for i in range(40)]
    return FIRST.model_copy(
        update={
            "headline": "H" * 400,
            "story_members": members,
            "sources": 60,
            "key_facts": [KeyFact(text="fact " + "f" * 1200) for _ in range(30)],
            "entities": ids,
            "names": {i: "Name " + "n" * 80 for i in ids},
        }
    )


def test_slack_stays_within_block_kit_limits() -> None:
    """However big the story, every Block Kit text fits Slack's limit, links are never cut
    in half, and no text is empty (Slack rejects both)."""
    msg = Renderer().render(big_alert(), Channel.SLACK)
    assert msg.blocks is not None
    for name, limit in SLACK_LIMITS.items():
        text = msg.blocks[name]
        assert 0 < len(text) <= limit, name
        assert text.count("<") == text.count(">"), name
    att = slack_attachment(big_alert())
    blocks = att["blocks"]
    assert isinstance(blocks, list)
    assert len(blocks[0]["text"]["text"]) <= 150
    assert "more" in msg.blocks["sources"]
    assert len(msg.body) < 35000  # apprise's Slack body limit for the markdown fallback


def test_fit_keeps_whole_lines_and_links() -> None:
    """Lines are dropped, not cut; a single long line is cut before an unfinished link."""
    assert fit("a\nb\nc", 100) == "a\nb\nc"
    assert fit("aaaa\nbbbb\ncccc", 30).startswith("aaaa\n")
    assert fit("x" * 10 + " <https://a.example/" + "p" * 50 + "|label>", 40) == "x" * 10 + "…"


def test_hostile_text_is_inert_in_every_part_of_the_card() -> None:
    """Key facts, outlet names and titles from publishers cannot mention, link or inject
    markup in any channel."""
    member = FIRST.story_members[0].model_copy(
        update={"outlet": HOSTILE, "title": HOSTILE, "url": "javascript:alert(1)"}
    )
    alert = FIRST.model_copy(
        update={
            "headline": HOSTILE,
            "key_facts": [KeyFact(text=HOSTILE)],
            "story_members": [member],
            "names": {**FIRST.names, "romarm": HOSTILE},
        }
    )
    renderer = Renderer()
    html = renderer.render(alert, Channel.EMAIL).body
    assert "<script>" not in html and "javascript:" not in html
    assert "&lt;script&gt;" in html
    blocks = json.dumps(renderer.render(alert, Channel.SLACK).blocks, ensure_ascii=False)
    for live in ("<!channel>", "<http://evil", "<script>", "@here"):
        assert live not in blocks
    assert "http:\u2060//evil.example" in blocks  # shown, not clickable
    generic = renderer.render(alert, Channel.GENERIC).body
    assert "[x](http://evil.example)" not in generic and "<script>" not in generic


def test_digest_groups_by_story_most_consequential_first() -> None:
    """One line per story (a first alert and its follow-up are one story), ordered by
    impact, each with its sources count and the number of alerts it stands for."""
    msg = Renderer().render_digest(example_alerts(), Channel.EMAIL, "scheduled digest")
    assert msg.title == "[DIGEST] 4 alerts on 3 stories (scheduled digest)"
    assert msg.text is not None
    lines = [x for x in msg.text.splitlines() if x[:1].isdigit()]
    assert [x.split()[1:3] for x in lines] == [
        ["[HIGH]", "8/10"],
        ["[HIGH]", "7/10"],
        ["[MEDIUM]", "5/10"],
    ]
    assert "3 sources" in msg.text and "2 alerts" in msg.text
    assert "1 source (unverified)" in msg.text
    page = parse(msg.body)
    assert "script" not in [t for t, _ in page.tags]
    for channel in (Channel.SLACK, Channel.GENERIC):
        body = Renderer().render_digest(example_alerts(), channel, "x").body
        assert body.count(FOLLOW_UP.headline) == 1 and FIRST.headline not in body


def test_user_markdown_override_turns_blocks_off(tmp_path: Path) -> None:
    """A templates dir overriding slack.md.j2 (and not slack_blocks.j2) gets its markdown
    sent; overriding slack_blocks.j2 changes the blocks."""
    (tmp_path / "slack.md.j2").write_text("MINE {{ alert.headline }}")
    msg = Renderer(tmp_path).render(FIRST, Channel.SLACK)
    assert msg.blocks is None and msg.body.startswith("MINE ")
    (tmp_path / "slack_blocks.j2").write_text(
        "{% set headline %}H {{ alert.headline }}{% endset %}{% set rule %}R{% endset %}"
    )
    msg = Renderer(tmp_path).render(FIRST, Channel.SLACK)
    assert msg.blocks is not None
    assert msg.blocks["headline"].startswith("H ") and msg.blocks["summary"] == "—"
