"""The three stream stages as plain async functions; `app.py` binds their dependencies.

Each stage catches per event: faust acks a message whose handler raised and restarts the
agent, so an uncaught error would silently skip that message. Failures go to dead letters.
"""

from __future__ import annotations

import traceback
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime
from typing import Any

import orjson
import structlog

from signalfire.models.alert import AlertRecord
from signalfire.models.analyzed import AnalyzedArticle
from signalfire.models.deadletter import DeadLetter
from signalfire.models.decoding import DecodeFailure, decode_article
from signalfire.stream.messages import FindingsEnvelope
from signalfire.stream.produce import send_acked
from signalfire.stream.runtime import Runtime

log = structlog.get_logger(__name__)
PRUNE_BATCH = 4  # stories forgotten per article at most: pruning never comes in bursts


def _now() -> datetime:
    return datetime.now(UTC)


async def _dead_letter(
    rt: Runtime, event: Any, *, reason: str, stage: str, errors: list[str], topic: Any = None
) -> None:
    msg = event.message
    raw = event.value if isinstance(event.value, bytes) else b""
    letter = DeadLetter.for_bytes(
        raw,
        reason=reason,
        stage=stage,
        errors=errors,
        failed_at=_now(),
        key=msg.key if isinstance(msg.key, bytes) else None,
        topic=msg.topic,
        partition=msg.partition,
        offset=msg.offset,
    )
    target = topic if topic is not None else rt.topics.articles_dead
    await send_acked(target, key=msg.key, value=letter.model_dump_json().encode())
    log.warning(
        "article.dead_lettered",
        stage=stage,
        reason=reason,
        errors=errors[:5],
        topic=msg.topic,
        partition=msg.partition,
        offset=msg.offset,
    )


async def _dead_letter_failure(
    rt: Runtime, event: Any, *, stage: str, what: str, exc: Exception
) -> None:
    """Dead-letter an event whose processing raised, with the exception's class and message."""
    await _dead_letter(
        rt,
        event,
        reason=f"{what} failed: {type(exc).__name__}",
        stage=stage,
        errors=traceback.format_exception_only(exc)[-1:],
    )


async def analyze_stage(rt: Runtime, stream: Any) -> None:
    """articles -> (decode, validate, analyse) -> findings topic | articles.dead."""
    events: AsyncIterator[Any] = stream.events()
    async for event in events:
        result = decode_article(event.value)
        if isinstance(result, DecodeFailure):
            await _dead_letter(
                rt, event, reason=result.reason, stage="ingest", errors=result.errors
            )
            continue
        try:
            await rt.refresh(_now())
            findings = rt.analyzer.analyze(result)
        except Exception as exc:
            log.exception("article.analysis_failed", article_id=result.id)
            await _dead_letter_failure(rt, event, stage="analyze", what="analysis", exc=exc)
            continue
        envelope = FindingsEnvelope(article=result, analysis=findings)
        await send_acked(
            rt.topics.findings, key=b"stories", value=envelope.model_dump_json().encode()
        )


async def correlate_stage(rt: Runtime, stream: Any) -> None:
    """findings -> (dedupe, story, rules) -> articles.analyzed + pending alerts.

    State changes are staged and written only after every output is acknowledged."""
    events: AsyncIterator[Any] = stream.events()
    async for event in events:
        try:
            envelope = FindingsEnvelope.model_validate_json(event.value)
        except Exception as exc:
            await _dead_letter(
                rt, event, reason="bad internal message", stage="correlate", errors=[str(exc)[:500]]
            )
            continue
        now = _now()
        await rt.refresh(now)
        article = envelope.article
        try:
            outcome = rt.correlator.correlate(article, envelope.analysis, now)
        except Exception as exc:
            rt.discard_staged()
            log.exception("article.correlate_failed", article_id=article.id)
            await _dead_letter_failure(rt, event, stage="correlate", what="correlation", exc=exc)
            continue
        if outcome.record is None:
            log.info("article.duplicate", article_id=article.id)
            continue
        analyzed = AnalyzedArticle(article=article, analysis=outcome.record)
        await send_acked(
            rt.topics.analyzed, key=article.id.encode(), value=analyzed.model_dump_json().encode()
        )
        for alert in outcome.alerts:
            await send_acked(
                rt.topics.pending_alerts,
                key=alert.alert_id.encode(),
                value=alert.model_dump_json().encode(),
            )
            log.info(
                "alert.fired",
                alert_id=alert.alert_id,
                rule_id=alert.rule_id,
                story=alert.story,
                article_id=article.id,
                follow_up=alert.follow_up,
            )
        rt.flush_staged()
        log.info(
            "article.analyzed",
            article_id=article.id,
            story=outcome.record.story,
            sources=outcome.record.sources,
            impact=outcome.record.impact,
            event_types=outcome.record.event_types,
            alerts=len(outcome.alerts),
        )
        pruned = rt.correlator.index.prune(now, limit=PRUNE_BATCH)
        if pruned:
            rt.flush_staged()
            log.info("stories.pruned", count=pruned)


async def dispatch_stage(rt: Runtime, stream: Any, now: Callable[[], datetime] = _now) -> None:
    """pending alerts -> Apprise -> alerts (with outcomes) | alerts.dead."""
    events: AsyncIterator[Any] = stream.events()
    async for event in events:
        try:
            alert = AlertRecord.model_validate_json(event.value)
        except Exception as exc:
            await _dead_letter(
                rt,
                event,
                reason="bad internal alert",
                stage="dispatch",
                errors=[str(exc)[:500]],
                topic=rt.topics.alerts_dead,
            )
            continue
        await rt.refresh(now())
        reason: str | None
        try:
            delivered = await rt.deliver(alert, now)
        except Exception as exc:
            log.exception("alert.dispatch_failed", alert_id=alert.alert_id)
            delivered = alert
            reason = f"dispatch failed: {type(exc).__name__}"
        else:
            reason = rt.dead_reason(delivered)
        await send_acked(
            rt.topics.alerts,
            key=alert.alert_id.encode(),
            value=delivered.model_dump_json().encode(),
        )
        if reason:
            dead = {"reason": reason, "alert": delivered.model_dump(mode="json")}
            await send_acked(
                rt.topics.alerts_dead, key=alert.alert_id.encode(), value=orjson.dumps(dead)
            )
            log.error("alert.dead", alert_id=alert.alert_id, rule_id=alert.rule_id, reason=reason)
