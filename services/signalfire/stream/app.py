"""Wiring: one function builds the faust app, its topics, tables and agents.

No import-time side effects: nothing exists until `build_app` is called.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from functools import partial
from typing import Any

import faust
import structlog

from signalfire.analysis.analyzer import Analyzer
from signalfire.analysis.naming import display_name
from signalfire.delivery.apprise_adapter import AppriseSender, install_log_redaction
from signalfire.delivery.dispatcher import Dispatcher
from signalfire.delivery.log import DeliveryLog
from signalfire.delivery.policy import RetryPolicy
from signalfire.delivery.render import Renderer
from signalfire.delivery.schedule import DigestBuffer, RateLimiter
from signalfire.models.story import StoryState
from signalfire.models.watchlist import Watchlist
from signalfire.ops.health import write_heartbeat
from signalfire.pipeline import Correlator
from signalfire.rules.reload import WatchlistHolder
from signalfire.settings import Settings
from signalfire.stream.agents import analyze_stage, correlate_stage, dispatch_stage
from signalfire.stream.produce import send_acked
from signalfire.stream.runtime import Runtime, StreamTopics
from signalfire.stream.state import BytesKeyMapping, ModelMapping, StagedMapping

log = structlog.get_logger(__name__)
RAW: dict[str, Any] = {
    "key_type": bytes,
    "value_type": bytes,
    "key_serializer": "raw",
    "value_serializer": "raw",
}


def _analyzer_for(watchlist: Watchlist) -> Analyzer:
    return Analyzer.build(watchlist.entities)


def build_dispatcher(
    settings: Settings, *, log_store: Any, digest_store: Any, rate_store: Any
) -> Dispatcher:
    """Apprise delivery with the notification log, digests and rate limits kept in tables."""
    install_log_redaction()
    policy = RetryPolicy(
        base=settings.delivery_base_delay,
        max_delay=settings.delivery_max_delay,
        max_attempts=settings.delivery_max_attempts,
    )
    return Dispatcher(
        AppriseSender(timeout=settings.delivery_timeout),
        DeliveryLog(log_store),
        policy,
        renderer=Renderer(settings.templates_dir),
        buffer=DigestBuffer(digest_store),
        limiter=RateLimiter(rate_store),
    )


def build_app(settings: Settings, holder: WatchlistHolder) -> tuple[faust.App, Runtime]:
    """The worker's faust app with its three agents bound to one Runtime."""
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    app = faust.App(
        settings.app_id,
        broker=settings.broker_url,
        store="memory://",
        datadir=str(settings.data_dir),
        autodiscover=False,
        web_enabled=False,
        topic_partitions=settings.partitions,
        topic_replication_factor=settings.replication,
        consumer_auto_offset_reset="earliest",
        broker_commit_interval=settings.commit_interval,
        producer_acks=-1,
        stream_wait_empty=True,
        key_serializer="raw",
        value_serializer="raw",
    )
    t = settings.topics
    topics = StreamTopics(
        articles=app.topic(t.articles, **RAW),
        articles_dead=app.topic(t.articles_dead, **RAW),
        analyzed=app.topic(t.analyzed, **RAW),
        alerts=app.topic(t.alerts, **RAW),
        alerts_dead=app.topic(t.alerts_dead, **RAW),
        findings=app.topic(t.findings, partitions=1, **RAW),
        pending_alerts=app.topic(t.pending_alerts, partitions=1, **RAW),
    )

    def table(name: str) -> Any:
        # Serializers come from the app defaults (raw): Table takes no serializer arguments.
        return app.Table(name, partitions=1, use_partitioner=True, key_type=bytes, value_type=bytes)

    stories = StagedMapping(ModelMapping(table("stories"), StoryState))
    correlator = Correlator(
        stories,
        lambda: holder.current.watchlist,
        window=timedelta(days=settings.story_window_days),
    )
    dispatcher = build_dispatcher(
        settings,
        log_store=BytesKeyMapping(table("deliveries")),
        digest_store=BytesKeyMapping(table("digests")),
        rate_store=BytesKeyMapping(table("ratelimits")),
    )
    runtime = Runtime(
        topics=topics,
        holder=holder,
        build_analyzer=_analyzer_for,
        staged=[stories],
        correlator=correlator,
        dispatcher=dispatcher,
    )
    correlator.namer = lambda i: display_name(runtime.analyzer.gazetteer, i)
    app.agent(topics.articles, name="signalfire.analyze")(partial(analyze_stage, runtime))
    app.agent(topics.findings, name="signalfire.correlate")(partial(correlate_stage, runtime))
    app.agent(topics.pending_alerts, name="signalfire.dispatch")(partial(dispatch_stage, runtime))

    # Timers catch everything: an exception in a faust timer crashes the whole app.
    @app.timer(interval=settings.watchlist_poll_seconds, name="signalfire.watchlist_reload")  # type: ignore[untyped-decorator]
    async def _reload() -> None:
        try:
            await runtime.refresh(datetime.now(UTC))
        except Exception:
            log.exception("watchlist.reload_error")

    @app.timer(interval=15.0, name="signalfire.digest_flush")  # type: ignore[untyped-decorator]
    async def _flush_digests() -> None:
        try:
            for alert_id, value in await runtime.flush_digests(datetime.now(UTC)):
                await send_acked(topics.alerts_dead, key=alert_id.encode(), value=value)
        except Exception:
            log.exception("digest.flush_error")

    @app.timer(interval=10.0, name="signalfire.heartbeat")  # type: ignore[untyped-decorator]
    async def _heartbeat() -> None:
        try:
            write_heartbeat(settings.data_dir, datetime.now(UTC), app_id=settings.app_id)
        except OSError:
            log.exception("heartbeat.write_failed", data_dir=str(settings.data_dir))

    return app, runtime
