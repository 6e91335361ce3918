"""Bullish / bearish / neutral from the defence-industrial actors' point of view.

Derived from the events reported now, not from emotive wording: new business,
capacity and cooperation are bullish; cancellations, sanctions, incidents and losses
bearish; neither, or both in balance, neutral.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from signalfire.models.analysis import EVENT_TYPES, EventMention, Sentiment

BEARISH_TYPES: frozenset[str] = frozenset({"incident", "cancellation"})
# Types whose direction depends on what the cue says (a sanction or an export approval,
# rising or falling results).
CUE_POLARITY_TYPES: frozenset[str] = frozenset({"regulatory", "financial_results"})
# Every other type of the taxonomy is new business, capacity or cooperation.
BULLISH_TYPES: frozenset[str] = frozenset(EVENT_TYPES) - BEARISH_TYPES - CUE_POLARITY_TYPES
_SANCTION = re.compile(
    r"\b(?:sanction\w*|ban\w*|embargo\w*|blacklist\w*|revok\w+|den(?:y|ied)|"
    r"refus\w+|declin\w+|reject\w*|block\w*|restrict\w*|entity list|unreliable entit\w*|"
    r"prohibit\w*|halt\w*|suspend\w*|freez\w*|froze|(?:export[- ])?control list|"
    r"export controls?)\b",
    re.IGNORECASE,
)
# "Lifts block on Eurofighter sale": a restriction ended is an approval.
LIFTED = re.compile(
    r"\b(?:lift\w*|end(?:s|ed|ing)?|remov\w*|drop(?:s|ped|ping)?|waiv\w+)\s+(?:\w+\s+){0,2}"
    r"(?:block|ban|veto|embargo|hold|freeze|objections?)\b",
    re.IGNORECASE,
)
_FALL = re.compile(
    r"\b(?:fell|fall\w*|drop\w*|declin\w*|down|loss\w*|slump\w*|plung\w*|"
    r"miss\w*|cut\w*|warn\w*|slid\w*|slip\w*|tumbl\w*|sank|shr[ai]nk\w*|lower\w*|"
    r"trimm\w*)\b",
    re.IGNORECASE,
)


def event_polarity(m: EventMention) -> int:
    """+1 bullish, -1 bearish, 0 neutral for one event."""
    if m.type in BULLISH_TYPES:
        return 1
    if m.type in BEARISH_TYPES:
        return -1
    if m.type == "regulatory":
        return -1 if _SANCTION.search(m.cue) and not LIFTED.search(m.cue) else 1
    if m.type == "financial_results":
        return -1 if _FALL.search(m.cue) else 1
    return 0


def sentiment(events: Sequence[EventMention]) -> Sentiment:
    """The story's sentiment from its events' polarities."""
    score = sum(event_polarity(m) for m in events)
    if not events or score == 0:
        return "neutral"
    if any(event_polarity(m) < 0 for m in events) and any(event_polarity(m) > 0 for m in events):
        # Mixed news: the headline event decides only when it clearly dominates.
        return "neutral" if abs(score) < 2 else ("bullish" if score > 0 else "bearish")
    return "bullish" if score > 0 else "bearish"
