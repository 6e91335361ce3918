"""How rare a word is in English at large: the fixed background that weights story terms.

Weights come from the `wordfreq` package's English word list (a fixed snapshot of many
sources), never from the stream itself: a term weighs the same whatever arrived before, so a
replay or a restart rebuilds exactly the same stories. The `wordfreq` version is pinned in
pyproject.toml because its list is part of the story model.
"""

from __future__ import annotations

import math
from functools import lru_cache

ZIPF_UNKNOWN = 2.0  # a word missing from the list: rarer than most, but often a typo or a join
ZIPF_TOP = 7.5  # idf = ZIPF_TOP - zipf: "the" (7.7) weighs 0, a name no list knows 5.5


@lru_cache(maxsize=1)
def _frequencies() -> dict[str, float]:
    """word -> frequency per word of running English text (loaded once, ~0.2 s)."""
    import wordfreq  # imported late: only story clustering needs the 320k-word list

    table: dict[str, float] = wordfreq.get_frequency_dict("en", wordlist="large")
    return table


def zipf(word: str) -> float:
    """log10 of the word's frequency per billion words (7.7 for "the"); `ZIPF_UNKNOWN` when
    the list does not know the (lower-case) word."""
    freq = _frequencies().get(word)
    return math.log10(freq * 1e9) if freq else ZIPF_UNKNOWN


def idf(word: str) -> float:
    """Inverse background frequency in zipf units, never negative."""
    return max(0.0, ZIPF_TOP - zipf(word))
