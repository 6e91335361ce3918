"""The one bootstrap: builds the faust app, its topics, tables, stages, timers and the
offset committer, and binds each stage to the narrow dependencies it uses.

No import-time side effects: nothing exists until `build_app` is called.
"""

from __future__ import annotations

import asyncio
import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import faust
import structlog

from signalfire.analysis.analyzer import Analyzer
from signalfire.delivery.apprise_adapter import AppriseSender, install_log_redaction
from signalfire.delivery.dispatcher import Dispatcher
from signalfire.delivery.log import DeliveryLog
from signalfire.delivery.outbox import Outbox
from signalfire.delivery.policy import RetryPolicy
from signalfire.delivery.render import Renderer
from signalfire.delivery.schedule import DigestBuffer, RateLimiter
from signalfire.delivery.service import DeliveryService
from signalfire.models.story import StoryState
from signalfire.models.watchlist import Watchlist
from signalfire.ops.health import write_heartbeat
from signalfire.pipeline import Correlator, entity_kind
from signalfire.settings import Settings
from signalfire.stream.analyze import AnalyzeStage
from signalfire.stream.committer import Committer, OffsetOracle
from signalfire.stream.correlate import CorrelateStage
from signalfire.stream.dispatch import AlertPublisher, DispatchStage
from signalfire.stream.kafka_config import faust_app_kwargs, kafka_python_kwargs
from signalfire.stream.live import LiveWatchlist
from signalfire.stream.rocksdb_store import store_url
from signalfire.stream.stage import StageInput
from signalfire.stream.state import (
    BytesKeyMapping,
    ConfirmedBytesMapping,
    ModelMapping,
    StagedMapping,
    UnitOfWork,
)
from signalfire.stream.topics import TOPICS, Role, partitions_of, topic_name

log = structlog.get_logger(__name__)
RAW: dict[str, Any] = {
    "key_type": bytes,
    "value_type": bytes,
    "key_serializer": "raw",
    "value_serializer": "raw",
}
CONSUMED: frozenset[Role] = frozenset({"articles", "findings", "pending_alerts"})


def analyzer_for(watchlist: Watchlist) -> Analyzer:
    return Analyzer.build(watchlist.entities)


def faust_settings(settings: Settings) -> dict[str, Any]:
    """faust App settings. faust commits none of our topics (they are subscribed with acks
    disabled): the Committer does, only for durable progress."""
    return {
        "broker": settings.broker_url,
        "store": store_url(settings),
        "datadir": str(settings.data_dir),
        "autodiscover": False,
        "web_enabled": False,
        "topic_partitions": settings.partitions,
        "topic_replication_factor": settings.replication,
        "consumer_auto_offset_reset": "earliest",
        "broker_commit_interval": 3600.0,
        "stream_wait_empty": False,
        "producer_acks": -1,
        "producer_max_request_size": 4 * 1024 * 1024,
        "producer_compression_type": (
            None if settings.producer_compression == "none" else settings.producer_compression
        ),
        "broker_session_timeout": settings.session_timeout,
        "broker_heartbeat_interval": settings.heartbeat_interval,
        "consumer_group_instance_id": settings.instance_id,
        "key_serializer": "raw",
        "value_serializer": "raw",
        **faust_app_kwargs(settings),
    }


@dataclass
class Worker:
    """What `build_app` made, for the worker command and for tests."""

    app: faust.App
    live: LiveWatchlist
    committer: Committer
    delivery: DeliveryService
    inputs: dict[str, StageInput]


def _oracle(settings: Settings) -> OffsetOracle:
    def make() -> Any:
        from kafka import KafkaConsumer

        return KafkaConsumer(
            **kafka_python_kwargs(settings),
            group_id=settings.app_id,
            enable_auto_commit=False,
            client_id=f"{settings.app_id}-offsets",
            request_timeout_ms=30_000,
        )

    return OffsetOracle(make)


def build_app(settings: Settings, live: LiveWatchlist) -> Worker:
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    app = faust.App(settings.app_id, **faust_settings(settings))
    topics = {
        spec.role: app.topic(
            topic_name(settings, spec.role),
            partitions=partitions_of(settings, spec),
            acks=spec.role not in CONSUMED,
            **RAW,
        )
        for spec in TOPICS
    }

    def table(name: str) -> Any:
        # Serializers come from the app defaults (raw): Table takes no serializer arguments.
        return app.Table(name, partitions=1, use_partitioner=True, key_type=bytes, value_type=bytes)

    committer = Committer(app, _oracle(settings), interval=settings.commit_interval)

    def stage_input(name: str, role: Role) -> StageInput:
        return StageInput(
            name,
            committer.source(topic_name(settings, role)),
            committer.heal,
            committer.ensure,
            size=settings.batch_size,
            within=settings.batch_wait,
        )

    inputs = {
        "analyze": stage_input("analyze", "articles"),
        "correlate": stage_input("correlate", "findings"),
        "dispatch": stage_input("dispatch", "pending_alerts"),
    }

    stories = StagedMapping(ModelMapping(table("stories"), StoryState))
    correlator = Correlator(
        stories, lambda: live.watchlist, window=timedelta(days=settings.story_window_days)
    )
    correlator.namer = live.name_of
    correlator.kind_of = lambda i: entity_kind(live.analyzer.gazetteer, i)
    uow = UnitOfWork([stories], correlator.index.invalidate)

    install_log_redaction()
    dispatcher = Dispatcher(
        AppriseSender(timeout=settings.delivery_timeout),
        DeliveryLog(ConfirmedBytesMapping(table("deliveries"))),
        RetryPolicy(
            base=settings.delivery_base_delay,
            max_delay=settings.delivery_max_delay,
            max_attempts=settings.delivery_max_attempts,
            deadline=settings.delivery_deadline,
        ),
        renderer=Renderer(settings.templates_dir),
        buffer=DigestBuffer(BytesKeyMapping(table("digests"))),
        limiter=RateLimiter(BytesKeyMapping(table("ratelimits"))),
        rng=random.Random(),
    )
    publisher = AlertPublisher(topics["alerts"], topics["alerts_dead"])

    delivery = DeliveryService(
        dispatcher,
        Outbox(BytesKeyMapping(table("outbox"))),
        live.subscribers,
        publisher.publish,
        emit_dead_held=publisher.dead,
    )

    analyze = AnalyzeStage(
        inputs["analyze"],
        lambda: live.analyzer,
        topics["findings"],
        topics["articles_dead"],
        settings.dead_letter_max_bytes,
    )
    correlate = CorrelateStage(
        inputs["correlate"],
        correlator,
        uow,
        topics["analyzed"],
        topics["pending_alerts"],
        topics["articles_dead"],
        settings.dead_letter_max_bytes,
    )
    dispatch = DispatchStage(
        inputs["dispatch"], delivery, topics["alerts_dead"], settings.dead_letter_max_bytes
    )
    app.agent(topics["articles"], name="signalfire.analyze")(analyze.run)
    app.agent(topics["findings"], name="signalfire.correlate")(correlate.run)
    app.agent(topics["pending_alerts"], name="signalfire.dispatch")(dispatch.run)

    worker = Worker(app, live, committer, delivery, inputs)
    _wire_rebalances(worker, settings)
    _wire_timers(worker, settings)
    return worker


def _wire_rebalances(w: Worker, settings: Settings) -> None:
    app, committer = w.app, w.committer
    pending_topic = topic_name(settings, "pending_alerts")

    # faust signals call receivers as (sender, *args, signal=..., **kwargs).
    async def _revoked(sender: Any, revoked: set[Any], **_: Any) -> None:
        if any(tp.topic == pending_topic for tp in revoked) and w.delivery.running:
            # The outbox may go to another worker: stop sending before it can start, so no
            # two workers deliver the same jobs (it restarts here if the partition comes back).
            await w.delivery.stop()
        await asyncio.gather(*(i.wait_idle(5.0) for i in w.inputs.values()))
        await committer.on_revoked(revoked)

    async def _assigned(sender: Any, assigned: set[Any], **_: Any) -> None:
        await committer.on_assigned(assigned)

    async def _recovered(sender: Any, **_: Any) -> None:
        owns = any(tp.topic == pending_topic for tp in app.consumer.assignment())
        if owns:
            await w.delivery.start()
        elif w.delivery.running:
            await w.delivery.stop()

    async def _shutdown(sender: Any, **_: Any) -> None:
        await w.delivery.stop()
        await asyncio.gather(*(i.wait_idle(10.0) for i in w.inputs.values()))
        try:
            committed = await committer.commit()
            log.info("offsets.final_commit", partitions=len(committed))
        except Exception:
            log.exception("offsets.final_commit_failed")
        committer.oracle.close()

    receivers: list[tuple[Any, Any]] = [
        (app.on_partitions_revoked, _revoked),
        (app.on_partitions_assigned, _assigned),
        (app.on_rebalance_complete, _recovered),
        (app.on_before_shutdown, _shutdown),
    ]
    for signal, receiver in receivers:
        signal.connect(receiver)


def _wire_timers(w: Worker, settings: Settings) -> None:
    """Timers catch everything: an exception in a faust timer crashes the whole app."""
    app = w.app

    @app.timer(interval=settings.commit_interval, name="signalfire.commit")  # type: ignore[untyped-decorator]
    async def _commit() -> None:
        try:
            await w.committer.commit()
        except Exception:
            log.exception("offsets.commit_error")

    @app.timer(interval=settings.watchlist_poll_seconds, name="signalfire.watchlist_reload")  # type: ignore[untyped-decorator]
    async def _reload() -> None:
        try:
            await w.live.refresh(datetime.now(UTC))
        except Exception:
            log.exception("watchlist.reload_error")

    @app.timer(interval=15.0, name="signalfire.digest_flush")  # type: ignore[untyped-decorator]
    async def _flush_digests() -> None:
        if not w.delivery.running:
            return
        try:
            await w.delivery.flush_digests()
        except Exception:
            log.exception("digest.flush_error")

    @app.timer(interval=10.0, name="signalfire.heartbeat")  # type: ignore[untyped-decorator]
    async def _heartbeat() -> None:
        try:
            write_heartbeat(
                settings.data_dir,
                datetime.now(UTC),
                app_id=settings.app_id,
                processed={k: i.processed for k, i in w.inputs.items()},
            )
        except OSError:
            log.exception("heartbeat.write_failed", data_dir=str(settings.data_dir))
