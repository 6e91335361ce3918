"""Loading watchlists for the offline commands (errors are reported by `cli.main`)."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from signalfire.analysis.gazetteer import builtin_ids
from signalfire.delivery.destinations import register_watchlist_secrets
from signalfire.models.watchlist import Watchlist
from signalfire.rules.loader import LoadedWatchlist, load_watchlists


def load(paths: Sequence[Path]) -> LoadedWatchlist:
    """Load and validate; raises WatchlistError with every problem found."""
    loaded = load_watchlists(list(paths), os.environ, known_entity_ids=builtin_ids())
    register_watchlist_secrets(loaded.watchlist)
    return loaded


def merged(paths: Sequence[Path]) -> Watchlist:
    """The merged watchlists, or an empty one when none were given."""
    return load(paths).watchlist if paths else Watchlist(version=1)
