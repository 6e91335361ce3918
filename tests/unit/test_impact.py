"""Impact score: rubric bands, named contributions, weights from YAML."""

from __future__ import annotations

import pytest

from signalfire.analysis.impact import ImpactInput, ImpactWeights, score_impact, value_points
from signalfire.models.analysis import DealValue, EventMention, Quantity

W = ImpactWeights.load_builtin()


def _ev(t: str, cue: str = "cue") -> EventMention:
    return EventMention(type=t, cue=cue)  # type: ignore[arg-type]


def _dv(eur: float) -> DealValue:
    return DealValue(amount=eur, currency="EUR", eur=eur)


@pytest.mark.parametrize(
    ("eur", "low", "high"),
    [(10e6, 3, 4), (120e6, 5, 6), (1.5e9, 7, 8), (12e9, 9, 10)],
)
def test_contract_value_lands_in_the_rubric_band(eur: float, low: int, high: int) -> None:
    """Orders < EUR 50M score 3-4, 50M-500M 5-6, 500M-5B 7-8, over 5B 9-10."""
    score, reasons = score_impact(ImpactInput(True, [_ev("contract")], _dv(eur), ""), W)
    assert low <= score <= high
    assert reasons and reasons[0].name == "value:contract"


@pytest.mark.parametrize(
    ("eur", "expected"),
    [
        (49e6, 4),
        (50e6, 5),
        (190e6, 5),
        (210e6, 6),
        (490e6, 6),
        (500e6, 7),
        (1.9e9, 7),
        (2.1e9, 8),
        (5e9, 9),
    ],
)
def test_value_scale_enters_each_band_at_its_edge(eur: float, expected: int) -> None:
    """A contract worth the rubric's band edge (EUR 50M, 500M, 5B) is the first to score
    the band's lower number; the upper number takes the top 40% of the band (log scale),
    so EUR 190M is still a 5, 490M a 6, 500M a 7 and 1.9B a 7."""
    assert score_impact(ImpactInput(True, [_ev("contract")], _dv(eur), ""), W)[0] == expected


def test_value_points_rise_with_the_value_and_two_per_band() -> None:
    """Points grow continuously (adjustments keep their effect) and by two per band."""
    values = [10e6 * 1.1**i for i in range(80)]
    points = [value_points(v, W) for v in values]
    assert points == sorted(points)
    assert value_points(500e6, W) - value_points(50e6, W) == pytest.approx(2.0)


def test_non_defense_and_no_event() -> None:
    """Non-defence stories score 1; defence stories with no decision score 2."""
    assert score_impact(ImpactInput(False, [], None, ""), W)[0] == 1
    assert score_impact(ImpactInput(True, [], None, ""), W)[0] == 2


def test_most_consequential_event_wins() -> None:
    """A story's impact is that of its strongest event, not a sum over events."""
    events = [_ev("financial_results"), _ev("mou")]
    assert score_impact(ImpactInput(True, events, None, ""), W)[0] == 5


def test_incident_severity_adds_named_points() -> None:
    """A hostile strike destroying buildings outscores a small contained fire."""
    small = "A small fire broke out in a storage shed at the plant; nobody was hurt."
    big = "A missile strike destroyed two workshops at the plant and killed a guard."
    s_small, _ = score_impact(ImpactInput(True, [_ev("incident")], None, small), W)
    s_big, why = score_impact(ImpactInput(True, [_ev("incident")], None, big), W)
    assert s_small == 3 and s_big >= 6
    assert {"incident_hostile_attack", "incident_destruction"} <= {c.name for c in why}


def test_score_is_clamped() -> None:
    """Huge values never push the score past 10."""
    assert score_impact(ImpactInput(True, [_ev("contract")], _dv(1e13), ""), W)[0] == 10


def test_weights_from_mapping_are_used() -> None:
    """Weights are data: a different table changes the score."""
    data = {
        "non_defense": 1,
        "no_event": 2,
        "base": {"mou": 3},
        "value": {
            "floor": 3,
            "band_edge_eur": 50e6,
            "band_points": 5,
            "upper_from": 0.6,
            "hint_eur": 1e9,
            "types": [],
        },
        "adjust": {},
    }
    w = ImpactWeights.from_mapping(data)
    assert score_impact(ImpactInput(True, [_ev("mou")], None, ""), w)[0] == 3


def test_agreement_among_three_or_more_countries_scores_higher() -> None:
    """A multinational accord (parties with 3+ ISO codes) gains the named adjustment."""
    w = ImpactWeights.load_builtin()
    bilateral = EventMention(type="agreement", cue="signed", parties=["DE", "NL", "rheinmetall"])
    multi = EventMention(type="agreement", cue="signed", parties=["DE", "NL", "DK", "EE"])
    low, _ = score_impact(ImpactInput(True, [bilateral], None, ""), w)
    high, parts = score_impact(ImpactInput(True, [multi], None, ""), w)
    assert high == low + 2
    assert "multinational_agreement" in {p.name for p in parts}


def test_export_approvals_and_laws_are_notable_but_an_unnamed_sanction_is_not() -> None:
    """A state's arms-export approval with no value scores 6 (RUBRIC 5-6 'notable export
    approval'), as does a law or decree that sets rules for the whole industry; a sanction
    that names no major firm keeps the regulatory base of 5."""
    approval = _ev("regulatory", "approved the export of the fighters")
    assert score_impact(ImpactInput(True, [approval], None, ""), W)[0] == 6
    sanction = _ev("regulatory", "imposed sanctions")
    assert score_impact(ImpactInput(True, [sanction], None, ""), W)[0] == 5
    law = _ev("regulatory", "passed a law")
    score, why = score_impact(ImpactInput(True, [law], None, ""), W)
    assert score == 6 and "legislation" in {c.name for c in why}


@pytest.mark.parametrize(
    "text",
    [
        "The Army signed a multibillion-dollar contract for 184 helicopters.",
        "It is the largest export contract in the history of the country's defence industry.",
    ],
)
def test_a_deal_described_as_multibillion_or_record_scores_as_one(text: str) -> None:
    """With no figure printed, "multibillion-dollar" or "the largest export contract in its
    history" puts an order in the EUR 500M-5B band (7); a plain order stays at its base."""
    score, why = score_impact(ImpactInput(True, [_ev("contract")], None, text), W)
    assert score == 7 and why[0].name == "value_hint:contract"
    plain = "The Army signed a contract for 12 trucks."
    assert score_impact(ImpactInput(True, [_ev("contract")], None, plain), W)[0] == 4


def test_fatal_blast_is_a_five_and_ruled_out_sabotage_adds_nothing() -> None:
    """A deadly explosion at a plant scores 5; 'no indication of sabotage' is not an attack."""
    text = (
        "An explosion at the ammunition plant killed two workers. Officials said there was "
        "no indication of sabotage."
    )
    score, why = score_impact(ImpactInput(True, [_ev("incident")], None, text), W)
    assert score == 5
    assert "incident_hostile_attack" not in {c.name for c in why}


def test_joint_production_founded_by_a_signed_accord_is_a_seven() -> None:
    """A joint venture founded by a signed agreement (between states or companies) scores 7
    (RUBRIC: agreements creating joint production), as with technology transfer; a venture
    reported on its own stays at its base of 6."""
    states = EventMention(type="agreement", cue="signed an agreement", parties=["RO", "UA"])
    companies = EventMention(type="agreement", cue="signed an agreement", parties=["acme"])
    jv = _ev("joint_venture")
    assert score_impact(ImpactInput(True, [states, jv], None, ""), W)[0] == 7
    assert score_impact(ImpactInput(True, [companies, jv], None, ""), W)[0] == 7
    assert score_impact(ImpactInput(True, [jv, _ev("tech_transfer")], None, ""), W)[0] == 7
    assert score_impact(ImpactInput(True, [jv], None, ""), W)[0] == 6


def test_a_stated_value_measures_joint_production_without_a_bonus() -> None:
    """With a value, the venture scores on the value scale alone (EUR 3.1B -> 8, not 9)."""
    events = [_ev("joint_venture"), _ev("tech_transfer")]
    score, why = score_impact(ImpactInput(True, events, _dv(3.1e9), ""), W)
    assert score == 8
    assert "joint_production" not in {c.name for c in why}


def test_an_approved_sale_scores_as_a_notable_approval_whatever_its_size() -> None:
    """An approval is not yet an order: $5.6 billion approved scores 7 at most (the labelled
    sets put approvals of $0.3-5.6 billion at 6-7), while a restriction is not capped."""
    approval = EventMention(type="regulatory", cue="approved the possible sale")
    assert score_impact(ImpactInput(True, [approval], _dv(5.1e9), ""), W)[0] == 7
    assert score_impact(ImpactInput(True, [_ev("contract")], _dv(5.1e9), ""), W)[0] == 9


def test_a_cancellation_without_a_figure_is_a_six() -> None:
    """A contract or programme ended or cut, its size not stated, scores 6 (labelled 5-7)."""
    assert score_impact(ImpactInput(True, [_ev("cancellation")], None, ""), W)[0] == 6


@pytest.mark.parametrize(
    ("count", "item", "etype", "expected"),
    [
        (54, "Leopard 2A8 main battle tanks", "contract", 7),
        (48, "KAAN fighter jets", "contract", 8),
        (1_500_000, "large-calibre artillery rounds", "delivery", 6),
        (6, "radios", "contract", 4),
    ],
)
def test_a_count_of_costly_items_sizes_a_deal_without_a_value(
    count: int, item: str, etype: str, expected: int
) -> None:
    """54 tanks or 48 fighters with no value printed are as consequential as their typical
    price (EUR 540M, 3.4B); a delivery counts two points less than the order; items with no
    typical price keep the type's base."""
    q = Quantity(count=count, item=item)
    assert score_impact(ImpactInput(True, [_ev(etype)], None, "", quantity=q), W)[0] == expected


def test_a_model_name_is_sized_by_the_lead_but_a_named_item_only_by_itself() -> None:
    """ "54 Leopard 2A8s" take their class from the lead ("its tank question"); "5,000 guided
    rockets" are not the "missile" of the headline (rockets have no typical price here)."""
    lead = "Norway has settled its tank question: 54 new Leopard 2A8s from KNDS."
    model = Quantity(count=54, item="Leopard 2A8s")
    assert score_impact(ImpactInput(True, [_ev("contract")], None, lead, quantity=model), W)[0] == 7
    headline = (
        "Hanwha to build missile plant in Poland. It won a contract for 5,000 guided rockets."
    )
    rockets = Quantity(count=5000, item="guided rockets")
    score, _ = score_impact(
        ImpactInput(True, [_ev("contract")], None, headline, quantity=rockets), W
    )
    assert score == 4
