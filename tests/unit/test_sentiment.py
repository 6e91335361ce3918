"""Sentiment and affected parties follow the events, not emotive wording."""

from __future__ import annotations

from signalfire.analysis.affected import affected_parties
from signalfire.analysis.sentiment import sentiment
from signalfire.models.analysis import EventMention


def _ev(t: str, cue: str = "", parties: list[str] | None = None) -> EventMention:
    return EventMention(type=t, cue=cue, parties=parties or [])  # type: ignore[arg-type]


def test_new_business_is_bullish() -> None:
    """Contracts and joint ventures are bullish."""
    assert sentiment([_ev("contract"), _ev("joint_venture")]) == "bullish"


def test_cancellation_and_sanctions_are_bearish() -> None:
    """Cancellations and sanctions are bearish; an export approval is not."""
    assert sentiment([_ev("cancellation")]) == "bearish"
    assert sentiment([_ev("regulatory", "imposed sanctions")]) == "bearish"
    assert sentiment([_ev("regulatory", "approved the sale")]) == "bullish"


def test_no_event_or_balance_is_neutral() -> None:
    """Nothing reported, or good and bad news in balance, is neutral."""
    assert sentiment([]) == "neutral"
    assert sentiment([_ev("contract"), _ev("incident")]) == "neutral"


def test_falling_results_are_bearish() -> None:
    """Results whose cue says revenue fell are bearish."""
    assert sentiment([_ev("financial_results", "revenue fell 8%")]) == "bearish"


def test_affected_directions() -> None:
    """Contract parties gain; the sanctioned firm loses; the sanctioning bloc is neutral."""
    got = affected_parties(["acme", "PL"], [_ev("contract", parties=["acme", "PL"])], "")
    assert {p.id: p.direction for p in got} == {"acme": "positive", "PL": "positive"}
    got = affected_parties(
        ["eu", "shadyco"], [_ev("regulatory", "sanctions", parties=["eu", "shadyco"])], ""
    )
    assert {p.id: p.direction for p in got} == {"eu": "neutral", "shadyco": "negative"}


def test_attacker_state_is_negative_in_a_strike() -> None:
    """A state whose forces struck a plant is marked negative, like the plant's owner."""
    text = "A Russian drone attack hit the Acme works overnight."
    got = affected_parties(["acme", "RU"], [_ev("incident", parties=["acme", "RU"])], text)
    assert {p.id: p.direction for p in got} == {"acme": "negative", "RU": "negative"}


def test_bullish_types_are_the_taxonomy_minus_bearish_and_cue_dependent() -> None:
    """BULLISH_TYPES is derived from the taxonomy: no type is both, none is forgotten."""
    from signalfire.analysis.sentiment import BEARISH_TYPES, BULLISH_TYPES, CUE_POLARITY_TYPES
    from signalfire.models.analysis import EVENT_TYPES

    assert set(EVENT_TYPES) == BULLISH_TYPES | BEARISH_TYPES | CUE_POLARITY_TYPES
    assert not BULLISH_TYPES & (BEARISH_TYPES | CUE_POLARITY_TYPES)


def test_results_that_slid_or_were_trimmed_are_bearish() -> None:
    """Results cues with 'slid', 'slipped', 'trimmed' or 'lowered' read as losses."""
    for cue in ("order intake slid", "margin slipped", "trimmed its forecast", "lowered"):
        assert sentiment([_ev("financial_results", cue)]) == "bearish"
    assert sentiment([_ev("financial_results", "revenue rose")]) == "bullish"
