"""Literal prefilters for banks of regexes: skip the patterns that cannot match a text.

`required_literals` reads a compiled pattern's syntax tree and returns a set of literal
strings of which every match must contain at least one (or None when it cannot tell).
`LiteralPrefilter` finds all of those literals of a bank of patterns in one Aho-Corasick
pass, so a caller runs only the patterns whose literals occur. It never changes a
result: a pattern it skips has no match in any substring of the text it was given.

Soundness notes. Literals are matched in lower case: every character that a
case-insensitive `re` literal of ASCII accepts lower-cases to that literal's character,
except dotted/dotless i and long s, which `fold_for_prefilter` maps first. Literals are
only taken from parts a match must consume (or from positive lookarounds, which look
inside the searched string too); negative lookarounds, optional parts and unbounded
classes contribute nothing.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from re import _constants as sre_c  # type: ignore[attr-defined]
from re import _parser as sre_parse  # type: ignore[attr-defined]
from typing import Any

import ahocorasick

Literals = frozenset[str]
MAX_EXACT = 64  # cross products of alternatives larger than this stop being enumerated
MAX_CLASS = 8  # character classes up to this size are enumerated
# The only characters that `re.IGNORECASE` matches to an ASCII letter while `str.lower`
# does not lower-case them to it (checked over all code points for Python 3.11).
_CASE_FIXES = str.maketrans({"\u0130": "i", "\u0131": "i", "\u017f": "s"})


def fold_for_prefilter(text: str) -> str:
    """The form a text is scanned in: lower case, with the `re` case-folding exceptions."""
    return text.translate(_CASE_FIXES).lower()


def _char(code: int) -> str | None:
    ch = chr(code)
    # A cased non-ASCII literal may match characters `lower` does not map to it.
    return ch.lower() if ch.isascii() or ch.lower() == ch.upper() else None


def _better(a: Literals | None, b: Literals | None) -> Literals | None:
    """The more selective of two requirements (longest shortest literal, then fewest)."""
    if b is None or "" in b:
        return a
    if a is None:
        return b
    ka, kb = (min(map(len, a)), -len(a)), (min(map(len, b)), -len(b))
    return b if kb > ka else a


def _class(items: Sequence[tuple[Any, Any]]) -> Literals | None:
    out: set[str] = set()
    for op, av in items:
        if op is sre_c.LITERAL:
            ch = _char(av)
            if ch is None:
                return None
            out.add(ch)
        elif op is sre_c.RANGE and av[1] - av[0] < MAX_CLASS:
            for code in range(av[0], av[1] + 1):
                ch = _char(code)
                if ch is None:
                    return None
                out.add(ch)
        else:  # NEGATE, CATEGORY, large ranges
            return None
    return frozenset(out) if len(out) <= MAX_CLASS else None


def _node(op: Any, av: Any) -> tuple[Literals | None, Literals | None]:
    """(exact, required) of one node: `exact` is every string it can match (if few),
    `required` a set one of which each match contains (None: unknown)."""
    if op is sre_c.LITERAL:
        ch = _char(av)
        return (None, None) if ch is None else (frozenset({ch}), frozenset({ch}))
    if op is sre_c.IN:
        chars = _class(av)
        return chars, chars
    if op is sre_c.AT:
        return frozenset({""}), None
    if op is sre_c.ASSERT:  # positive lookaround: its text lies inside the searched string
        return frozenset({""}), _seq(av[1])[1]
    if op is sre_c.ASSERT_NOT:
        return frozenset({""}), None
    if op is sre_c.SUBPATTERN:
        _group, add_flags, del_flags, sub = av
        if add_flags or del_flags:
            return None, None
        return _seq(sub)
    if op is sre_c.BRANCH:
        infos = [_seq(alt) for alt in av[1]]
        exact: Literals | None = None
        if all(e is not None for e, _ in infos):
            union = frozenset().union(*(e for e, _ in infos if e is not None))
            exact = union if len(union) <= MAX_EXACT else None
        required: set[str] = set()
        for e, r in infos:
            best = _better(r, e)
            if best is None:
                return exact, None
            required |= best
        return exact, frozenset(required)
    if op in (sre_c.MAX_REPEAT, sre_c.MIN_REPEAT, sre_c.POSSESSIVE_REPEAT):
        lo, hi, sub = av
        e, r = _seq(sub)
        if lo == 0:
            return (e | {""} if e is not None and hi == 1 else None), None
        return (e if lo == hi == 1 else None), _better(r, e)
    return None, None  # ANY, NOT_LITERAL, CATEGORY, GROUPREF, ...


def _seq(nodes: Iterable[tuple[Any, Any]]) -> tuple[Literals | None, Literals | None]:
    """(exact, required) of a concatenation: runs of exact nodes are multiplied out."""
    run: Literals | None = frozenset({""})
    whole_exact = True
    best: Literals | None = None
    for op, av in nodes:
        e, r = _node(op, av)
        best = _better(best, r)
        if e is not None and run is not None and len(run) * len(e) <= MAX_EXACT:
            run = frozenset(a + b for a in run for b in e)
            continue
        whole_exact = False
        best = _better(best, run)
        run = e if e is not None else frozenset({""})
    best = _better(best, run)
    return (run if whole_exact else None), best


def required_literals(pattern: re.Pattern[str]) -> Literals | None:
    """Lower-case literals one of which every match of `pattern` contains, or None."""
    if pattern.flags & (re.VERBOSE | re.LOCALE):
        return None
    tree = sre_parse.parse(pattern.pattern, pattern.flags)
    return _seq(tree)[1]


class LiteralPrefilter:
    """Which patterns of a bank may match a text, found with one Aho-Corasick pass."""

    def __init__(self, patterns: Sequence[re.Pattern[str]]) -> None:
        self.size = len(patterns)
        self._always: frozenset[int] = frozenset()
        owners: dict[str, set[int]] = {}
        always: set[int] = set()
        for i, pattern in enumerate(patterns):
            lits = required_literals(pattern)
            if not lits:
                always.add(i)
                continue
            for lit in lits:
                owners.setdefault(lit, set()).add(i)
        self._always = frozenset(always)
        self._automaton: Any = ahocorasick.Automaton()
        for lit, idx in owners.items():
            self._automaton.add_word(lit, (len(lit), frozenset(idx)))
        if owners:
            self._automaton.make_automaton()
        self._empty = not owners

    def hits(self, folded: str) -> Iterable[tuple[int, int, frozenset[int]]]:
        """(start, end, pattern indices) of every literal occurrence in a folded text."""
        if self._empty:
            return
        for end_idx, (length, idx) in self._automaton.iter(folded):
            yield end_idx + 1 - length, end_idx + 1, idx

    def candidates(self, text: str) -> frozenset[int]:
        """Indices of the patterns that may match `text` or any substring of it."""
        found = set(self._always)
        for _s, _e, idx in self.hits(fold_for_prefilter(text)):
            found |= idx
        return frozenset(found)
