"""Story pairwise F1 on a labelled set: clustering by StoryIndex vs. the labels' `story`.

Usage: python bench/story_f1.py [--analyzer] [FILE]   (default tests/data/dev.jsonl)

Without --analyzer the findings come from the labels (isolates clustering from extraction
errors); with it they come from the real Analyzer. Unique article ids, in input order.
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson
import yaml

from signalfire.analysis.stories import FindingsLike, StoryIndex
from signalfire.models.analysis import Contribution, DealValue, Quantity
from signalfire.models.article import ArticleEvent
from signalfire.models.story import StoryState

ROOT = Path(__file__).resolve().parents[1]
FX = yaml.safe_load((ROOT / "services/signalfire/data/fx-eur.yaml").read_text())["rates"]


@dataclass(frozen=True)
class LabelFindings:
    """Findings taken from the labels, so clustering is measured on its own."""

    entities: list[str]
    countries: list[str]
    event_types: list[str]
    impact: int
    sentiment: str
    deal_value: DealValue | None
    quantity: Quantity | None
    impact_reasons: list[Contribution] = field(default_factory=list)


def from_labels(labels: dict[str, Any]) -> LabelFindings:
    dv = labels.get("deal_value")
    q = labels.get("quantity")
    return LabelFindings(
        entities=labels.get("entities", []),
        countries=labels.get("countries", []),
        event_types=labels.get("event_types", []),
        impact=labels.get("impact", 1),
        sentiment=labels.get("sentiment", "neutral"),
        deal_value=DealValue(
            amount=dv["amount"], currency=dv["currency"], eur=dv["amount"] * FX[dv["currency"]]
        )
        if dv
        else None,
        quantity=Quantity(**q) if q else None,
    )


def pairwise_f1(gold: list[str], pred: list[str]) -> tuple[float, float, float]:
    """Precision, recall, F1 over all unordered article pairs."""
    tp = fp = fn = 0
    for (g1, p1), (g2, p2) in itertools.combinations(zip(gold, pred, strict=True), 2):
        same_g, same_p = g1 == g2, p1 == p2
        tp += same_g and same_p
        fp += same_p and not same_g
        fn += same_g and not same_p
    prec = tp / (tp + fp) if tp + fp else 1.0
    rec = tp / (tp + fn) if tp + fn else 1.0
    return prec, rec, (2 * prec * rec / (prec + rec) if prec + rec else 0.0)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("file", nargs="?", default=str(ROOT / "tests/data/dev.jsonl"))
    ap.add_argument("--analyzer", action="store_true", help="use the real Analyzer")
    ap.add_argument("-v", "--verbose", action="store_true", help="print each assignment")
    args = ap.parse_args(argv)
    analyzer: Any = None
    if args.analyzer:
        from signalfire.analysis.analyzer import Analyzer

        analyzer = Analyzer.build()
    stories: dict[str, StoryState] = {}
    index = StoryIndex(stories, {})
    gold: list[str] = []
    pred: list[str] = []
    for line in Path(args.file).read_text().splitlines():
        row = orjson.loads(line)
        art = ArticleEvent.model_validate(row["article"])
        findings: FindingsLike = analyzer.analyze(art) if analyzer else from_labels(row["labels"])
        got = index.assign(art, findings, art.published_at)
        if got.already_seen:
            continue
        gold.append(row["labels"]["story"])
        pred.append(got.story.story_id)
        if args.verbose:
            print(
                f"{art.id:8} {row['labels']['story']:36} {got.story.story_id} "
                f"new={got.is_new_story} synd={got.syndicated_of}",
                file=sys.stderr,
            )
    p, r, f = pairwise_f1(gold, pred)
    print(
        json.dumps(
            {
                "articles": len(gold),
                "stories": len(set(pred)),
                "gold_stories": len(set(gold)),
                "precision": round(p, 3),
                "recall": round(r, 3),
                "f1": round(f, 3),
                "findings": "analyzer" if analyzer else "labels",
            }
        )
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
