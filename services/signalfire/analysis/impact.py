"""Operational impact 1..10 as a sum of named contributions (RUBRIC.md bands).

The score is that of the most consequential event plus named adjustments, so an analyst can
read why a story scored 7. A deal value scores by where it falls in the rubric's bands (a
decade each, two points each: EUR 50M-500M is 5-6): the band's lower number from its lower
edge, the upper number from a set fraction of the band on (labellers keep the lower number
for most of a band). Weights live in data/impact-weights.yaml.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from signalfire.analysis.sentiment import event_polarity
from signalfire.files.packaged import packaged_yaml
from signalfire.models.analysis import Contribution, DealValue, EventMention, Quantity

_I = re.IGNORECASE


# Countries among an agreement's parties (ISO codes are upper case, entity ids lower case)
# from which it is a multinational accord rather than a bilateral deal.
MULTINATIONAL = 3


@dataclass(frozen=True, slots=True)
class ImpactWeights:
    """The weights of data/impact-weights.yaml."""

    non_defense: float
    no_event: float
    base: Mapping[str, float]
    value_floor: float
    value_band_eur: float  # lower edge of the band whose numbers are value_band_points, +1
    value_band_points: float
    value_upper_from: float  # fraction of a band (log scale) from which its upper number holds
    value_hint_eur: float  # what "multibillion" or "record" stands for when no figure is given
    approval_max: float  # the most an approval's value scores (it is not yet an order)
    value_types: frozenset[str]
    adjust: Mapping[str, float]
    # (item pattern, EUR per item): what a deal of N items is worth when no value is given.
    unit_eur: tuple[tuple[re.Pattern[str], float], ...] = ()
    implied_types: frozenset[str] = frozenset()

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> ImpactWeights:
        """Weights from a parsed YAML mapping."""
        v = data["value"]
        return cls(
            non_defense=float(data["non_defense"]),
            no_event=float(data["no_event"]),
            base={k: float(x) for k, x in data["base"].items()},
            value_floor=float(v["floor"]),
            value_band_eur=float(v["band_edge_eur"]),
            value_band_points=float(v["band_points"]),
            value_upper_from=float(v["upper_from"]),
            value_hint_eur=float(v["hint_eur"]),
            approval_max=float(v.get("approval_max", 10)),
            value_types=frozenset(v["types"]),
            adjust={k: float(x) for k, x in data["adjust"].items()},
            unit_eur=tuple(
                (re.compile(rf"\b(?:{u['item']})\b", _I), float(u["eur"]))
                for u in data.get("implied", {}).get("unit_eur", [])
            ),
            implied_types=frozenset(data.get("implied", {}).get("types", [])),
        )

    @classmethod
    def load_builtin(cls) -> ImpactWeights:
        """The weights shipped in signalfire/data/impact-weights.yaml."""
        return cls.from_mapping(packaged_yaml("impact-weights.yaml"))


@dataclass(frozen=True, slots=True)
class ImpactInput:
    """What the score depends on (all already extracted)."""

    defense: bool
    events: Sequence[EventMention]
    deal_value: DealValue | None
    text: str
    sanctioned_major: bool = False
    quantity: Quantity | None = None


_GENERIC_WORD = re.compile(r"(?<![\w-])[a-z]{3,}(?![\w-])")


def implied_eur(inp: ImpactInput, w: ImpactWeights) -> float | None:
    """What the deal's items are worth at a typical unit price, when the article gives a
    count but no value ("54 new Leopard 2A8s", "1.5 million rounds delivered"): the item
    names its class, or else the first class named in the lead ("its tank question")."""
    q = inp.quantity
    if q is None or not w.unit_eur:
        return None
    # The lead speaks for the item only when the item is a bare model name ("Leopard 2A8s");
    # "guided rockets" are not the "missile" of the headline.
    wheres = [q.item] if _GENERIC_WORD.search(q.item) else [q.item, inp.text[:600]]
    for where in wheres:
        best: tuple[int, float] | None = None
        for rx, eur in w.unit_eur:
            m = rx.search(where)
            if m is not None and (best is None or m.start() < best[0]):
                best = (m.start(), eur)
        if best is not None:
            return q.count * best[1]
    return None


def value_points(eur: float, w: ImpactWeights) -> float:
    """Points of a deal value: continuous and rising with the value, rounding to a band's
    lower number from its edge (EUR 50M -> 4.5) and to its upper number from `upper_from`
    of the band on (EUR 50M * 10**0.6 = 199M -> 5.5), so adjustments keep their effect."""
    decades = math.log10(max(eur, 1.0) / w.value_band_eur)
    band = math.floor(decades)
    frac = decades - band
    f = w.value_upper_from
    within = frac / f if frac < f else 1.0 + (frac - f) / (1.0 - f)
    return w.value_band_points - 0.5 + 2.0 * band + within


_LEGISLATION = re.compile(
    r"\b(?:laws?|decrees?|legislation|bills?|act|ordinances?|regulations?|directives?|text of|"
    r"trilogues?)\b",
    _I,
)
# Size words for a deal whose value is not printed.
_LARGE_UNSTATED = re.compile(
    r"\bmulti-?billion\b|\bbillion-(?:dollar|euro|pound)\b|\b(?:largest|biggest) (?:single |ever |"
    r"\w+ ){0,3}(?:contract|order|deal|export|acquisition|purchase|programme|program)s?\b"
    r"[^.;]{0,60}\b(?:ever|in (?:its|their|the (?:\w+'s )?|(?:\w+'s )?)history|to date)\b",
    _I,
)
# An approval of arms sales or exports (not a law or a decree, which are regulatory too).
_EXPORT_APPROVAL = re.compile(
    r"\b(?:exports?|sales?|Congress|notif\w+|green[- ]?l\w+|clear\w*|licen[cs]es?|"
    r"transfers?|purchase|buy)\b",
    _I,
)
# "There was no indication of sabotage": an attack that was ruled out.
_RULED_OUT = re.compile(
    r"\b(?:no|not|ruled out|rule out|without|denied|unlikely)\b[^.;]{0,30}$", _I
)


def _incident_adjustments(text: str, w: ImpactWeights) -> list[Contribution]:
    out: list[Contribution] = []
    lead = text[:1500]
    if re.search(
        r"\b(?:killed|killing|dead|died|deaths?|fatalit\w+)\b", lead, _I
    ) and not re.search(
        r"\bno (?:one|deaths?|fatalities)\b|\bnobody\b[^.]{0,20}\b(?:killed|died)", lead, _I
    ):
        out.append(
            Contribution(
                name="incident_fatalities",
                points=w.adjust["incident_fatalities"],
                why="people were killed",
            )
        )
    if re.search(r"\b(?:destroyed|razed|levelled|leveled|gutted|badly damaged)\b", lead, _I):
        out.append(
            Contribution(
                name="incident_destruction",
                points=w.adjust["incident_destruction"],
                why="production buildings destroyed or badly damaged",
            )
        )
    if any(
        not _RULED_OUT.search(lead[max(0, a.start() - 40) : a.start()])
        for a in re.finditer(
            r"\b(?:missile|drone|rocket|air|ballistic|artillery)\s(?:strikes?|attacks?)\b|"
            r"\bsabotage\b|\barson\b",
            lead,
            _I,
        )
    ):
        out.append(
            Contribution(
                name="incident_hostile_attack",
                points=w.adjust["incident_hostile_attack"],
                why="deliberate attack on defence industry",
            )
        )
    return out


def _event_score(
    m: EventMention, inp: ImpactInput, w: ImpactWeights
) -> tuple[float, list[Contribution]]:
    parts = [
        Contribution(
            name=f"base:{m.type}",
            points=w.base.get(m.type, w.no_event),
            why=f"{m.type} reported ('{m.cue[:60]}')",
        )
    ]
    dv = inp.deal_value
    if dv is not None and m.type in w.value_types:
        # A stated value says more than the type's default: it replaces the base.
        pts = max(w.value_floor, value_points(dv.eur, w))
        if m.type == "regulatory" and event_polarity(m) > 0:
            # An approved sale is a notable approval (RUBRIC 5-6), not yet the order: the
            # labelled sets score approvals of $0.3-5.6 billion 6 or 7, whatever the size.
            pts = min(pts, w.approval_max)
        parts = [
            Contribution(
                name=f"value:{m.type}",
                points=round(pts, 2),
                why=f"{m.type} worth EUR {dv.eur / 1e6:,.0f}M",
            )
        ]
        if m.type in ("regulatory", "cancellation"):
            parts.append(
                Contribution(
                    name="not_firm",
                    points=w.adjust["not_firm"],
                    why="approval or cancelled tender, not a firm order",
                )
            )
    if dv is None and m.type in w.value_types and _LARGE_UNSTATED.search(inp.text[:2000]):
        # "A multibillion-dollar contract", "the largest export contract in the country's
        # history": no figure, but the order is at least in the EUR 500M-5B band.
        parts = [
            Contribution(
                name=f"value_hint:{m.type}",
                points=round(value_points(w.value_hint_eur, w), 2),
                why=f"{m.type} described as multibillion or record-sized, no figure given",
            )
        ]
    q = inp.quantity
    implied = implied_eur(inp, w) if dv is None and m.type in w.implied_types else None
    if q is not None and implied is not None:
        # A count of costly items sizes the deal as its value would (RUBRIC bands); a
        # delivery under an older order counts for less than the order did.
        pts = value_points(implied, w)
        if m.type == "delivery":
            pts += w.adjust["delivery_of_value"]
        if pts > sum(p.points for p in parts):
            why = f"{q.count:,} {q.item} at a typical unit price: about EUR {implied / 1e6:,.0f}M"
            parts = [Contribution(name=f"implied_value:{m.type}", points=round(pts, 2), why=why)]
    types = {e.type for e in inp.events}
    # Joint production with new capacity, technology transfer or a signed founding accord is
    # its own band (7-8); a stated value already measures the deal, so it is not added.
    if (
        m.type == "joint_venture"
        and dv is None
        and types & {"investment", "tech_transfer", "agreement"}
    ):
        parts.append(
            Contribution(
                name="joint_production",
                points=w.adjust["joint_production"],
                why="joint production with new capacity, technology transfer or a signed accord",
            )
        )
    if (
        m.type == "regulatory"
        and dv is None
        and event_polarity(m) > 0
        and _EXPORT_APPROVAL.search(m.cue)
    ):
        parts.append(
            Contribution(
                name="export_approval",
                points=w.adjust["export_approval"],
                why="a state approved an arms export (a notable approval, RUBRIC 5-6)",
            )
        )
    if m.type == "agreement" and sum(p.isupper() for p in m.parties) >= MULTINATIONAL:
        parts.append(
            Contribution(
                name="multinational_agreement",
                points=w.adjust["multinational_agreement"],
                why=f"agreement among {MULTINATIONAL} or more countries",
            )
        )
    if m.type == "delivery" and re.search(r"\bfirst\b", m.cue + inp.text[:300], _I):
        parts.append(
            Contribution(
                name="first_delivery",
                points=w.adjust["first_delivery"],
                why="first delivery / start of series production",
            )
        )
    if m.type == "regulatory" and _LEGISLATION.search(m.cue):
        parts.append(
            Contribution(
                name="legislation",
                points=w.adjust["legislation"],
                why="a law or decree changes the rules for a whole industry",
            )
        )
    if m.type == "regulatory" and inp.sanctioned_major:
        parts.append(
            Contribution(
                name="sanctions_major_firm",
                points=w.adjust["sanctions_major_firm"],
                why="sanctions name a major known company",
            )
        )
    if m.type == "incident":
        parts.extend(_incident_adjustments(inp.text, w))
    return sum(p.points for p in parts), parts


def score_impact(inp: ImpactInput, w: ImpactWeights) -> tuple[int, list[Contribution]]:
    """Impact 1..10 and the contributions of the most consequential event."""
    if not inp.defense:
        return int(w.non_defense), [
            Contribution(
                name="non_defense", points=w.non_defense, why="not about the defence industry"
            )
        ]
    if not inp.events:
        return int(w.no_event), [
            Contribution(
                name="no_event", points=w.no_event, why="no decision or event reported now"
            )
        ]
    total, parts = max((_event_score(m, inp, w) for m in inp.events), key=lambda x: x[0])
    return max(1, min(10, math.floor(total + 0.5))), parts
