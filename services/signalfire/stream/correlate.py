"""Stage 2: findings -> (dedupe, story, rules) -> articles.analyzed + pending alerts.

Owns the story state (one partition). A batch is one unit of work: story changes are staged
per article, the batch's outputs are produced and acknowledged, and only then are the
changes written to the tables (whose changelogs the committer flushes before it commits the
input offsets).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import structlog

from signalfire.models.analysis import ArticleAnalysis
from signalfire.models.analyzed import AnalyzedArticle
from signalfire.models.article import ArticleEvent
from signalfire.models.story import StoryFeatures
from signalfire.ops.metrics import METRICS
from signalfire.pipeline import Correlator, Outcome
from signalfire.stream.analyze import ANALYSIS_HEADER, STORY_HEADER
from signalfire.stream.deadletters import Letter, describe, letter_for_event, write_letters
from signalfire.stream.produce import Outgoing, send_all
from signalfire.stream.stage import StageInput
from signalfire.stream.state import UnitOfWork

log = structlog.get_logger(__name__)
PRUNE_INTERVAL = 30.0  # seconds between counts of open stories


PRUNE_PER_BATCH = 50  # expired stories dropped per batch: a trickle, never a burst


def _header(event: Any, name: str) -> bytes | None:
    for key, value in event.message.headers or ():
        if key == name:
            return value if isinstance(value, bytes) else None
    return None


class _Failed(Exception):
    def __init__(self, reason: str, errors: list[str]) -> None:
        super().__init__(reason)
        self.reason = reason
        self.errors = errors


@dataclass
class CorrelateStage:
    """What the correlate agent uses, and nothing more."""

    input: StageInput
    correlator: Correlator
    uow: UnitOfWork
    analyzed: Any  # faust Topic
    pending_alerts: Any  # faust Topic
    dead: Any  # faust Topic (articles.dead)
    max_original: int
    _last_prune: float = 0.0

    def _dead(self, event: Any, reason: str, errors: list[str]) -> tuple[bytes | None, Letter]:
        letter = letter_for_event(
            event,
            reason=reason,
            stage="correlate",
            errors=errors,
            now=datetime.now(UTC),
            max_original=self.max_original,
        )
        log.warning(
            "article.dead_lettered",
            stage="correlate",
            reason=reason,
            errors=errors[:3],
            topic=letter.topic,
            partition=letter.partition,
            offset=letter.offset,
        )
        key = event.message.key
        return (key if isinstance(key, bytes) else None), letter

    def _correlate(self, event: Any, now: datetime) -> tuple[ArticleEvent, Outcome]:
        """One article through the correlator, as one step of the unit of work."""
        try:
            article = ArticleEvent.model_validate_json(event.message.value)
            analysis = ArticleAnalysis.model_validate_json(_header(event, ANALYSIS_HEADER) or b"")
            raw_features = _header(event, STORY_HEADER)
            features = StoryFeatures.model_validate_json(raw_features) if raw_features else None
        except Exception as exc:
            raise _Failed("bad internal message", describe(exc)) from exc
        self.uow.begin_step()
        try:
            return article, self.correlator.correlate(article, analysis, now, features)
        except Exception as exc:
            self.uow.rollback_step()
            log.exception("article.correlate_failed", article_id=article.id)
            raise _Failed(f"correlation failed: {type(exc).__name__}", describe(exc)) from exc

    async def run(self, stream: Any) -> None:
        async for batch in self.input.batches(stream):
            now = datetime.now(UTC)
            out: list[Outgoing] = []
            dead: list[tuple[bytes | None, Letter]] = []
            fired = 0
            for event in batch.events:
                try:
                    article, outcome = self._correlate(event, now)
                except _Failed as failed:
                    dead.append(self._dead(event, failed.reason, failed.errors))
                    continue
                if outcome.record is None:
                    METRICS.article_processed("correlate", "duplicate")
                    log.debug("article.duplicate", key=event.message.key)
                    continue
                record = outcome.record
                METRICS.article_processed("correlate")
                value = AnalyzedArticle.model_construct(
                    article=article, analysis=record
                ).model_dump_json()
                out.append(
                    Outgoing(
                        self.analyzed, record.article_id.encode(), value.encode(), origin=event
                    )
                )
                for alert in outcome.alerts:
                    out.append(
                        Outgoing(
                            self.pending_alerts,
                            alert.alert_id.encode(),
                            alert.model_dump_json().encode(),
                            origin=event,
                        )
                    )
                    log.info(
                        "alert.fired",
                        alert_id=alert.alert_id,
                        rule_id=alert.rule_id,
                        story=alert.story,
                        article_id=record.article_id,
                        follow_up=alert.follow_up,
                    )
                    fired += 1
            for rejected in await send_all(out):
                dead.append(
                    self._dead(rejected.message.origin, "output not writable", [rejected.error])
                )
            await write_letters(self.dead, dead)
            self._maybe_prune(now)
            changed = self.uow.commit()
            self.input.done(batch)
            log.debug(
                "correlate.batch", articles=len(batch.events), alerts=fired, state_writes=changed
            )

    def _maybe_prune(self, now: datetime) -> None:
        """Close stories a window past their last activity, a few per batch (no burst of
        deletes), and report how many are open now and then."""
        pruned = self.correlator.index.prune(now, limit=PRUNE_PER_BATCH)
        if pruned:
            log.info("stories.pruned", count=pruned)
        tick = time.monotonic()
        if pruned or tick - self._last_prune >= PRUNE_INTERVAL:
            self._last_prune = tick
            METRICS.set_stories_open(len(self.correlator.index.stories))
