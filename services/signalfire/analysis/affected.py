"""Who is affected by the reported events, and in which direction.

A contract helps buyer and seller; sanctions hurt the sanctioned party; a strike on a
plant hurts the plant's owner and marks the attacking state negative. Cooperation framed
against a state ("a new phase of deterrence along the border with Russia", "it signals to
Moscow") is negative for that state, and an alliance the cooperation strengthens ("NATO's
eastern flank", "interoperability with NATO") gains.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from signalfire.analysis.sentiment import event_polarity
from signalfire.analysis.text import split_sentences
from signalfire.models.analysis import AffectedParty, Direction, EventMention

_I = re.IGNORECASE
_ATTACKER = re.compile(r"\b(?:russian|russia's|iranian|north korean)\b", _I)
_ATTACKER_ISO = {"russian": "RU", "russia's": "RU", "iranian": "IR", "north korean": "KP"}
ALLIANCES: frozenset[str] = frozenset({"nato", "eu"})
# Words that aim cooperation at a state: deterrence, a signal or message to it, countering it.
_AIMED_AT = re.compile(
    r"\b(?:deter(?:s|red|ring|rence|rent)?|signals? to|sends? (?:a )?(?:signal|message) to|"
    r"message to|counter(?:s|ing)?|aggression|beyond (?:the )?reach|out of (?:the )?reach|"
    r"threat (?:from|posed by))\b",
    _I,
)
# Words by which an alliance gains from the cooperation.
_STRENGTHENS = re.compile(
    r"\b(?:strengthen\w*|reinforc\w*|bolster\w*|boost\w*|integrat\w*|interoperab\w*|flank|"
    r"deterr\w*|resilien\w*|protected|territory|standards|infrastructure)\b",
    _I,
)


def affected_parties(
    ids: Sequence[str],
    events: Sequence[EventMention],
    text: str,
    mentions: Sequence[tuple[str, int, int]] = (),
    spans: Sequence[tuple[int, int]] | None = None,
) -> list[AffectedParty]:
    """A direction for each main entity/country id, then for the states a cooperation is
    aimed against (from `mentions`, the (ISO, start, end) country mentions of `text`;
    `spans` are its sentences, split here when not given).

    Parties named in an event take that event's polarity; in a sanctions story the
    imposing side (EU, US) is neutral; a state whose forces struck a plant is negative.
    """
    direction: dict[str, Direction] = {i: "neutral" for i in ids}
    attackers = (
        {_ATTACKER_ISO[m.group(0).lower()] for m in _ATTACKER.finditer(text[:600])}
        if any(m.type == "incident" for m in events)
        else set()
    )
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
    if events and all(event_polarity(m) > 0 for m in events):
        gainers = {p for p, d in direction.items() if d == "positive"}
        # Only a state named beside the gainers can be the one the deal is aimed at.
        if ALLIANCES & direction.keys() or any(iso not in gainers for iso, _, _ in mentions):
            sentences = split_sentences(text) if spans is None else spans
            _cooperation_sides(direction, text, mentions, sentences)
    return [AffectedParty(id=i, direction=d) for i, d in direction.items()]


def _cooperation_sides(
    direction: dict[str, Direction],
    text: str,
    mentions: Sequence[tuple[str, int, int]],
    spans: Sequence[tuple[int, int]],
) -> None:
    """In a story of new business and cooperation only: the state it is aimed against is
    negative, an alliance it strengthens positive."""
    gainers = {p for p, d in direction.items() if d == "positive"}
    for start, end in spans:
        sentence = text[start:end]
        if _AIMED_AT.search(sentence):
            for iso, m_start, m_end in mentions:
                if start <= m_start and m_end <= end and iso not in gainers:
                    direction[iso] = "negative"
        if _STRENGTHENS.search(sentence):
            for alliance in ALLIANCES & direction.keys():
                if direction[alliance] == "neutral" and _names(sentence, alliance):
                    direction[alliance] = "positive"


def _names(sentence: str, alliance: str) -> bool:
    """The sentence names the alliance (its acronym, or "the alliance" for NATO)."""
    pattern = r"\bNATO\b|\bthe [Aa]lliance\b" if alliance == "nato" else r"\bEU\b|European Union"
    return re.search(pattern, sentence) is not None
