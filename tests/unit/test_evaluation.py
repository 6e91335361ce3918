"""Evaluation metrics over labelled rows with a fake predictor."""

from __future__ import annotations

from typing import Any

from signalfire.evaluation.analysis import (
    LabelledRow,
    evaluate,
    evaluate_dod,
    evaluate_dvids,
    format_report,
    value_right,
)
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
