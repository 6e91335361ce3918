"""Rule matching: each condition's truth table, whole-word keywords, fire-once, follow-ups."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from signalfire.models.analysis import DealValue
from signalfire.models.story import FiredMark, StoryArticle, StoryState
from signalfire.models.watchlist import Rule, Watchlist
from signalfire.rules.matching import (
    evaluate,
    explain,
    held_conditions,
    rule_holds,
    story_keywords,
)

NOW = datetime(2026, 3, 13, 9, 30, tzinfo=UTC)


def story(domains: tuple[str, ...] = ("a.com",), **kw: Any) -> StoryState:
    arts = [
        StoryArticle(article_id=f"x{i}", domain=d, published_at=NOW, title="t", url="https://a/")
        for i, d in enumerate(domains)
    ]
    return StoryState(story_id="s-1", articles=arts, first_seen=NOW, last_seen=NOW, **kw)


def make_rule(when: dict[str, Any], **kw: Any) -> Rule:
    return Rule.model_validate({"id": "r", "when": when, "notify": ["desk"], **kw})


def watchlist(*rules: Rule) -> Watchlist:
    return Watchlist(version=1, rules=list(rules))


EUR = DealValue(amount=2e9, currency="EUR", eur=2e9)

CASES = [
    # (condition, story fields, holds)
    ({"entities": {"any": ["romarm", "aselsan"]}}, {"entities": ["aselsan"]}, True),
    ({"entities": {"any": ["romarm"]}}, {"entities": ["aselsan"]}, False),
    ({"entities": {"all": ["romarm", "aselsan"]}}, {"entities": ["aselsan", "romarm"]}, True),
    ({"entities": {"all": ["romarm", "aselsan"]}}, {"entities": ["romarm"]}, False),
    ({"entities": {"any": ["romarm"], "all": ["aselsan"]}}, {"entities": ["romarm"]}, False),
    ({"countries": {"any": ["RO", "UA"]}}, {"countries": ["UA", "TR"]}, True),
    ({"countries": {"any": ["RO"]}}, {"countries": []}, False),
    ({"countries": {"all": ["RO", "TR"]}}, {"countries": ["RO", "TR", "UA"]}, True),
    ({"countries": {"all": ["RO", "TR"]}}, {"countries": ["RO"]}, False),
    ({"event_types": ["mou", "contract"]}, {"event_types": ["contract"]}, True),
    ({"event_types": ["mou"]}, {"event_types": ["contract"]}, False),
    ({"min_impact": 7}, {"impact": 7}, True),
    ({"min_impact": 7}, {"impact": 6}, False),
    ({"min_value_eur": 1e9}, {"deal_value": EUR}, True),
    ({"min_value_eur": 3e9}, {"deal_value": EUR}, False),
    ({"min_value_eur": 0}, {}, False),  # no deal value never meets a value threshold
    ({"keywords": {"any": ["UAV", "drone"]}}, {"keywords": ["uav"]}, True),
    ({"keywords": {"any": ["drone"]}}, {"keywords": ["drones"]}, False),
    ({"keywords": {"all": ["drone", "Munitions"]}}, {"keywords": ["drone", "munitions"]}, True),
    ({"keywords": {"all": ["drone", "munitions"]}}, {"keywords": ["drone"]}, False),
]


@pytest.mark.parametrize(("when", "fields", "holds"), CASES)
def test_condition_truth_table(when: dict[str, Any], fields: dict[str, Any], holds: bool) -> None:
    """Each condition alone holds exactly when the story meets it."""
    assert rule_holds(make_rule(when), story(**fields)) is holds


@pytest.mark.parametrize(
    ("need", "domains", "holds"), [(2, ("a.com", "b.com"), True), (2, ("a.com", "a.com"), False)]
)
def test_min_sources_counts_distinct_domains(
    need: int, domains: tuple[str, ...], holds: bool
) -> None:
    """Two articles from one domain are one source."""
    assert rule_holds(make_rule({"min_sources": need}), story(domains)) is holds


def test_every_condition_must_hold() -> None:
    """Conditions combine with AND: one failing condition fails the rule."""
    rule = make_rule({"countries": {"any": ["RO"]}, "min_impact": 5})
    assert rule_holds(rule, story(countries=["RO"], impact=5))
    assert not rule_holds(rule, story(countries=["RO"], impact=4))


# --- keywords -----------------------------------------------------------------------------


def kw_watchlist(*words: str) -> Watchlist:
    return watchlist(make_rule({"keywords": {"any": list(words)}}))


@pytest.mark.parametrize(
    ("words", "text", "found"),
    [
        (("drone",), "Two drones were bought", set()),
        (("drone", "drones"), "Two drones were bought", {"drones"}),
        (("UAV",), "new uav plant", {"uav"}),
        (("UAV",), "UAVs ordered", set()),
        (("UAVs",), "UAVs ordered", {"uavs"}),
        (("loitering munition",), "a Loitering\n munition deal", {"loitering munition"}),
        (("drone",), "drone-maker and anti-drone", {"drone"}),
        (("F-35",), "more F-35s; an F-35 order", {"f-35"}),
        (("art",), "artillery", set()),
    ],
)
def test_story_keywords_whole_words(words: tuple[str, ...], text: str, found: set[str]) -> None:
    """Whole words or phrases, case-insensitive; plurals count only when listed."""
    assert story_keywords(kw_watchlist(*words), text) == found


def test_story_keywords_collects_all_rules_lower_cased() -> None:
    """Keywords of every rule (any and all) are searched, and returned lower-cased."""
    w = watchlist(
        make_rule({"keywords": {"any": ["Drone"]}}),
        make_rule({"keywords": {"all": ["Munitions", "plant"]}}).model_copy(update={"id": "b"}),
    )
    assert story_keywords(w, "a DRONE and munitions plant") == {"drone", "munitions", "plant"}


# --- evaluate ------------------------------------------------------------------------------


def run(w: Watchlist, s: StoryState, trigger: str = "x0") -> tuple[list[str], StoryState]:
    ev = evaluate(w, s, trigger_article_id=trigger, now=NOW)
    return [f"{f.rule.id}{'+' if f.follow_up else ''}" for f in ev.firings], ev.apply(s)


def test_rule_fires_once_per_story() -> None:
    """The first evaluation that holds fires; later ones for the same story do not."""
    w = watchlist(make_rule({"min_impact": 5}))
    fired, s = run(w, story(impact=6))
    assert fired == ["r"] and s.fired == {"r": FiredMark(sources=1, impact=6)}
    grown = story(("a.com", "b.com"), impact=8).model_copy(update={"fired": s.fired})
    assert run(w, grown)[0] == []


def test_min_sources_fires_at_the_second_source() -> None:
    """min_sources: 2 fires at the article from the second domain, with that article as trigger."""
    w = watchlist(make_rule({"min_sources": 2}))
    assert run(w, story(("a.com",)))[0] == []
    assert run(w, story(("a.com", "a.com")))[0] == []
    ev = evaluate(w, story(("a.com", "a.com", "b.com")), trigger_article_id="x2", now=NOW)
    assert [(f.rule.id, f.trigger_article_id, f.at) for f in ev.firings] == [("r", "x2", NOW)]


def test_follow_up_fires_again_only_when_story_grows() -> None:
    """follow_up rules fire again on more sources or higher impact, not on repeats."""
    w = watchlist(make_rule({"min_impact": 5}, follow_up=True))
    fired, s = run(w, story(impact=5))
    assert fired == ["r"]
    assert run(w, story(impact=5).model_copy(update={"fired": s.fired}))[0] == []
    fired, s2 = run(w, story(("a.com", "b.com"), impact=5).model_copy(update={"fired": s.fired}))
    assert fired == ["r+"] and s2.fired["r"] == FiredMark(sources=2, impact=5)
    fired, s3 = run(w, story(("a.com", "b.com"), impact=7).model_copy(update={"fired": s2.fired}))
    assert fired == ["r+"] and s3.fired["r"] == FiredMark(sources=2, impact=7)


def test_evaluate_is_pure_and_keeps_other_marks() -> None:
    """The input story is untouched; marks of rules not evaluated now are carried over."""
    s = story(impact=9, fired={"gone": FiredMark(sources=1, impact=3)})
    ev = evaluate(watchlist(make_rule({"min_impact": 5})), s, trigger_article_id="x0", now=NOW)
    assert s.fired == {"gone": FiredMark(sources=1, impact=3)}
    assert set(ev.fired) == {"gone", "r"}


def test_several_rules_fire_in_watchlist_order() -> None:
    """Every rule that holds fires, in file order; one that does not stays unmarked."""
    w = watchlist(
        make_rule({"min_impact": 3}).model_copy(update={"id": "a"}),
        make_rule({"min_impact": 9}).model_copy(update={"id": "b"}),
        make_rule({"event_types": ["mou"]}).model_copy(update={"id": "c"}),
    )
    fired, s = run(w, story(impact=5, event_types=["mou"]))
    assert fired == ["a", "c"] and set(s.fired) == {"a", "c"}


# --- explain -------------------------------------------------------------------------------


def test_explain_names_each_condition_and_why() -> None:
    """One line per condition, ok or FAIL, with the story's value."""
    rule = make_rule({"min_impact": 7, "min_sources": 2, "min_value_eur": 1e6})
    lines = explain(rule, story(impact=8, fired={"r": FiredMark(sources=1, impact=8)}))
    assert lines == [
        "ok   min_impact: 8 >= 7",
        "FAIL min_sources: 1 >= 2 (a.com)",
        "FAIL min_value_eur: no deal value >= 1,000,000 EUR",
        "     already fired at sources=1 impact=8",
    ]


def test_held_conditions_name_what_met_the_rule() -> None:
    """The alert card's "why": each held condition with the rule's values and the story's
    values that met them (failed conditions are not listed)."""
    rule = make_rule(
        {
            "entities": {"any": ["romarm", "aselsan"]},
            "event_types": ["mou", "contract"],
            "min_impact": 5,
            "keywords": {"any": ["Drones", "uav"]},
        }
    )
    s = story(entities=["romarm"], event_types=["contract", "agreement"], impact=7)
    s = s.model_copy(update={"keywords": ["drones"]})
    held = {c.name: (c.required, c.matched) for c in held_conditions(rule, s)}
    assert held == {
        "entities": (["romarm", "aselsan"], ["romarm"]),
        "event_types": (["mou", "contract"], ["contract"]),
        "min_impact": (["5"], ["7"]),
        "keywords": (["drones", "uav"], ["drones"]),
    }
    assert [c.explain for c in held_conditions(rule, s)][2] == "7 >= 5"
    low = s.model_copy(update={"impact": 3})
    assert "min_impact" not in {c.name for c in held_conditions(rule, low)}


def test_follow_up_firing_carries_the_previous_level() -> None:
    """A follow-up knows the level of the rule's previous alert, so it can say what grew."""
    w = watchlist(make_rule({"min_impact": 5}, follow_up=True))
    ev = evaluate(w, story(impact=6), trigger_article_id="x0", now=NOW)
    assert ev.firings[0].previous is None
    grown = story(("a.com", "b.com"), impact=8).model_copy(update={"fired": ev.fired})
    [again] = evaluate(w, grown, trigger_article_id="x1", now=NOW).firings
    assert again.follow_up and again.previous == FiredMark(sources=1, impact=6)
