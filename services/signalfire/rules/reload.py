"""Hot reload: notice an edited watchlist, switch to it if valid, keep the last good one if not.

Checks are cheap (stat: mtime and size per file, entity files included) and only a changed
stat leads to reading and hashing; only a changed hash leads to validating. Reading and stat
are injectable for tests.

Validating a 100,000-entity file and building its analyzer take seconds, so nothing of it
needs the event loop: `prepare` does the slow part (stat, read, validate and an optional
`build`, e.g. the analyzer) and changes nothing; `commit` swaps the result in and is cheap.
`reload_if_changed` runs `prepare` in a thread and commits on the loop. A broken edit keeps
the watchlist (and whatever was built for it) in effect."""

from __future__ import annotations

import asyncio
import contextlib
import os
import threading
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, Literal

from signalfire.rules.errors import Problem, WatchlistError
from signalfire.rules.loader import (
    Attempt,
    LoadedWatchlist,
    Source,
    attempt_load,
    expand_paths,
    fingerprint,
)

Stamp = tuple[int, int]  # (mtime_ns, size)
Status = Literal["unchanged", "reloaded", "failed"]
Build = Callable[[LoadedWatchlist], Any]


def _stat(path: Path) -> Stamp:
    st = os.stat(path)
    return (st.st_mtime_ns, st.st_size)


@dataclass(frozen=True)
class ReloadResult:
    """`failed` carries the problems of the rejected edit; `loaded` is what is in effect and
    `built` what `build` made for it (None when nothing was built this time)."""

    status: Status
    loaded: LoadedWatchlist
    problems: list[Problem] = field(default_factory=list)
    built: Any = None


@dataclass(frozen=True)
class Prepared:
    """What `prepare` found, not yet in effect: hand it to `commit`."""

    status: Status
    stamps: dict[str, Stamp]
    tried: str  # fingerprint of the content looked at
    entity_files: tuple[str, ...]
    loaded: LoadedWatchlist | None = None
    problems: list[Problem] = field(default_factory=list)
    built: Any = None
    base: str = ""  # fingerprint in effect when prepared; a commit on another is dropped


class WatchlistHolder:
    """The watchlist in effect. The constructor raises WatchlistError: a service must not
    start without a valid watchlist, but once running it never loses the one it has.

    Thread-safe: `prepare` may run in any thread while the loop keeps using `current`."""

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
        self._lock = threading.Lock()
        self._busy = False  # a reload_if_changed is preparing
        self._checked_at: datetime | None = None
        stamps, sources, problems = self._snapshot(())
        if problems:
            raise WatchlistError(problems)
        attempt = attempt_load(sources, env, known_entity_ids, self._read_tracked(stamps))
        if attempt.loaded is None:
            raise WatchlistError(attempt.problems)
        self._stamps = stamps
        self._tried = attempt.fingerprint
        self._entity_files = attempt.entity_files
        self._loaded = attempt.loaded

    @property
    def current(self) -> LoadedWatchlist:
        return self._loaded

    def due(self, now: datetime) -> bool:
        """True at most once per `interval` (then a check is made)."""
        with self._lock:
            if self._checked_at is not None and now - self._checked_at < self._interval:
                return False
            self._checked_at = now
            return True

    def maybe_reload(self, now: datetime, build: Build | None = None) -> ReloadResult:
        """Reload if the files changed since the last call (at most once per `interval`).
        A failed edit is reported once, not on every later call. Blocking: on an event loop
        use `reload_if_changed`."""
        if not self.due(now):
            return ReloadResult("unchanged", self._loaded)
        return self.commit(self.prepare(build))

    async def reload_if_changed(self, now: datetime, build: Build | None = None) -> ReloadResult:
        """`maybe_reload` with the reading, validating and `build` in a thread: the loop only
        stats nothing and swaps a reference. While one reload is being prepared, later calls
        answer `unchanged`."""
        if self._busy or not self.due(now):
            return ReloadResult("unchanged", self._loaded)
        self._busy = True
        try:
            prepared = await asyncio.to_thread(self.prepare, build)
        finally:
            self._busy = False
        return self.commit(prepared)

    def prepare(self, build: Build | None = None) -> Prepared:
        """Look at the files and validate an edit (and `build` for it when valid), changing
        nothing in effect. Safe to call from a thread."""
        with self._lock:
            base, tried = self._loaded.fingerprint, self._tried
            old_stamps, entity_files = self._stamps, self._entity_files
        try:
            stamps_now: dict[str, Stamp] | None = self._stamps_now(entity_files)
        except OSError:
            stamps_now = None  # a file vanished or a directory changed: read to find out
        if stamps_now is not None and stamps_now == old_stamps:
            return Prepared("unchanged", old_stamps, tried, entity_files, base=base)
        stamps, sources, problems = self._snapshot(entity_files)
        if problems:
            attempt = Attempt(None, problems, str(problems), entity_files)
        else:
            listed = [(name, self._read(Path(name))) for name in entity_files if name in stamps]
            seen = fingerprint([*sources, *listed])
            if seen in (base, tried):  # touched, reverted, or a failed edit seen before
                return Prepared("unchanged", stamps, seen, entity_files, base=base)
            read = self._read_tracked(stamps)
            attempt = attempt_load(sources, self._env, self._known, read)
        if attempt.fingerprint in (base, tried):
            return Prepared(
                "unchanged", stamps, attempt.fingerprint, attempt.entity_files, base=base
            )
        if attempt.loaded is None:
            return Prepared(
                "failed", stamps, attempt.fingerprint, attempt.entity_files,
                problems=attempt.problems, base=base,
            )  # fmt: skip
        _ = attempt.loaded.entities_fingerprint  # computed here, off the loop
        built = build(attempt.loaded) if build is not None else None
        return Prepared(
            "reloaded", stamps, attempt.fingerprint, attempt.entity_files,
            loaded=attempt.loaded, built=built, base=base,
        )  # fmt: skip

    def commit(self, prepared: Prepared) -> ReloadResult:
        """Put what `prepare` found into effect (cheap; call it where `current` is used)."""
        with self._lock:
            if prepared.base != self._loaded.fingerprint:  # another commit came first
                return ReloadResult("unchanged", self._loaded)
            self._stamps = prepared.stamps
            self._tried = prepared.tried
            self._entity_files = prepared.entity_files
            if prepared.status == "reloaded" and prepared.loaded is not None:
                self._loaded = prepared.loaded
                return ReloadResult("reloaded", self._loaded, built=prepared.built)
            if prepared.status == "failed":
                return ReloadResult("failed", self._loaded, prepared.problems)
            return ReloadResult("unchanged", self._loaded)

    def _read_tracked(self, stamps: dict[str, Stamp]) -> Callable[[Path], bytes]:
        """`read` that also stats each entity file it reads, so its edits are noticed."""

        def read(path: Path) -> bytes:
            stamps[str(path)] = self._stat(path)
            return self._read(path)

        return read

    def _stamps_now(self, entity_files: Sequence[str]) -> dict[str, Stamp]:
        files, _ = expand_paths(self._paths)
        stamps = {str(p): self._stat(p) for p in files}
        stamps.update((name, self._stat(Path(name))) for name in entity_files)
        return stamps

    def _snapshot(
        self, entity_files: Sequence[str]
    ) -> tuple[dict[str, Stamp], list[Source], list[Problem]]:
        files, problems = expand_paths(self._paths)
        stamps: dict[str, Stamp] = {}
        sources: list[Source] = []
        for path in files:
            try:
                stamps[str(path)] = self._stat(path)
                sources.append((str(path), self._read(path)))
            except OSError as e:
                problems.append(Problem(str(path), None, None, "", f"cannot read: {e.strerror}"))
        for name in entity_files:
            # A missing one is reported when validation asks to read it.
            with contextlib.suppress(OSError):
                stamps[name] = self._stat(Path(name))
        return stamps, sources, problems
