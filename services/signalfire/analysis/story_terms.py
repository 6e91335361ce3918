"""What an article is about, as weighted terms: the content side of story clustering.

Independent reports of one event share its specifics, not their wording: the names of the
people, firms and places involved (known to the gazetteer or not), the numbers, the years
and the distinctive words. An article becomes a short unit vector of such terms:

- words, lower-cased, folded and with plurals stripped, weighted by how rare they are in
  English at large (`background.idf`, a fixed list) and by how often the article uses them
  (1 + ln tf); headline words count double, because the headline names the event;
- proper names found from the text's own casing (a word the body only ever capitalises),
  boosted, plus name bigrams ("tony thompson") for the participants of the event;
- numbers of two or more digits and years, with fixed weights;
- the analysis' gazetteer parties and countries, when it found any.

The weights depend on the article alone, so clustering is the same on any replay.
Tokenising is done on bytes (one `translate` and one `split`, both in C) because this runs
for every article on the single correlate partition.
"""

from __future__ import annotations

import itertools
import math
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from signalfire.analysis.background import ZIPF_TOP, _frequencies, zipf

MAX_TERMS = 40  # an article's vector: its most distinctive terms
TITLE_WEIGHT = 2  # a headline word counts as two body occurrences
NAME_BOOST = 2.0  # a word the body only ever capitalises names a participant
BIGRAM_WEIGHT = 1.0  # "wladimir klitschko": mean weight of its two names, times this
NUMBER_WEIGHT = 2.5  # 404, 1700: specifics, but a number alone is no name
YEAR_WEIGHT = 2.5
ENTITY_WEIGHT = 5.0  # a gazetteer party: as distinctive as a rare name
COUNTRY_WEIGHT = 2.0  # countries are coarse
STOP_ZIPF = 6.0  # words this common ("the", "said", "year") carry no event
LEAD_CHARS = 400  # years named in the headline and this much of the body date the event
YEARS = range(1950, 2050)
_CACHE_MAX = 200_000

# Letters and digits stay, sentence punctuation becomes a "|" token (names do not run across
# it), everything else separates words.
_BOUNDARY = frozenset(b'.,;:!?()[]{}"')


def _table(lower: bool) -> bytes:
    out = bytearray()
    for c in range(256):
        if 48 <= c <= 57 or 97 <= c <= 122:
            out.append(c)
        elif 65 <= c <= 90:
            out.append(c + 32 if lower else c)
        elif c in _BOUNDARY:
            out.append(ord("|"))
        else:
            out.append(32)
    return bytes(out)


_KEEP_CASE = _table(lower=False)
_LOWER = _table(lower=True)
# Characters NFKD does not take apart into an ASCII letter and accents.
_SPECIAL = {
    "\u2019": "'",
    "\u2018": "'",
    "\u201c": '"',
    "\u201d": '"',
    "\u2013": "-",
    "\u2014": "-",
    "\u0131": "i",
    "\u0142": "l",
    "\u0141": "L",
    "\u00f8": "o",
    "\u00d8": "O",
    "\u0111": "d",
    "\u0110": "D",
    "\u00df": "ss",
}
# Function words and news furniture the frequency cut-off misses ("bn", "gmt", "mr").
_STOP_WORDS = """
a an the and or but if of in on at to for from by with as is are was were be been being has have
had do does did will would can could should may might must shall this that these those it its he
she they them his her their we our you your i me my who whom which what when where why how not
no nor so than then there here all any each few more most other some such only own same too very
just also about above after again against below between both during into through under until up
down out over off once further while because before said says say mr mrs ms dr st nd rd th bn
mln mn pm am gmt est et utc jan feb mar apr jun jul aug sep sept oct nov dec
"""
_STOP = frozenset(_STOP_WORDS.split())


def ascii_text(text: str) -> bytes:
    """The text folded to ASCII bytes (diacritics dropped, curly quotes straightened)."""
    if not text.isascii():
        for char, repl in _SPECIAL.items():
            if char in text:
                text = text.replace(char, repl)
        text = unicodedata.normalize("NFKD", text)
    return text.encode("ascii", "ignore")


def tokens(text: bytes, *, lower: bool) -> list[bytes]:
    """Words and numbers of ASCII text, with b"|" at sentence punctuation."""
    return text.translate(_LOWER if lower else _KEEP_CASE).replace(b"|", b" | ").split()


# What one surface form contributes, computed once per distinct form: its term ("" when it
# carries nothing: a function word, "|", a single digit), its weight (background idf for
# words, the fixed weight for numbers and years) and whether it starts with a capital.
_Token = tuple[str, float, bool]
_NOTHING: _Token = ("", 0.0, False)


@dataclass(frozen=True)
class ArticleTerms:
    """An article's term vector (unit length, at most `MAX_TERMS` terms) and the years its
    headline and lead name."""

    weights: dict[str, float]
    years: frozenset[int]


def stem(word: str) -> str:
    """Plural to singular for the regular cases ("patches" -> "patch", "companies" ->
    "company"); "series"-like words keep their form when English knows only that form."""
    n = len(word)
    if n > 4 and word.endswith("ies"):
        stemmed = word[:-3] + "y"
    elif n > 4 and word.endswith(("ches", "shes", "sses", "xes", "zes")):
        stemmed = word[:-2]
    elif n > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        stemmed = word[:-1]
    else:
        return word
    freqs = _frequencies()
    return word if stemmed not in freqs and word in freqs else stemmed


def term_idf(term: str) -> float:
    """A term's background weight (a function of the term alone)."""
    return max(0.0, ZIPF_TOP - zipf(term))


_TOKENS: dict[bytes, _Token] = {}


def _classify(surface: bytes) -> _Token:
    """Classify one surface form and remember it (news vocabulary repeats heavily)."""
    text = surface.decode("ascii")
    if text.isdigit():
        if len(text) == 4 and int(text) in YEARS:
            tok = ("y:" + text, YEAR_WEIGHT, False)
        elif len(text) >= 2:
            tok = ("#" + text.lstrip("0"), NUMBER_WEIGHT, False)
        else:
            tok = _NOTHING
    else:
        lower = text.lower()
        if len(lower) < 2 or lower in _STOP or zipf(lower) >= STOP_ZIPF:
            tok = _NOTHING
        else:
            term = stem(lower)
            tok = (term, term_idf(term), text[0].isupper())
    if len(_TOKENS) >= _CACHE_MAX:
        _TOKENS.clear()
    _TOKENS[surface] = tok
    return tok


def _lookup(surfaces: Iterable[bytes]) -> list[_Token]:
    known = _TOKENS.get
    return [known(s) or _classify(s) for s in surfaces]


def article_terms(
    title: str,
    body: str,
    entities: Iterable[str] = (),
    countries: Iterable[str] = (),
    *,
    body_tokens: list[bytes] | None = None,
) -> ArticleTerms:
    """The article's distinctive terms, weighted, as a unit vector (see the module doc).
    `body_tokens` are `tokens(ascii_text(body), lower=False)` when the caller has them."""
    ascii_body = ascii_text(body)
    seq = body_tokens if body_tokens is not None else tokens(ascii_body, lower=False)
    counts = Counter(seq)
    tf: dict[str, int] = {}
    base: dict[str, float] = {}
    capital: set[str] = set()
    lower: set[str] = set()
    name_forms: list[bytes] = []
    known = dict(zip(counts, _lookup(counts), strict=True))  # safe from a cache reset
    for (surface, (term, weight, cap)), n in zip(known.items(), counts.values(), strict=True):
        if not term:
            continue
        tf[term] = tf.get(term, 0) + n
        base[term] = weight
        if cap:
            capital.add(term)
            name_forms.append(surface)
        else:
            lower.add(term)
    ascii_title = ascii_text(title)
    for term, weight, _ in _lookup(tokens(ascii_title, lower=False)):
        if term:
            tf[term] = tf.get(term, 0) + TITLE_WEIGHT
            base[term] = weight
    names = capital - lower
    log_tf = _TF
    weights = {t: (log_tf[n] if n < 64 else _tf_weight(n)) * base[t] for t, n in tf.items()}
    for t in names:
        weights[t] *= NAME_BOOST
    forms = {f: known[f][0] for f in name_forms if known[f][0] in names}
    for (a, b), n in _name_bigrams(seq, forms).items():
        weights["n:" + a + "_" + b] = _tf_weight(n) * BIGRAM_WEIGHT * (base[a] + base[b]) / 2
    for e in entities:
        weights["e:" + e] = ENTITY_WEIGHT
    for c in countries:
        weights["c:" + c] = COUNTRY_WEIGHT
    top = sorted([(-w, t) for t, w in weights.items() if w > 0])[:MAX_TERMS]
    norm = math.sqrt(sum(w * w for w, _ in top)) or 1.0
    lead = tokens(ascii_title + b" " + ascii_body[:LEAD_CHARS], lower=True)
    return ArticleTerms(
        weights={t: -w / norm for w, t in top},
        years=frozenset(int(w) for w in lead if len(w) == 4 and w.isdigit() and int(w) in YEARS),
    )


_TF = [0.0] + [1.0 + math.log(n) for n in range(1, 64)]


def _tf_weight(n: int) -> float:
    """1 + ln(n): repeats count, with diminishing returns."""
    return _TF[n] if n < 64 else 1.0 + math.log(n)


def _name_bigrams(seq: list[bytes], forms: dict[bytes, str]) -> Counter[tuple[str, str]]:
    """Adjacent pairs of names ("Tony Thompson"; `forms`: surface form -> name term);
    sentence punctuation is a token of its own, so pairs never span it."""
    at = [i for i, s in enumerate(seq) if s in forms]
    pairs: Counter[tuple[str, str]] = Counter()
    for i, j in itertools.pairwise(at):
        if j == i + 1:
            a, b = forms[seq[i]], forms[seq[j]]
            if a != b:
                pairs[(a, b)] += 1
    return pairs
