"""Turn pydantic's validation errors into messages a watchlist author can act on.

pydantic says "Extra inputs are not permitted"; an author needs "unknown key 'minimpact'
(did you mean 'min_impact'?)" at the right line. The valid keys, bounds and choices are read
from the models themselves so they cannot drift from what is validated."""

from __future__ import annotations

import difflib
import types
from typing import Annotated, Any, Literal, Protocol, Union, get_args, get_origin

import annotated_types as at
from pydantic import BaseModel
from pydantic.fields import FieldInfo
from pydantic_core import ErrorDetails

from signalfire.files.yamldoc import MISSING, DataPath
from signalfire.models.watchlist import Watchlist
from signalfire.rules.errors import Problem

_NOUN = {
    "event_types": "event type",
    "severity": "severity",
    "kind": "entity kind",
    "digest": "digest",
}
_TYPES = {
    "int_type": "expected a whole number",
    "int_from_float": "expected a whole number",
    "float_type": "expected a number",
    "string_type": "expected a string (quote it)",
    "bool_type": "expected true or false",
    "list_type": "expected a list",
    "model_type": "expected a mapping",
    "model_attributes_type": "expected a mapping",
    "dict_type": "expected a mapping",
}


class Located(Protocol):
    """What `to_problem` needs of a document: a place for a path, and the raw scalar there."""

    def problem(self, path: DataPath, message: str, *, key: bool = False) -> Problem: ...

    def raw_value(self, path: DataPath) -> Any: ...


def is_secret(path: DataPath) -> bool:
    """Notify URLs are never echoed: they carry tokens and passwords."""
    return len(path) >= 3 and path[0] == "subscribers" and path[2] == "notify"


def to_problem(doc: Located, err: ErrorDetails) -> Problem:
    """One pydantic error, located in `doc` and phrased for the author."""
    loc: DataPath = tuple(err["loc"])
    kind = err["type"]
    if kind == "extra_forbidden":
        return doc.problem(loc, _unknown_key(loc), key=True)
    if kind == "missing":
        hint = " (this is Watchlist v1: add 'version: 1')" if loc == ("version",) else ""
        return doc.problem(loc, f"missing required key '{loc[-1]}'{hint}")
    if kind == "literal_error":
        return doc.problem(loc, _choice(doc, loc))
    return doc.problem(loc, _message(doc, loc, err) + _got(doc, loc))


def _message(doc: Located, loc: DataPath, err: ErrorDetails) -> str:
    kind = err["type"]
    if kind in _TYPES:
        return _TYPES[kind]
    if kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        lo, hi = _bounds(loc)
        if lo is not None and hi is not None:
            return f"must be between {lo} and {hi}"
        return f"must be at least {lo}" if lo is not None else f"must be at most {hi}"
    if kind in ("too_short", "string_too_short"):
        return "must not be empty"
    if kind in ("too_long", "string_too_long"):
        return f"is too long (at most {(err.get('ctx') or {}).get('max_length')})"
    if kind == "string_pattern_mismatch":
        return f"does not have the expected form {(err.get('ctx') or {}).get('pattern')}"
    if kind == "value_error":
        return str(err["msg"]).removeprefix("Value error, ")
    return str(err["msg"])


def _choice(doc: Located, loc: DataPath) -> str:
    """A value outside a fixed set: say which value, the nearest valid one, and all of them."""
    if loc == ("version",):
        return f"unsupported version{_got(doc, loc)}: this is Watchlist v1, write 'version: 1'"
    choices = _literal_choices(loc)
    value = doc.raw_value(loc)
    noun = _NOUN.get(_last_name(loc), _last_name(loc))
    if not isinstance(value, str):
        return f"expected one of: {', '.join(choices)}{_got(doc, loc)}"
    return f"unknown {noun} {value!r}{_suggest(value, choices)}; valid: {', '.join(choices)}"


def _got(doc: Located, loc: DataPath) -> str:
    value = doc.raw_value(loc)
    if is_secret(loc) or value is MISSING:
        return ""
    if isinstance(value, bool):
        shown = "true" if value else "false"
    elif value is None:
        shown = "nothing"
    elif isinstance(value, str):
        shown = repr(value if len(value) <= 60 else value[:57] + "...")
    else:
        shown = str(value)
    return f" (got {shown})"


def _unknown_key(loc: DataPath) -> str:
    key = str(loc[-1])
    valid = _valid_keys(loc[:-1])
    return f"unknown key '{key}'{_suggest(key, valid)}; valid keys: {', '.join(valid)}"


def _suggest(value: object, choices: list[str]) -> str:
    close = difflib.get_close_matches(str(value), choices, n=1, cutoff=0.6)
    if not close and isinstance(value, str):
        close = [c for c in choices if c == value.lower()]
    return f" (did you mean '{close[0]}'?)" if close else ""


def _last_name(loc: DataPath) -> str:
    return next((str(p) for p in reversed(loc) if isinstance(p, str)), "value")


def _strip(tp: Any) -> Any:
    """Peel Annotated and `X | None` until a concrete type is left."""
    while True:
        origin = get_origin(tp)
        if origin is Annotated:
            tp = get_args(tp)[0]
        elif origin in (Union, types.UnionType):
            args = [a for a in get_args(tp) if a is not type(None)]
            if len(args) != 1:
                return tp
            tp = args[0]
        else:
            return tp


def _field_at(loc: DataPath) -> tuple[Any, FieldInfo | None]:
    """The type (and FieldInfo of the last named field) that the models expect at `loc`."""
    tp: Any = Watchlist
    info: FieldInfo | None = None
    for part in loc:
        tp = _strip(tp)
        if isinstance(part, int):
            args = get_args(tp)
            tp, info = (args[0] if args else Any), None
        elif isinstance(tp, type) and issubclass(tp, BaseModel) and part in tp.model_fields:
            info = tp.model_fields[part]
            tp = info.annotation
        else:
            return Any, None
    return tp, info


def _valid_keys(loc: DataPath) -> list[str]:
    tp = _strip(_field_at(loc)[0])
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        return list(tp.model_fields)
    return []


def _literal_choices(loc: DataPath) -> list[str]:
    tp = _strip(_field_at(loc)[0])
    return [str(a) for a in get_args(tp)] if get_origin(tp) is Literal else []


def _bounds(loc: DataPath) -> tuple[float | None, float | None]:
    tp, info = _field_at(loc)
    metadata: list[Any] = list(info.metadata) if info else []
    stack = [tp]
    while stack:
        t = stack.pop()
        if get_origin(t) is Annotated:
            for m in get_args(t)[1:]:
                metadata.extend(m.metadata if isinstance(m, FieldInfo) else [m])
            stack.append(get_args(t)[0])
        elif get_origin(t) in (Union, types.UnionType):
            stack.extend(get_args(t))
    lo = next((m.ge for m in metadata if isinstance(m, at.Ge)), None)
    hi = next((m.le for m in metadata if isinstance(m, at.Le)), None)
    return lo, hi  # type: ignore[return-value]
