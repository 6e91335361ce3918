"""The alert card as plain data: what every channel's template prints (pure).

An analyst reads words, not field names: event types become "Joint venture", impact
contributions become "€857M contract for 1,059 COBRA II vehicles", rule conditions become
"mentions ROMARM". Templates only lay this out; escaping happens when they print it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from markupsafe import Markup

from signalfire.delivery.escape import one_line, safe_link
from signalfire.models.alert import AlertRecord, HeldCondition
from signalfire.models.analysis import Contribution

EVENT_LABELS = {
    "agreement": "Agreement",
    "mou": "MoU",
    "contract": "Contract",
    "joint_venture": "Joint venture",
    "tech_transfer": "Technology transfer",
    "delivery": "Delivery",
    "acquisition": "Acquisition",
    "investment": "Investment",
    "regulatory": "Regulatory",
    "financial_results": "Financial results",
    "incident": "Incident",
    "cancellation": "Cancellation",
}
# Event types between parties ("Agreement between Romania and Ukraine").
_BETWEEN = frozenset({"agreement", "mou", "joint_venture", "tech_transfer"})
SEVERITY_COLORS = {
    "info": "#52606d",
    "low": "#2f6f3e",
    "medium": "#a15c00",
    "high": "#c2410c",
    "critical": "#b42318",
}
SENTIMENT_LABELS = {"bullish": "Bullish", "bearish": "Bearish", "neutral": "Neutral"}
SENTIMENT_COLORS = {"bullish": "#15803d", "bearish": "#b42318", "neutral": "#52606d"}


def impact_color(impact: int) -> str:
    """The scale's colour: grey-blue for minor news, amber, orange, red for the top band."""
    if impact >= 9:
        return "#b42318"
    if impact >= 7:
        return "#dd6b20"
    if impact >= 4:
        return "#d69e2e"
    return "#64748b"


DIRECTIONS = {
    "positive": {"arrow": "▲", "label": "Positive", "color": "#15803d"},
    "negative": {"arrow": "▼", "label": "Negative", "color": "#b42318"},
    "neutral": {"arrow": "●", "label": "Neutral", "color": "#6b7280"},
}
# Impact contributions that are not an event's base score, in words.
_ADJUSTMENTS = {
    "joint_production": "Joint venture that adds production capacity or transfers technology",
    "multinational_agreement": "Agreement among three or more countries",
    "first_delivery": "First delivery or start of series production",
    "not_firm": "Approval or cancelled tender, not a firm order",
    "sanctions_major_firm": "Sanctions name a major company",
    "incident_fatalities": "People were killed",
    "incident_destruction": "Production buildings destroyed or badly damaged",
    "incident_hostile_attack": "Deliberate attack on the defence industry",
    "non_defense": "Outside the defence industry",
    "no_event": "No decision or event reported yet",
}
_QUOTED_CUE = re.compile(r"\s*\('.*'\)\s*$")
MAX_REASONS = 3
MAX_FACTS = 8
MAX_MENTIONED = 12
MAX_SOURCES = 10
SCALE = 10


def compact_amount(amount: float) -> str:
    """857000000 -> '857M', 1250000000 -> '1.25B': analysts read magnitudes, not digits."""
    for div, suffix in ((1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "K")):
        if abs(amount) >= div:
            return f"{amount / div:.2f}".rstrip("0").rstrip(".") + suffix
    return f"{amount:.0f}"


def eur(amount: float) -> str:
    return f"€{compact_amount(amount)}"


def value_text(alert: AlertRecord) -> str | None:
    """'€857M (USD 931M)': EUR first (what rules compare), the stated currency after."""
    dv = alert.deal_value
    if dv is None:
        return None
    first = eur(dv.eur)
    return first if dv.currency == "EUR" else f"{first} ({dv.currency} {compact_amount(dv.amount)})"


def quantity_text(alert: AlertRecord) -> str | None:
    q = alert.quantity
    return None if q is None else f"{q.count:,} {q.item}"


def sources_text(sources: int) -> str:
    return f"Verified by {sources} sources" if sources >= 2 else "Single source — unverified"


def _join(names: Sequence[str]) -> str:
    """'A', 'A and B', 'A, B and C'."""
    if len(names) <= 1:
        return "".join(names)
    return f"{', '.join(names[:-1])} and {names[-1]}"


def _name(alert: AlertRecord, item_id: str) -> str:
    return alert.names.get(item_id, item_id)


def _programmes(alert: AlertRecord) -> list[str]:
    ids = [*alert.entities, *alert.related_entities]
    return [_name(alert, i) for i in dict.fromkeys(ids) if alert.kinds.get(i) == "program"]


def _parties(alert: AlertRecord, event: str = "", limit: int = 3) -> list[str]:
    """Who an event is between: the parties the analysis found for it when it found two or
    more (alliances only when fewer than two others: NATO is rarely a party to a drone deal
    between two of its neighbours); else the firms when the story names two or more, else
    countries first, then the firms; programmes never."""
    found = alert.event_parties.get(event, [])
    named = [i for i in found if alert.kinds.get(i) != "organization"]
    if len(named) >= 2 or len(found) >= 2:
        return [_name(alert, i) for i in (named if len(named) >= 2 else found)[:limit]]
    firms = [i for i in dict.fromkeys(alert.entities)
             if alert.kinds.get(i) not in ("program", "organization")]  # fmt: skip
    if len(firms) >= 2:
        return [_name(alert, i) for i in firms[:limit]]
    ids = list(
        dict.fromkeys(
            [*alert.countries, *(i for i in alert.entities if alert.kinds.get(i) != "program")]
        )
    )
    principal = [i for i in ids if alert.kinds.get(i) != "organization"]
    chosen = principal if len(principal) >= 2 else ids
    return [_name(alert, i) for i in chosen[:limit]]


def reason_text(reason: Contribution, alert: AlertRecord) -> str:
    """One impact contribution in an analyst's words, from the alert's structured fields."""
    kind, _, event = reason.name.partition(":")
    label = EVENT_LABELS.get(event, event.replace("_", " ").capitalize())
    if kind == "value" and event and alert.deal_value is not None:
        text = f"{eur(alert.deal_value.eur)} {label.lower()}"
        quantity = quantity_text(alert)
        programmes = _programmes(alert)
        if quantity:
            return f"{text} for {quantity}"
        return f"{text}: {_join(programmes[:2])}" if programmes else text
    if kind == "base" and event:
        parties = _parties(alert, event)
        if not parties:
            return f"{label} reported"
        word = "between" if event in _BETWEEN and len(parties) > 1 else "involving"
        return f"{label} {word} {_join(parties)}"
    if reason.name in _ADJUSTMENTS:
        return _ADJUSTMENTS[reason.name]
    why = _QUOTED_CUE.sub("", reason.why)
    return why[:1].upper() + why[1:]


def condition_text(cond: HeldCondition, alert: AlertRecord) -> str:
    """A held rule condition as a reader says it: 'mentions ROMARM', 'impact 7 ≥ 5'."""
    matched, required = cond.matched, cond.required
    if cond.name == "entities" and matched:
        return f"mentions {_join([_name(alert, i) for i in matched])}"
    if cond.name == "countries" and matched:
        return f"involves {_join([_name(alert, i) for i in matched])}"
    if cond.name == "event_types" and matched:
        return "event: " + ", ".join(EVENT_LABELS.get(t, t) for t in matched)
    if cond.name == "min_impact" and matched and required:
        return f"impact {matched[0]} ≥ {required[0]}"
    if cond.name == "min_sources" and matched and required:
        return f"{matched[0]} sources ≥ {required[0]}"
    if cond.name == "min_value_eur" and matched and required:
        return f"deal {eur(float(matched[0]))} ≥ {eur(float(required[0]))}"
    if cond.name == "keywords" and matched:
        return "keyword " + ", ".join(f"“{k}”" for k in matched)
    return f"{cond.name.replace('_', ' ')}: {cond.explain}"


def changes(alert: AlertRecord) -> list[str]:
    """What a follow-up adds since the rule's previous alert: 'now 3 sources (was 2)'."""
    if not alert.follow_up:
        return []
    out: list[str] = []
    before = alert.previous_sources
    if before is not None and alert.sources != before:
        out.append(f"now {alert.sources} sources (was {before})")
    if alert.previous_impact is not None and alert.impact != alert.previous_impact:
        out.append(f"impact {alert.previous_impact} → {alert.impact}")
    return out or ["the story has grown"]


def _new_domains(alert: AlertRecord) -> set[str]:
    """Domains that joined the story since the previous alert (domains are in order of
    first report, so the first `previous_sources` were already known)."""
    if not alert.follow_up or alert.previous_sources is None:
        return set()
    domains = list(dict.fromkeys(m.domain for m in alert.story_members)) or alert.source_domains
    return set(domains[alert.previous_sources :])


def _when(moment: datetime) -> str:
    return moment.strftime("%d %b %Y, %H:%M %Z").strip()


def _link(url: str) -> Markup:
    # safe_link allows only http(s) and percent-encodes every character that could end a
    # link or attribute, so the URL is marked safe from per-channel escaping.
    return Markup(safe_link(url))  # noqa: S704


def _members(alert: AlertRecord) -> list[dict[str, Any]]:
    new = _new_domains(alert)
    seen: set[str] = set()
    out: list[dict[str, Any]] = []
    for m in alert.story_members:
        if m.article_id in seen:
            continue
        seen.add(m.article_id)
        out.append(
            {
                "outlet": m.outlet or m.domain,
                "domain": m.domain,
                "title": m.title,
                "url": _link(m.url),
                "published": m.published_at.strftime("%d %b %Y"),
                "new": m.domain in new,
            }
        )
    if not out:  # records written before story members were kept
        out = [
            {
                "outlet": d,
                "domain": d,
                "title": "",
                "url": Markup(""),
                "published": "",
                "new": d in new,
            }
            for d in alert.source_domains
        ]
    return out


def _mentioned(alert: AlertRecord) -> list[dict[str, str]]:
    ids = dict.fromkeys([*alert.entities, *alert.countries, *alert.related_entities])
    return [{"name": _name(alert, i), "kind": alert.kinds.get(i, "")} for i in ids]


def _mentioned_text(mentioned: Sequence[dict[str, str]]) -> str:
    """'ROMARM (company), Romania (country) and 3 more'."""
    shown = [f"{m['name']} ({m['kind']})" if m["kind"] else m["name"] for m in mentioned]
    more = len(shown) - MAX_MENTIONED
    text = ", ".join(shown[:MAX_MENTIONED])
    return f"{text} and {more} more" if more > 0 else text


def card(alert: AlertRecord) -> dict[str, Any]:
    """Plain data for templates (no model objects: less for a user template to poke at).
    The first keys are the ones templates have always had; the rest is the card."""
    reasons = sorted(alert.impact_reasons, key=lambda c: -abs(c.points))[:MAX_REASONS]
    names = alert.names
    members = _members(alert)
    mentioned = _mentioned(alert)
    filled = max(0, min(SCALE, alert.impact))
    categories = [EVENT_LABELS.get(t, t) for t in alert.event_types]
    value, quantity = value_text(alert), quantity_text(alert)
    verified = alert.sources >= 2
    summary = [f"Impact {alert.impact}/10", sources_text(alert.sources), *categories[:2]]
    if value:
        summary.append(eur(alert.deal_value.eur) if alert.deal_value else value)
    headline_story = alert.story_members[0].title if alert.story_members else alert.headline
    return {
        # What templates had before the card (kept for user templates).
        "alert_id": alert.alert_id,
        "rule_id": alert.rule_id,
        "rule_description": alert.rule_description or "",
        "story": alert.story,
        "headline": alert.headline,
        "url": _link(alert.url),
        "severity": alert.severity,
        "severity_label": alert.severity.upper(),
        "impact": alert.impact,
        "reasons": [
            {
                "why": r.why,
                "name": r.name,
                "points": f"{r.points:+g}",
                "text": reason_text(r, alert),
            }
            for r in reasons
        ],
        "entities": [names.get(i, i) for i in alert.entities],
        "countries": [names.get(c, c) for c in alert.countries],
        "event_types": [t.replace("_", " ") for t in alert.event_types],
        "parties": [
            {
                "id": names.get(p.id, p.id),
                "name": names.get(p.id, p.id),
                "kind": alert.kinds.get(p.id, ""),
                "direction": p.direction,
                **DIRECTIONS[p.direction],
            }
            for p in alert.affected
        ],
        "value": value,
        "quantity": quantity,
        "sources": alert.sources,
        "sources_text": sources_text(alert.sources),
        "source_domains": list(alert.source_domains),
        "sentiment": alert.sentiment,
        "follow_up": alert.follow_up,
        "fired_at": alert.fired_at.isoformat(),
        # The card.
        "categories": categories,
        "category_text": " · ".join(categories) or "News",
        "sentiment_label": SENTIMENT_LABELS[alert.sentiment],
        "sentiment_color": SENTIMENT_COLORS[alert.sentiment],
        "impact_color": impact_color(alert.impact),
        "severity_color": SEVERITY_COLORS[alert.severity],
        "scale": [i < filled for i in range(SCALE)],
        "scale_text": "▰" * filled + "▱" * (SCALE - filled),
        "verified": verified,
        "reason_texts": [reason_text(r, alert) for r in reasons],
        "key_facts": [
            {"text": one_line(f.text, limit=400), "kinds": list(f.kinds)}
            for f in alert.key_facts[:MAX_FACTS]
        ],
        "mentioned": mentioned[:MAX_MENTIONED],
        "mentioned_more": max(0, len(mentioned) - MAX_MENTIONED),
        "mentioned_text": _mentioned_text(mentioned),
        "members": members[:MAX_SOURCES],
        "members_more": max(0, len(members) - MAX_SOURCES),
        "conditions": [condition_text(c, alert) for c in alert.conditions],
        "changes": changes(alert),
        "fired_at_text": _when(alert.fired_at),
        "preheader": " · ".join(summary),
        "story_headline": headline_story,
    }


_SEVERITY_RANK = {"critical": 4, "high": 3, "medium": 2, "low": 1, "info": 0}


def digest_stories(alerts: Sequence[AlertRecord]) -> list[dict[str, Any]]:
    """Held alerts grouped by story, most consequential first: one entry per story with its
    latest state (the alert with the most sources, then the highest impact), the rules that
    fired for it and how many alerts it stands for."""
    groups: dict[str, list[AlertRecord]] = {}
    for alert in alerts:
        groups.setdefault(alert.story, []).append(alert)
    stories = []
    for story, group in groups.items():
        latest = max(group, key=lambda a: (a.sources, a.impact, a.fired_at))
        view = card(latest)
        view["rules"] = list(dict.fromkeys(a.rule_id for a in group))
        view["alert_count"] = len(group)
        view["severity_rank"] = max(_SEVERITY_RANK[a.severity] for a in group)
        top = max(group, key=lambda a: _SEVERITY_RANK[a.severity])
        view["severity_label"] = top.severity.upper()
        view["severity_color"] = SEVERITY_COLORS[top.severity]
        view["story"] = story
        stories.append(view)
    stories.sort(key=lambda v: (-v["impact"], -v["severity_rank"], -v["sources"]))
    return stories
