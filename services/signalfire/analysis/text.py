"""Sentence splitting and normalising helpers shared by the analysis stages.

Offsets always index the original text so evidence can be shown to analysts; the
splitter knows the abbreviations of business and DoD prose ("Inc.", "Corp.", "U.S.",
"Jan.") because a wrong split there separates an amount from its contract.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_ABBREV = {
    "inc",
    "corp",
    "co",
    "ltd",
    "llc",
    "plc",
    "bros",
    "jr",
    "sr",
    "dr",
    "mr",
    "mrs",
    "ms",
    "st",
    "mt",
    "no",
    "nos",
    "vs",
    "etc",
    "e.g",
    "i.e",
    "u.s",
    "u.k",
    "u.n",
    "gen",
    "col",
    "lt",
    "maj",
    "capt",
    "sgt",
    "cpl",
    "adm",
    "cmdr",
    "gov",
    "sen",
    "rep",
    "dept",
    "div",
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
    "approx",
    "est",
    "fig",
    "ft",
    "op",
    "av",
    "ave",
    "blvd",
    "s.a",
    "a.s",
    "s.p.a",
    "n.v",
    "b.v",
    "ag",
    "gmbh",
    "d.c",
    "c.n",
    "pp",
    "vol",
}
_BOUNDARY = re.compile(r"(?<=[.!?…])[\"'”’)]*\s+(?=[\"'“‘(]?[A-Z0-9])|\n\s*\n|\n(?=[A-Z\"“])")
_WORD_BEFORE = re.compile(r"([A-Za-z][A-Za-z.]*)\.[\"'”’)]*$")


@dataclass(frozen=True, slots=True)
class Sentence:
    """One sentence with its place: `index` 0 is the title, body sentences count from 1."""

    text: str
    start: int
    end: int
    index: int

    @property
    def in_title(self) -> bool:
        """True for the headline, which states what the article is about."""
        return self.index == 0


def normalise(text: str) -> str:
    """Fold typographic variants to ASCII-ish forms of the same length-insensitive meaning."""
    return (
        text.replace("\u00a0", " ")
        .replace("\u2019", "'")
        .replace("\u2018", "'")
        .replace("\u201c", '"')
        .replace("\u201d", '"')
        .replace("\u2013", "-")
        .replace("\u2014", "-")
    )


def _is_abbreviation(chunk: str) -> bool:
    m = _WORD_BEFORE.search(chunk)
    if not m:
        return False
    word = m.group(1).lower()
    if word in _ABBREV:
        return True
    # Single capital initials ("J. Smith") and dotted acronyms ("U.S.") do not end sentences.
    return len(word) == 1 or bool(re.fullmatch(r"(?:[a-z]\.)+[a-z]", word))


def split_sentences(text: str, offset: int = 0) -> list[tuple[int, int]]:
    """Spans (start, end) of the sentences in `text`, shifted by `offset`."""
    spans: list[tuple[int, int]] = []
    start = 0
    for m in _BOUNDARY.finditer(text):
        chunk = text[start : m.start()]
        if "\n" not in m.group(0) and _is_abbreviation(chunk.rstrip()):
            continue
        if chunk.strip():
            spans.append((start, m.start()))
        start = m.end()
    if text[start:].strip():
        spans.append((start, len(text)))
    out: list[tuple[int, int]] = []
    for s, e in spans:
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        out.append((s + offset, e + offset))
    return out


def sentences(title: str, body: str) -> list[Sentence]:
    """The title as sentence 0, then the body's sentences, offsets into title+"\\n\\n"+body.

    A body that repeats the headline as its first line (as DVIDS pages do) starts after it,
    so the lead is the lead."""
    out = [Sentence(title, 0, len(title), 0)]
    base = len(title) + 2
    spans = split_sentences(body, base)
    if spans and _same_line(body[spans[0][0] - base : spans[0][1] - base], title):
        spans = spans[1:]
    for i, (s, e) in enumerate(spans, start=1):
        out.append(Sentence(body[s - base : e - base], s, e, i))
    return out


def _same_line(a: str, b: str) -> bool:
    return " ".join(a.split()).casefold().rstrip(".") == " ".join(b.split()).casefold().rstrip(".")


# A colon before a new statement also starts a proposition ("The deal goes further than the
# hubs opened since 2023: Thales is granting a licence"), but not a ratio or a clock time.
_CLAUSE = re.compile(r";|, (?:but|while|whereas|although|though) |\bbut\b| - | -- |:\s")


def clauses(sentence: str) -> list[tuple[int, int]]:
    """Spans of clauses, split where a contrast or a semicolon starts a new proposition."""
    spans: list[tuple[int, int]] = []
    start = 0
    for m in _CLAUSE.finditer(sentence):
        spans.append((start, m.start()))
        start = m.end()
    spans.append((start, len(sentence)))
    return [(s, e) for s, e in spans if e > s]


def words(text: str) -> list[str]:
    """Lower-case word tokens, for vocabulary counts."""
    return re.findall(r"[a-z][a-z'-]*", text.lower())
