"""Parse one watchlist's YAML into plain data plus a map from data paths to file positions.

The position map is what lets a pydantic error at `rules.0.when.min_impact` be reported as
`a.yaml:12:7`. Strings are substituted here (see envsubst) and the raw, unsubstituted scalars
are kept so that messages can echo what the file says, never what the environment holds."""

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

from signalfire.rules.envsubst import substitute
from signalfire.rules.errors import Problem

DataPath = tuple[str | int, ...]
Pos = tuple[int, int]


@dataclass
class Doc:
    """One parsed file: plain data, 1-based positions by path, raw scalars by path."""

    file: str
    data: Any
    value_pos: dict[DataPath, Pos] = field(default_factory=dict)
    key_pos: dict[DataPath, Pos] = field(default_factory=dict)
    raw: dict[DataPath, Any] = field(default_factory=dict)

    def pos(self, path: DataPath, *, key: bool = False) -> Pos:
        """Where `path` is; a path that is not in the file (a missing key) points at the key
        of its deepest present ancestor."""
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


def dotted(path: DataPath) -> str:
    """`("rules", 0, "when")` -> `rules[0].when`, the form used in every message."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


_DUP = re.compile(r'found duplicate key "(.*?)" with value')


def parse(text: str, *, file: str, env: Mapping[str, str]) -> tuple[Doc | None, list[Problem]]:
    """YAML 1.2 unless the file says `%YAML 1.1` (the loader then checks what that changed)."""
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
        return None, [
            Problem(file, 1, 1, "", "file is empty (a watchlist starts with 'version: 1')")
        ]
    doc = Doc(file=file, data=None)
    problems: list[Problem] = []
    doc.value_pos[()] = (1, 1)
    doc.data = _plain(root, (), doc, env, problems)
    return doc, problems


def _marked(file: str, e: MarkedYAMLError, message: str) -> Problem:
    mark = e.problem_mark or e.context_mark
    if mark is None:
        return Problem(file, None, None, "", message)
    return Problem(file, mark.line + 1, mark.column + 1, "", message)


def _plain(node: Any, path: DataPath, doc: Doc, env: Mapping[str, str], out: list[Problem]) -> Any:
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
            result[key] = _plain(node[k], child, doc, env, out)
        return result
    if isinstance(node, CommentedSeq):
        items: list[Any] = []
        for i, item in enumerate(node):
            il, ic = node.lc.item(i)
            doc.value_pos[(*path, i)] = (il + 1, ic + 1)
            items.append(_plain(item, (*path, i), doc, env, out))
        return items
    value = _scalar(node)
    doc.raw[path] = value
    if isinstance(value, str):
        value, issues = substitute(value, env)
        out.extend(doc.problem(path, msg) for msg in issues)
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
