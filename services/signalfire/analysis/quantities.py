"""How many of the main items a deal covers ("54 K9 howitzers", "two dozen drones").

Counts attach to a head noun from a lexicon of military items; years, percentages,
money, calibres ("155mm") and people (workers, soldiers) are never quantities.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from signalfire.analysis.text import Sentence
from signalfire.models.analysis import Quantity

ITEM_NOUNS = (
    "vehicles|vehicle|tanks|tank|howitzers|howitzer|guns|gun|launchers|launcher|aircraft|"
    "airplanes|planes|jets|jet|fighters|fighter jets|helicopters|helicopter|drones|drone|uavs|"
    "uas|unmanned aerial vehicles|unmanned aircraft|loitering munitions|munitions|missiles|"
    "missile|rounds|shells|projectiles|rockets|torpedoes|bombs|mines|warheads|interceptors|"
    "systems|system|radars|radar|batteries|ships|ship|vessels|vessel|boats|boat|submarines|"
    "submarine|frigates|frigate|corvettes|corvette|destroyers|patrol vessels|carriers|"
    "trucks|truck|rifles|pistols|machine guns|units|kits|sets|engines|turrets|stations|"
    "satellites|simulators|trainers|apcs|ifvs|mbts|armored vehicles|armoured vehicles|"
    "airframes|weapon stations|cannons|mortars|grenades|airliners|jetliners|platforms|radios|"
    "radio sets|terminals|sensors|goggles|vests|helmets|tankers|transports|interceptor missiles"
)
_NUMBER_WORDS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
    "hundred": 100,
    "a dozen": 12,
    "dozen": 12,
    "two dozen": 24,
    "three dozen": 36,
    "four dozen": 48,
    "a hundred": 100,
}
# Number words combine: "seventeen hundred", "two thousand", "a hundred", "eighty-six",
# "two hundred and fifty"; a figure in brackets may repeat them ("eighty-six (86)").
_UNIT_WORDS = sorted((w for w in _NUMBER_WORDS if " " not in w), key=len, reverse=True)
_UNIT_RE = "|".join([*_UNIT_WORDS, "thousand"])
_NUMWORD_RE = (
    rf"(?:a\s(?=(?:dozen|hundred|thousand)\b))?(?:{_UNIT_RE})"
    rf"(?:(?:[\s-]|(?<=hundred)\sand\s|(?<=thousand)\sand\s)(?:{_UNIT_RE})\b)*"
)
_COUNT = (
    rf"(?P<num>\d{{1,3}}(?:,\d{{3}})+|\d+(?:\.\d+)?)(?:\s(?P<scale>million|thousand|mln))?"
    rf"|(?P<word>\b(?:{_NUMWORD_RE})\b)(?:\s\(\d[\d,]*\))?"
)
_STOP = (
    r"(?:to|for|by|with|from|at|in|on|into|onto|the|a|an|and|or|which|that|who|was|were|is|"
    r"are|be|been|will|would|has|have|had|states|countries|per|than|more|less|years?|its|"
    r"their|his|her|under|over|after|before|during)"
)
# A capitalised model name with its number ("Skyranger 30", "RBS 70"): the number is part
# of the name, so "six Skyranger 30 vehicles" counts six.
_MODEL_NUMBER = r"(?-i:[A-Z])[\w./+-]*\s\d{1,4}\s"
# A calibre or size between the count and the noun ("32 self-propelled 12 cm mortar
# systems", "18 155mm howitzers", "six 30-mm guns", "four 5-inch guns").
_MEASURE = (
    r"\d+(?:[.,]\d+)?(?:\s?|-)(?:mm|cm|millimet(?:re|er)s?|centimet(?:re|er)s?|inch|in\.|calibre|"
    r"caliber|pounder|pdr)(?![\w])"
)
# A count, up to five modifier words (names, models such as "2A8", "4x4"), then the noun.
_QTY = re.compile(
    rf"(?<![\w$€£.,/-])(?:{_COUNT})(?![\d%])(?:\s(?:more|additional|further|new|extra)\b)?"
    rf"(?:\s(?:of\s(?:the\s)?)?"
    rf"(?P<mods>(?:{_MEASURE}\s|{_MODEL_NUMBER}|(?![\d,]+\s|{_STOP}\s)[\w./+-]+\s){{0,6}}?))?"
    rf"(?P<noun>\b(?:{ITEM_NOUNS}))\b",
    re.IGNORECASE,
)
# "62 more M1A2 SEPv3 Abrams to Romania": a count and a model name without a generic noun.
_MODEL_QTY = re.compile(
    rf"(?<![\w$€£.,/-])(?:{_COUNT})(?![\d%])(?:\s(?:more|additional|further|new|extra))?\s"
    r"(?P<model>(?:(?:[A-Z][\w/-]*|\w*\d\w*)\s?){1,4}?)(?=\s?(?:to|for|from|in|under|and|,|\.|$))"
)
_BAD_MOD = re.compile(
    r"^(?:mm|millimet\w+|cm|calibre|caliber)\b|\b(?:years?|months?|days?|percent|per|km|kilomet\w+|"
    r"miles?|hours?|tonnes?|tons?|workers|employees|people|soldiers|troops|jobs|staff|"
    r"countries|nations|members|euros?|dollars?|million|billion)\b",
    re.IGNORECASE,
)
_DEAL_CONTEXT = re.compile(
    r"\b(?:orders?|ordered|contract|deal|buy|bought|purchase\w*|supply|supplies|deliver\w*|"
    r"handed over|covers|covering|sale|acquire|procure\w*|awarded|for|of)\b",
    re.IGNORECASE,
)
_BACKGROUND = re.compile(
    r"\b(?:previous(?:ly)?|earlier|already|last year|in recent years|in service|operates?|"
    r"remaining|(?:19|20)\d\d (?:contract|purchase|order|deal|agreement|acquisition|sale)|"
    r"fleet of|currently)\b",
    re.IGNORECASE,
)


_MONTHS = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|"
    r"December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.?"
)
# Dates are never counts: "6 May 2025", "May 6", "on 18 February".
_DATE_AFTER = re.compile(rf"\s(?-i:{_MONTHS})(?:\s|,|$)")
_DATE_BEFORE = re.compile(rf"\b(?-i:{_MONTHS})\s$")
# A number right after a capitalised name belongs to it ("Hermes 900 drones", "Patriot 3"):
# a model designation, not a count. Title-case headlines are left out.
_NAME_BEFORE = re.compile(r"(?<![.!?:]\s)(?<!^)\b(?-i:[A-Z][A-Za-z]+)\s$")


def _not_a_count(s: Sentence, m: re.Match[str]) -> bool:
    """Whether the number at `m` is a date or part of a model's name."""
    end = m.end("num") if m.group("num") else m.end("word")
    before = s.text[max(0, m.start() - 12) : m.start()]
    if _DATE_AFTER.match(s.text[end : end + 12]) or _DATE_BEFORE.search(before):
        return True
    return bool(m.group("num") and not s.in_title and _NAME_BEFORE.search(s.text[: m.start()]))


@dataclass(frozen=True, slots=True)
class Count:
    """A count of items found in a sentence, with its evidence score."""

    count: int
    item: str
    start: int
    score: float


def words_value(words: str) -> int | None:
    """The number that number words spell ("seventeen hundred" is 1700), or None."""
    total, current = 0, 0
    for tok in re.split(r"[\s-]+", words.lower()):
        if tok in ("a", "and"):
            continue
        if tok == "thousand":
            total, current = total + max(current, 1) * 1000, 0
        elif tok == "hundred":
            current = max(current, 1) * 100
        elif tok == "dozen":
            current = max(current, 1) * 12
        elif tok in _NUMBER_WORDS:
            current += _NUMBER_WORDS[tok]
        else:
            return None
    return total + current or None


def _count_value(m: re.Match[str]) -> int | None:
    if m.group("word"):
        return words_value(m.group("word"))
    raw = m.group("num").replace(",", "")
    value = float(raw)
    if m.group("scale"):
        value *= {"million": 1e6, "mln": 1e6, "thousand": 1e3}[m.group("scale").lower()]
    elif "." in raw:
        return None
    if not m.group("scale") and 1900 <= value <= 2100 and "," not in m.group("num"):
        return None  # a year
    return int(value)


def find_counts(s: Sentence) -> list[Count]:
    """Counts of military items in one sentence, each scored for being the main deal's."""
    out: list[Count] = []
    for m in _QTY.finditer(s.text):
        value = _count_value(m)
        mods = (m.group("mods") or "").strip()
        if value is None or value <= 0 or _BAD_MOD.search(mods) or _not_a_count(s, m):
            continue
        before = s.text[max(0, m.start() - 50) : m.start()]
        if re.search(r"(?:[$€£₩¥]|\b[A-Z]{3})\s?$", before):
            continue  # an amount of money, not a count
        # "64 of 180 tanks": the total, not the part, is the deal's quantity.
        if re.match(r"\s*of\s+\d", s.text[m.end("num") if m.group("num") else m.end() :]):
            continue
        score = 3.0 if s.in_title else max(0.0, 2.0 - 0.3 * (s.index - 1))
        if _DEAL_CONTEXT.search(before[-30:]):
            score += 1.0
        if _BACKGROUND.search(before + s.text[m.end() : m.end() + 40]):
            score -= 3.0
        item = f"{mods} {m.group('noun')}".strip()
        out.append(Count(value, item, s.start + m.start(), score))
    if not out:
        out.extend(_model_counts(s))
    return out


def _model_counts(s: Sentence) -> list[Count]:
    """Counts of named models ("12 Rafale", "62 M1A2 Abrams") with weaker evidence."""
    out: list[Count] = []
    for m in _MODEL_QTY.finditer(s.text):
        value = _count_value(m)
        model = m.group("model").strip()
        before = s.text[max(0, m.start() - 50) : m.start()]
        if value is None or value <= 1 or re.search(r"(?:[$€£₩¥]|\b[A-Z]{3})\s?$", before):
            continue
        if _not_a_count(s, m):
            continue
        if re.fullmatch(r"(?:19|20)\d\d|[A-Z][a-z]+", model) or _BAD_MOD.search(model):
            continue  # a year, or a single capitalised word such as a month or a place
        score = 2.0 if s.in_title else max(0.0, 1.5 - 0.3 * (s.index - 1))
        if _DEAL_CONTEXT.search(before[-30:]):
            score += 1.0
        out.append(Count(value, model, s.start + m.start(), score))
    return out


# A delivery counts what is handed over now, not what was ordered: "handed over the first
# of two aircraft" is one aircraft, "took delivery of its first C-390" is one.
_FIRST_OF = re.compile(
    r"\b(?:the|its|their) (?:very )?first (?:one )?of (?:the |its |their )?$", re.IGNORECASE
)
_FIRST_ONE = re.compile(
    r"\b(?:delivery of|deliver(?:s|ed|ing)?|hand(?:s|ed|ing)? over|receiv(?:e|es|ed|ing)|"
    r"accept(?:s|ed|ing)?|welcom(?:e|es|ed|ing))\s+(?:its|their|the) (?:very )?first\s+"
    r"(?!(?:batch|batches|tranche|lot|lots|half|phase|stage|time|round|part|of|units?|"
    rf"{_NUMWORD_RE}|\d+)\b)"
    r"(?P<item>(?:[\w./-]+\s){0,4}?[\w./-]+?)(?=\s+(?:on|in|at|to|from|for|with|under|as|"
    r"when|after|this|last|earlier|later)\b|\s*[,.;]|\s*$)",
    re.IGNORECASE,
)


# "the last 18 tanks", "the final two aircraft", "the remaining 12 howitzers": the batch
# handed over now, not the whole order.
_LAST_BATCH = re.compile(r"\b(?:the|its|their) (?:last|final|remaining)\s$", re.IGNORECASE)
# "when two aircraft landed", "three more boats arrived": the count that arrives now.
_ARRIVED = re.compile(
    r"\s*(?:\w+\s){0,2}?(?:landed|arrived|touched down|docked|reached|were (?:delivered|handed "
    r"over|accepted|received)|have (?:been delivered|arrived|landed))\b",
    re.IGNORECASE,
)


def delivered_counts(s: Sentence) -> list[Count]:
    """What a delivery sentence hands over now ("the first of two aircraft" is one, "the
    last 18 tanks" of a larger order is 18)."""
    base = 3.0 if s.in_title else max(0.0, 2.0 - 0.3 * (s.index - 1))
    out: list[Count] = []
    for m in _QTY.finditer(s.text):
        before = s.text[max(0, m.start() - 40) : m.start()]
        item = f"{(m.group('mods') or '').strip()} {m.group('noun')}".strip()
        if _FIRST_OF.search(before):
            out.append(Count(1, item, s.start + m.start(), base + 2.0))
        elif (_LAST_BATCH.search(before) or _ARRIVED.match(s.text[m.end() : m.end() + 40])) and (
            value := _count_value(m)
        ):
            out.append(Count(value, item, s.start + m.start(), base + 2.0))
    for m in _FIRST_ONE.finditer(s.text):
        out.append(Count(1, m.group("item"), s.start + m.start("item"), base + 2.0))
    return out


def main_quantity(sents: list[Sentence], *, delivery: bool = False) -> Quantity | None:
    """The best-supported count of the main deal's items, or None; with `delivery`, the
    number handed over now wins over the number once ordered."""
    best: Count | None = None
    for s in sents[:12]:
        found = find_counts(s)
        if delivery:
            found = delivered_counts(s) + found
        for c in found:
            if c.score > 0.5 and (best is None or c.score > best.score):
                best = c
    return None if best is None else Quantity(count=best.count, item=best.item)
