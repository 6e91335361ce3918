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


def _mentions(text: str) -> list[tuple[str, int, int]]:
    from signalfire.analysis.countries import country_mentions

    return country_mentions(text)


def test_cooperation_aimed_at_a_state_is_negative_for_it() -> None:
    """A joint production deal framed as deterrence ("a new phase of deterrence along the
    border with Russia", "signals to Moscow") is negative for the state it is aimed at, even
    when that state is not a party; the partners stay positive."""
    text = (
        "Poland and Lithuania sign drone production agreement. The plant along the border "
        "with Russia marks a new phase of deterrence, a Polish official said."
    )
    events = [_ev("agreement", parties=["PL", "LT"])]
    got = {p.id: p.direction for p in affected_parties(["PL", "LT"], events, text, _mentions(text))}
    assert got == {"PL": "positive", "LT": "positive", "RU": "negative"}
    text = (
        "Finland and Estonia agree joint ammunition line. It signals to Moscow that we are ready."
    )
    events = [_ev("agreement", parties=["FI", "EE"])]
    got = {p.id: p.direction for p in affected_parties(["FI", "EE"], events, text, _mentions(text))}
    assert got["RU"] == "negative"


def test_a_state_named_without_being_aimed_at_is_not_marked() -> None:
    """Background mentions ("since Russia's invasion") and bad news are no deterrence."""
    text = (
        "Romania and Turkey sign munitions MoU. Romania has raised defence spending since "
        "Russia's full-scale invasion of Ukraine."
    )
    events = [_ev("mou", parties=["RO", "TR"])]
    got = {p.id: p.direction for p in affected_parties(["RO", "TR"], events, text, _mentions(text))}
    assert "RU" not in got
    text = "Explosion at Polish plant. Officials said deterrence against Russia would suffer."
    got = {
        p.id: p.direction
        for p in affected_parties(["PL"], [_ev("incident", parties=["PL"])], text, _mentions(text))
    }
    assert "RU" not in got


def test_an_alliance_the_cooperation_strengthens_gains() -> None:
    """NATO named as strengthened ("NATO's eastern flank") in a cooperation story is
    positive; NATO merely named, or named in bad news, stays neutral."""
    events = [_ev("agreement", parties=["RO", "UA"])]
    ids = ["nato", "RO", "UA"]
    text = "Romania and Ukraine sign drone pact. It strengthens NATO's eastern flank."
    assert {p.id: p.direction for p in affected_parties(ids, events, text)}["nato"] == "positive"
    text = "Romania and Ukraine sign drone pact. NATO ministers meet next week."
    assert {p.id: p.direction for p in affected_parties(ids, events, text)}["nato"] == "neutral"
    text = "Blast at Romanian plant. It weakens NATO's eastern flank."
    bad = [_ev("incident", parties=["RO"])]
    assert {p.id: p.direction for p in affected_parties(ids, bad, text)}["nato"] == "neutral"


def test_entity_lists_and_halts_are_restrictions() -> None:
    """Listing firms on an "unreliable entity list" or halting export approvals is bearish."""
    assert sentiment([_ev("regulatory", "unreliable entity list")]) == "bearish"
    assert sentiment([_ev("regulatory", "halts approvals for arms exports")]) == "bearish"


def test_a_restriction_lifted_is_an_approval_and_export_controls_restrict() -> None:
    """ "Lifts block on fighter sale" ends a restriction (bullish); an export control list,
    a refusal or a rejection of an export is a restriction (bearish)."""
    assert sentiment([_ev("regulatory", "lifts block on Eurofighter sale")]) == "bullish"
    assert sentiment([_ev("regulatory", "lifted its veto on the export")]) == "bullish"
    assert sentiment([_ev("regulatory", "export control")]) == "bearish"
    assert sentiment([_ev("regulatory", "added to its export control list")]) == "bearish"
    assert sentiment([_ev("regulatory", "declined to allow the re-export")]) == "bearish"
    assert sentiment([_ev("regulatory", "revoked 30 arms export licences")]) == "bearish"
