"""Scoring the analysis against labelled rows (RUBRIC.md), as pure functions.

`evaluate` compares predicted AnalysisRecords with the labels of dev.jsonl-style rows;
`evaluate_dod` and `evaluate_dvids` measure the real corpora (award values, false deal
alarms on operations news). `signalfire eval FILE.jsonl` runs them (cli.py).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

import orjson
from pydantic import BaseModel, ConfigDict, Field

from signalfire.evaluation.stories import StoryEval, evaluate_stories, format_stories
from signalfire.models.analysis import AnalysisRecord
from signalfire.models.article import ArticleEvent

Predict = Callable[[list[ArticleEvent]], list[AnalysisRecord]]
DEAL_TYPES = frozenset(
    {
        "contract",
        "agreement",
        "mou",
        "joint_venture",
        "acquisition",
        "tech_transfer",
    }
)


class LabelledRow(BaseModel):
    """One line of a labelled file: the article and what the rubric says about it. Lines of
    story-only corpora (`{"article": ..., "story": ...}`, as ECB+) carry just the story."""

    model_config = ConfigDict(frozen=True)

    article: ArticleEvent
    labels: dict[str, Any]

    @property
    def story_only(self) -> bool:
        """Only the gold story is labelled (no rubric fields)."""
        return "impact" not in self.labels


class PRF(BaseModel):
    """Precision, recall and F1 over counted pairs."""

    model_config = ConfigDict(frozen=True)

    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


class Miss(BaseModel):
    """One field of one article where the prediction disagrees with the label."""

    model_config = ConfigDict(frozen=True)

    field: str
    article_id: str
    expected: Any
    got: Any


class EvalReport(BaseModel):
    """Metrics over a labelled set."""

    model_config = ConfigDict(frozen=True)

    n: int
    entities: PRF
    event_types: PRF
    countries: PRF
    impact_within_1: float
    impact_mae: float
    deal_value_accuracy: float
    quantity_accuracy: float
    sentiment_accuracy: float
    story_pairwise: PRF
    stories: StoryEval | None = None
    misses: list[Miss] = Field(default_factory=list)


class DodReport(BaseModel):
    """Award value and contract detection on DoD contract announcements."""

    model_config = ConfigDict(frozen=True)

    n: int
    value_right: float
    contract_detected: float
    misses: list[Miss] = Field(default_factory=list)


class DvidsReport(BaseModel):
    """Share of (mostly operations) DVIDS items given a deal event type."""

    model_config = ConfigDict(frozen=True)

    n: int
    deal_rate: float
    flagged: list[Miss] = Field(default_factory=list)


def _prf(gold: set[tuple[str, str]], pred: set[tuple[str, str]]) -> PRF:
    return PRF(tp=len(gold & pred), fp=len(pred - gold), fn=len(gold - pred))


def _add(a: PRF, b: PRF) -> PRF:
    return PRF(tp=a.tp + b.tp, fp=a.fp + b.fp, fn=a.fn + b.fn)


def value_right(
    expected: Mapping[str, Any] | None,
    got: Any,
    eur_of: Callable[[float, str], float | None] | None = None,
) -> bool:
    """Null vs null is right; else same currency within 1%, or the same EUR within 1%."""
    if expected is None or got is None:
        return expected is None and got is None
    amount, cur = float(expected["amount"]), str(expected["currency"])
    if got.currency == cur and abs(float(got.amount) - amount) <= 0.01 * abs(amount):
        return True
    if eur_of is not None:
        eur = eur_of(amount, cur)
        return eur is not None and abs(float(got.eur) - eur) <= 0.01 * abs(eur)
    return False


def _quantity_right(expected: Mapping[str, Any] | None, got: Any) -> bool:
    if expected is None or got is None:
        return expected is None and got is None
    return int(expected["count"]) == int(got.count)


def _story_pairs(ids: Sequence[str], stories: Sequence[str]) -> set[tuple[str, str]]:
    return {
        (a, b)
        for (a, sa), (b, sb) in itertools.combinations(zip(ids, stories, strict=True), 2)
        if sa == sb
    }


def _dedupe(rows: Sequence[LabelledRow]) -> list[LabelledRow]:
    seen: set[str] = set()
    out = []
    for r in rows:
        if r.article.id not in seen:
            seen.add(r.article.id)
            out.append(r)
    return out


def evaluate(
    rows: Sequence[LabelledRow],
    predict: Predict,
    eur_of: Callable[[float, str], float | None] | None = None,
) -> EvalReport:
    """Compare predictions with labels field by field (micro-averaged set metrics)."""
    rows = _dedupe(rows)
    preds = predict([r.article for r in rows])
    ent = ev = cty = PRF()
    within = value_ok = qty_ok = sent_ok = 0
    abs_err = 0.0
    misses: list[Miss] = []
    for row, rec in zip(rows, preds, strict=True):
        lab, aid = row.labels, row.article.id

        def check(name: str, ok: bool, exp: Any, got: Any, _aid: str = aid) -> bool:
            if not ok:
                misses.append(Miss(field=name, article_id=_aid, expected=exp, got=got))
            return ok

        for name, gold, pred in (
            ("entities", set(lab.get("entities", [])), set(rec.entities)),
            ("event_types", set(lab.get("event_types", [])), set(rec.event_types)),
            ("countries", set(lab.get("countries", [])), set(rec.countries)),
        ):
            part = _prf({(aid, g) for g in gold}, {(aid, p) for p in pred})
            if name == "entities":
                ent = _add(ent, part)
            elif name == "event_types":
                ev = _add(ev, part)
            else:
                cty = _add(cty, part)
            check(name, gold == pred, sorted(gold), sorted(pred))
        err = abs(rec.impact - int(lab["impact"]))
        abs_err += err
        within += check("impact", err <= 1, lab["impact"], rec.impact)
        dv = rec.deal_value
        value_ok += check(
            "deal_value",
            value_right(lab.get("deal_value"), dv, eur_of),
            lab.get("deal_value"),
            dv and {"amount": dv.amount, "currency": dv.currency},
        )
        q = rec.quantity
        qty_ok += check(
            "quantity",
            _quantity_right(lab.get("quantity"), q),
            lab.get("quantity"),
            q and q.model_dump(),
        )
        sent_ok += check(
            "sentiment", lab["sentiment"] == rec.sentiment, lab["sentiment"], rec.sentiment
        )
    ids = [r.article.id for r in rows]
    gold_stories = _gold_stories(rows)
    stories = _prf(_story_pairs(ids, gold_stories), _story_pairs(ids, [p.story for p in preds]))
    n = max(1, len(rows))
    return EvalReport(
        n=len(rows),
        entities=ent,
        event_types=ev,
        countries=cty,
        impact_within_1=within / n,
        impact_mae=abs_err / n,
        deal_value_accuracy=value_ok / n,
        quantity_accuracy=qty_ok / n,
        sentiment_accuracy=sent_ok / n,
        story_pairwise=stories,
        stories=evaluate_stories(
            gold_stories, [p.story for p in preds], [r.article.text for r in rows]
        ),
        misses=misses,
    )


def _gold_stories(rows: Sequence[LabelledRow]) -> list[str]:
    """Each row's gold story; an unlabelled article is a story of its own."""
    return [str(r.labels.get("story", r.article.id)) for r in rows]


def evaluate_story_rows(rows: Sequence[LabelledRow], predict: Predict) -> StoryEval:
    """Story clustering alone, for corpora that label nothing else (ECB+)."""
    rows = _dedupe(rows)
    preds = predict([r.article for r in rows])
    return evaluate_stories(
        _gold_stories(rows), [p.story for p in preds], [r.article.text for r in rows]
    )


def evaluate_dod(rows: Sequence[LabelledRow], predict: Predict) -> DodReport:
    """Award value right (within 1%, USD) and 'contract' detected, over DoD announcements."""
    rows = _dedupe(rows)
    preds = predict([r.article for r in rows])
    right = detected = 0
    misses: list[Miss] = []
    for row, rec in zip(rows, preds, strict=True):
        exp = row.labels.get("deal_value")
        dv = rec.deal_value
        if value_right(exp, dv):
            right += 1
        else:
            misses.append(
                Miss(
                    field="deal_value",
                    article_id=row.article.id,
                    expected=exp,
                    got=dv and {"amount": dv.amount, "currency": dv.currency},
                )
            )
        if "contract" in rec.event_types:
            detected += 1
        else:
            misses.append(
                Miss(
                    field="event_types",
                    article_id=row.article.id,
                    expected=["contract"],
                    got=list(rec.event_types),
                )
            )
    n = max(1, len(rows))
    return DodReport(
        n=len(rows), value_right=right / n, contract_detected=detected / n, misses=misses
    )


def evaluate_dvids(rows: Sequence[LabelledRow], predict: Predict) -> DvidsReport:
    """Share of items given any deal event type (false alarms on operations news)."""
    rows = _dedupe(rows)
    preds = predict([r.article for r in rows])
    flagged = [
        Miss(
            field="event_types",
            article_id=row.article.id,
            expected=[],
            got=sorted(set(rec.event_types) & DEAL_TYPES),
        )
        for row, rec in zip(rows, preds, strict=True)
        if set(rec.event_types) & DEAL_TYPES
    ]
    return DvidsReport(n=len(rows), deal_rate=len(flagged) / max(1, len(rows)), flagged=flagged)


def _fmt_prf(name: str, m: PRF) -> str:
    return f"{name:<18} P {m.precision:.3f}  R {m.recall:.3f}  F1 {m.f1:.3f}"


def format_report(report: EvalReport, max_misses: int = 200) -> str:
    """A plain-text summary with the worst misses per field."""
    lines = [
        f"articles           {report.n}",
        _fmt_prf("entities", report.entities),
        _fmt_prf("event types", report.event_types),
        _fmt_prf("countries", report.countries),
        f"impact within ±1   {report.impact_within_1:.3f}  (MAE {report.impact_mae:.2f})",
        f"deal value         {report.deal_value_accuracy:.3f}",
        f"quantity           {report.quantity_accuracy:.3f}",
        f"sentiment          {report.sentiment_accuracy:.3f}",
        _fmt_prf("story pairs", report.story_pairwise),
    ]
    if report.stories is not None:
        lines.append(format_stories(report.stories))
    if report.misses:
        lines.append("misses:")
        lines += [
            f"  {m.field:<12} {m.article_id:<14} expected {m.expected!r} got {m.got!r}"
            for m in report.misses[:max_misses]
        ]
    return "\n".join(lines)


def format_dod(r: DodReport) -> str:
    """One-line DoD summary."""
    return (
        f"DoD: {r.n} announcements, award value right {r.value_right:.3f}, "
        f"contract detected {r.contract_detected:.3f}"
    )


def format_dvids(r: DvidsReport) -> str:
    """One-line DVIDS summary."""
    return f"DVIDS: {r.n} items, with a deal event type {r.deal_rate:.3f}"


def read_rows(lines: Iterable[str]) -> list[LabelledRow]:
    """Parse JSON lines of {"article": ..., "labels": ...}, or of story-only corpora
    {"article": ..., "story": ...}."""
    rows = []
    for line in lines:
        if not line.strip():
            continue
        raw = orjson.loads(line)
        if isinstance(raw, dict) and "labels" not in raw and "story" in raw:
            raw = {"article": raw.get("article"), "labels": {"story": raw["story"]}}
        rows.append(LabelledRow.model_validate(raw))
    return rows
