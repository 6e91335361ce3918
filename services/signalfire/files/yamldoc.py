"""Parse one watchlist's YAML into plain data plus a map from data paths to file positions.

The position map is what lets a pydantic error at `rules.0.when.min_impact` be reported as
`a.yaml:12:7`. Strings are substituted here (see envsubst) and the raw, unsubstituted scalars
are kept so that messages can echo what the file says, never what the environment holds.

Files are first read by the fast path (`fastyaml`: libyaml events, no positions); positions
are then found only for the paths that problems name (`Doc.pos` notes them, `Doc.locate`
finds them in one more pass, and the caller asks again). Whatever the fast path cannot read
exactly goes through ruamel's round-trip parser, which records every position at once."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.constructor import DuplicateKeyError
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.scalarbool import ScalarBoolean

from signalfire.files import fastyaml
from signalfire.files.fastyaml import DataPath, Pos
from signalfire.rules.envsubst import substitute
from signalfire.rules.errors import Problem

__all__ = ["MISSING", "DataPath", "Doc", "Pos", "dotted", "parse"]

MISSING: Any = object()  # `Doc.raw_value` of a path that holds no scalar


@dataclass
class Doc:
    """One parsed file: plain data, 1-based positions by path, raw scalars by path.

    `issues` are the ${VAR} problems found while substituting, by path: they become
    `Problem`s with the others, once positions are known."""

    file: str
    data: Any
    value_pos: dict[DataPath, Pos] = field(default_factory=dict)
    key_pos: dict[DataPath, Pos] = field(default_factory=dict)
    raw: dict[DataPath, Any] = field(default_factory=dict)
    issues: list[tuple[DataPath, str]] = field(default_factory=list)
    # Fast-path documents: the text to find positions in, the paths asked for so far and
    # the paths already searched for. None once every position is known (ruamel's path).
    text: str | None = None
    wanted: set[DataPath] = field(default_factory=set)
    searched: set[DataPath] = field(default_factory=set)
    fast: bool = False

    def pos(self, path: DataPath, *, key: bool = False) -> Pos:
        """Where `path` is; a path that is not in the file (a missing key) points at the key
        of its deepest present ancestor. On a fast-path document whose positions are not
        found yet this notes the path and answers (0, 0): call `locate` and ask again."""
        if self.text is not None and path not in self.searched:
            self.wanted.add(path)
            return (0, 0)
        if path in self.value_pos:
            return self.key_pos[path] if key and path in self.key_pos else self.value_pos[path]
        for n in range(len(path) - 1, -1, -1):
            prefix = path[:n]
            if prefix in self.value_pos:
                return self.key_pos.get(prefix, self.value_pos[prefix])
        return (1, 1)

    def problem(self, path: DataPath, message: str, *, key: bool = False) -> Problem:
        line, col = self.pos(path, key=key)
        return Problem(self.file, line, col, dotted(path), message)

    def locate(self) -> bool:
        """Find the positions of the paths asked for since the last call (one pass over the
        file); False when there was nothing to find."""
        if self.text is None or not self.wanted:
            return False
        values, keys = fastyaml.locate(self.text, self.wanted)
        self.value_pos.update(values)
        self.key_pos.update(keys)
        self.searched.update(self.wanted)
        self.wanted.clear()
        return True

    def raw_value(self, path: DataPath) -> Any:
        """The scalar at `path` as the file writes it (before ${VAR} substitution), or
        MISSING when `path` holds no scalar."""
        if not self.fast:
            return self.raw.get(path, MISSING)
        if path in self.raw:
            return self.raw[path]
        node = self.data
        for part in path:
            try:
                node = node[part]
            except (KeyError, IndexError, TypeError):
                return MISSING
        return MISSING if isinstance(node, dict | list) else node


def dotted(path: DataPath) -> str:
    """`("rules", 0, "when")` -> `rules[0].when`, the form used in every message."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


_DUP = re.compile(r'found duplicate key "(.*?)" with value')


def parse(text: str, *, file: str, env: Mapping[str, str]) -> tuple[Doc | None, list[Problem]]:
    """YAML 1.2 unless the file says `%YAML 1.1` (the loader then checks what that changed)."""
    try:
        data = fastyaml.load(text)
    except fastyaml.NotFast:
        return _parse_rt(text, file=file, env=env)
    if data is None:
        return None, [_empty(file)]
    doc = Doc(file=file, data=data, text=text, fast=True)
    if "${" in text:
        doc.data = _substituted(data, (), doc, env)
    return doc, []


def _empty(file: str) -> Problem:
    return Problem(file, 1, 1, "", "file is empty (a watchlist starts with 'version: 1')")


def _substituted(node: Any, path: DataPath, doc: Doc, env: Mapping[str, str]) -> Any:
    """${VAR} in every string value (not keys) of fast-path data, keeping the raw text."""
    if isinstance(node, dict):
        return {k: _substituted(v, (*path, k), doc, env) for k, v in node.items()}
    if isinstance(node, list):
        return [_substituted(v, (*path, i), doc, env) for i, v in enumerate(node)]
    if isinstance(node, str) and "$" in node:
        value, issues = substitute(node, env)
        if value != node or issues:
            doc.raw[path] = node
        doc.issues.extend((path, msg) for msg in issues)
        return value
    return node


def _parse_rt(text: str, *, file: str, env: Mapping[str, str]) -> tuple[Doc | None, list[Problem]]:
    """ruamel's round-trip parser: exact YAML 1.2/1.1 semantics and error messages, and every
    position recorded as it goes (slow: ~0.6 ms per entity)."""
    yaml = YAML(typ="rt")
    try:
        root = yaml.load(text)
    except DuplicateKeyError as e:
        # ruamel's own message quotes both values, which may be secrets: name the key only.
        m = _DUP.search(str(e.problem))
        key = m.group(1) if m else "?"
        return None, [_marked(file, e, f"duplicate key '{key}' in the same mapping")]
    except MarkedYAMLError as e:
        what = "; ".join(str(s) for s in (e.context, e.problem) if s)
        return None, [_marked(file, e, f"YAML syntax error: {what}")]
    except YAMLError as e:  # pragma: no cover - unmarked errors are rare
        return None, [Problem(file, None, None, "", f"YAML error: {type(e).__name__}")]
    if root is None:
        return None, [_empty(file)]
    doc = Doc(file=file, data=None)
    doc.value_pos[()] = (1, 1)
    doc.data = _plain(root, (), doc, env)
    return doc, []


def _marked(file: str, e: MarkedYAMLError, message: str) -> Problem:
    mark = e.problem_mark or e.context_mark
    if mark is None:
        return Problem(file, None, None, "", message)
    return Problem(file, mark.line + 1, mark.column + 1, "", message)


def _plain(node: Any, path: DataPath, doc: Doc, env: Mapping[str, str]) -> Any:
    """Convert ruamel's round-trip nodes to plain Python, recording positions on the way."""
    if isinstance(node, CommentedMap):
        result: dict[Any, Any] = {}
        for k in node:
            key = str(k) if isinstance(k, str) else _scalar(k)
            child = (*path, key)
            kl, kc = node.lc.key(k)
            vl, vc = node.lc.value(k)
            doc.key_pos[child] = (kl + 1, kc + 1)
            doc.value_pos[child] = (vl + 1, vc + 1)
            result[key] = _plain(node[k], child, doc, env)
        return result
    if isinstance(node, CommentedSeq):
        items: list[Any] = []
        for i, item in enumerate(node):
            il, ic = node.lc.item(i)
            doc.value_pos[(*path, i)] = (il + 1, ic + 1)
            items.append(_plain(item, (*path, i), doc, env))
        return items
    value = _scalar(node)
    doc.raw[path] = value
    if isinstance(value, str):
        value, issues = substitute(value, env)
        doc.issues.extend((path, msg) for msg in issues)
    return value


def _scalar(node: Any) -> Any:
    """ruamel's scalar subclasses (ScalarInt, ScalarFloat, quoted strings) to builtins, so
    pydantic's strict mode sees plain types."""
    if isinstance(node, bool | ScalarBoolean):
        return bool(node)
    if isinstance(node, int):
        return int(node)
    if isinstance(node, float):
        return float(node)
    if isinstance(node, str):
        return str(node)
    return node
