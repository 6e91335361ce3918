"""The two seed documents the product was specified from come out as their publisher and
the rubric rate them (tests/data/seeds/README.md)."""

from __future__ import annotations

from pathlib import Path

import pytest

from signalfire.analysis.analyzer import Analyzer
from signalfire.evaluation.analysis import LabelledRow, read_rows
from signalfire.models.analysis import AnalysisRecord
from signalfire.models.watchlist import Watchlist
from signalfire.pipeline import Pipeline

SEEDS = Path(__file__).resolve().parents[1] / "data" / "seeds" / "seeds.jsonl"
CARD = "seed-000-4e0bf8bee5f7b016"
SECOND = "seed-000-second-source"
MOU = "seed-003-ba22381afda199ac"


@pytest.fixture(scope="module")
def rows() -> dict[str, LabelledRow]:
    with SEEDS.open(encoding="utf-8") as fh:
        return {r.article.id: r for r in read_rows(fh)}


@pytest.fixture(scope="module")
def records(rows: dict[str, LabelledRow]) -> dict[str, AnalysisRecord]:
    """Every seed through the real pipeline (analysis + story clustering), in file order."""
    pipeline = Pipeline.in_memory(Analyzer.build(), Watchlist(version=1))
    out: dict[str, AnalysisRecord] = {}
    for row in rows.values():
        record = pipeline.process(row.article, now=row.article.published_at).record
        assert record is not None
        out[row.article.id] = record
    return out


def test_drone_card_is_agreement_joint_venture_and_technology_transfer(
    records: dict[str, AnalysisRecord],
) -> None:
    """Seed 000 carries the rubric's three types, impact 7 (intergovernmental agreement
    creating joint production) and bullish, as the publisher rated it."""
    card = records[CARD]
    assert card.event_types == ["agreement", "joint_venture", "tech_transfer"]
    assert card.impact == 7
    assert card.sentiment == "bullish"
    assert card.deal_value is None


def test_drone_card_is_verified_by_two_sources(records: dict[str, AnalysisRecord]) -> None:
    """With the second outlet's report, the card's story counts two source domains."""
    card, second = records[CARD], records[SECOND]
    assert card.story == second.story
    assert card.sources == 2


def test_drone_card_whos_affected_directions(records: dict[str, AnalysisRecord]) -> None:
    """The publisher's "Who's affected": Romania +, Ukraine +, NATO +, Russia - (a deal
    framed as deterrence against Russia hurts Russia; the alliance it strengthens gains)."""
    directions = {a.id: a.direction for a in records[CARD].affected}
    assert directions["RO"] == "positive"
    assert directions["UA"] == "positive"
    assert directions["nato"] == "positive"
    assert directions["RU"] == "negative"


def test_drone_card_key_facts_quote_the_article(
    records: dict[str, AnalysisRecord], rows: dict[str, LabelledRow]
) -> None:
    """Key facts are the card's own sentences, in article order, naming what they carry:
    the signing with its date, joint manufacturing and the technology access."""
    facts = records[CARD].key_facts
    text = rows[CARD].article.text
    assert 1 <= len(facts) <= 6
    assert all(f.text in text and len(f.text) <= 300 for f in facts)
    positions = [text.index(f.text) for f in facts]
    assert positions == sorted(positions)
    kinds = {k for f in facts for k in f.kinds}
    assert {"agreement", "joint_venture", "tech_transfer", "date"} <= kinds
    signing = next(f for f in facts if "agreement" in f.kinds)
    assert "March 13, 2026" in signing.text and "date" in signing.kinds
    assert len({f.text for f in facts}) == len(facts)  # the pull quote is not repeated


def test_mou_article_keeps_its_rating(records: dict[str, AnalysisRecord]) -> None:
    """Seed 003: MoU plus Otokar's results, impact 5, and the €857M COBRA II contract under
    way is background (no contract type, no headline deal value)."""
    mou = records[MOU]
    assert mou.event_types == ["mou", "financial_results"]
    assert mou.impact == 5
    assert mou.deal_value is None
    assert mou.sentiment == "bullish"


def test_mou_article_key_facts(records: dict[str, AnalysisRecord]) -> None:
    """Seed 003's key facts: the memorandum's signing and a results sentence, no contract."""
    facts = records[MOU].key_facts
    assert any("memorandum of understanding" in f.text and "mou" in f.kinds for f in facts)
    assert any("financial_results" in f.kinds for f in facts)
    assert not any("contract" in f.kinds for f in facts)


def test_seed_labels_are_met(
    rows: dict[str, LabelledRow], records: dict[str, AnalysisRecord]
) -> None:
    """Every seed line's rubric labels (entities, countries, types, impact) are produced."""
    for row in rows.values():
        rec, lab = records[row.article.id], row.labels
        assert sorted(rec.entities) == sorted(lab["entities"]), row.article.id
        assert sorted(rec.countries) == sorted(lab["countries"]), row.article.id
        assert sorted(rec.event_types) == sorted(lab["event_types"]), row.article.id
        assert rec.impact == lab["impact"], row.article.id
