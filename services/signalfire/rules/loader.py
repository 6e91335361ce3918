"""Load, validate and merge watchlist files (CONTRACT.md section 2).

Parsing takes text; reading files happens only in `read_sources` and through the `read`
callable for the entity files a watchlist names, so `check`, hot reload and tests share one
validation path.

Entities (inline or from `entity_files:` lists) end up in one `EntityTable`, not in pydantic
models: see entity_rows. Problems are collected in two rounds when a big file took the fast
path: the first round notes which places the messages need, one more pass over those files
finds them, and the second round words the messages with their positions."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from pydantic_core import ErrorDetails

from signalfire.files.entity_lists import list_format, read_rows
from signalfire.files.fastyaml import gc_paused
from signalfire.files.yamldoc import MISSING, DataPath, Doc, dotted, parse
from signalfire.models.entity_table import EntityTable
from signalfire.models.watchlist import Watchlist
from signalfire.rules import checks
from signalfire.rules.entity_rows import FIELDS, EntityList, add_row, rows_in
from signalfire.rules.errors import Problem, WatchlistError
from signalfire.rules.messages import to_problem

Source = tuple[str, bytes]  # (name shown in messages, content)
Reader = Callable[[Path], bytes]
MAX_LIST_PROBLEMS = 100  # per entity file; a systematic mistake would otherwise print 100,000


@dataclass(frozen=True)
class LoadedWatchlist:
    """The merged watchlist, where it came from, and a fingerprint to notice edits by.

    `watchlist.entities` is an EntityTable holding every watchlist entity (inline ones
    and those of the entity files, in load order); `entity_files` are the files read for it."""

    watchlist: Watchlist
    files: tuple[str, ...]
    fingerprint: str
    entity_files: tuple[str, ...] = ()

    @property
    def entities(self) -> EntityTable:
        table = self.watchlist.entities
        assert isinstance(table, EntityTable)
        return table

    @cached_property
    def entities_fingerprint(self) -> str:
        """Changes exactly when the entities do (not for rule or subscriber edits): whether a
        new analyzer is needed. ~40 ms for 100,000 entities, so computed once."""
        return self.entities.fingerprint()


@dataclass
class Attempt:
    """One load: the result or its problems, and what was read (for noticing edits)."""

    loaded: LoadedWatchlist | None
    problems: list[Problem]
    fingerprint: str
    entity_files: tuple[str, ...] = ()


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
    read: Reader = Path.read_bytes,
) -> LoadedWatchlist:
    """Files and directories (their *.yaml and *.yml, sorted), merged into one watchlist.

    `known_entity_ids` are the gazetteer's ids that rules may name besides the watchlists'
    own entities; None skips that check (for callers without a gazetteer)."""
    sources, problems = read_sources(paths, read)
    if problems:
        raise WatchlistError(problems)
    return validate_sources(sources, env, known_entity_ids, read)


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
    lists = f" (+{len(loaded.entity_files)} entity file(s))" if loaded.entity_files else ""
    return (
        f"{len(loaded.files)} file(s){lists} valid: {len(w.entities)} entities, "
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
    paths: Sequence[Path], read: Reader = Path.read_bytes
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
    read: Reader = Path.read_bytes,
) -> LoadedWatchlist:
    """Parse, check and merge already-read files. Raises WatchlistError listing all problems."""
    attempt = attempt_load(sources, env, known_entity_ids, read)
    if attempt.loaded is None:
        raise WatchlistError(attempt.problems)
    return attempt.loaded


@dataclass
class _Part:
    """One watchlist file as validated: its doc, the model's errors, its entities."""

    doc: Doc
    watchlist: Watchlist | None
    errors: list[ErrorDetails]
    entities: EntityTable
    lists: list[EntityList] = field(default_factory=list)


def attempt_load(
    sources: Sequence[Source],
    env: Mapping[str, str],
    known_entity_ids: Collection[str] | None = None,
    read: Reader = Path.read_bytes,
) -> Attempt:
    """Parse, check and merge already-read watchlist files, reading the entity files they
    name with `read`. Never raises for a problem in the files: they are in the result."""
    with gc_paused():
        return _attempt(sources, env, known_entity_ids, read)


def _attempt(
    sources: Sequence[Source],
    env: Mapping[str, str],
    known_entity_ids: Collection[str] | None,
    read: Reader,
) -> Attempt:
    problems: list[Problem] = []
    parts: list[_Part] = []
    hashed: list[Source] = list(sources)
    listed: set[str] = set()
    for name, content in sources:
        doc, found = _parse_one(name, content, env)
        problems += found
        if doc is not None:
            part = _validate_doc(doc)
            part.lists = _entity_lists(doc, read, listed, hashed)
            parts.append(part)
    docs = [p.doc for p in parts]
    lists = [x for p in parts for x in p.lists]
    for listed_file in lists:
        problems += _capped(listed_file.problems)
    located = _problems(parts, lists, known_entity_ids)
    if any([doc.locate() for doc in docs]):  # a fast-path file: find the places, then word
        located = _problems(parts, lists, known_entity_ids)
    problems += located
    digest = fingerprint(hashed)
    entity_files = tuple(x.file for x in lists)
    if problems:
        order = [name for name, _ in sources] + list(entity_files)
        return Attempt(None, _ordered(problems, order), digest, entity_files)
    table = EntityTable()
    for part in parts:
        table.extend(part.entities)
        for x in part.lists:
            table.extend(x.table)
    table.seal()
    watchlists = [p.watchlist for p in parts if p.watchlist is not None]
    merged = Watchlist.model_construct(
        version=1,
        entities=table,  # type: ignore[arg-type]  # a read-only Sequence[Entity], see the model
        entity_files=list(entity_files),
        subscribers=[s for w in watchlists for s in w.subscribers],
        rules=[r for w in watchlists for r in w.rules],
    )
    files = tuple(n for n, _ in sources)
    loaded = LoadedWatchlist(merged, files, digest, entity_files)
    return Attempt(loaded, [], digest, entity_files)


def _problems(
    parts: list[_Part], lists: list[EntityList], known_entity_ids: Collection[str] | None
) -> list[Problem]:
    """Every problem of the parsed files, worded with the positions known so far."""
    problems: list[Problem] = []
    for part in parts:
        doc = part.doc
        problems += [doc.problem(path, message) for path, message in doc.issues]
        problems += checks.check_countries(doc) + checks.check_when_not_empty(doc)
        problems += [to_problem(doc, err) for err in part.errors]
    problems += checks.check_ids([p.doc for p in parts], known_entity_ids, lists)
    return problems


def _capped(problems: list[Problem]) -> list[Problem]:
    if len(problems) <= MAX_LIST_PROBLEMS:
        return problems
    first = problems[:MAX_LIST_PROBLEMS]
    more = len(problems) - MAX_LIST_PROBLEMS
    last = first[-1]
    # On the last shown line, so that it sorts after it.
    return [*first, Problem(last.file, last.line, last.column, "", f"... and {more} more problems")]


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


def _validate_doc(doc: Doc) -> _Part:
    """pydantic (strict: "5" is not 5) plus the checks it cannot make; entity rows through
    entity_rows (a plain check, the model for the rows it does not pass)."""
    # `rules:` with every entry commented out means no rules, not a type error.
    data = {k: v for k, v in doc.data.items() if not (k in checks.SECTIONS and v is None)}
    entities = EntityTable()
    errors: list[ErrorDetails] = []
    rows = data.get("entities")
    if isinstance(rows, list):
        for i, row in enumerate(rows):
            for err in add_row(entities, row):
                errors.append({**err, "loc": ("entities", i, *err["loc"])})
        data["entities"] = []
    watchlist: Watchlist | None = None
    try:
        watchlist = Watchlist.model_validate(data, strict=True)
    except ValidationError as e:
        errors += e.errors()
    errors = [err for err in errors if not checks.is_country_path(tuple(err["loc"]))]
    return _Part(doc, watchlist if not errors else None, errors, entities)


def _entity_lists(
    doc: Doc, read: Reader, listed: set[str], hashed: list[Source]
) -> list[EntityList]:
    """Read and validate the entity files `doc` names (relative to its own directory).
    Problems with a reference are noted on `doc` (worded once positions are known)."""
    refs = doc.data.get("entity_files")
    if not isinstance(refs, list):
        return []
    out: list[EntityList] = []
    for j, ref in enumerate(refs):
        if not isinstance(ref, str) or not ref:
            continue  # the model reports it
        path: DataPath = ("entity_files", j)
        name = str(Path(doc.file).parent / ref)
        if list_format(name) is None:
            doc.issues.append((path, f"entity files are .csv or .jsonl (got {ref!r})"))
            continue
        if name in listed:
            doc.issues.append((path, f"entity file {name} is listed twice"))
            continue
        listed.add(name)
        try:
            content = read(Path(name))
        except OSError as e:
            doc.issues.append((path, f"cannot read entity file {name}: {e.strerror}"))
            continue
        hashed.append((name, content))
        entity_list = EntityList(name)
        _read_list(entity_list, content)
        out.append(entity_list)
    return out


def _read_list(into: EntityList, content: bytes) -> None:
    rows, problems = read_rows(into.file, content, FIELDS)
    rows_in(rows, into, lambda line, row, errors: _row_problems(into, line, row, errors))
    into.problems += problems
    for row, country in enumerate(into.table.countries):
        message = checks.country_problem(country) if country is not None else None
        if message:
            into.problems.append(into.problem(into.lines[row], "country", message))


class _RowDoc:
    """One entity-file row seen as a document, so its errors are worded like a YAML entity's
    (`to_problem` navigates the Watchlist model from `entities[0]`)."""

    def __init__(self, into: EntityList, line: int, row: Any) -> None:
        self._into, self._line, self._row = into, line, row

    def problem(self, path: DataPath, message: str, *, key: bool = False) -> Problem:
        return self._into.problem(self._line, dotted(path[2:]), message)

    def raw_value(self, path: DataPath) -> Any:
        node: Any = self._row
        for part in path[2:]:
            try:
                node = node[part]
            except (KeyError, IndexError, TypeError):
                return MISSING
        return MISSING if isinstance(node, dict | list) else node


def _row_problems(
    into: EntityList, line: int, row: Any, errors: list[ErrorDetails]
) -> list[Problem]:
    if not isinstance(row, dict):
        return [into.problem(line, "", "expected a JSON object (one entity per line)")]
    doc = _RowDoc(into, line, row)
    out = []
    for err in errors:
        loc = ("entities", 0, *err["loc"])
        if checks.is_country_path(loc):
            message = checks.country_problem(row.get("country"))
            out.append(into.problem(line, "country", message or "invalid country code"))
        else:
            out.append(to_problem(doc, {**err, "loc": loc}))
    return out


def _ordered(problems: list[Problem], files: list[str]) -> list[Problem]:
    """Each problem once, file by file in load order, then by line, as an editor lists them."""
    rank = {name: i for i, name in enumerate(files)}
    return sorted(
        dict.fromkeys(problems),
        key=lambda p: (rank.get(p.file, -1), p.line or 0, p.column or 0),
    )
