"""Tests for country mentions and the salience rule that picks involved countries."""

from __future__ import annotations

import pytest

from signalfire.analysis.countries import country_mentions, find_countries
from signalfire.analysis.entities import find_entities
from signalfire.analysis.gazetteer import Gazetteer


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return Gazetteer.load_builtin()


def codes(text: str) -> list[str]:
    return [c for c, _, _ in country_mentions(text)]


def involved(text: str, gaz: Gazetteer) -> list[str]:
    return find_countries(text, find_entities(text, gaz), gaz)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Türkiye and Turkiye; Turkish firms in Ankara", ["TR", "TR", "TR", "TR"]),
        ("Romanian troops in București", ["RO", "RO"]),
        ("Kyiv and Kiev", ["UA", "UA"]),
        ("the Kremlin said", ["RU"]),
        ("South Korea's Korean tanks; North Korea", ["KR", "KR", "KP"]),
        ("Whitehall and British officials in the U.K.", ["GB", "GB", "GB"]),
        ("the U.S. and the Pentagon", ["US", "US"]),
    ],
)
def test_mentions_cover_names_demonyms_capitals(text: str, expected: list[str]) -> None:
    """Names, demonyms, capitals and government metonyms map to ISO codes."""
    assert codes(text) == expected


def test_mention_offsets() -> None:
    """Offsets index the original text."""
    text = "Deal with Romania"
    assert country_mentions(text) == [("RO", 10, 17)]


def test_homonym_countries_need_context() -> None:
    """Georgia the US state and Jordan the person are not countries; with cues they are."""
    assert codes("Robins Air Force Base, Georgia, near Atlanta") == []
    assert codes("Michael Jordan scored") == []
    assert codes("Georgia's troops near Tbilisi bordering Russia") == ["GE", "GE", "RU"]


def test_blockers_stop_false_countries() -> None:
    """New England, Latin American and Papua New Guinea are not GB, US or GN."""
    assert codes("New England fans and Latin American carriers in Papua New Guinea") == ["PG"]


def test_headline_and_lead_countries_are_involved(gaz: Gazetteer) -> None:
    """Countries in the title and lead are involved; one passing mention is not."""
    text = (
        "Romania orders K9 howitzers from South Korea\n\n"
        "BUCHAREST - Romania signed a contract with Hanwha Aerospace of South Korea. "
        "The K9 is already used by Poland, Norway and Estonia. Romanian officials "
        "said the Korean system will be delivered soon."
    )
    assert set(involved(text, gaz)) == {"RO", "KR"}


def test_home_country_of_named_company_counts(gaz: Gazetteer) -> None:
    """Rheinmetall's results story involves Germany even with one German mention."""
    text = (
        "Rheinmetall sales jump 46%\n\nRheinmetall reported record orders. "
        + "Demand for ammunition keeps rising across the industry. " * 6
        + "The German group raised its outlook."
    )
    assert involved(text, gaz) == ["DE"]


def test_title_only_mention_in_non_defense_story_is_not_enough(gaz: Gazetteer) -> None:
    """A single title mention with nothing else does not make a country involved."""
    text = "Meet the cafe cat who rules a Kyiv coffee shop\n\nHe sleeps in the window all day."
    assert involved(text, gaz) == []
