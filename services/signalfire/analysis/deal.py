"""What the deal is: its headline value and how many items it covers, given the events the
article reports. The money and quantity modules find candidates; this decides which events
carry a deal at all."""

from __future__ import annotations

import re
from collections.abc import Sequence

from signalfire.analysis.fx import FxRates
from signalfire.analysis.money import find_amounts, headline_amount, to_deal_value
from signalfire.analysis.quantities import main_quantity
from signalfire.analysis.sentiment import LIFTED
from signalfire.analysis.text import Sentence
from signalfire.models.analysis import DealValue, EventMention, Quantity

# Event types whose deal carries a headline value (an MoU is non-binding; results,
# incidents and deliveries under old contracts have none of their own).
VALUE_EVENTS: frozenset[str] = frozenset(
    {
        "contract",
        "agreement",
        "acquisition",
        "regulatory",
        "cancellation",
        "investment",
        "joint_venture",
    }
)
QUANTITY_BLOCKERS: frozenset[str] = frozenset({"financial_results", "incident", "mou"})
RESTRICTION = re.compile(
    r"sanction|embargo|blacklist|entity list|\bban|block|halt|suspend|refus|den(?:y|ied|ies)|veto",
    re.IGNORECASE,
)


# A law or a regulation has a budget at most, never a deal value ("EDIP, EUR 1.5 billion").
LAWMAKING = re.compile(
    r"\b(?:laws?|bills?|legislation|decrees?|regulations?|directives?|text of|trilogues?)\b",
    re.IGNORECASE,
)


def deal_value(
    types: Sequence[str],
    sents: list[Sentence],
    text: str,
    year: int,
    fx: FxRates,
    events: Sequence[EventMention] = (),
) -> DealValue | None:
    """The headline value, for events that carry one."""
    kinds = set(types)
    if any(m.type == "regulatory" and LAWMAKING.search(m.cue) for m in events):
        kinds.discard("regulatory")
    if not VALUE_EVENTS & kinds:
        return None
    amount = headline_amount(sents, find_amounts(text), year)
    return None if amount is None else to_deal_value(amount, fx)


def deal_quantity(
    events: Sequence[EventMention],
    types: Sequence[str],
    value: DealValue | None,
    sents: list[Sentence],
    *,
    defense: bool,
) -> Quantity | None:
    """How many items the deal covers. A quantity belongs to a deal: none for defence stories
    without one (talks, results, incidents); a civil order still has its count. An export
    approval carries the approved quantity even without a value; a sanction or a ban counts
    nothing. A delivery under an older order counts what is handed over now."""
    approval = any(
        m.type == "regulatory" and (not RESTRICTION.search(m.cue) or LIFTED.search(m.cue))
        for m in events
    )
    has_deal = bool(set(types) - QUANTITY_BLOCKERS - {"regulatory"}) or (
        "regulatory" in types and (value is not None or approval)
    )
    if defense and not has_deal:
        return None
    delivery = "delivery" in types and "contract" not in types
    return main_quantity(sents, delivery=delivery)
