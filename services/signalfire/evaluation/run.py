"""`signalfire eval` as a function: field metrics through the real pipeline (stories
included), the real corpora, and the dry-run alerts against those the labels call for."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from signalfire.analysis.analyzer import Analyzer
from signalfire.evaluation.alerts import compare, expected_alerts, format_alert_eval
from signalfire.evaluation.analysis import (
    evaluate,
    evaluate_dod,
    evaluate_dvids,
    evaluate_story_rows,
    format_dod,
    format_dvids,
    format_report,
    read_rows,
)
from signalfire.evaluation.stories import format_stories
from signalfire.models.alert import AlertRecord
from signalfire.models.analysis import AnalysisRecord
from signalfire.models.article import ArticleEvent
from signalfire.models.watchlist import Watchlist
from signalfire.pipeline import Pipeline


@dataclass
class EvalRun:
    """What `signalfire eval` prints: a JSON-able report and its human form, section by
    section (one per labelled file, its alerts, and each real corpus)."""

    report: dict[str, Any] = field(default_factory=dict)
    sections: list[tuple[str, str]] = field(default_factory=list)


class _Predictor:
    """Runs each labelled set through a fresh in-memory pipeline, collecting the alerts."""

    def __init__(self, analyzer: Analyzer, watchlist: Watchlist) -> None:
        self.analyzer = analyzer
        self.watchlist = watchlist
        self.fired: list[AlertRecord] = []

    def __call__(self, articles: list[ArticleEvent]) -> list[AnalysisRecord]:
        pipeline = Pipeline.in_memory(self.analyzer, self.watchlist)
        out = []
        for article in articles:
            outcome = pipeline.process(article, now=article.published_at)
            assert outcome.record is not None  # rows are de-duplicated before predict
            out.append(outcome.record)
            self.fired.extend(outcome.alerts)
        return out


def run_eval(
    files: Sequence[Path | str],
    watchlist: Watchlist,
    *,
    dod: Path | None = None,
    dvids: Path | None = None,
    check_alerts: bool = False,
) -> EvalRun:
    analyzer = Analyzer.build(watchlist.entities)
    predict = _Predictor(analyzer, watchlist)
    result = EvalRun()
    for path in files:
        rows = _rows(path)
        predict.fired.clear()
        if rows and all(r.story_only for r in rows):  # a story corpus: clustering only
            clustering = evaluate_story_rows(rows, predict)
            result.report[str(path)] = {"stories": clustering.model_dump(mode="json")}
            result.sections.append((str(path), format_stories(clustering)))
            continue
        report = evaluate(rows, predict, analyzer.fx.to_eur)
        result.report[str(path)] = report.model_dump(mode="json")
        result.sections.append((str(path), format_report(report)))
        if check_alerts:
            expected = expected_alerts(rows, watchlist, analyzer.fx.to_eur)
            stories = {r.article.id: str(r.labels["story"]) for r in rows}
            alerts = compare(expected, predict.fired, stories)
            result.report[f"{path}#alerts"] = alerts.model_dump(mode="json")
            result.sections.append((f"{path}#alerts", format_alert_eval(alerts)))
    corpora: list[tuple[str, Path | None, Callable[..., Any], Callable[[Any], str]]] = [
        ("dod", dod, evaluate_dod, format_dod),
        ("dvids", dvids, evaluate_dvids, format_dvids),
    ]
    for name, corpus, evaluate_corpus, fmt in corpora:
        if corpus is None:
            continue
        res = evaluate_corpus(_rows(corpus), predict)
        result.report[name] = res.model_dump(mode="json")
        result.sections.append((str(corpus), fmt(res)))
    return result


def _rows(path: Path | str) -> list[Any]:
    with open(path, encoding="utf-8") as fh:
        return read_rows(fh)
