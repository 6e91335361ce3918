"""`signalfire worker`: validate everything first, create topics, then run faust until stopped."""

from __future__ import annotations

import os
import time
from datetime import timedelta
from pathlib import Path

import structlog
from faust import Worker
from kafka.errors import KafkaError

from signalfire.analysis.gazetteer import builtin_ids
from signalfire.delivery.destinations import register_watchlist_secrets
from signalfire.ops.readiness import Readiness
from signalfire.ops.server import start_ops_server
from signalfire.rules.reload import WatchlistHolder
from signalfire.settings import Settings
from signalfire.stream.app import analyzer_for, build_app
from signalfire.stream.live import LiveWatchlist
from signalfire.stream.ops_probe import FaustProbe, durable_progress, worker_sampler
from signalfire.stream.topics import TopicLayoutError, ensure_topics

log = structlog.get_logger(__name__)


class StartupError(Exception):
    """The worker cannot start; the message says why and what to do."""


def wait_for_topics(settings: Settings, *, timeout: float = 60.0) -> None:
    """Create topics, retrying while the broker comes up (containers start in any order)."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            ensure_topics(settings)
            return
        except TopicLayoutError as exc:
            raise StartupError(str(exc)) from exc
        except KafkaError as exc:
            if time.monotonic() > deadline:
                raise StartupError(
                    f"Kafka at {settings.kafka} did not answer within {timeout:.0f}s ({exc}). "
                    "Start it (deploy/local-kafka/up) or set SIGNALFIRE_KAFKA."
                ) from exc
            log.warning("kafka.waiting", broker=settings.kafka, error=str(exc)[:200])
            time.sleep(2.0)


def run_worker(settings: Settings, watchlists: list[Path]) -> int:
    """Blocks until SIGTERM/SIGINT; faust finishes in-flight events and commits, then exit 0."""
    holder = WatchlistHolder(
        watchlists,
        os.environ,
        builtin_ids(),
        interval=timedelta(seconds=settings.watchlist_poll_seconds),
    )
    register_watchlist_secrets(holder.current.watchlist)
    readiness = Readiness()
    wait_for_topics(settings)
    worker = build_app(settings, LiveWatchlist(holder, analyzer_for))
    app = worker.app
    probe = FaustProbe.install(app, readiness, committed=durable_progress(worker.committer))
    samplers = [probe.sample, worker_sampler(worker)]
    start_ops_server(settings, readiness, loop=app.loop, samplers=samplers)
    log.info(
        "worker.starting",
        broker=settings.kafka,
        watchlists=[str(p) for p in watchlists],
        rules=len(holder.current.watchlist.rules),
    )
    runner = Worker(
        app,
        loglevel=settings.log_level.upper(),
        quiet=True,
        override_logging=False,
        redirect_stdouts=False,
    )
    runner.spinner = None  # terminal escape codes would corrupt JSON log lines
    try:
        runner.execute_from_commandline()
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 0
        log.info("worker.stopped", exit_code=code)
        return code
    return 0
