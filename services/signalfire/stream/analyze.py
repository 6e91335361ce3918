"""Stage 1: articles -> (decode, validate, analyse) -> findings | articles.dead.

Stateless, so it scales with the partitions of `articles`. The findings message carries the
article's own bytes as its value and the analysis as a header: nothing is serialised twice.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import structlog

from signalfire.analysis.analyzer import Analyzer
from signalfire.analysis.stories import story_features
from signalfire.models.decoding import DecodeFailure, decode_article
from signalfire.ops.metrics import METRICS
from signalfire.stream.deadletters import Letter, describe, letter_for_event, write_letters
from signalfire.stream.produce import Outgoing, send_all
from signalfire.stream.stage import StageInput

log = structlog.get_logger(__name__)
ANALYSIS_HEADER = "signalfire-analysis"
STORY_HEADER = "signalfire-story"  # the article's story features, so correlation need not


@dataclass
class AnalyzeStage:
    """What the analyze agent uses, and nothing more."""

    input: StageInput
    analyzer: Callable[[], Analyzer]  # the current one (watchlist edits swap it)
    findings: Any  # faust Topic
    dead: Any  # faust Topic
    max_original: int

    def _dead(self, event: Any, reason: str, errors: list[str]) -> tuple[bytes | None, Letter]:
        letter = letter_for_event(
            event,
            reason=reason,
            stage="analyze",
            errors=errors,
            now=datetime.now(UTC),
            max_original=self.max_original,
        )
        METRICS.article_dead_lettered("analyze", reason)
        log.warning(
            "article.dead_lettered",
            stage="analyze",
            reason=reason,
            errors=errors[:3],
            topic=letter.topic,
            partition=letter.partition,
            offset=letter.offset,
        )
        key = event.message.key
        return (key if isinstance(key, bytes) else None), letter

    async def run(self, stream: Any) -> None:
        async for batch in self.input.batches(stream):
            analyzer = self.analyzer()
            out: list[Outgoing] = []
            dead: list[tuple[bytes | None, Letter]] = []
            for event in batch.events:
                raw = event.message.value
                result = decode_article(raw)
                if isinstance(result, DecodeFailure):
                    dead.append(self._dead(event, result.reason, result.errors))
                    continue
                started = time.perf_counter()
                try:
                    analysis = analyzer.analyze(result)
                    features = story_features(result, analysis)
                except Exception as exc:
                    log.exception("article.analysis_failed", article_id=result.id)
                    dead.append(
                        self._dead(event, f"analysis failed: {type(exc).__name__}", describe(exc))
                    )
                    continue
                METRICS.observe_analysis(time.perf_counter() - started)
                headers = (
                    (ANALYSIS_HEADER, analysis.model_dump_json().encode()),
                    (STORY_HEADER, features.model_dump_json().encode()),
                )
                out.append(Outgoing(self.findings, result.id.encode(), raw, headers, origin=event))
            rejected_all = await send_all(out)
            for rejected in rejected_all:
                dead.append(
                    self._dead(rejected.message.origin, "findings not writable", [rejected.error])
                )
            for _ in range(len(out) - len(rejected_all)):
                METRICS.article_processed("analyze")
            await write_letters(self.dead, dead)
            self.input.done(batch)
