"""A fast path for big watchlist files: libyaml's C event parser (PyYAML) plus a small builder.

ruamel's round-trip parser is pure Python and records comments and positions for every node:
~60 s for a 100,000-entity file. Here libyaml produces the events in C and one Python loop
turns them into plain data (~2 s), resolving plain scalars exactly as ruamel does under YAML 1.2
(its own resolver table, first match wins). Positions are not recorded while loading; `locate`
finds the few that an error message needs in a second pass, only when there is a problem.

Anything this path does not reproduce exactly (directives such as `%YAML 1.1`, tags, anchors
and aliases, merge keys, duplicate keys, timestamps, exotic numbers, several documents, or a
syntax error, whose message ruamel words) raises `NotFast`: the caller then uses ruamel."""

from __future__ import annotations

import gc
import re
from collections.abc import Collection, Iterator
from contextlib import contextmanager
from typing import Any

from ruamel.yaml.resolver import implicit_resolvers

try:  # PyYAML's C extension (libyaml); without it every file takes ruamel's path
    from yaml import events as _ev
    from yaml._yaml import CParser
    from yaml.error import YAMLError as _PyYAMLError

    AVAILABLE = True
except ImportError:  # pragma: no cover - PyYAML wheels ship libyaml
    AVAILABLE = False

DataPath = tuple[str | int, ...]
Pos = tuple[int, int]


class NotFast(Exception):
    """The file needs ruamel's round-trip parser (for exact semantics or its error message)."""


def _resolvers_12() -> dict[str, list[tuple[str, Any]]]:
    """ruamel's YAML 1.2 implicit resolvers by first character, in its order."""
    table: dict[str, list[tuple[str, Any]]] = {}
    for versions, tag, regexp, first in implicit_resolvers:
        if (1, 2) in versions:
            for ch in first:
                table.setdefault(ch, []).append((tag.rsplit(":", 1)[-1], regexp))
    return table


_BY_FIRST = _resolvers_12()
_DECIMAL = re.compile(r"[-+]?(?:0|[1-9][0-9]*)\Z")
_TRUE = frozenset({"true", "True", "TRUE"})
_SHORT = 12  # values up to this length are shared between rows (kinds, country codes)


def resolve(value: str) -> Any:
    """A plain scalar as ruamel's YAML 1.2 round-trip loader reads it (str, int, float, bool,
    None), or NotFast for the forms whose construction is not reproduced here."""
    resolvers = _BY_FIRST.get(value[:1]) if value else _BY_FIRST.get("")
    if resolvers is None:
        return value
    for tag, regexp in resolvers:
        if regexp.match(value):
            if tag == "null":
                return None
            if tag == "bool":
                return value in _TRUE
            if tag == "int" and _DECIMAL.match(value):
                return int(value)
            if tag == "float" and "_" not in value and (value[-1].isdigit() or value[-1] == "."):
                return float(value)
            raise NotFast(f"plain scalar resolved as {tag}")
    return value


def load(text: str) -> Any:
    """Plain data of a single-document YAML 1.2 file, or NotFast."""
    if not AVAILABLE:
        raise NotFast("libyaml is not installed")
    # Anchors, aliases and tags need '&', '*' or '!': without them, skip looking for them.
    careful = "&" in text or "*" in text or "!" in text
    try:
        with gc_paused():
            return _build(CParser(text), careful)
    except _PyYAMLError as e:
        raise NotFast("syntax error") from e


@contextmanager
def gc_paused() -> Iterator[None]:
    """No cyclic garbage collection while millions of acyclic containers are made: the
    collector would walk them again and again for nothing (~20 % of a big load)."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def _build(parser: Any, careful: bool) -> Any:
    scalar, map_start, seq_start = _ev.ScalarEvent, _ev.MappingStartEvent, _ev.SequenceStartEvent
    ends = (_ev.MappingEndEvent, _ev.SequenceEndEvent)
    doc_start, stream_end = _ev.DocumentStartEvent, _ev.StreamEndEvent
    # One object per repeated short value ("company", "RO") and per key name.
    plain_words: dict[str, Any] = {}
    quoted_words: dict[str, str] = {}
    keys: dict[str, str] = {}
    get = parser.get_event
    stack: list[Any] = []
    current: Any = None  # the open dict or list
    key: Any = None
    have_key = False
    root: Any = None
    documents = 0
    while True:
        event = get()
        kind = type(event)
        if kind is scalar:
            if careful and (event.anchor is not None or event.tag is not None):
                raise NotFast("anchor or tag")
            text = event.value
            if event.implicit[0]:
                value = plain_words.get(text, plain_words)
                if value is plain_words:
                    value = resolve(text)
                    if len(text) <= _SHORT:
                        plain_words[text] = value
            elif len(text) <= _SHORT:
                value = quoted_words.setdefault(text, text)
            else:
                value = text
            if current is None:
                root = value
            elif type(current) is dict:
                if have_key:
                    current[key] = value
                    have_key = False
                else:
                    if isinstance(value, str):
                        value = keys.setdefault(value, value)
                    if value in current:
                        raise NotFast("duplicate key")
                    key, have_key = value, True
            else:
                current.append(value)
        elif kind is map_start or kind is seq_start:
            if careful and (event.anchor is not None or not event.implicit):
                raise NotFast("anchor or tag")
            new: Any = {} if kind is map_start else []
            if current is None:
                root = new
            elif type(current) is dict:
                if not have_key:
                    raise NotFast("complex key")
                current[key] = new
                have_key = False
            else:
                current.append(new)
            stack.append(current)
            current = new
        elif kind in ends:
            current = stack.pop()
        elif kind is doc_start:
            documents += 1
            if documents > 1 or event.version is not None or event.tags:
                raise NotFast("directive or second document")
        elif kind is stream_end:
            return root
        elif kind is _ev.AliasEvent:
            raise NotFast("alias")


def locate(
    text: str, wanted: Collection[DataPath]
) -> tuple[dict[DataPath, Pos], dict[DataPath, Pos]]:
    """1-based (value, key) positions of the `wanted` paths and of all their ancestors, as
    ruamel reports them (a key's own position; a value's or item's first character)."""
    targets: set[DataPath] = {()}
    for path in wanted:
        targets.update(path[:n] for n in range(len(path) + 1))
    value_pos: dict[DataPath, Pos] = {(): (1, 1)}
    key_pos: dict[DataPath, Pos] = {}
    parser = CParser(text)
    scalar, map_start, seq_start = _ev.ScalarEvent, _ev.MappingStartEvent, _ev.SequenceStartEvent
    ends = (_ev.MappingEndEvent, _ev.SequenceEndEvent)
    # One frame per open collection: [path, is_mapping, next index or pending key, have key]
    frames: list[list[Any]] = []
    # An empty value (`key:` and nothing) is placed by ruamel where the next token starts.
    empty: tuple[dict[DataPath, Pos], DataPath] | None = None
    while True:
        event = parser.get_event()
        kind = type(event)
        mark = event.start_mark
        here = (mark.line + 1, mark.column + 1)
        if empty is not None:
            empty[0][empty[1]] = here
            empty = None
        if kind is _ev.StreamEndEvent:
            return value_pos, key_pos
        if kind is not scalar and kind is not map_start and kind is not seq_start:
            if kind in ends:
                frames.pop()
            continue
        is_empty = kind is scalar and event.value == "" and mark.index == event.end_mark.index
        node: DataPath | None = None
        if frames:
            frame = frames[-1]
            if frame[1]:  # mapping
                if not frame[3]:  # this node is a key
                    frame[2] = resolve(event.value) if event.implicit[0] else event.value
                    frame[3] = True
                    child = (*frame[0], frame[2])
                    if child in targets:
                        key_pos[child] = here
                        if is_empty:
                            empty = (key_pos, child)
                    continue
                node = (*frame[0], frame[2])
                frame[3] = False
            else:
                node = (*frame[0], frame[2])
                frame[2] += 1
        if node is not None and node in targets:
            value_pos[node] = here
            if is_empty:
                empty = (value_pos, node)
        if kind is map_start or kind is seq_start:
            frames.append([node or (), kind is map_start, 0, False])
