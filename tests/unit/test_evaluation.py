"""Evaluation metrics over labelled rows with a fake predictor."""

from __future__ import annotations

from typing import Any

from signalfire.evaluation.analysis import (
    LabelledRow,
    evaluate,
    evaluate_dod,
    evaluate_dvids,
    format_report,
    read_rows,
    value_right,
)
from signalfire.evaluation.stories import bcubed, cluster_scores, pairwise, tfidf_single_pass
from signalfire.models.analysis import AnalysisRecord, DealValue
from signalfire.models.article import ArticleEvent


def _row(aid: str, **labels: Any) -> LabelledRow:
    art = ArticleEvent.model_validate(
        {
            "id": aid,
            "url": "https://example.com/" + aid,
            "published_at": "2025-01-01T00:00:00Z",
            "source": {"name": "E", "domain": "example.com"},
            "title": "t",
            "body": "b",
        }
    )
    base: dict[str, Any] = {
        "entities": [],
        "countries": [],
        "event_types": [],
        "deal_value": None,
        "quantity": None,
        "impact": 1,
        "sentiment": "neutral",
        "story": aid,
    }
    base.update(labels)
    return LabelledRow(article=art, labels=base)


def _rec(aid: str, **kw: Any) -> AnalysisRecord:
    base: dict[str, Any] = {
        "article_id": aid,
        "entities": [],
        "countries": [],
        "event_types": [],
        "deal_value": None,
        "quantity": None,
        "impact": 1,
        "sentiment": "neutral",
        "story": aid,
        "sources": 1,
    }
    base.update(kw)
    return AnalysisRecord(**base)


def test_perfect_predictions_score_one() -> None:
    """Identical predictions give F1 1 and accuracies 1, and no misses."""
    rows = [_row("a", event_types=["contract"], impact=5), _row("b")]
    recs = {"a": _rec("a", event_types=["contract"], impact=5), "b": _rec("b")}
    rep = evaluate(rows, lambda arts: [recs[a.id] for a in arts])
    assert rep.event_types.f1 == 1.0 and rep.impact_within_1 == 1.0 and not rep.misses


def test_errors_are_counted_and_listed() -> None:
    """A wrong event type costs precision and recall and appears among the misses."""
    rows = [_row("a", event_types=["contract"], impact=7)]
    rep = evaluate(rows, lambda arts: [_rec("a", event_types=["mou"], impact=4)])
    assert rep.event_types.f1 == 0.0 and rep.impact_within_1 == 0.0
    assert {m.field for m in rep.misses} == {"event_types", "impact"}
    assert "event types" in format_report(rep)


def test_duplicate_rows_count_once_and_story_pairs() -> None:
    """Repeated article ids are evaluated once; story pairs compare clusterings."""
    rows = [_row("a", story="s"), _row("a", story="s"), _row("b", story="s")]
    rep = evaluate(rows, lambda arts: [_rec(a.id, story="x") for a in arts])
    assert rep.n == 2 and rep.story_pairwise.f1 == 1.0


def test_value_right_rules() -> None:
    """Null vs null is right; same currency within 1%; or same EUR within 1%."""
    dv = DealValue(amount=100.5e6, currency="USD", eur=92e6)
    assert value_right(None, None)
    assert value_right({"amount": 100e6, "currency": "USD"}, dv)
    assert not value_right({"amount": 120e6, "currency": "USD"}, dv)
    assert value_right({"amount": 92e6, "currency": "EUR"}, dv, lambda a, c: a)


def test_dod_and_dvids_reports() -> None:
    """DoD measures value and contract detection; DVIDS measures deal false alarms."""
    rows = [_row("d", deal_value={"amount": 5e6, "currency": "USD"})]
    dv = DealValue(amount=5e6, currency="USD", eur=4.6e6)
    dod = evaluate_dod(rows, lambda arts: [_rec("d", event_types=["contract"], deal_value=dv)])
    assert dod.value_right == 1.0 and dod.contract_detected == 1.0
    dv2 = evaluate_dvids(rows, lambda arts: [_rec("d", event_types=["delivery"])])
    assert dv2.deal_rate == 0.0


def test_bcubed_and_pairwise_on_a_worked_example() -> None:
    """Gold {a,b,c} {d}; predicted {a,b} {c,d}: B-cubed P = (1+1+1/2+1/2)/4, R = (2/3+2/3+
    1/3+1)/4; pairs: 1 true (ab), 1 false (cd), 2 missed (ac, bc)."""
    gold, pred = ["g1", "g1", "g1", "g2"], ["p1", "p1", "p2", "p2"]
    b = bcubed(gold, pred)
    assert abs(b.precision - 0.75) < 1e-9 and abs(b.recall - 2.6667 / 4) < 1e-4
    p = pairwise(gold, pred)
    assert (p.precision, round(p.recall, 4)) == (0.5, round(1 / 3, 4))
    perfect = cluster_scores(gold, ["x", "x", "x", "y"])
    assert perfect.bcubed.f1 == perfect.pairwise.f1 == 1.0
    assert (perfect.stories, perfect.singletons) == (2, 1)


def test_tfidf_baseline_groups_shared_wording_and_is_deterministic() -> None:
    """The baseline joins texts sharing most words and keeps unrelated ones apart; the same
    input gives the same labels."""
    texts = [
        "Volcano erupts near the village, lava flows toward homes",
        "Lava flows toward homes as volcano erupts near village",
        "Central bank raises interest rates by half a point",
    ]
    labels = tfidf_single_pass(texts)
    assert labels[0] == labels[1] != labels[2]
    assert tfidf_single_pass(texts) == labels


def test_story_only_rows_are_read() -> None:
    """ECB+-style lines (`story` beside the article, no rubric labels) parse as story-only
    rows; rubric rows do not."""
    art = _row("e1").article.model_dump_json()
    (row,) = read_rows([f'{{"article": {art}, "story": "7_ecb", "topic": 7}}'])
    assert row.story_only and row.labels == {"story": "7_ecb"}
    assert not _row("e2").story_only
