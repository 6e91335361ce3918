"""Bullish / bearish / neutral from the defence-industrial actors' point of view.

Derived from the events reported now, not from emotive wording: new business,
capacity and cooperation are bullish; cancellations, sanctions, incidents and losses
bearish; neither, or both in balance, neutral.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from signalfire.models.analysis import EventMention, Sentiment

BULLISH_TYPES = frozenset(
    {
        "agreement",
        "mou",
        "contract",
        "joint_venture",
        "tech_transfer",
        "delivery",
        "acquisition",
        "investment",
    }
)
BEARISH_TYPES = frozenset({"incident", "cancellation"})
_SANCTION = re.compile(
    r"\b(?:sanction\w*|ban\w*|embargo\w*|blacklist\w*|revok\w+|den(?:y|ied)|"
    r"refus\w+|block\w*|restrict\w*)\b",
    re.IGNORECASE,
)
_FALL = re.compile(
    r"\b(?:fell|fall\w*|drop\w*|declin\w*|down|loss\w*|slump\w*|plung\w*|"
    r"miss\w*|cut\w*|warn\w*)\b",
    re.IGNORECASE,
)


def event_polarity(m: EventMention) -> int:
    """+1 bullish, -1 bearish, 0 neutral for one event."""
    if m.type in BULLISH_TYPES:
        return 1
    if m.type in BEARISH_TYPES:
        return -1
    if m.type == "regulatory":
        return -1 if _SANCTION.search(m.cue) else 1
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
