"""Who is affected by the reported events, and in which direction.

A contract helps buyer and seller; sanctions hurt the sanctioned party; a strike on a
plant hurts the plant's owner and marks the attacking state negative.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from signalfire.analysis.sentiment import event_polarity
from signalfire.models.analysis import AffectedParty, Direction, EventMention

_ATTACKER = re.compile(r"\b(?:russian|russia's|iranian|north korean)\b", re.IGNORECASE)
_ATTACKER_ISO = {"russian": "RU", "russia's": "RU", "iranian": "IR", "north korean": "KP"}


def affected_parties(
    ids: Sequence[str], events: Sequence[EventMention], text: str
) -> list[AffectedParty]:
    """A direction for each main entity/country id.

    Parties named in an event take that event's polarity; in a sanctions story the
    imposing side (EU, US) is neutral; a state whose forces struck a plant is negative.
    """
    direction: dict[str, Direction] = {i: "neutral" for i in ids}
    attackers = {_ATTACKER_ISO[m.group(0).lower()] for m in _ATTACKER.finditer(text[:600])}
    for m in events:
        pol = event_polarity(m)
        if pol == 0:
            continue
        parties = [p for p in m.parties if p in direction] or list(ids)
        for p in parties:
            if (
                m.type == "regulatory"
                and pol < 0
                and p in {"eu", "US", "us-state-department", "us-dod", "GB", "EU"}
            ):
                continue
            if m.type == "incident" and p in attackers:
                direction[p] = "negative"
                continue
            new: Direction = "positive" if pol > 0 else "negative"
            if direction[p] != "neutral" and direction[p] != new:
                new = "neutral"
            direction[p] = new
    return [AffectedParty(id=i, direction=d) for i, d in direction.items()]
