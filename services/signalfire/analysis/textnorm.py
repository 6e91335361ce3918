"""Length-preserving text folding, so offsets found in folded text index the original.

Aliases and article text are folded the same way: diacritics removed (București ->
Bucuresti, Türkiye -> Turkiye), curly quotes and dash variants unified, line breaks and
non-breaking spaces turned into plain spaces. Every character maps to exactly one
character, which is what lets the matcher report offsets into `ArticleEvent.text`.
"""

from __future__ import annotations

import unicodedata

_SPECIAL = {
    "\u2018": "'",
    "\u2019": "'",
    "\u201a": "'",
    "\u201b": "'",
    "\u2032": "'",
    "`": "'",
    "\u00b4": "'",
    "\u201c": '"',
    "\u201d": '"',
    "\u201e": '"',
    "\u00ab": '"',
    "\u00bb": '"',
    "\u2010": "-",
    "\u2011": "-",
    "\u2012": "-",
    "\u2013": "-",
    "\u2014": "-",
    "\u2015": "-",
    "\u2212": "-",
    "\u00ad": "-",
    "\n": " ",
    "\r": " ",
    "\t": " ",
    "\u00a0": " ",
    "\u2009": " ",
    "\u202f": " ",
    "\u2007": " ",
    "\u0131": "i",
    "\u0130": "I",
    "\u0142": "l",
    "\u0141": "L",
    "\u00f8": "o",
    "\u00d8": "O",
    "\u0111": "d",
    "\u0110": "D",
    "\u0127": "h",
    "\u0126": "H",
}


def _build_table() -> dict[int, str]:
    """Map every Latin letter with a diacritic to its base letter, plus `_SPECIAL`."""
    table: dict[int, str] = {}
    for code in range(0xC0, 0x250):
        ch = chr(code)
        base = unicodedata.normalize("NFD", ch)[0]
        if base != ch and base.isascii():
            table[code] = base
    for code in range(0x1E00, 0x1F00):  # Latin Extended Additional (Vietnamese etc.)
        base = unicodedata.normalize("NFD", chr(code))[0]
        if base.isascii():
            table[code] = base
    for ch, repl in _SPECIAL.items():
        table[ord(ch)] = repl
    return table


_TABLE = _build_table()


def fold(text: str) -> str:
    """Fold diacritics, quotes, dashes and whitespace; the result has the same length."""
    return text.translate(_TABLE)


def fold_lower(text: str) -> str:
    """`fold` then lower-case, still one character per input character."""
    folded = fold(text).lower()
    if len(folded) == len(text):
        return folded
    return "".join(c if len(c.lower()) != 1 else c.lower() for c in fold(text))
