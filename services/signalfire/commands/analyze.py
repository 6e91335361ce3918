"""`signalfire analyze` and `signalfire dry-run`: the stream's Pipeline over files."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

import orjson

from signalfire.analysis.analyzer import Analyzer
from signalfire.commands import watchlists
from signalfire.files.jsonl import read_articles
from signalfire.pipeline import Pipeline
from signalfire.rules.matching import explain


def run(
    files: Sequence[str],
    watchlist_paths: Sequence[Path],
    *,
    dry_run: bool,
    explain_rules: bool = False,
) -> int:
    """One analysis record per input line (a re-sent id repeats its first record), or with
    `dry_run` one contract dry-run line per alert that would fire."""
    watchlist = watchlists.merged(watchlist_paths)
    pipeline = Pipeline.in_memory(Analyzer.build(watchlist.entities), watchlist)
    out = sys.stdout.buffer
    first: dict[str, bytes] = {}
    for article in read_articles(files):
        outcome = pipeline.process(article, now=article.published_at)
        if not dry_run:
            if outcome.record is not None:
                first[article.id] = orjson.dumps(outcome.record.model_dump(mode="json")) + b"\n"
            out.write(first[article.id])
            continue
        if outcome.record is None:
            continue
        for alert in outcome.alerts:
            out.write(orjson.dumps(alert.dry_run_line()) + b"\n")
        if explain_rules and outcome.story is not None:
            for rule in watchlist.rules:
                print(
                    f"{article.id} {outcome.story.story_id} {rule.id}: "
                    + "; ".join(explain(rule, outcome.story)),
                    file=sys.stderr,
                )
    out.flush()
    return 0
