"""Tests for country mentions and the salience rule that picks involved countries."""

from __future__ import annotations

import pytest

from signalfire.analysis.countries import country_mentions, find_countries
from signalfire.analysis.entities import find_entities
from signalfire.analysis.gazetteer import Gazetteer


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return Gazetteer.load_builtin()


def codes(text: str) -> list[str]:
    return [c for c, _, _ in country_mentions(text)]


def involved(text: str, gaz: Gazetteer) -> list[str]:
    return find_countries(text, find_entities(text, gaz), gaz)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Türkiye and Turkiye; Turkish firms in Ankara", ["TR", "TR", "TR", "TR"]),
        ("Romanian troops in București", ["RO", "RO"]),
        ("Kyiv and Kiev", ["UA", "UA"]),
        ("the Kremlin said", ["RU"]),
        ("South Korea's Korean tanks; North Korea", ["KR", "KR", "KP"]),
        ("Whitehall and British officials in the U.K.", ["GB", "GB", "GB"]),
        ("the U.S. and the Pentagon", ["US", "US"]),
    ],
)
def test_mentions_cover_names_demonyms_capitals(text: str, expected: list[str]) -> None:
    """Names, demonyms, capitals and government metonyms map to ISO codes."""
    assert codes(text) == expected


def test_mention_offsets() -> None:
    """Offsets index the original text."""
    text = "Deal with Romania"
    assert country_mentions(text) == [("RO", 10, 17)]


def test_homonym_countries_need_context() -> None:
    """Georgia the US state and Jordan the person are not countries; with cues they are."""
    assert codes("Robins Air Force Base, Georgia, near Atlanta") == []
    assert codes("Michael Jordan scored") == []
    assert codes("Georgia's troops near Tbilisi bordering Russia") == ["GE", "GE", "RU"]


def test_blockers_stop_false_countries() -> None:
    """New England, Latin American and Papua New Guinea are not GB, US or GN."""
    assert codes("New England fans and Latin American carriers in Papua New Guinea") == ["PG"]


def test_headline_and_lead_countries_are_involved(gaz: Gazetteer) -> None:
    """Countries in the title and lead are involved; one passing mention is not."""
    text = (
        "Romania orders K9 howitzers from South Korea\n\n"
        "BUCHAREST - Romania signed a contract with Hanwha Aerospace of South Korea. "
        "The K9 is already used by Poland, Norway and Estonia. Romanian officials "
        "said the Korean system will be delivered soon."
    )
    assert set(involved(text, gaz)) == {"RO", "KR"}


def test_home_country_of_named_company_counts(gaz: Gazetteer) -> None:
    """Rheinmetall's results story involves Germany even with one German mention."""
    text = (
        "Rheinmetall sales jump 46%\n\nRheinmetall reported record orders. "
        + "Demand for ammunition keeps rising across the industry. " * 6
        + "The German group raised its outlook."
    )
    assert involved(text, gaz) == ["DE"]


def test_title_only_mention_in_non_defense_story_is_not_enough(gaz: Gazetteer) -> None:
    """A single title mention with nothing else does not make a country involved."""
    text = "Meet the cafe cat who rules a Kyiv coffee shop\n\nHe sleeps in the window all day."
    assert involved(text, gaz) == []


# The 193 UN member states (ISO 3166-1 alpha-2).
UN_MEMBERS = """AF AL DZ AD AO AG AR AM AU AT AZ BS BH BD BB BY BE BZ BJ BT BO BA BW BR BN BG BF BI
CV KH CM CA CF TD CL CN CO KM CG CD CR CI HR CU CY CZ DK DJ DM DO EC EG SV GQ ER EE SZ ET FJ
FI FR GA GM GE DE GH GR GD GT GN GW GY HT HN HU IS IN ID IR IQ IE IL IT JM JP JO KZ KE KI KP
KR KW KG LA LV LB LS LR LY LI LT LU MG MW MY MV ML MT MH MR MU MX FM MD MC MN ME MA MZ MM NA
NR NP NL NZ NI NE NG MK NO OM PK PW PA PG PY PE PH PL PT QA RO RU RW KN LC VC WS SM ST SA SN
RS SC SL SG SK SI SB SO ZA SS ES LK SD SR SE CH SY TJ TZ TH TL TG TO TT TN TR TM TV UG UA AE
GB US UY UZ VU VE VN YE ZM ZW""".split()  # noqa: SIM905


def test_every_un_member_has_names_beyond_pycountry() -> None:
    """countries.yaml gives each UN member state extra names (demonym and/or capital)."""
    from importlib import resources

    from ruamel.yaml import YAML

    raw = resources.files("signalfire").joinpath("data", "countries.yaml").read_text("utf-8")
    names = YAML(typ="safe").load(raw)["names"]
    assert len(UN_MEMBERS) == 193
    assert [c for c in UN_MEMBERS if len(names.get(c) or []) < 2] == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Kyrgyz traders in Bishkek", ["KG", "KG"]),
        ("a Vietnamese delegation flew to Hanoi", ["VN", "VN"]),
        ("Estonian and Latvian officers met in Tallinn and Riga", ["EE", "LV", "EE", "LV"]),
        ("Dutch ministers in The Hague", ["NL", "NL"]),
        ("Mongolian herders near Ulaanbaatar", ["MN", "MN"]),
        ("Ghanaian and Senegalese troops left Accra for Dakar", ["GH", "SN", "GH", "SN"]),
    ],
)
def test_demonyms_and_capitals_of_smaller_states(text: str, expected: list[str]) -> None:
    """Demonyms and capitals are recognised for states well beyond the usual defence markets."""
    assert codes(text) == expected


def test_currency_prefix_is_not_a_country() -> None:
    """'US$640 million' is a currency amount, not a mention of the United States."""
    assert codes("a contract worth US$640 million") == []


def test_signatories_in_a_list_are_all_involved(gaz: Gazetteer) -> None:
    """Each country in a list that signs an accord is a party, even if named only there."""
    text = (
        "Defence ministers meet in Brussels\n\n"
        + "Ministers discussed ammunition stocks and air defence for hours. " * 5
        + "The accord between Spain, Portugal, Greece and Italy sets common stock levels."
    )
    assert set(involved(text, gaz)) == {"ES", "PT", "GR", "IT"}


def test_a_list_of_past_customers_is_not_a_list_of_parties(gaz: Gazetteer) -> None:
    """Countries listed as users of a system, with no signing verb, stay in passing."""
    text = (
        "Estonia orders more K9 howitzers\n\n"
        "Estonia ordered twelve more K9 howitzers from South Korea's Hanwha Aerospace. "
        + "The army said deliveries start next year. " * 5
        + "The K9 is also used by Finland, Norway, Egypt and Australia."
    )
    assert set(involved(text, gaz)) == {"EE", "KR"}


def test_owner_named_once_in_passing_does_not_add_its_home(gaz: Gazetteer) -> None:
    """'Italy's Leonardo holds 30%' names an owner, not a party to the deal."""
    text = (
        "Poland orders 40 Rosomak vehicles\n\n"
        "Poland's Armament Agency ordered 40 Rosomak armoured vehicles from a Polish maker. "
        + "The vehicles will equip a new brigade in the east of the country. " * 5
        + "Italy's Leonardo holds a 30% stake in one of the suppliers."
    )
    assert involved(text, gaz) == ["PL"]


def test_nationality_of_an_unknown_buyer_in_the_lead_counts(gaz: Gazetteer) -> None:
    """'Thai regional airline Skylark ordered': the demonym names a party of the deal."""
    text = (
        "Skylark orders 20 Embraer jets\n\n"
        "BANGKOK - Thai regional airline Skylark has ordered 20 Embraer E195-E2 jets."
    )
    assert "TH" in involved(text, gaz)


def test_company_named_after_its_town_is_not_a_place_mention(gaz: Gazetteer) -> None:
    """Kongsberg the company is not also a mention of the Norwegian town."""
    text = (
        "Swiss air defence choice delayed\n\n"
        "BERN - Switzerland delayed its choice between Diehl and Kongsberg. "
        + "Swiss officials said tests continue. " * 4
        + "Kongsberg offered NASAMS. Kongsberg said it was confident."
    )
    assert involved(text, gaz) == ["CH"]


def test_rival_that_lost_out_adds_no_home_country(gaz: Gazetteer) -> None:
    """A company named only as the rejected rival ('passing on the Airbus A220') is not a
    party, so its home country is not involved."""
    text = (
        "Fjordfly orders 10 Embraer E2 jets, passing on the Airbus A220\n\n"
        "Fjordfly, a regional carrier from Norway, has ordered 10 Embraer E2 jets for its "
        "Norwegian routes, the airline said. It had also evaluated the Airbus A220-300."
    )
    assert "FR" not in involved(text, gaz)


def test_countries_that_signed_earlier_deals_are_not_signatories(gaz: Gazetteer) -> None:
    """'Has previously signed co-production deals with firms from Germany, Denmark and the
    United States' lists past partners, not parties to today's signing."""
    text = (
        "Estonia and Finland sign joint ammunition production deal\n\n"
        "Estonia and Finland signed an agreement on joint production of artillery shells. "
        + "The army said deliveries start next year. " * 5
        + (
            "Estonia has previously signed co-production deals with companies from Germany, "
            "Denmark and the United States."
        )
    )
    assert set(involved(text, gaz)) == {"EE", "FI"}


def test_countries_named_in_an_ownership_sentence_are_not_signatories(
    gaz: Gazetteer,
) -> None:
    """'Owned jointly by ..., active in Norway, Finland and the US' lists places of business,
    not parties signing something."""
    text = (
        "Nammo and Colt CZ sign ammunition memorandum\n\n"
        "Nammo and Colt CZ signed a memorandum on medium-calibre ammunition in Prague on "
        "Monday. The Czech industry ministry welcomed the memorandum, which covers a study "
        "of joint production lines, training of Czech staff and shared testing ranges, and "
        "said a first report on the study was due in the spring of next year.\n\n"
        "Nammo, owned jointly by the Norwegian state and Finland's Patria, operates plants in "
        "Norway, Finland and the United States."
    )
    got = involved(text, gaz)
    assert "US" not in got and "FI" not in got and "CZ" in got


def test_german_towns_name_germany(gaz: Gazetteer) -> None:
    """Towns and states such as Jena, Frankfurt and Lower Saxony are mentions of Germany."""
    assert codes("plants in Jena, Frankfurt and Lower Saxony") == ["DE", "DE", "DE"]


def test_results_story_names_the_subject_company_home_country(gaz: Gazetteer) -> None:
    """In a results story the home country of the company reporting is involved, even when
    the country itself is never written."""
    text = (
        "Hensoldt raises outlook after strong first half\n\n"
        "Hensoldt raised its outlook on Thursday after first-half revenue rose 12%. "
        "Hensoldt said its order backlog reached a record. Analysts said Hensoldt remained "
        "well placed."
    )
    ms = find_entities(text, gaz)
    assert "DE" in find_countries(text, ms, gaz, results=True)


def test_japanese_service_acronyms_name_japan() -> None:
    """'JGSDF' and 'JMSDF', Japan's ground and maritime forces, imply JP."""
    assert codes("the JGSDF took delivery; a JMSDF destroyer") == ["JP", "JP"]


def test_group_in_headline_is_a_party(gaz: Gazetteer) -> None:
    """A group that heads the story lends its home country even when the country itself
    is never written and the buyer dominates the text."""
    text = (
        "Thales wins Bulgarian radar order\n\n"
        "SOFIA - Bulgaria has ordered six air-surveillance radars, Bulgaria's defence "
        "ministry said, to be installed across Bulgaria by 2028. Bulgarian crews will train "
        "on the new sets next year, and Bulgaria may order more."
    )
    assert involved(text, gaz)[:2] == ["BG", "FR"]


def test_local_arm_in_headline_lends_its_own_country(gaz: Gazetteer) -> None:
    """'MBDA's UK arm' or 'MBDA UK' is the British company, not its French-listed group."""
    text = (
        "MBDA agrees missile licence with Poland\n\n"
        "MBDA's UK arm has agreed to license production of a missile to Poland, with "
        "Polish plants to build the rounds. British officials welcomed the Polish deal, "
        "and a UK minister said Britain would back more such agreements."
    )
    got = involved(text, gaz)
    assert "FR" not in got and "PL" in got


def test_subsidiary_alias_in_headline_is_no_party_bonus(gaz: Gazetteer) -> None:
    """A subsidiary known by a name of its own (Hägglunds for BAE Systems) may be based
    elsewhere: its group's home gets no headline bonus."""
    text = (
        "Hägglunds hands Slovakia its first tracked vehicles\n\n"
        "Slovakia received its first tracked vehicles on Monday, the Slovak defence "
        "ministry said; Slovakia ordered them two years ago for Slovak brigades."
    )
    assert "GB" not in involved(text, gaz)


def test_town_and_us_state_is_a_place_in_the_us(gaz: Gazetteer) -> None:
    """'Everett, Washington' in the lead places the maker's plant in the US, while plain
    'Washington' stays ambiguous and adds nothing on its own."""
    text = (
        "Norway receives last of its patrol aircraft\n\n"
        "OSLO - Norway received its final P-8A on Friday after a ferry flight from "
        "Boeing's plant in Renton, Washington, the Norwegian defence ministry said."
    )
    assert involved(text, gaz) == ["NO", "US"]
    assert "US" not in codes("a ferry flight from Renton, Washington")


def test_seat_after_company_marks_a_local_arm(gaz: Gazetteer) -> None:
    """'BAE Systems Land and Armaments, York, Pennsylvania' is a US company: the DoD award
    involves the US, not the group's British home."""
    text = (
        "BAE Systems Land and Armaments, York, Pennsylvania, was awarded a $50,000,000 "
        "modification for vehicle spares\n\n"
        "BAE Systems Land and Armaments, York, Pennsylvania, was awarded a $50,000,000 "
        "modification for vehicle spares. Work will be performed in York, Pennsylvania."
    )
    assert involved(text, gaz) == ["US"]


def test_unnamed_deal_counterparty_in_body(gaz: Gazetteer) -> None:
    """'bought a stake in a Latvian maker' further down names the deal's other side; 'beat
    a Latvian firm' or a bare passing mention does not."""
    head = (
        "Saab posts higher quarterly profit\n\n"
        "STOCKHOLM - Saab reported higher profit for the quarter on Friday, helped by "
        "strong demand for its radars and anti-tank weapons across its markets. Sales rose "
        "by a fifth, the order book grew again and the company raised its outlook for the "
        "year, saying margins in its dynamics and aeronautics arms had improved.\n\n"
    )
    deal = "Saab also said it had bought a 40% stake in a Latvian maker of sonar buoys."
    rival = "Saab said its bid beat a Latvian firm in a tender for sonar buoys."
    assert "LV" in involved(head + deal, gaz)
    assert "LV" not in involved(head + rival, gaz)


def test_repeated_lead_mentions_count(gaz: Gazetteer) -> None:
    """A country named twice in the lead ('Ottawa chose ... Canada's new frigates') and once
    more below is involved, though it never makes the headline."""
    text = (
        "Five years on: the frigate choice that split a navy\n\n"
        "Five years ago Ottawa chose a British design for Canada's new frigates, a decision "
        "praised at the time.\n\n"
        "Since then the costs have grown, and critics say Canada should have chosen otherwise."
    )
    assert "CA" in involved(text, gaz)


def test_seas_are_not_countries() -> None:
    """The Philippine Sea and the South China Sea are waters, not the Philippines or China."""
    assert codes("patrols in the Philippine Sea and the South China Sea near Japan") == ["JP"]


def test_radio_designation_is_not_china(gaz: Gazetteer) -> None:
    """'AN/PRC-152' radios are a model designation, not the People's Republic of China."""
    text = (
        "Harris wins radio order\n\n"
        "Harris Corp., Rochester, New York, won an order for AN/PRC-152 and PRC-117G radios, "
        "with PRC-152 spares."
    )
    assert "CN" not in involved(text, gaz)


def test_large_us_city_names_the_us(gaz: Gazetteer) -> None:
    """A buyer 'based in Denver' is American; the 'Phoenix Ghost' drone is no city."""
    text = (
        "Denver-based Aspen Wings orders 12 Embraer jets\n\n"
        "Aspen Wings, a regional airline based at Denver International Airport, ordered 12 "
        "Embraer E175 jets on Monday, the carrier said."
    )
    assert "US" in involved(text, gaz)
    assert "US" not in involved("Ukraine gets drones\n\nPhoenix Ghost drones for Ukraine.", gaz)


def test_a_state_body_in_the_headline_acts_for_its_country(gaz: Gazetteer) -> None:
    """'NAVFAC awards ...', 'Pentagon's policy chief ...': the headline's state body is the
    party, so its country is involved even when the text never writes the country."""
    text = (
        "Pentagon names new procurement chief\n\n"
        "The department said the new chief starts next month. "
        + "Officials gave no further details on the programme. "
        * 5
    )
    assert "US" in involved(text, gaz)
