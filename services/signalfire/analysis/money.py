"""Money amounts in news prose and the choice of the headline deal value.

The headline value is the amount awarded, ordered or agreed now (RUBRIC.md): option
ceilings, cumulative totals, obligated funds, revenue and background deals are scored
down by the words around each amount rather than by position alone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from signalfire.analysis.events import by_first_letter, is_background
from signalfire.analysis.fx import FxRates
from signalfire.analysis.text import Sentence, clauses
from signalfire.models.analysis import DealValue

_SYMBOLS = {
    "US$": "USD",
    "U.S.$": "USD",
    "$": "USD",
    "€": "EUR",
    "£": "GBP",
    "₩": "KRW",
    "¥": "JPY",
    "₹": "INR",
    "₺": "TRY",
    "₴": "UAH",
    "₪": "ILS",
    "A$": "AUD",
    "C$": "CAD",
    "NZ$": "NZD",
    "AU$": "AUD",
    "CA$": "CAD",
    "zł": "PLN",
    "Rs": "INR",
    "Rs.": "INR",
}
_WORDS = {
    "euro": "EUR",
    "euros": "EUR",
    "dollar": "USD",
    "dollars": "USD",
    "us dollars": "USD",
    "u.s. dollars": "USD",
    "pound": "GBP",
    "pounds": "GBP",
    "pounds sterling": "GBP",
    "zloty": "PLN",
    "zlotys": "PLN",
    "zlotych": "PLN",
    "lei": "RON",
    "leu": "RON",
    "romanian lei": "RON",
    "lira": "TRY",
    "liras": "TRY",
    "lire": "TRY",
    "turkish lira": "TRY",
    "turkish liras": "TRY",
    "swedish crowns": "SEK",
    "swedish crown": "SEK",
    "kronor": "SEK",
    "swedish kronor": "SEK",
    "swedish krona": "SEK",
    "krona": "SEK",
    "norwegian crowns": "NOK",
    "norwegian kroner": "NOK",
    "kroner": "NOK",
    "danish crowns": "DKK",
    "danish kroner": "DKK",
    "won": "KRW",
    "korean won": "KRW",
    "yen": "JPY",
    "rupees": "INR",
    "rupee": "INR",
    "hryvnias": "UAH",
    "hryvnia": "UAH",
    "hryvnia's": "UAH",
    "shekels": "ILS",
    "shekel": "ILS",
    "swiss francs": "CHF",
    "francs": "CHF",
    "czech crowns": "CZK",
    "crowns": "CZK",  # (decided by the story's country, as "kroner")
    "crown": "CZK",
    "koruna": "CZK",
    "australian dollars": "AUD",
    "canadian dollars": "CAD",
    "new zealand dollars": "NZD",
    "forints": "HUF",
    "forint": "HUF",
    "yuan": "CNY",
    "renminbi": "CNY",
}
_CODES = (
    "USD|EUR|GBP|PLN|RON|SEK|NOK|DKK|TRY|KRW|JPY|INR|UAH|ILS|CHF|CZK|AUD|CAD|HUF|BGN|CNY|"
    "BRL|SGD|AED|SAR|TWD|NZD"
)
_SCALES = {
    "thousand": 1e3,
    "k": 1e3,
    "million": 1e6,
    "mln": 1e6,
    "mn": 1e6,
    "m": 1e6,
    "mio": 1e6,
    "billion": 1e9,
    "bn": 1e9,
    "b": 1e9,
    "bln": 1e9,
    "trillion": 1e12,
    "tn": 1e12,
    "trn": 1e12,
    # Indian numbering: "Rs 1,500 crore" is 15 billion rupees.
    "crore": 1e7,
    "crores": 1e7,
    "cr": 1e7,
    "lakh": 1e5,
    "lakhs": 1e5,
}
_NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_SCALE = r"(?:thousand|million|mln|mn|mio|billion|bln|bn|trillion|trn|tn|crores?|cr|lakhs?|[mbk])\b"
_SYM = r"US\$|U\.S\.\s?\$|AU\$|CA\$|NZ\$|A\$|C\$|\$|€|£|₩|¥|₹|₺|₴|₪|\bRs\.?"
# North American style joins the magnitude with a hyphen: "$1.2-billion", "460-million-dollar".
_SCALE_SEP = r"(?:\s?|-(?=(?:thousand|million|billion|trillion|crore|lakh)\b))"
_WORD_RE = "|".join(sorted((re.escape(w) for w in _WORDS), key=len, reverse=True))

# The codes grouped by first letter: the same matches, far fewer attempts per position.
_CODES_RE = by_first_letter(_CODES.split("|"))

_PREFIXED = re.compile(
    rf"(?P<cur>{_SYM}|\b(?:{_CODES_RE}))\s?(?P<num>{_NUM})"
    rf"(?:\s?(?:-|to)\s?(?:{_NUM}))?(?:{_SCALE_SEP}(?P<scale>{_SCALE}))?",
    re.IGNORECASE,
)
_SUFFIXED = re.compile(
    rf"(?<![\w$€£.,])(?P<num>{_NUM})(?:{_SCALE_SEP}(?P<scale>{_SCALE}))?[\s-]"
    rf"(?P<cur>\b(?:{_CODES_RE})\b|(?:{_WORD_RE})\b)",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class Amount:
    """A money amount found in text; offsets index the text searched."""

    amount: float
    currency: str
    start: int
    end: int
    text: str


def _currency(token: str) -> str | None:
    t = re.sub(r"\s+", "", token) if "$" in token else token
    if t in _SYMBOLS:
        return _SYMBOLS[t]
    if t.upper() in _CODES.split("|"):
        return t.upper()
    return _WORDS.get(token.lower())


_DANISH = re.compile(r"\b(?:Denmark|Danish|Copenhagen|Danes?)\b")
_NORWEGIAN = re.compile(r"\b(?:Norway|Norwegian|Oslo|Norwegians)\b")


@lru_cache(maxsize=8)
def _kroner(text: str) -> str:
    """ "Kroner" is Norwegian or Danish: Danish when the article speaks of Denmark more
    than of Norway."""
    danish, norwegian = len(_DANISH.findall(text)), len(_NORWEGIAN.findall(text))
    return "DKK" if danish > norwegian else "NOK"


_CROWN_LANDS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("CZK", re.compile(r"\b(?:Czech|Czechia|Prague|Czechs)\b")),
    ("SEK", re.compile(r"\b(?:Sweden|Swedish|Stockholm|Swedes)\b")),
    ("NOK", _NORWEGIAN),
    ("DKK", _DANISH),
)


@lru_cache(maxsize=8)
def _crowns(text: str) -> str:
    """Plain "crowns" are the currency of the crown country the story speaks of most."""
    counts = [(len(land.findall(text)), code) for code, land in _CROWN_LANDS]
    return max(counts, key=lambda c: c[0])[1]


# The United States, or the terse US contract notice ("... is the contracting activity").
_US = re.compile(
    r"\b(?:United States|U\.S\.|US|USA|American|Washington|Pentagon|U\.S|contracting activity|"
    r"Contracting Command|Department of Defense|Defense Department|DoD|Air Force Base)\b"
)
_DOLLAR_LANDS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("AUD", re.compile(r"\b(?:Australia|Australian|Canberra|Albanese)\b")),
    ("CAD", re.compile(r"\b(?:Canada|Canadian|Ottawa)\b")),
    ("NZD", re.compile(r"\b(?:New Zealand|Wellington)\b")),
)


@lru_cache(maxsize=8)
def _dollar(text: str) -> str:
    """A bare "$" is the US dollar, unless the article is about Australia (Canada, New
    Zealand) and never names the United States: a ministry's "$7 billion" is its own."""
    if _US.search(text):
        return "USD"
    for code, land in _DOLLAR_LANDS:
        if len(land.findall(text)) >= 2:
            return code
    return "USD"


def _value(num: str, scale: str | None) -> float:
    value = float(num.replace(",", ""))
    return value * _SCALES[scale.lower()] if scale else value


def find_amounts(text: str) -> list[Amount]:
    """Every money amount in `text` ("€857 million", "USD 31.4 mln", "1.1 billion lei")."""
    found: list[Amount] = []
    taken: list[tuple[int, int]] = []
    for rx in (_PREFIXED, _SUFFIXED):
        for m in rx.finditer(text):
            if any(s < m.end() and m.start() < e for s, e in taken):
                continue
            cur_tok = m.group("cur")
            # Upper-case codes only: "try 5 times" or "won 3 medals" are not money.
            if (
                rx is _PREFIXED
                and cur_tok.isalpha()
                and not cur_tok.isupper()
                and cur_tok not in _SYMBOLS
            ):
                continue
            cur = _currency(cur_tok)
            if cur_tok.lower() == "kroner":
                cur = _kroner(text)
            elif cur_tok.lower() in ("crowns", "crown"):
                cur = _crowns(text)
            elif cur_tok == "$":
                cur = _dollar(text)
            scale = m.group("scale")
            if cur is None or (
                scale
                and scale in "mbkMBK"
                and len(scale) == 1
                and text[m.end("scale") : m.end("scale") + 1].isalpha()
            ):
                continue
            if rx is _SUFFIXED and cur_tok.lower() == "won" and not scale:
                continue
            found.append(Amount(_value(m.group("num"), scale), cur, m.start(), m.end(), m.group(0)))
            taken.append((m.start(), m.end()))
    return sorted(found, key=lambda a: a.start)


# --- headline choice -------------------------------------------------------------------

_DEAL_CONTEXT = re.compile(
    r"\b(contracts?|orders?|ordered|awarded|awards?|deal|agreement|sale|package|purchase|"
    r"procure\w*|buy|acquisition|takeover|worth|valued|value of|value is|priced|for the "
    r"(?:supply|purchase|delivery)|allocat\w+|tender|modification|framework|programme|"
    r"program|invest\w*|grant|loan|ceiling|maximum|pa(?:y|ys|id|ying)|price|put at|"
    r"estimated at)\b",
    re.IGNORECASE,
)
# (pattern, penalty): each says the amount is not what was awarded or agreed now.
_PENALTIES: tuple[tuple[re.Pattern[str], float], ...] = tuple(
    (re.compile(rx, re.IGNORECASE), pts)
    for rx, pts in (
        (
            r"\b(?:obligat\w+|funds (?:in the amount|totaling|totalling)|initial (?:task )?"
            r"orders?|task orders? totaling|(?:fiscal|fy) ?\d{2,4}\b[^$€£]{0,80}funds)",
            3.0,
        ),
        (
            r"\b(?:if (?:all )?(?:the )?options?|options? (?:are|is|were|be) exercised|"
            r"including (?:all )?options|options?,? (?:which|that)?,? ?(?:would|could)|"
            r"(?:would|could) (?:raise|bring|increase|lift|take)|cumulative value|"
            r"unexercised|increased? (?:from|to)|brings? the (?:total|cumulative)|"
            r"total (?:contract )?value (?:to|of the contract)|to date)",
            4.0,
        ),
        (
            r"\b(?:revenues?|sales|turnover|backlog|order (?:book|intake)|profits?|earnings|"
            r"ebitd?a|net income|budget|gdp|spending|market (?:value|cap\w*)|valuation|"
            r"(?:operating|net|adjusted|financial) results?|"
            r"dividends?|losses|debt|market|markets|per unit|apiece|unit (?:price|cost)|"
            r"fined?|shares? (?:rose|"
            r"fell)|capitali[sz]ation|salary|salaries)\b",
            5.0,
        ),
        (
            r"\b(?:previous(?:ly)?\b(?! award)|earlier|prior|last year|in recent years|former)\b",
            3.0,
        ),
        # What the whole company is worth in a stake deal: "values the business at".
        (
            r"\bvalu(?:es|ing|ed)\s+(?:it|them|the\s+(?:\w+\s+){0,2}?(?:business|company|group|"
            r"firm|maker|target|equity|unit)|[A-Z][\w-]*)\s+at\b|\bincluding (?:net )?debt\b|"
            r"\benterprise value\b",
            5.0,
        ),
        # A framework's possible ceiling or a programme's potential: not agreed now.
        (
            r"\b(?:could|might|may|would)\s+(?:\w+\s+){0,2}?(?:have|be worth|reach|exceed|"
            r"total|top|be valued|rise to|amount to)\b|\b(?:possible|potential|eventual|"
            r"theoretical) (?:ceiling|value|worth|total)\b|\blifetime\b|\bas a whole\b|"
            r"\bover (?:their|its|the) (?:\w+ )?life\b|"
            # A parliament's cost frame (tanks, infrastructure and training together) and a
            # programme cost that "climbed past A$45 billion" are not what is agreed now.
            r"\bcost (?:frame|envelope|ceiling|cap)\b|\b(?:climb\w*|ris(?:e|en|es|ing)|rose|grew|"
            r"grow\w*|balloon\w*|soar\w*|blown out|blew out)\s+(?:past|above|beyond)\b",
            6.0,
        ),
        (r"\bup to\s*$|\bup to (?:about |around |some )?[$€£]", 4.0),
    )
)
# Forecasts and running totals are not the deal of the day: "the cumulative value of orders
# expected over the next 15 years", "sales projected over the coming decade". Read over the
# whole clause before the amount, as such phrases are long.
_FORECAST = re.compile(
    r"\b(?:cumulative|combined value|(?:possible|potential|eventual) (?:value|worth) of|"
    r"(?:orders?|sales|exports?|business|demand|revenues?)"
    r" (?:\w+ )?(?:expected|forecast|projected|anticipated|foreseen)|(?:expected|forecast|"
    r"projected|anticipated) (?:over|during|within|in) the (?:next|coming)|over the (?:next|coming)"
    r" (?:\d+ |\w+ )?(?:years|decades?))\b",
    re.IGNORECASE,
)
# "The celebration comes just weeks after SDA's announcement of an award worth $325 million":
# what the news follows is older than the news.
_COMES_AFTER = re.compile(
    r"\b(?:comes?|came)\s+(?:just\s+|only\s+|some\s+|barely\s+|two\s+|three\s+|a\s+few\s+)?"
    r"(?:days?|weeks?|months?|years?)\s+after\b",
    re.IGNORECASE,
)
# "though no production contract has yet been signed": nothing agreed, so no deal value.
_NOTHING_SIGNED = re.compile(
    r"\bno (?:\w+ ){0,2}(?:contracts?|orders?|deals?) (?:has|have) (?:yet |so far )?been "
    r"(?:signed|placed|awarded|concluded)|\b(?:contracts?|orders?|deals?) (?:has|have) "
    r"(?:not|yet to) (?:yet )?(?:been )?(?:signed|placed|awarded|concluded)|\byet to be "
    r"(?:signed|placed|awarded|concluded)\b",
    re.IGNORECASE,
)
_PAST_YEAR = re.compile(
    r"\b(?:in|since|from|of|during) (?:19|20)\d\d\b|\b(?:19|20)\d\d (?:contract|deal|order|"
    r"agreement)"
)


_SPEND_VERB = re.compile(
    r"\b(?:is|are|was|were|will be|to be)\s+spending\s+(?:some |about |around |nearly )?$", re.I
)


def _window(s: Sentence, a: Amount, before: int, after: int) -> tuple[str, str]:
    rel_s, rel_e = a.start - s.start, a.end - s.start
    return s.text[max(0, rel_s - before) : rel_s], s.text[rel_e : rel_e + after]


@lru_cache(maxsize=64)
def _background_sentence(sentence: str, year: int | None) -> bool:
    """Whether any of a sentence is background (cached: it often holds several amounts)."""
    return is_background(sentence, year)


def _clause_at(sentence: str, offset: int) -> str:
    """The clause of `sentence` that contains `offset`."""
    return next((sentence[c0:c1] for c0, c1 in clauses(sentence) if c0 <= offset < c1), sentence)


def amount_score(s: Sentence, a: Amount, published_year: int | None) -> float:
    """How likely `a` is the headline value of the deal reported now (higher is better)."""
    score = 3.0 if s.in_title else max(0.0, 2.0 - 0.25 * (s.index - 1))
    before, after = _window(s, a, 70, 50)
    near_before, near_after = _window(s, a, 60, 40)
    if _DEAL_CONTEXT.search(near_before[-35:] + " " + near_after[:30]):
        score += 2.0
    elif _DEAL_CONTEXT.search(before + " " + after):
        score += 1.0
    # "is spending NOK 2bn to double output": the verb spends this money, unlike the noun
    # in "defence spending rose to".
    near = _SPEND_VERB.sub(" ", near_before[-60:]) + " " + near_after[:40]
    score -= max((pts for rx, pts in _PENALTIES if rx.search(near)), default=0.0)
    rel = a.start - s.start
    c_start = next((c0 for c0, c1 in clauses(s.text) if c0 <= rel < c1), 0)
    before_in_clause = s.text[max(c_start, rel - 160) : rel]
    if _FORECAST.search(before_in_clause):
        score -= 4.0
    if _COMES_AFTER.search(before_in_clause):
        score -= 6.0  # older than the news, as a background deal
    if _NOTHING_SIGNED.search(s.text):
        score -= 4.0
    years = [int(y) for y in re.findall(r"\b((?:19|20)\d\d)\b", before + after)]
    if (
        published_year
        and any(y < published_year for y in years)
        and _PAST_YEAR.search(before + after)
    ):
        score -= 3.0
    if a.amount < 1000:
        score -= 4.0
    if _background_sentence(s.text, published_year) and is_background(
        _clause_at(s.text, a.start - s.start), published_year
    ):
        score -= 5.0  # a background deal ("the 2023 contract ... was worth $3.55 billion")
    return score


def headline_amount(
    sents: list[Sentence], amounts: list[Amount], published_year: int | None = None
) -> Amount | None:
    """The amount most likely awarded/ordered/agreed now, or None when none qualifies."""
    best: tuple[float, int, Amount] | None = None
    for s in sents:
        for a in amounts:
            if s.start <= a.start < s.end:
                sc = amount_score(s, a, published_year)
                key = (sc, -a.start, a)
                if sc > -1.5 and (best is None or key[:2] > best[:2]):
                    best = key
    return None if best is None else best[2]


def to_deal_value(a: Amount, fx: FxRates) -> DealValue | None:
    """A DealValue with its EUR equivalent; None for a currency without a fixed rate."""
    eur = fx.to_eur(a.amount, a.currency)
    if eur is None:
        return None
    return DealValue(amount=a.amount, currency=a.currency, eur=round(eur, 2), text=a.text)
