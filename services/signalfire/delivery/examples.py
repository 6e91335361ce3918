"""Example alerts with every part of the card filled (key facts, a follow-up, a deal with a
quantity, a single-source story), modelled on the stories the product was specified from.

For `signalfire preview --examples` (template writers see every section without finding
articles that fire them), the e-mail screenshots in docs/screenshots and the tests. The
texts are written for these examples; outlets and URLs are fictitious (.example).
"""

from __future__ import annotations

from datetime import UTC, datetime

from signalfire.models.alert import AlertRecord, HeldCondition
from signalfire.models.analysis import (
    AffectedParty,
    Contribution,
    DealValue,
    KeyFact,
    Quantity,
    StoryMember,
)

_NAMES = {
    "romarm": "ROMARM",
    "aselsan": "ASELSAN",
    "otokar": "Otokar",
    "cobra-ii": "COBRA II",
    "nato": "NATO",
    "mapn": "Romanian Ministry of National Defence",
    "skyeton": "Skyeton",
    "raybird": "Raybird",
    "RO": "Romania",
    "UA": "Ukraine",
    "RU": "Russia",
    "TR": "Türkiye",
    "SK": "Slovakia",
}
_KINDS = {
    "romarm": "company",
    "aselsan": "company",
    "otokar": "company",
    "cobra-ii": "program",
    "nato": "organization",
    "mapn": "government",
    "skyeton": "company",
    "raybird": "program",
    "RO": "country",
    "UA": "country",
    "RU": "country",
    "TR": "country",
    "SK": "country",
}


def _member(aid: str, outlet: str, domain: str, title: str, day: int, hour: int) -> StoryMember:
    return StoryMember(
        article_id=aid,
        outlet=outlet,
        domain=domain,
        title=title,
        url=f"https://{domain}/2026/03/{day:02d}/{aid}",
        published_at=datetime(2026, 3, day, hour, 0, tzinfo=UTC),
    )


_DRONES = [
    _member(
        "ro-ua-1",
        "Defence Wire",
        "defence-wire.example",
        "Romania and Ukraine sign agreement to build military drones on Romanian soil",
        13,
        9,
    ),
    _member(
        "ro-ua-2",
        "Bucharest Business",
        "bucharest-business.example",
        "Drone pact with Kyiv puts ROMARM plants and local suppliers in the spotlight",
        13,
        11,
    ),
    _member(
        "ro-ua-3",
        "Kyiv Defense Post",
        "kyiv-defense-post.example",
        "Romanian drone deal gives Ukraine's manufacturers production depth",
        14,
        8,
    ),
]
_DRONE_FACTS = [
    KeyFact(
        text="Romania and Ukraine signed an agreement on 13 March 2026 to produce military "
        "drones jointly on Romanian territory.",
        kinds=["agreement", "date"],
    ),
    KeyFact(
        text="Production will focus on unmanned aerial vehicles, from reconnaissance models "
        "to loitering munitions.",
        kinds=["joint_venture"],
    ),
    KeyFact(
        text="State-owned ROMARM is expected to host the first production lines.",
        kinds=["joint_venture"],
    ),
    KeyFact(
        text="Ukraine will share design know-how and operational data from the front line.",
        kinds=["tech_transfer"],
    ),
]
_DRONE_REASONS = [
    Contribution(name="base:joint_venture", points=6.0, why="joint_venture reported ('x')"),
    Contribution(
        name="joint_production",
        points=1.0,
        why="joint venture with new capacity or technology transfer",
    ),
]


def _drones(follow_up: bool) -> AlertRecord:
    members = _DRONES if follow_up else _DRONES[:2]
    return AlertRecord(
        alert_id="a-5d0c1e9b7a3f2c41" if follow_up else "a-1f8e3b6c0d2a9e57",
        rule_id="black-sea-drones",
        rule_description="Drone and munitions business around the Black Sea",
        story="s-7f3a0c12de",
        article_ids=[m.article_id for m in members],
        trigger_article_id=members[-1].article_id,
        headline=members[-1].title,
        url=members[-1].url,
        sources=len(members),
        source_domains=[m.domain for m in members],
        story_members=members,
        entities=["romarm", "nato"],
        countries=["RO", "UA"],
        event_types=["agreement", "joint_venture", "tech_transfer"],
        impact=8 if follow_up else 7,
        impact_reasons=_DRONE_REASONS,
        sentiment="bullish",
        affected=[
            AffectedParty(id="RO", direction="positive"),
            AffectedParty(id="UA", direction="positive"),
            AffectedParty(id="romarm", direction="positive"),
            AffectedParty(id="RU", direction="negative"),
        ],
        key_facts=_DRONE_FACTS,
        names=_NAMES,
        kinds=_KINDS,
        subscribers=["analysts"],
        severity="high",
        follow_up=follow_up,
        conditions=[
            HeldCondition(name="countries", required=["RO", "UA", "BG", "MD"], matched=["RO"]),
            HeldCondition(
                name="event_types",
                required=["agreement", "joint_venture"],
                matched=["agreement", "joint_venture"],
            ),
            HeldCondition(name="keywords", required=["drone", "drones"], matched=["drones"]),
            HeldCondition(name="min_impact", required=["5"], matched=["8" if follow_up else "7"]),
        ],
        first_alert_id="a-1f8e3b6c0d2a9e57",
        previous_sources=2 if follow_up else None,
        previous_impact=7 if follow_up else None,
        fired_at=datetime(2026, 3, 14 if follow_up else 13, 8 if follow_up else 11, 5, tzinfo=UTC),
    )


_COBRA = [
    _member(
        "cobra-1",
        "Black Sea Monitor",
        "blacksea-monitor.example",
        "ASELSAN and ROMARM sign smart-munitions MoU as Otokar's EUR 857m COBRA II programme "
        "for Romania advances",
        11,
        10,
    ),
    _member(
        "cobra-2",
        "Ankara Industry News",
        "ankara-industry-news.example",
        "Romanian COBRA II contract lifts Otokar's output as ASELSAN signs munitions MoU",
        11,
        16,
    ),
]


def _cobra() -> AlertRecord:
    return AlertRecord(
        alert_id="a-9b2d4e6f80a1c3e5",
        rule_id="romarm-deals",
        rule_description="New deals involving ROMARM",
        story="s-c0b2a11e57",
        article_ids=[m.article_id for m in _COBRA],
        trigger_article_id="cobra-2",
        headline=_COBRA[0].title,
        url=_COBRA[0].url,
        sources=2,
        source_domains=[m.domain for m in _COBRA],
        story_members=_COBRA,
        entities=["aselsan", "romarm", "otokar", "cobra-ii"],
        countries=["TR", "RO"],
        event_types=["mou", "contract"],
        deal_value=DealValue(amount=857_000_000, currency="EUR", eur=857_000_000),
        quantity=Quantity(count=1059, item="COBRA II 4x4 vehicles"),
        impact=7,
        impact_reasons=[
            Contribution(name="value:contract", points=7.04, why="contract worth EUR 857M"),
        ],
        sentiment="bullish",
        affected=[
            AffectedParty(id="otokar", direction="positive"),
            AffectedParty(id="romarm", direction="positive"),
            AffectedParty(id="aselsan", direction="positive"),
        ],
        key_facts=[
            KeyFact(
                text="ASELSAN and ROMARM signed a memorandum of understanding in Bucharest on "
                "smart munitions and guidance kits.",
                kinds=["mou"],
            ),
            KeyFact(
                text="Otokar is delivering 1,059 COBRA II 4x4 vehicles to Romania under an "
                "€857 million contract.",
                kinds=["contract", "value", "quantity"],
            ),
            KeyFact(
                text="The first 278 vehicles are built in Türkiye; later batches will be "
                "assembled in Romania.",
                kinds=["quantity", "tech_transfer"],
            ),
        ],
        names=_NAMES,
        kinds=_KINDS,
        subscribers=["bucharest-desk"],
        severity="high",
        conditions=[
            HeldCondition(name="entities", required=["romarm"], matched=["romarm"]),
            HeldCondition(
                name="event_types",
                required=["agreement", "mou", "contract"],
                matched=["mou", "contract"],
            ),
            HeldCondition(name="min_impact", required=["5"], matched=["7"]),
        ],
        first_alert_id="a-9b2d4e6f80a1c3e5",
        fired_at=datetime(2026, 3, 11, 16, 2, tzinfo=UTC),
    )


def _raybird() -> AlertRecord:
    member = _member(
        "raybird-1",
        "Armstrade Review",
        "armstrade-review.example",
        "Skyeton to open Raybird drone production line in Slovakia",
        12,
        7,
    )
    return AlertRecord(
        alert_id="a-47c1d0e2b9f3a8d6",
        rule_id="black-sea-drones",
        rule_description="Drone and munitions business around the Black Sea",
        story="s-484041ba7c",
        article_ids=[member.article_id],
        trigger_article_id=member.article_id,
        headline=member.title,
        url=member.url,
        sources=1,
        source_domains=[member.domain],
        story_members=[member],
        entities=["skyeton", "raybird"],
        countries=["SK", "UA"],
        event_types=["investment"],
        impact=5,
        impact_reasons=[
            Contribution(name="base:investment", points=5.0, why="investment reported ('x')")
        ],
        sentiment="bullish",
        affected=[AffectedParty(id="skyeton", direction="positive")],
        key_facts=[
            KeyFact(
                text="Skyeton will assemble Raybird reconnaissance drones at a new line in "
                "Slovakia.",
                kinds=["investment"],
            )
        ],
        names=_NAMES,
        kinds=_KINDS,
        subscribers=["analysts"],
        severity="medium",
        conditions=[
            HeldCondition(name="countries", required=["UA"], matched=["UA"]),
            HeldCondition(name="event_types", required=["investment"], matched=["investment"]),
            HeldCondition(name="keywords", required=["drone"], matched=["drone"]),
            HeldCondition(name="min_impact", required=["5"], matched=["5"]),
        ],
        first_alert_id="a-47c1d0e2b9f3a8d6",
        fired_at=datetime(2026, 3, 12, 7, 10, tzinfo=UTC),
    )


def example_alerts() -> list[AlertRecord]:
    """First alert of a two-source story, its follow-up at three sources, a deal with value
    and quantity, and a single-source story."""
    return [_drones(False), _drones(True), _cobra(), _raybird()]
