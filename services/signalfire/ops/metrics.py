"""Prometheus metrics of the worker: every metric defined once, with stable names and labels.

The stream calls the small typed methods of `Metrics` (one shared instance, `METRICS`); the
ops server (`ops/server.py`) exposes the registry on `/metrics`. Label values are bounded on
purpose, because every label set is a time series kept forever:

- `channel` is a channel *kind* (`slack`, `email`, `json`, `discord`, ...) from the Apprise
  URL's scheme, never the URL: URLs carry tokens and passwords (`channel_kind`).
- `reason` is a short slug of a dead-letter reason, numbers and details dropped
  (`reason_label`: "message too large (2000001 bytes > 1000000)" -> `message_too_large`).
- `topic`/`partition` are the worker's own input partitions (a few dozen at most).

Names follow Prometheus conventions (`_total` counters, `_seconds` durations, base units);
`tests/unit/test_metrics.py` pins them, since dashboards and alert rules
(`deploy/monitoring/`) depend on them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Final, Literal

from prometheus_client import (
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    Info,
    PlatformCollector,
    ProcessCollector,
)
from pydantic import SecretStr

from signalfire import __version__
from signalfire.delivery.channels import Channel, channel_for

PREFIX: Final = "signalfire"

Stage = Literal["analyze", "correlate", "dispatch"]
ProcessedResult = Literal["analyzed", "duplicate"]
LatencyStage = Literal["analyzed", "delivered"]
QueueKind = Literal["pending", "held"]
ReadyCondition = Literal["partitions_assigned", "tables_recovered", "producer_connected"]

READY_CONDITIONS: Final[tuple[ReadyCondition, ...]] = (
    "partitions_assigned",
    "tables_recovered",
    "producer_connected",
)

# Analysis takes ~1 ms per article (README, Speed); a very large article or a slow machine
# some tens of ms. End to end spans publishing to delivery, retries included (minutes).
ANALYSIS_BUCKETS: Final = (0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1.0)
END_TO_END_BUCKETS: Final = (0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 900, 3600)

_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]{0,19}$")
_SECURE_VARIANT = re.compile(r"^(json|xml|form|discord|mailto|ntfy|gotify|matrix|mqtt|rocket)s$")
_SLUG_DROP = re.compile(r"\([^)]*\)|:.*$", re.DOTALL)
_SLUG_NON_WORD = re.compile(r"[^a-z0-9]+")
MAX_REASON_LEN: Final = 40


def channel_kind(url: SecretStr | str | None) -> str:
    """The channel kind of an Apprise URL (or its privacy form, `Job.shown_as`) for the
    `channel` label: `slack`, `email`, or the scheme (`json`, `discord`, ...; secure variants
    folded, `jsons` -> `json`), `unknown` without a URL (destination left the watchlist), else
    `other`. Only the scheme is ever looked at, so no part of a secret can become a label."""
    if url is None:
        return "unknown"
    if isinstance(url, SecretStr):
        url = url.get_secret_value()
    channel = channel_for(url)
    if channel is Channel.SLACK:
        return "slack"
    if channel is Channel.EMAIL:
        return "email"
    scheme = url.partition("://")[0].strip().lower() if "://" in url else ""
    if scheme == "https":
        return "http"
    scheme = _SECURE_VARIANT.sub(r"\1", scheme)
    return scheme if _SCHEME.match(scheme) else "other"


def reason_label(reason: str) -> str:
    """A dead-letter reason as a bounded slug: details after ':' and in parentheses dropped,
    lower case, words joined by '_' ('analysis failed: KeyError' -> 'analysis_failed')."""
    text = _SLUG_DROP.sub("", reason.lower())
    slug = _SLUG_NON_WORD.sub("_", text).strip("_")[:MAX_REASON_LEN].rstrip("_")
    return slug or "unknown"


class Metrics:
    """All signalfire metrics on one registry. Build one per process (`METRICS`); tests
    build their own on a fresh `CollectorRegistry`."""

    def __init__(self, registry: CollectorRegistry | None = None, *, process: bool = True) -> None:
        self.registry = registry if registry is not None else CollectorRegistry()
        r = self.registry
        if process:
            ProcessCollector(registry=r)
            PlatformCollector(registry=r)
        self.build = Info(f"{PREFIX}_build", "Version of the running signalfire.", registry=r)
        self.build.info({"version": __version__})

        # --- input ---------------------------------------------------------------------
        self.consumer_lag = Gauge(
            f"{PREFIX}_consumer_lag",
            "Records in an assigned input partition not yet processed (end offset minus "
            "the next offset to process).",
            ["topic", "partition"],
            registry=r,
        )
        self.articles_processed = Counter(
            f"{PREFIX}_articles_processed_total",
            "Articles through a stage: analyzed, or recognised as a duplicate by correlate.",
            ["stage", "result"],
            registry=r,
        )
        self.articles_dead_lettered = Counter(
            f"{PREFIX}_articles_dead_lettered_total",
            "Messages sent to a dead-letter topic, by stage and reason slug.",
            ["stage", "reason"],
            registry=r,
        )
        self.analysis_seconds = Histogram(
            f"{PREFIX}_analysis_seconds",
            "Time to analyse one article (decode excluded).",
            buckets=ANALYSIS_BUCKETS,
            registry=r,
        )
        self.end_to_end_seconds = Histogram(
            f"{PREFIX}_end_to_end_seconds",
            "analyzed: from the article's Kafka timestamp to its findings being acknowledged "
            "(ingest delay plus analysis); delivered: from the alert firing (fired_at) to a "
            "destination accepting it (retries and holds included).",
            ["stage"],
            buckets=END_TO_END_BUCKETS,
            registry=r,
        )
        # --- state ---------------------------------------------------------------------
        self.stories_open = Gauge(
            f"{PREFIX}_stories_open",
            "Stories inside the story window (still open for new articles).",
            registry=r,
        )
        self.table_recovery_remaining = Gauge(
            f"{PREFIX}_table_recovery_remaining",
            "Changelog records still to read before a table is recovered (0 when done).",
            ["table"],
            registry=r,
        )
        self.table_recovery_active = Gauge(
            f"{PREFIX}_table_recovery_active",
            "1 while table recovery is running, else 0.",
            registry=r,
        )
        # --- alerts and delivery -------------------------------------------------------
        self.alerts_fired = Counter(
            f"{PREFIX}_alerts_fired_total",
            "Alert notifications due, one per fired alert and destination, by channel kind.",
            ["channel"],
            registry=r,
        )
        self.alerts_delivered = Counter(
            f"{PREFIX}_alerts_delivered_total",
            "Notifications a destination accepted (digests count once), by channel kind.",
            ["channel"],
            registry=r,
        )
        self.alerts_retried = Counter(
            f"{PREFIX}_alerts_retried_total",
            "Send attempts that failed and will be retried, by channel kind.",
            ["channel"],
            registry=r,
        )
        self.alerts_dead = Counter(
            f"{PREFIX}_alerts_dead_total",
            "Notifications given up after every retry (sent to alerts.dead), by channel kind.",
            ["channel"],
            registry=r,
        )
        self.delivery_queue_depth = Gauge(
            f"{PREFIX}_delivery_queue_depth",
            "Notifications waiting: pending (not yet sent, retries included) or held "
            "(digest, quiet hours, rate limit).",
            ["queue"],
            registry=r,
        )
        self.delivery_oldest_pending_seconds = Gauge(
            f"{PREFIX}_delivery_oldest_pending_seconds",
            "Age of the oldest waiting notification (0 when none waits).",
            ["queue"],
            registry=r,
        )
        # --- watchlist -----------------------------------------------------------------
        self.watchlist_generation = Gauge(
            f"{PREFIX}_watchlist_generation",
            "Increments each time an edited watchlist is loaded successfully.",
            registry=r,
        )
        self.watchlist_last_reload_success = Gauge(
            f"{PREFIX}_watchlist_last_reload_success",
            "1 when the last watchlist (re)load succeeded, 0 when it failed (the last good "
            "watchlist stays in effect).",
            registry=r,
        )
        self.watchlist_last_reload_timestamp_seconds = Gauge(
            f"{PREFIX}_watchlist_last_reload_timestamp_seconds",
            "Unix time of the last watchlist (re)load attempt.",
            registry=r,
        )
        self.watchlist_reloads = Counter(
            f"{PREFIX}_watchlist_reloads_total",
            "Watchlist reload attempts, by result (ok, failed).",
            ["result"],
            registry=r,
        )
        # --- health --------------------------------------------------------------------
        self.worker_ready = Gauge(
            f"{PREFIX}_worker_ready",
            "1 when the worker is ready (every readiness condition holds), else 0.",
            registry=r,
        )
        self.worker_ready_condition = Gauge(
            f"{PREFIX}_worker_ready_condition",
            "1 when one readiness condition holds, else 0.",
            ["condition"],
            registry=r,
        )
        for condition in READY_CONDITIONS:
            self.worker_ready_condition.labels(condition=condition).set(0)
        self.worker_ready.set(0)
        self.watchlist_last_reload_success.set(1)
        self.table_recovery_active.set(0)

    # --- the calls the stream makes ------------------------------------------------------

    def set_consumer_lag(self, topic: str, partition: int, lag: int) -> None:
        """Lag of one assigned input partition (negative values are clamped to 0)."""
        self.consumer_lag.labels(topic=topic, partition=str(partition)).set(max(0, lag))

    def forget_partitions(self, tps: Iterable[tuple[str, int]]) -> None:
        """Drop the lag series of partitions this worker no longer owns (after a rebalance),
        so a revoked partition does not show its last lag forever."""
        for topic, partition in tps:
            try:
                self.consumer_lag.remove(topic, str(partition))
            except KeyError:
                continue

    def article_processed(self, stage: Stage, result: ProcessedResult = "analyzed") -> None:
        """One article through `stage` (`result="duplicate"` for an id already seen)."""
        self.articles_processed.labels(stage=stage, result=result).inc()

    def article_dead_lettered(self, stage: Stage | Literal["ingest"], reason: str) -> None:
        """One message dead-lettered; `reason` is the DeadLetter's reason (slugged here)."""
        self.articles_dead_lettered.labels(stage=stage, reason=reason_label(reason)).inc()

    def observe_analysis(self, seconds: float) -> None:
        """Duration of one `Analyzer.analyze` call."""
        self.analysis_seconds.observe(seconds)

    def observe_end_to_end(self, stage: LatencyStage, seconds: float) -> None:
        """`analyzed`: now minus the article's Kafka timestamp, once its findings are acked;
        `delivered`: now minus the alert's `fired_at`, once a destination accepted it."""
        self.end_to_end_seconds.labels(stage=stage).observe(max(0.0, seconds))

    def set_stories_open(self, count: int) -> None:
        self.stories_open.set(count)

    def alert_fired(self, url: SecretStr | str | None) -> None:
        """One fired alert due for one destination (`url` is reduced to its channel kind)."""
        self.alerts_fired.labels(channel=channel_kind(url)).inc()

    def alert_delivered(self, url: SecretStr | str | None) -> None:
        self.alerts_delivered.labels(channel=channel_kind(url)).inc()

    def alert_retried(self, url: SecretStr | str | None) -> None:
        self.alerts_retried.labels(channel=channel_kind(url)).inc()

    def alert_dead(self, url: SecretStr | str | None) -> None:
        self.alerts_dead.labels(channel=channel_kind(url)).inc()

    def set_delivery_queue(self, queue: QueueKind, depth: int, oldest_seconds: float) -> None:
        """How many notifications wait in `queue` and the age of the oldest (0 when empty)."""
        self.delivery_queue_depth.labels(queue=queue).set(depth)
        self.delivery_oldest_pending_seconds.labels(queue=queue).set(
            max(0.0, oldest_seconds) if depth else 0.0
        )

    def watchlist_reloaded(
        self, *, ok: bool, at_unix: float, generation: int | None = None
    ) -> None:
        """After every watchlist load attempt (`WatchlistHolder.maybe_reload` status
        `reloaded` or `failed`, and the first load at start with ok=True). The generation
        counts successful loads unless the caller passes its own."""
        if generation is not None:
            self.watchlist_generation.set(generation)
        elif ok:
            self.watchlist_generation.inc()
        self.watchlist_last_reload_success.set(1 if ok else 0)
        self.watchlist_last_reload_timestamp_seconds.set(at_unix)
        self.watchlist_reloads.labels(result="ok" if ok else "failed").inc()

    def set_table_recovery(self, remaining: dict[str, int], *, active: bool) -> None:
        """Changelog records left per table (table name -> records) and whether recovery
        runs; tables not named keep their last value."""
        for table, left in remaining.items():
            self.table_recovery_remaining.labels(table=table).set(max(0, left))
        self.table_recovery_active.set(1 if active else 0)

    def set_ready(self, conditions: dict[ReadyCondition, bool]) -> None:
        """Called by `Readiness` whenever a condition changes."""
        for condition, held in conditions.items():
            self.worker_ready_condition.labels(condition=condition).set(1 if held else 0)
        self.worker_ready.set(1 if all(conditions.values()) else 0)


METRICS: Final = Metrics()
"""The worker's metrics (one registry per process; `/metrics` serves `METRICS.registry`)."""
