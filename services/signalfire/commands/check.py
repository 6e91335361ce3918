"""`signalfire check`: validate watchlists (exit 0 and a summary, or errors and exit 1)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from signalfire.commands import watchlists
from signalfire.rules.loader import summary


def run(paths: Sequence[Path]) -> int:
    print(summary(watchlists.load(paths)))
    return 0
