"""The watchlist and analyzer in effect, swapped together when a watchlist edit is valid.

Reading, parsing, validating and building the gazetteer automaton for an edit all run in a
worker thread (a 100,000-entity watchlist takes seconds): the event loop only swaps in the
result. A broken edit keeps the last good watchlist.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from datetime import datetime

import structlog

from signalfire.analysis.analyzer import Analyzer
from signalfire.analysis.naming import display_name
from signalfire.delivery.destinations import register_watchlist_secrets
from signalfire.models.watchlist import Subscriber, Watchlist
from signalfire.ops.metrics import METRICS
from signalfire.rules.loader import LoadedWatchlist
from signalfire.rules.reload import WatchlistHolder

log = structlog.get_logger(__name__)


class LiveWatchlist:
    def __init__(
        self, holder: WatchlistHolder, build_analyzer: Callable[[Watchlist], Analyzer]
    ) -> None:
        self.holder = holder
        self._build = build_analyzer
        self._entities = holder.current.entities_fingerprint
        self.analyzer = build_analyzer(holder.current.watchlist)
        self.generation = 1
        self.last_reload: str = "initial"

    @property
    def watchlist(self) -> Watchlist:
        return self.holder.current.watchlist

    def subscribers(self) -> Mapping[str, Subscriber]:
        return {s.id: s for s in self.watchlist.subscribers}

    def name_of(self, item_id: str) -> str | None:
        return display_name(self.analyzer.gazetteer, item_id)

    def _build_for(self, loaded: LoadedWatchlist) -> Analyzer | None:
        """Runs in the reload's thread: a new analyzer only when the entities changed."""
        if loaded.entities_fingerprint == self._entities:
            return None  # rules or subscribers changed only
        started = time.monotonic()
        try:
            analyzer = self._build(loaded.watchlist)
        except Exception:
            log.exception("analyzer.rebuild_failed", keeping="current analyzer")
            return None
        log.info("analyzer.rebuilt", entities=len(loaded.watchlist.entities),
                 seconds=round(time.monotonic() - started, 2))  # fmt: skip
        return analyzer

    async def refresh(self, now: datetime) -> None:
        """Pick up watchlist edits (called from a timer): reading, validating and building
        happen in a thread; rules and analyzer are swapped in together."""
        result = await self.holder.reload_if_changed(now, self._build_for)
        if result.status == "failed":
            self.last_reload = "failed"
            METRICS.watchlist_reloaded(ok=False, at_unix=time.time(), generation=self.generation)
            log.error(
                "watchlist.reload_failed",
                problems=[str(p) for p in result.problems],
                keeping="last good watchlist",
            )
            return
        if result.status != "reloaded":
            return
        watchlist = result.loaded.watchlist
        register_watchlist_secrets(watchlist)
        if isinstance(result.built, Analyzer):
            self.analyzer = result.built
            self._entities = result.loaded.entities_fingerprint
        self.generation += 1
        self.last_reload = "reloaded"
        METRICS.watchlist_reloaded(ok=True, at_unix=time.time(), generation=self.generation)
        log.info(
            "watchlist.reloaded",
            files=[str(f) for f in result.loaded.files],
            rules=len(watchlist.rules),
            subscribers=len(watchlist.subscribers),
            generation=self.generation,
        )
