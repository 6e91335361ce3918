"""Tests for entity recognition: matching rules, homonyms and the rubric's entity list."""

from __future__ import annotations

import pytest

from signalfire.analysis.entities import find_entities, main_entities
from signalfire.analysis.gazetteer import Gazetteer


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return Gazetteer.load_builtin()


def ids(text: str, gaz: Gazetteer) -> list[str]:
    return [m.id for m in find_entities(text, gaz)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Saab's order book grew.", ["saab"]),
        ("ASELSAN\u2019s radar was shown.", ["aselsan"]),
        ("Hyundai-Rotem delivered tanks.", ["hyundai-rotem"]),
        ("Poland flies F16 and F-16s; more F-16 jets come.", ["f-16", "f-16", "f-16"]),
        ("Uzina Mecanică București delivered.", ["uzina-mecanica-bucuresti"]),
        ("Türk Havacılık ve Uzay Sanayii signed.", ["tusas"]),
        ("Turk Havacilik ve Uzay Sanayii signed.", ["tusas"]),
    ],
)
def test_alias_forms(text: str, expected: list[str], gaz: Gazetteer) -> None:
    """Possessives, curly quotes, hyphen variants, plurals and diacritics all match."""
    assert ids(text, gaz) == expected


def test_offsets_index_the_original_text(gaz: Gazetteer) -> None:
    """Offsets point into the unfolded text, including after diacritics."""
    text = "Ministerul Apărării Naționale and Uzina Mecanică București"
    spans = [text[m.start : m.end] for m in find_entities(text, gaz)]
    assert spans == ["Ministerul Apărării Naționale", "Uzina Mecanică București"]


def test_no_match_inside_words(gaz: Gazetteer) -> None:
    """A company alias inside a longer word is not a mention (no plural for companies)."""
    assert ids("The Saabs and Nammoth were parked.", gaz) == []


def test_acronyms_are_case_sensitive(gaz: Gazetteer) -> None:
    """All-caps aliases match only in capitals: 'kai' or 'Eu' are not KAI or the EU."""
    assert ids("KAI and the EU agreed.", gaz) == ["kai", "eu"]
    assert ids("Kai said the eu-ro rate fell.", gaz) == []


def test_names_need_their_capital(gaz: Gazetteer) -> None:
    """A lower-case common word is not a proper-name alias."""
    assert ids("the patria was proud; a diehl of sorts", gaz) == []


def test_longest_match_wins(gaz: Gazetteer) -> None:
    """Airbus Defence and Space is one mention, not Airbus plus leftovers."""
    text = "Airbus Defence and Space and General Dynamics European Land Systems"
    found = find_entities(text, gaz)
    assert [m.alias for m in found] == [
        "Airbus Defence and Space",
        "General Dynamics European Land Systems",
    ]


def test_zoo_leopard_is_not_the_tank(gaz: Gazetteer) -> None:
    """Leopard cubs at a zoo are animals; a Leopard 2A8 order is the tank."""
    zoo = "Two Leopard Cubs Born\n\nThe zoo said the Leopard cubs and their mother are well."
    assert "leopard-2" not in ids(zoo, gaz)
    tank = "Lithuania ordered 44 Leopard 2A8 tanks. The Leopards will equip a battalion."
    assert ids(tank, gaz).count("leopard-2") == 2


def test_football_patriots_are_not_the_missile(gaz: Gazetteer) -> None:
    """The Patriots signing a quarterback are a team; Patriot batteries are the system."""
    football = "Patriots add veteran quarterback\n\nThe NFL team signed him for the season."
    assert "patriot" not in ids(football, gaz)
    missile = "Germany sends two Patriot batteries with interceptor missiles to Poland."
    assert "patriot" in ids(missile, gaz)


def test_thales_philosopher_is_not_the_company(gaz: Gazetteer) -> None:
    """Thales of Miletus is a philosopher; a Thales radar contract is Thales Group."""
    talk = "A packed library hears the case for Thales, the philosopher of Miletus."
    assert "thales" not in ids(talk, gaz)
    deal = "Thales will supply Ground Master radars under a defence contract."
    assert ids(deal, gaz) == ["thales"]


def test_cobra_snake_is_not_cobra_ii(gaz: Gazetteer) -> None:
    """A venomous cobra is a snake; Otokar's Cobra II is the vehicle."""
    snake = "A Cobra bit a farmer; the snake's venom was treated with antivenom."
    assert "cobra-ii" not in ids(snake, gaz)
    vehicle = "Otokar will deliver the first Cobra II 4x4 armoured vehicles."
    assert ids(vehicle, gaz) == ["otokar", "cobra-ii"]


def test_javelin_cat_is_not_the_missile(gaz: Gazetteer) -> None:
    """A cafe cat named Javelin is not the anti-tank missile."""
    cat = "Meet Javelin, the cafe cat. Javelin sleeps at the vet and the barista feeds him."
    assert ids(cat, gaz) == []
    assert "javelin" in ids("Kyiv received more Javelin anti-tank missiles.", gaz)


def test_the_alliance_needs_nato_named(gaz: Gazetteer) -> None:
    """'the Alliance' is NATO only when NATO itself is named in the text."""
    assert ids("the Alliance of small shops met.", gaz) == []
    assert ids("NATO met. the Alliance agreed.", gaz) == ["nato", "nato"]


def test_carrier_strike_group_is_not_czechoslovak_group(gaz: Gazetteer) -> None:
    """CSG after a carrier strike group is the Navy unit, not Czechoslovak Group."""
    navy = "USS Ronald Reagan Carrier Strike Group (CSG) 5 sailed with the Navy fleet."
    assert "csg" not in ids(navy, gaz)
    ammo = "The Czech ammunition maker CSG bought a plant."
    assert ids(ammo, gaz) == ["csg"]


def test_main_entities_skip_programmes_and_fold_to_vocabulary(gaz: Gazetteer) -> None:
    """Programmes do not count; with a vocabulary a subsidiary counts as its group."""
    text = "Uzina Mecanica Sadu, a ROMARM plant, and the K9 howitzer; Bumar-Labedy too."
    found = find_entities(text, gaz)
    assert set(main_entities(found, gaz)) == {"uzina-mecanica-sadu", "romarm", "bumar-labedy"}
    assert main_entities(found, gaz, vocabulary={"romarm", "pgz"}) == ["romarm", "pgz"]
    assert "romarm" in main_entities(find_entities("Uzina Mecanica Sadu", gaz), gaz, None, True)


def test_painter_leonardo_is_not_the_company_anywhere_in_the_article(gaz: Gazetteer) -> None:
    """Once 'Leonardo da Vinci' shows the painter, later bare 'Leonardo' mentions are him
    too, even near defence words such as 'helicopter' (one sense per article)."""
    text = (
        "Leonardo da Vinci's flying machines go on show\n\n"
        + "The museum shows the sketches in dim light for visitors. " * 8
        + "Leonardo drew a screw that some call the first helicopter design, with weapons."
    )
    assert "leonardo" not in ids(text, gaz)
    company = "Leonardo will deliver AW149 helicopters to the army under a defence contract."
    assert ids(company, gaz)[0] == "leonardo"


def test_subsidiary_named_as_a_product_brand_does_not_credit_its_group(gaz: Gazetteer) -> None:
    """'launchers on Jelcz trucks' is about the trucks: PGZ is not an entity of the story;
    Jelcz acting as a company still folds into PGZ."""
    brand = "The launchers are mounted on Jelcz trucks."
    assert main_entities(find_entities(brand, gaz), gaz, {"pgz"}, text=brand) == []
    actor = "Jelcz will supply 300 trucks to the army."
    assert main_entities(find_entities(actor, gaz), gaz, {"pgz"}, text=actor) == ["pgz"]


def test_classic_saab_cars_are_not_the_defence_group(gaz: Gazetteer) -> None:
    """Saab the car brand (a vintage Saab 96 at a club meeting) is a homonym of Saab AB."""
    text = (
        "Vintage Saab cars lined the harbour as the owners club met for its summer rally. "
        "A restored Saab 96 convertible won the prize for the best classic."
    )
    assert "saab" not in ids(text, gaz)


def test_saab_without_cues_is_still_the_defence_group(gaz: Gazetteer) -> None:
    """With no car words nearby, a bare 'Saab' is the defence group (the default sense)."""
    assert "saab" in ids("Saab and a Finnish partner sign a cooperation plan", gaz)
    assert "saab" in ids("Sweden orders more Gripen fighters from Saab", gaz)
