"""Event detection: reported-now events, not background, talks, negations or homonyms."""

from __future__ import annotations

import pytest

from signalfire.analysis.events import (
    detect_events,
    event_types,
    is_commentary,
    is_defense,
    resolve,
)
from signalfire.analysis.text import sentences

_FILLER = (
    "The defence ministry said the armed forces need more artillery ammunition. "
    "Officials gave no further details on the programme."
)


def _types(title: str, body: str = _FILLER, year: int = 2025) -> list[str]:
    text = f"{title}\n\n{body}"
    if not is_defense(text) or is_commentary(title, body):
        return []
    return list(event_types(resolve(detect_events(sentences(title, body), published_year=year))))


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Norway orders 12 more K9 howitzers from Hanwha", ["contract"]),
        ("Thales wins EUR 300 million radar contract from the Dutch army", ["contract"]),
        ("Elbit secures $120m deal to supply rocket launchers to a European army", ["contract"]),
        ("Greece and France sign intergovernmental defence agreement", ["agreement"]),
        ("Kongsberg and Patria sign memorandum of understanding on missiles", ["mou"]),
        ("KNDS and a Slovak state firm form joint venture to make artillery", ["joint_venture"]),
        ("Army takes delivery of first batch of CV90 vehicles", ["delivery"]),
        ("Saab acquires a 40% stake in a Finnish drone maker", ["acquisition"]),
        ("Rheinmetall to build new ammunition plant in Lithuania", ["investment"]),
        ("US imposes sanctions on Chinese drone component supplier", ["regulatory"]),
        ("Explosion at artillery shell plant injures three workers", ["incident"]),
        ("Czech government cancels helicopter tender", ["cancellation"]),
        ("Leonardo first-half revenue rises 12% on defence electronics", ["financial_results"]),
    ],
)
def test_headline_events_are_detected(title: str, expected: list[str]) -> None:
    """Each type of the taxonomy is found in a plainly worded headline."""
    assert _types(title) == expected


@pytest.mark.parametrize(
    "title",
    [
        "Bulgaria could order more armoured vehicles, minister says",
        "Poland in talks with Seoul on third tank contract",
        "Portugal did not sign the frigate contract, ministry says",
        "Ministry denied it had cancelled the howitzer tender",
        "Spain may buy 20 more Eurofighters if budget allows",
        "Firms reportedly considering a joint venture for missiles",
    ],
)
def test_modal_negated_and_rumoured_events_are_ignored(title: str) -> None:
    """Possibility, talks, negation, denial and rumour do not make an event."""
    assert _types(title) == []


def test_background_deal_in_body_is_not_an_event() -> None:
    """A contract signed in an earlier year, mentioned in passing, is background."""
    body = (
        "The army tested the vehicles on Tuesday at a range near the border. "
        "Soldiers fired live ammunition during the drills. "
        "Officers said the tanks performed well. "
        "The vehicles were bought under a contract signed in 2019 with the manufacturer."
    )
    assert _types("Army tests new tanks on the range", body) == []


def test_civil_airliner_order_is_not_a_defense_event() -> None:
    """An airline ordering jets is outside the defence industry: no event."""
    body = "The carrier said the jets would replace older aircraft on regional routes."
    assert _types("Regional airline orders 30 narrowbody jets", body) == []


def test_commentary_carries_no_event() -> None:
    """A column or analysis piece reports no decision of its own."""
    assert _types("Opinion: Why the army should sign a new tank contract") == []


def test_dod_style_award_is_a_contract() -> None:
    """DoD announcement wording ('... has been awarded a $N contract') is a contract."""
    t = (
        "Acme Defense Corp., Tucson, Arizona, has been awarded a $12,345,678 firm-fixed-price "
        "contract for missile spares. Army Contracting Command is the contracting activity."
    )
    assert _types(t, t) == ["contract"]


def test_award_of_a_medal_is_not_a_contract() -> None:
    """Soldiers 'awarded the Bronze Star' is an honour, not a procurement award."""
    t = "Three soldiers were awarded the Bronze Star medal at a ceremony at the army base"
    assert _types(t, t) == []


def test_parties_are_attached_from_the_event_sentence() -> None:
    """Entities in the sentence of the cue become the event's parties."""
    title = "Norway orders 12 more K9 howitzers from Hanwha"
    start = title.index("Hanwha")
    got = detect_events(
        sentences(title, _FILLER), published_year=2025, parties=[("hanwha", start, start + 6)]
    )
    assert got[0].parties == ["hanwha"]
