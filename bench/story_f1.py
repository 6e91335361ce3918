"""Story pairwise F1 on a labelled set: clustering by StoryIndex vs. the labels' `story`.

Usage: python bench/story_f1.py [--analyzer] [FILE]   (default tests/data/dev.jsonl)

Without --analyzer the findings come from the labels (isolates clustering from extraction
errors); with it they come from the real Analyzer. Unique article ids, in input order.
"""

from __future__ import annotations

import argparse
import dataclasses
import itertools
import json
import random
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson
import yaml

from signalfire.analysis.stories import StoryIndex
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


EVENT_TYPES = ["agreement", "mou", "contract", "joint_venture", "tech_transfer", "delivery",
               "acquisition", "investment", "regulatory", "financial_results", "incident",
               "cancellation"]  # fmt: skip
NOISE_ENTITIES = ["nato", "saab", "thales", "boeing", "airbus"]


def noisy(f: LabelFindings, rng: random.Random) -> LabelFindings:
    """Label findings with extraction-like errors: dropped/spurious entities, countries,
    event types, and lost deal values."""
    e, c, t = list(f.entities), list(f.countries), list(f.event_types)
    if e and rng.random() < 0.25:
        e.pop(rng.randrange(len(e)))
    if rng.random() < 0.15:
        e.append(rng.choice(NOISE_ENTITIES))
    if c and rng.random() < 0.2:
        c.pop(rng.randrange(len(c)))
    if rng.random() < 0.2:
        c.append(rng.choice(["US", "DE", "FR", "UA"]))
    if rng.random() < 0.2:
        t.append(rng.choice(EVENT_TYPES))
    if t and rng.random() < 0.15:
        t.pop(rng.randrange(len(t)))
    value = None if f.deal_value and rng.random() < 0.2 else f.deal_value
    return dataclasses.replace(f, entities=e, countries=c, event_types=t, deal_value=value)


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
    ap.add_argument("--noise-seeds", type=int, default=0, help="label findings + random noise")
    ap.add_argument("-v", "--verbose", action="store_true", help="print each assignment")
    args = ap.parse_args(argv)
    if args.noise_seeds:
        scores = [
            run(args.file, None, random.Random(seed), False) for seed in range(args.noise_seeds)
        ]
        print(
            json.dumps(
                {
                    "findings": f"labels+noise x{args.noise_seeds}",
                    "precision": round(sum(s[0] for s in scores) / len(scores), 3),
                    "recall": round(sum(s[1] for s in scores) / len(scores), 3),
                    "f1": round(sum(s[2] for s in scores) / len(scores), 3),
                    "min_f1": round(min(s[2] for s in scores), 3),
                }
            )
        )
        return 0
    analyzer: Any = None
    if args.analyzer:
        from signalfire.analysis.analyzer import Analyzer

        analyzer = Analyzer.build([])
    p, r, f = run(args.file, analyzer, None, args.verbose)
    print(
        json.dumps(
            {
                "precision": round(p, 3),
                "recall": round(r, 3),
                "f1": round(f, 3),
                "findings": "analyzer" if analyzer else "labels",
            }
        )
    )
    return 0


def run(
    file: str, analyzer: Any, rng: random.Random | None, verbose: bool
) -> tuple[float, float, float]:
    """Cluster one file; pairwise P/R/F1 against the labels."""
    stories: dict[str, StoryState] = {}
    index = StoryIndex(stories, {})
    gold: list[str] = []
    pred: list[str] = []
    for line in Path(file).read_text().splitlines():
        row = orjson.loads(line)
        art = ArticleEvent.model_validate(row["article"])
        findings: Any
        if analyzer is not None:
            findings = analyzer.analyze(art)
        else:
            labelled = from_labels(row["labels"])
            findings = noisy(labelled, rng) if rng is not None else labelled
        got = index.assign(art, findings, art.published_at)
        if got.already_seen:
            continue
        gold.append(row["labels"]["story"])
        pred.append(got.story.story_id)
        if verbose:
            print(
                f"{art.id:8} {row['labels']['story']:36} {got.story.story_id} "
                f"new={got.is_new_story} synd={got.syndicated_of}",
                file=sys.stderr,
            )
    return pairwise_f1(gold, pred)


if __name__ == "__main__":
    raise SystemExit(main())
