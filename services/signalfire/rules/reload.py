"""Hot reload: notice an edited watchlist, switch to it if valid, keep the last good one if not.

Checks are cheap (stat: mtime and size per file) and only a changed stat leads to reading and
hashing; only a changed hash leads to validating. Reading and stat are injectable for tests."""

from __future__ import annotations

import os
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Literal

from signalfire.rules.errors import Problem, WatchlistError
from signalfire.rules.loader import (
    LoadedWatchlist,
    Source,
    expand_paths,
    fingerprint,
    validate_sources,
)

Stamp = tuple[int, int]  # (mtime_ns, size)
Status = Literal["unchanged", "reloaded", "failed"]


def _stat(path: Path) -> Stamp:
    st = os.stat(path)
    return (st.st_mtime_ns, st.st_size)


@dataclass(frozen=True)
class ReloadResult:
    """`failed` carries the problems of the rejected edit; `loaded` is what is in effect."""

    status: Status
    loaded: LoadedWatchlist
    problems: list[Problem] = field(default_factory=list)


class WatchlistHolder:
    """The watchlist in effect. The constructor raises WatchlistError: a service must not
    start without a valid watchlist, but once running it never loses the one it has."""

    def __init__(
        self,
        paths: Sequence[Path],
        env: Mapping[str, str],
        known_entity_ids: Collection[str] | None = None,
        *,
        interval: timedelta = timedelta(seconds=2),
        stat: Callable[[Path], Stamp] = _stat,
        read: Callable[[Path], bytes] = Path.read_bytes,
    ) -> None:
        self._paths = list(paths)
        self._env = env
        self._known = known_entity_ids
        self._interval = interval
        self._stat = stat
        self._read = read
        self._checked_at: datetime | None = None
        stamps, sources, problems = self._snapshot()
        if problems:
            raise WatchlistError(problems)
        self._stamps = stamps
        self._tried = fingerprint(sources)
        self._loaded = validate_sources(sources, env, known_entity_ids)

    @property
    def current(self) -> LoadedWatchlist:
        return self._loaded

    def maybe_reload(self, now: datetime) -> ReloadResult:
        """Reload if the files changed since the last call (at most once per `interval`).
        A failed edit is reported once, not on every later call."""
        if self._checked_at is not None and now - self._checked_at < self._interval:
            return ReloadResult("unchanged", self._loaded)
        self._checked_at = now
        try:
            stamps = self._stamps_now()
        except OSError:
            stamps = None  # a file vanished or a directory changed: read to find out
        if stamps is not None and stamps == self._stamps:
            return ReloadResult("unchanged", self._loaded)
        stamps, sources, problems = self._snapshot()
        self._stamps = stamps
        attempt = str(problems) if problems else fingerprint(sources)
        if attempt == self._loaded.fingerprint:
            self._tried = attempt  # touched, or reverted to what is in effect
        if attempt == self._tried:
            return ReloadResult("unchanged", self._loaded)
        self._tried = attempt
        if not problems:
            try:
                self._loaded = validate_sources(sources, self._env, self._known)
                return ReloadResult("reloaded", self._loaded)
            except WatchlistError as e:
                problems = e.problems
        return ReloadResult("failed", self._loaded, problems)

    def _stamps_now(self) -> dict[str, Stamp]:
        files, _ = expand_paths(self._paths)
        return {str(p): self._stat(p) for p in files}

    def _snapshot(self) -> tuple[dict[str, Stamp], list[Source], list[Problem]]:
        files, problems = expand_paths(self._paths)
        stamps: dict[str, Stamp] = {}
        sources: list[Source] = []
        for path in files:
            try:
                stamps[str(path)] = self._stat(path)
                sources.append((str(path), self._read(path)))
            except OSError as e:
                problems.append(Problem(str(path), None, None, "", f"cannot read: {e.strerror}"))
        return stamps, sources, problems
