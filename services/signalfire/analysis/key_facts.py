"""Key facts: the article's own sentences that carried what the analysis found (each event,
the deal value, the quantity, a date), as short extractive bullets an alert can show, so a
reader sees why without opening the article. Nothing is paraphrased: a fact is a sentence
of the article, trimmed."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from signalfire.analysis.text import Sentence
from signalfire.models.analysis import EVENT_TYPES, DealValue, EventType, KeyFact, Quantity

MAX_FACTS = 6
# Kinds in the order a reader wants them: events in taxonomy order, then the deal's figures.
_RANK: dict[str, int] = {k: i for i, k in enumerate([*EVENT_TYPES, "value", "quantity", "date"])}
MAX_CHARS = 300

_MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
    r"Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
# A calendar date: "March 13, 2026", "13 March 2026", "March 2026", "2026-03-13". A bare
# weekday or year says too little to be a key fact.
DATE = re.compile(
    rf"\b{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?(?:,?\s+(?:19|20)\d\d)?\b|"
    rf"\b\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH}(?:,?\s+(?:19|20)\d\d)?\b|"
    rf"\b{_MONTH},?\s+(?:19|20)\d\d\b|\b(?:19|20)\d\d-[01]\d-[0-3]\d\b"
)
_NUMBER_WORDS = {
    1: "one",
    2: "two",
    3: "three",
    4: "four",
    5: "five",
    6: "six",
    7: "seven",
    8: "eight",
    9: "nine",
    10: "ten",
    11: "eleven",
    12: "twelve",
}


def trim(text: str, limit: int = MAX_CHARS) -> str:
    """One line of at most `limit` characters, cut at a word boundary with an ellipsis."""
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    cut = flat[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:-")
    return f"{cut}…"


def _count_pattern(q: Quantity) -> re.Pattern[str]:
    """The count as articles write it ("1,059", "1059", "1 059", "twelve")."""
    forms = {f"{q.count:,}", str(q.count), f"{q.count:,}".replace(",", " ")}
    if q.count in _NUMBER_WORDS:
        forms.add(_NUMBER_WORDS[q.count])
    alternatives = "|".join(re.escape(f) for f in sorted(forms, key=len, reverse=True))
    return re.compile(rf"(?<![\d,.])(?:{alternatives})(?!\d|,\d)", re.IGNORECASE)


def _count_sentences(sents: Sequence[Sentence], q: Quantity) -> list[int]:
    """Sentences naming the count next to the item's head noun."""
    words = q.item.split()
    head = words[-1].lower().rstrip("s") if words else ""
    pattern = _count_pattern(q)
    return [s.index for s in sents if head in s.text.lower() and pattern.search(s.text)]


def _first(sents: Sequence[Sentence], indices: Sequence[int]) -> int | None:
    """The first body sentence among `indices` (the title only when nothing else has it)."""
    body = sorted(i for i in indices if i > 0)
    if body:
        return body[0]
    return 0 if 0 in indices and sents else None


def key_facts(
    sents: Sequence[Sentence],
    places: Mapping[EventType, Sequence[int]],
    value: DealValue | None,
    quantity: Quantity | None,
    original: str | None = None,
) -> list[KeyFact]:
    """Up to `MAX_FACTS` sentences, in article order, each with the kinds it carries: the
    first body sentence of each event type, the sentences with the deal value, the quantity
    and a calendar date (a date already inside a chosen sentence is not repeated). With
    `original` (the text the sentence offsets index, before typographic folding) the facts
    quote the article exactly."""
    by_index = {s.index: s for s in sents}
    chosen: dict[int, list[str]] = {}

    def add(index: int | None, kind: str) -> None:
        if index is not None and index in by_index:
            kinds = chosen.setdefault(index, [])
            if kind not in kinds:
                kinds.append(kind)

    for etype, indices in places.items():
        add(_first(sents, indices), etype)
    if value is not None and value.text:
        add(_first(sents, [s.index for s in sents if value.text in s.text]), "value")
    if quantity is not None:
        add(_first(sents, _count_sentences(sents, quantity)), "quantity")
    if not chosen:  # a date alone is no fact about anything
        return []
    # A date inside a sentence already chosen, else the first dated body sentence.
    dated = next((i for i in sorted(chosen) if DATE.search(by_index[i].text)), None)
    if dated is None:
        dated = next((s.index for s in sents if s.index > 0 and DATE.search(s.text)), None)
    if dated is None and sents and DATE.search(sents[0].text):
        dated = 0
    add(dated, "date")

    # A chosen sentence also names every other event it carried.
    for etype, indices in places.items():
        for i in indices:
            if i in chosen:
                add(i, etype)

    # The same sentence printed twice (a pull quote) is one fact with both sets of kinds.
    def quote(index: int) -> str:
        s = by_index[index]
        return trim(original[s.start : s.end] if original is not None else s.text)

    merged: dict[str, tuple[int, list[str]]] = {}
    for index in sorted(chosen):
        text = quote(index)
        _, kinds = merged.setdefault(text.lower(), (index, []))
        kinds.extend(k for k in chosen[index] if k not in kinds)
    # Over the limit, events go before value, quantity and date; the result reads in
    # article order.
    ranked = sorted(merged.values(), key=lambda fk: (min(map(_RANK.__getitem__, fk[1])), fk[0]))
    kept = sorted(ranked[:MAX_FACTS])
    return [KeyFact(text=quote(i), kinds=sorted(kinds, key=_RANK.__getitem__)) for i, kinds in kept]
