"""The Analyzer end to end over invented articles, and the record it produces."""

from __future__ import annotations

import pytest

from signalfire.analysis.analyzer import Analyzer
from signalfire.analysis.gazetteer import Gazetteer
from signalfire.models.analysis import AnalysisRecord, StoryPlacement
from signalfire.models.article import ArticleEvent
from signalfire.models.entity import Entity

GAZ = Gazetteer.from_entities(
    [
        Entity(
            id="acme-arms", name="Acme Arms", kind="company", country="PL", aliases=["Acme Arms"]
        ),
        Entity(id="skyjet", name="SkyJet", kind="company", country="US", aliases=["SkyJet"]),
    ]
)


@pytest.fixture(scope="module")
def analyzer() -> Analyzer:
    return Analyzer.build(gazetteer=GAZ)


def _article(title: str, body: str) -> ArticleEvent:
    return ArticleEvent.model_validate(
        {
            "id": "t1",
            "url": "https://example.com/a",
            "published_at": "2025-05-01T10:00:00Z",
            "source": {"name": "Example", "domain": "example.com"},
            "title": title,
            "body": body,
        }
    )


def test_contract_story(analyzer: Analyzer) -> None:
    """A defence order yields contract, value, quantity, a mid-band impact and bullish."""
    f = analyzer.analyze(
        _article(
            "Acme Arms wins PLN 600 million order for 400 loitering munitions",
            "Poland's defence ministry signed the contract with Acme Arms on Tuesday. "
            "Deliveries of the munitions to the army are due by 2027.",
        )
    )
    assert f.event_types == ["contract"]
    assert f.deal_value is not None and f.deal_value.currency == "PLN"
    assert f.deal_value.eur == pytest.approx(600e6 * 0.23)
    assert f.quantity is not None and f.quantity.count == 400
    assert 5 <= f.impact <= 6 and f.sentiment == "bullish"
    assert "acme-arms" in f.entities
    assert any(r.name == "value:contract" for r in f.impact_reasons)


def test_civil_order_has_no_event_and_impact_one(analyzer: Analyzer) -> None:
    """A civil airliner order: the entity counts, no event type, impact 1, neutral."""
    f = analyzer.analyze(
        _article(
            "Low-cost carrier orders 30 SkyJet narrowbody jets",
            "The airline will use the SkyJet aircraft on holiday routes from 2028.",
        )
    )
    assert f.event_types == [] and f.impact == 1 and f.sentiment == "neutral"
    assert f.deal_value is None


def test_talks_are_not_events(analyzer: Analyzer) -> None:
    """Early talks with nothing signed: no event, impact 2, no deal value."""
    f = analyzer.analyze(
        _article(
            "Acme Arms in early talks on new artillery shell line",
            "Acme Arms is in talks with the defence ministry about a contract worth EUR 90 "
            "million for artillery ammunition. Nothing has been signed, sources said.",
        )
    )
    assert f.event_types == [] and f.impact == 2 and f.deal_value is None


def test_record_joins_analysis_and_story_placement(analyzer: Analyzer) -> None:
    """AnalysisRecord.of joins an article's analysis with its story id and source count."""
    f = analyzer.analyze(_article("Acme Arms opens new drone factory", "The army welcomed it."))
    placement = StoryPlacement(article_id="t1", story="s-1", sources=2, source_domain="x.example")
    rec = AnalysisRecord.of(f, placement)
    assert rec.article_id == "t1" and rec.story == "s-1" and rec.sources == 2
    assert rec.event_types == f.event_types and rec.impact == f.impact


def test_export_approval_without_value_keeps_the_approved_quantity(analyzer: Analyzer) -> None:
    """An export approval with no price still names how many systems may be sold."""
    f = analyzer.analyze(
        _article(
            "Government approves export of 14 air defence radars to a neighbour",
            "The government approved the export of 14 air defence radars made by Acme Arms "
            "to the neighbouring country, officials said. No value was given.",
        )
    )
    assert f.event_types == ["regulatory"]
    assert f.deal_value is None
    assert f.quantity is not None and f.quantity.count == 14


def test_delivery_story_counts_what_is_handed_over(analyzer: Analyzer) -> None:
    """A handover of the first of several aircraft counts one, not the whole order."""
    f = analyzer.analyze(
        _article(
            "SkyJet hands over first tanker to the air force",
            "SkyJet on Monday handed over the first of four KC-30 tanker aircraft ordered by "
            "the air force, at a ceremony at its plant. The remaining aircraft follow in 2027.",
        )
    )
    assert "delivery" in f.event_types
    assert f.quantity is not None and f.quantity.count == 1
