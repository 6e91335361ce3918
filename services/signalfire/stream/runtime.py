"""What the agents share: topics, the current watchlist and analyzer, state and delivery.

Built once by `app.build_app`; agents receive it bound with functools.partial, so nothing is
imported as a side effect and tests can build a Runtime around fakes.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import orjson
import structlog

from signalfire.analysis.analyzer import Analyzer
from signalfire.delivery.destinations import register_watchlist_secrets
from signalfire.delivery.dispatcher import dead_reason, needs_dead_letter
from signalfire.models.alert import AlertRecord
from signalfire.models.entity_table import EntityTable
from signalfire.models.watchlist import Watchlist
from signalfire.pipeline import Correlator
from signalfire.rules.reload import WatchlistHolder
from signalfire.stream.state import StagedMapping

log = structlog.get_logger(__name__)
DESTINATION_GONE = "destination no longer in the watchlist"
DEAD_HELD = "held for a digest; its destination left the watchlist"


@dataclass
class StreamTopics:
    """faust topic objects, by role."""

    articles: Any
    articles_dead: Any
    analyzed: Any
    alerts: Any
    alerts_dead: Any
    findings: Any
    pending_alerts: Any


class Runtime:
    """Mutable only through `refresh` (watchlist hot reload) and the staged state."""

    def __init__(
        self,
        *,
        topics: StreamTopics,
        holder: WatchlistHolder,
        build_analyzer: Callable[[Watchlist], Analyzer],
        staged: list[StagedMapping[Any]],
        correlator: Correlator,
        dispatcher: Any,
    ) -> None:
        self.topics = topics
        self.holder = holder
        self._build_analyzer = build_analyzer
        self._staged = staged
        self.correlator = correlator
        self.dispatcher = dispatcher
        self._entities_key = self._entity_fingerprint(holder.current.watchlist)
        self.analyzer = build_analyzer(holder.current.watchlist)
        self._rebuild: asyncio.Task[None] | None = None

    @staticmethod
    def _entity_fingerprint(watchlist: Watchlist) -> str:
        return EntityTable.of(watchlist.entities).fingerprint()  # no model per entity

    @property
    def watchlist(self) -> Watchlist:
        return self.holder.current.watchlist

    async def refresh(self, now: datetime) -> None:
        """Pick up watchlist edits; a broken edit keeps the last good watchlist.

        New rules and subscribers apply at once. New entities need a new gazetteer automaton
        (seconds for a very large watchlist): it is built in a thread while the current
        analyzer keeps serving, then swapped in."""
        result = self.holder.maybe_reload(now)
        if result.status == "reloaded":
            register_watchlist_secrets(self.watchlist)
            log.info(
                "watchlist.reloaded",
                files=[str(f) for f in self.holder.current.files],
                rules=len(self.watchlist.rules),
                subscribers=len(self.watchlist.subscribers),
            )
            key = self._entity_fingerprint(self.watchlist)
            if key != self._entities_key:
                self._entities_key = key
                self._rebuild = asyncio.create_task(self._rebuild_analyzer(key, self.watchlist))
        elif result.status == "failed":
            log.error(
                "watchlist.reload_failed",
                problems=[str(p) for p in result.problems],
                keeping="last good watchlist",
            )

    async def _rebuild_analyzer(self, key: str, watchlist: Watchlist) -> None:
        started = time.monotonic()
        try:
            analyzer = await asyncio.to_thread(self._build_analyzer, watchlist)
        except Exception:
            log.exception("analyzer.rebuild_failed", keeping="current analyzer")
            return
        if key == self._entities_key:  # no newer edit overtook this build
            self.analyzer = analyzer
            log.info(
                "analyzer.rebuilt",
                entities=len(watchlist.entities),
                seconds=round(time.monotonic() - started, 2),
            )

    def flush_staged(self) -> None:
        for mapping in self._staged:
            mapping.flush()

    def discard_staged(self) -> None:
        """Drop a failed event's staged state; the story index re-reads the tables."""
        for mapping in self._staged:
            mapping.discard()
        self.correlator.index.invalidate()

    async def deliver(self, alert: AlertRecord, now: Callable[[], datetime]) -> AlertRecord:
        subscribers = {s.id: s for s in self.watchlist.subscribers}
        result: AlertRecord = await self.dispatcher.deliver(alert, subscribers, now)
        return result

    async def flush_digests(self, now: datetime) -> list[tuple[str, bytes]]:
        """Send digests whose time has come (rate-limit overflow, digest mode, quiet hours).

        Returns (alert id, alerts.dead value) for held alerts that can no longer be delivered
        (their destination left the watchlist), so the caller dead-letters them."""
        subscribers = {s.id: s for s in self.watchlist.subscribers}
        results = await self.dispatcher.flush_due(subscribers, lambda: now)
        dead: list[tuple[str, bytes]] = []
        for result in results:
            outcome = result.outcome
            log.info(
                "digest.flushed",
                subscriber=outcome.subscriber,
                destination=outcome.shown_as,
                status=outcome.status,
                alerts=len(result.alert_ids),
            )
            if outcome.status != "failed" or outcome.error != DESTINATION_GONE:
                continue
            value = {"reason": DEAD_HELD, "outcome": outcome.model_dump(mode="json")}
            dead.extend((a, orjson.dumps({**value, "alert_id": a})) for a in result.alert_ids)
        return dead

    def dead_reason(self, alert: AlertRecord) -> str | None:
        return dead_reason(alert) if needs_dead_letter(alert) else None
