"""What `build_alert` puts on an alert for its card: kinds, held conditions, the first
alert's id and, for a follow-up, the level it grew from (pipeline over sample articles)."""

from __future__ import annotations

from pathlib import Path

import pytest

from signalfire.commands import watchlists
from signalfire.commands.preview import fired_alerts
from signalfire.models.alert import AlertRecord

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def alerts() -> list[AlertRecord]:
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SMTP_PASSWORD", "unit-test-password")
        wl = watchlists.merged([ROOT / "deploy/watchlists/example.yaml"])
    return fired_alerts([str(ROOT / "deploy/sample-articles.jsonl")], wl)


def test_follow_up_points_at_the_first_alert_and_its_level(alerts: list[AlertRecord]) -> None:
    """The Romania–Ukraine drone story fires black-sea-verified at two sources and again
    at three: the follow-up threads to the first and says it had 2 sources then."""
    story = [a for a in alerts if a.rule_id == "black-sea-verified" and a.sources >= 2]
    first = next(a for a in story if not a.follow_up and a.story == story[-1].story)
    follow = story[-1]
    assert follow.follow_up and follow.story == first.story
    assert follow.first_alert_id == first.alert_id == first.first_alert_id
    assert (follow.previous_sources, follow.previous_impact) == (first.sources, first.impact)
    assert follow.sources == 3 and first.previous_sources is None


def test_alerts_carry_kinds_names_and_held_conditions(alerts: list[AlertRecord]) -> None:
    """Every named id has a kind (countries too); the conditions listed are the rule's."""
    romarm = next(a for a in alerts if a.rule_id == "romarm-deals")
    assert romarm.kinds["romarm"] == "company" and romarm.kinds["RO"] == "country"
    assert romarm.names["romarm"] == "ROMARM"
    assert [c.name for c in romarm.conditions] == ["entities", "event_types", "min_impact"]
    assert romarm.conditions[0].matched == ["romarm"]
    for alert in alerts:
        assert set(alert.kinds) <= set(alert.names)


def test_a_resent_article_changes_nothing_and_a_replay_gives_the_same_ids() -> None:
    """The same id again: no record, no alert. A fresh pipeline over the same input (a
    replay after a crash) gives the same story and alert ids, so the delivery log dedupes."""
    import json

    from signalfire.analysis.analyzer import Analyzer
    from signalfire.models.article import ArticleEvent
    from signalfire.pipeline import Pipeline

    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SMTP_PASSWORD", "unit-test-password")
        watchlist = watchlists.merged([ROOT / "tests" / "data" / "dev-watchlist.yaml"])
    lines = (ROOT / "tests/data/dev.jsonl").read_text().splitlines()
    rows = {json.loads(x)["article"]["id"]: json.loads(x)["article"] for x in lines}
    articles = [ArticleEvent.model_validate(a) for a in list(rows.values())[:15]]
    analyzer = Analyzer.build(watchlist.entities)

    def run() -> list[tuple[str, str, list[str]]]:
        pipeline = Pipeline.in_memory(analyzer, watchlist)
        out = []
        for a in articles:
            o = pipeline.process(a, a.published_at)
            assert o.record is not None
            out.append((a.id, o.record.story, [al.alert_id for al in o.alerts]))
            again = pipeline.process(a, a.published_at)
            assert again.record is None and again.alerts == []
        return out

    first, second = run(), run()
    assert first == second and any(ids for _, _, ids in first)
