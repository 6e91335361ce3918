"""Load, validate and merge watchlist files (CONTRACT.md section 2).

Parsing takes text; reading files happens only in `read_sources`, so `check`, hot reload and
tests share one pure validation path."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from signalfire.files.yamldoc import Doc, parse
from signalfire.models.watchlist import Watchlist
from signalfire.rules import checks
from signalfire.rules.errors import Problem, WatchlistError
from signalfire.rules.messages import to_problem

Source = tuple[str, bytes]  # (name shown in messages, content)


@dataclass(frozen=True)
class LoadedWatchlist:
    """The merged watchlist, where it came from, and a fingerprint to notice edits by."""

    watchlist: Watchlist
    files: tuple[str, ...]
    fingerprint: str


def parse_watchlist(
    text: str,
    *,
    file: str,
    env: Mapping[str, str],
    known_entity_ids: Collection[str] | None = None,
) -> Watchlist:
    """One file on its own. Raises WatchlistError with every problem found."""
    return validate_sources([(file, text.encode())], env, known_entity_ids).watchlist


def load_watchlists(
    paths: Sequence[Path],
    env: Mapping[str, str],
    known_entity_ids: Collection[str] | None = None,
) -> LoadedWatchlist:
    """Files and directories (their *.yaml and *.yml, sorted), merged into one watchlist.

    `known_entity_ids` are the gazetteer's ids that rules may name besides the watchlists'
    own entities; None skips that check (for callers without a gazetteer)."""
    sources, problems = read_sources(paths)
    if problems:
        raise WatchlistError(problems)
    return validate_sources(sources, env, known_entity_ids)


def check_watchlists(
    paths: Sequence[Path],
    env: Mapping[str, str],
    known_entity_ids: Collection[str] | None = None,
) -> list[Problem]:
    """What `signalfire check` prints: every problem, empty when the watchlists are valid."""
    try:
        load_watchlists(paths, env, known_entity_ids)
    except WatchlistError as e:
        return e.problems
    return []


def summary(loaded: LoadedWatchlist) -> str:
    """One line for a valid watchlist, in the spirit of `amtool check-config`."""
    w = loaded.watchlist
    return (
        f"{len(loaded.files)} file(s) valid: {len(w.entities)} entities, "
        f"{len(w.subscribers)} subscribers, {len(w.rules)} rules"
    )


def expand_paths(paths: Sequence[Path]) -> tuple[list[Path], list[Problem]]:
    """Directories become their *.yaml / *.yml files, sorted by name."""
    files: list[Path] = []
    problems: list[Problem] = []
    for path in paths:
        if path.is_dir():
            found = sorted(
                p for p in path.iterdir() if p.is_file() and p.suffix in (".yaml", ".yml")
            )
            if not found:
                problems.append(Problem(str(path), None, None, "", "no *.yaml or *.yml files here"))
            files += found
        else:
            files.append(path)
    return files, problems


def read_sources(
    paths: Sequence[Path], read: Callable[[Path], bytes] = Path.read_bytes
) -> tuple[list[Source], list[Problem]]:
    """The one place that reads watchlist files."""
    files, problems = expand_paths(paths)
    sources: list[Source] = []
    for path in files:
        try:
            sources.append((str(path), read(path)))
        except OSError as e:
            problems.append(Problem(str(path), None, None, "", f"cannot read: {e.strerror}"))
    return sources, problems


def fingerprint(sources: Sequence[Source]) -> str:
    """sha256 over names and contents: any edit, rename or added file changes it."""
    h = hashlib.sha256()
    for name, content in sources:
        h.update(name.encode() + b"\0" + hashlib.sha256(content).digest())
    return h.hexdigest()


def validate_sources(
    sources: Sequence[Source],
    env: Mapping[str, str],
    known_entity_ids: Collection[str] | None = None,
) -> LoadedWatchlist:
    """Parse, check and merge already-read files. Raises WatchlistError listing all problems."""
    problems: list[Problem] = []
    docs: list[Doc] = []
    parts: list[Watchlist] = []
    for name, content in sources:
        doc, found = _parse_one(name, content, env)
        problems += found
        if doc is not None:
            docs.append(doc)
            watchlist, found = _validate_doc(doc)
            problems += found
            if watchlist is not None:
                parts.append(watchlist)
    problems += checks.check_ids(docs, known_entity_ids)
    if problems:
        raise WatchlistError(_ordered(problems, [name for name, _ in sources]))
    merged = Watchlist(
        version=1,
        entities=[e for w in parts for e in w.entities],
        subscribers=[s for w in parts for s in w.subscribers],
        rules=[r for w in parts for r in w.rules],
    )
    return LoadedWatchlist(merged, tuple(n for n, _ in sources), fingerprint(sources))


def _parse_one(
    name: str, content: bytes, env: Mapping[str, str]
) -> tuple[Doc | None, list[Problem]]:
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError as e:
        return None, [Problem(name, None, None, "", f"not UTF-8 text (byte {e.start})")]
    doc, problems = parse(text, file=name, env=env)
    if doc is not None and not isinstance(doc.data, dict):
        return None, [*problems, Problem(name, 1, 1, "", "expected a mapping with 'version: 1'")]
    return doc, problems


def _validate_doc(doc: Doc) -> tuple[Watchlist | None, list[Problem]]:
    """pydantic (strict: "5" is not 5) plus the checks it cannot make."""
    problems = checks.check_countries(doc) + checks.check_when_not_empty(doc)
    countries = set(checks.country_paths(doc))
    # `rules:` with every entry commented out means no rules, not a type error.
    data = {k: v for k, v in doc.data.items() if not (k in checks.SECTIONS and v is None)}
    try:
        return Watchlist.model_validate(data, strict=True), problems
    except ValidationError as e:
        problems += [
            to_problem(doc, err) for err in e.errors() if tuple(err["loc"]) not in countries
        ]
        return None, problems


def _ordered(problems: list[Problem], files: list[str]) -> list[Problem]:
    """Each problem once, file by file in load order, then by line, as an editor lists them."""
    rank = {name: i for i, name in enumerate(files)}
    return sorted(
        dict.fromkeys(problems),
        key=lambda p: (rank.get(p.file, -1), p.line or 0, p.column or 0),
    )
