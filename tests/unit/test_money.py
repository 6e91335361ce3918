"""Money parsing and the choice of the headline deal value."""

from __future__ import annotations

import pytest

from signalfire.analysis.fx import FxRates
from signalfire.analysis.money import find_amounts, headline_amount, to_deal_value
from signalfire.analysis.text import sentences


@pytest.mark.parametrize(
    ("text", "amount", "currency"),
    [
        ("€640 million", 640e6, "EUR"),
        ("$3.4bn", 3.4e9, "USD"),
        ("EUR 2.1 billion", 2.1e9, "EUR"),
        ("1.9 billion Turkish lira", 1.9e9, "TRY"),
        ("75 mln zlotys", 75e6, "PLN"),
        ("₩1.5 trillion", 1.5e12, "KRW"),
        ("US$ 12m", 12e6, "USD"),
        ("USD 8.75 million", 8.75e6, "USD"),
        ("450 million Swedish crowns", 450e6, "SEK"),
        ("300 million NOK", 300e6, "NOK"),
        ("2.4 billion lei", 2.4e9, "RON"),
        ("£95m", 95e6, "GBP"),
        ("$48,765,432", 48765432, "USD"),
        ("$2-2.5 billion", 2e9, "USD"),
    ],
)
def test_amount_forms_are_parsed(text: str, amount: float, currency: str) -> None:
    """Symbols, ISO codes, currency words, scale words and DoD exact amounts all parse."""
    found = find_amounts(f"a deal worth {text} was signed")
    assert [(a.amount, a.currency) for a in found] == [(amount, currency)]


def test_words_that_look_like_codes_are_not_money() -> None:
    """'won 3 medals' and a calibre are not amounts."""
    assert find_amounts("The team won 3 medals and fired 155mm rounds") == []


def _headline(title: str, body: str) -> float | None:
    a = headline_amount(sentences(title, body), find_amounts(f"{title}\n\n{body}"), 2025)
    return None if a is None else a.amount


def test_option_value_is_not_the_headline() -> None:
    """The amount awarded now beats the value reached if all options are exercised."""
    body = (
        "The army signed a contract worth $210 million for 300 trucks. If all options are "
        "exercised, the cumulative value would rise to $640 million."
    )
    assert _headline("Army buys trucks", body) == 210e6


def test_obligated_funds_lose_to_the_award() -> None:
    """DoD 'funds ... obligated at time of award' is not the award amount."""
    body = (
        "Acme Corp., Dayton, Ohio, was awarded a $45,000,000 contract for radios. Fiscal 2024 "
        "funds in the amount of $2,500,000 are being obligated at time of award."
    )
    assert _headline(body.split(". ")[0], body) == 45e6


def test_background_and_revenue_amounts_are_skipped() -> None:
    """Revenue and a deal from an earlier year do not become the headline value."""
    body = (
        "The company's revenue reached EUR 4 billion last year. It previously won a EUR 900 "
        "million order in 2019. The new contract is worth EUR 120 million."
    )
    assert _headline("Firm wins new order", body) == 120e6


def test_conversion_uses_fixed_rates() -> None:
    """DealValue carries the EUR equivalent at the fixed rate."""
    fx = FxRates.from_mapping({"EUR": 1.0, "USD": 0.9})
    dv = to_deal_value(find_amounts("$100 million")[0], fx)
    assert dv is not None and dv.eur == pytest.approx(90e6) and dv.currency == "USD"


def test_builtin_rates_cover_the_contract_currencies() -> None:
    """The shipped rates include the currencies named in the contract."""
    fx = FxRates.load_builtin()
    for code in ("EUR", "USD", "GBP", "TRY", "PLN", "RON", "KRW", "SEK", "NOK"):
        assert fx.to_eur(1.0, code) is not None


def test_background_deal_value_is_not_the_headline() -> None:
    """A contract signed in an earlier year, with its value, is background to today's news."""
    body = (
        "The two firms will build a rocket plant near Gdansk. "
        "Their first contract, signed in 2021, covered 80 launchers and was worth $1.2 billion."
    )
    assert _headline("Polish and Korean firms form rocket venture", body) is None


def test_framework_ceiling_that_could_be_reached_is_not_the_deal_value() -> None:
    """'could have a ceiling of', 'a possible ceiling of': potential, not agreed now."""
    body = (
        "The agency will negotiate a framework contract with the maker. "
        "Officials said the framework could have a ceiling of about €2 billion. "
        "Diplomats cited a possible ceiling of €2.5 billion for the framework."
    )
    assert _headline("Six nations sign joint air-defence purchase agreement", body) is None


def test_price_paid_for_a_stake_beats_the_whole_company_valuation() -> None:
    """'would pay €200 million for 60%' is the deal; 'values the business at' is not."""
    title = "Gun maker changes hands in deal valuing it at €330m"
    body = (
        "The Spanish group said it would pay €200 million for 60% of the company, a price "
        "that values the whole business at €330 million."
    )
    assert _headline(title, body) == 200e6


def test_estimated_package_value_is_the_headline() -> None:
    """'a package put at an estimated $250 million' is the value of the approved sale."""
    body = (
        "The State Department notified Congress of a possible sale of radars, in a package "
        "the agency put at an estimated $250 million."
    )
    assert _headline("US clears radar sale to Latvia", body) == 250e6


def test_expected_cumulative_orders_are_not_a_deal_value() -> None:
    """A forecast of orders over coming years, with nothing signed, has no headline value."""
    title = "Two governments agree to co-produce anti-tank missiles"
    body = (
        "The defence ministers signed an agreement on joint production on Monday. "
        "Officials estimate the cumulative value of missile orders anticipated over the coming "
        "decade at roughly $4.1bn, although no production contract has yet been signed."
    )
    assert _headline(title, body) is None


def test_contract_value_spread_over_years_is_still_the_headline() -> None:
    """'Worth $800 million over seven years' is the signed contract's value."""
    title = "Navy signs maintenance contract for its frigates"
    body = "The navy signed a contract worth $800 million over seven years with the shipyard."
    assert _headline(title, body) == 800e6


def test_valued_at_about_after_a_signed_contract_is_the_headline() -> None:
    """'Signed a contract for 24 guns, valued at about $1.2 billion' gives that value."""
    title = "Army signs for 24 howitzers"
    body = (
        "The ministry has signed a contract with the maker for 24 self-propelled howitzers, "
        "valued at about $1.2 billion, in its largest artillery purchase to date."
    )
    assert _headline(title, body) == 1.2e9


@pytest.mark.parametrize(
    ("text", "amount", "currency"),
    [
        ("Ottawa awards a C$725-million frigate refit", 725e6, "CAD"),
        ("The $2.3-billion radar buy was approved", 2.3e9, "USD"),
        ("a 310-million-dollar munitions order", 310e6, "USD"),
        ("Canberra signs an A$1.4-billion drone deal", 1.4e9, "AUD"),
        ("Wellington commits NZ$95 million to new patrol boats", 95e6, "NZD"),
        ("the CA$ 40 million simulator contract", 40e6, "CAD"),
        ("a US$ 600-million helicopter order", 600e6, "USD"),
    ],
)
def test_hyphenated_magnitudes_and_dollar_prefixes(text: str, amount: float, currency: str) -> None:
    """North American hyphenated magnitudes ("$1.2-billion") keep their scale, and the
    C$/A$/NZ$/CA$/US$ prefixes name their own dollar."""
    found = find_amounts(text)
    assert [(a.amount, a.currency) for a in found] == [(amount, currency)]


def test_spending_as_a_verb_is_the_investment() -> None:
    """'Is spending SEK 900 million to double output' spends the money now; it is the
    headline, unlike 'defence spending'."""
    body = "The company said on Monday it is spending SEK 900 million to double output."
    assert _headline("Shell maker expands plant", body) == 900e6


def test_an_operating_result_is_not_a_deal_value() -> None:
    """'The operating result climbed to EUR 700 million' is earnings, not a deal."""
    body = "Sales rose. The operating result climbed to EUR 700 million."
    assert _headline("Group posts record results", body) is None


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("Safran will invest Rs 1,500 crore in a new factory", 15e9),
        ("to set up a Rs 1,500-crore engine parts plant", 15e9),
        ("a deal worth more than Rs. 63,000 crore", 630e9),
        ("a grant of ₹50 lakh to the start-up", 5e6),
    ],
)
def test_indian_crore_and_lakh(text: str, amount: float) -> None:
    """Indian numbering ("Rs 1,500 crore" = 15 billion rupees, a lakh = 100,000) with the
    Rs prefix is read as INR."""
    got = find_amounts(text)
    assert [(a.amount, a.currency) for a in got] == [(amount, "INR")]


def test_kroner_follow_the_country_the_article_is_about() -> None:
    """'Kroner' is Norwegian by default and Danish in an article about Denmark."""
    danish = "Denmark's Danish army buys radars worth 2 billion kroner, Copenhagen said."
    norwegian = "Norway buys radars worth 2 billion kroner."
    assert find_amounts(danish)[0].currency == "DKK"
    assert find_amounts(norwegian)[0].currency == "NOK"


def test_a_bare_dollar_is_the_local_one_in_an_australian_or_canadian_story() -> None:
    """A ministry's "$7 billion" is Australian dollars when the article is about Australia
    and never names the United States; a US contract notice stays in US dollars."""
    au = (
        "The Australian Government signed a contract worth around $7 billion for the "
        "Australian Army's new vehicles."
    )
    ca = "Canada's government signed a $460 million contract, the Canadian army said."
    us = (
        "The Australian subsidiary is awarded a $23,654,358 contract. "
        "Naval Sea Systems Command is the contracting activity."
    )
    assert find_amounts(au)[0].currency == "AUD"
    assert find_amounts(ca)[0].currency == "CAD"
    assert find_amounts(us)[0].currency == "USD"


def test_plain_crowns_follow_the_crown_country_of_the_story() -> None:
    """ "34.25 billion crowns" is Czech in a Prague story and Swedish in a Swedish one."""
    czech = "The Czech defence ministry in Prague signed for tanks worth 34.25 billion crowns."
    swedish = "Sweden's FMV ordered radars worth 2.6 billion crowns from the Swedish maker."
    assert (find_amounts(czech)[0].amount, find_amounts(czech)[0].currency) == (34.25e9, "CZK")
    assert find_amounts(swedish)[0].currency == "SEK"


def test_cost_frames_and_programme_cost_growth_are_not_the_deal_value() -> None:
    """A parliament's cost frame (tanks plus infrastructure) and a programme cost that
    "climbed past" a figure are not what was agreed now."""
    frame = (
        "Norway has chosen 54 new tanks. Parliament has set a cost frame of NOK 19.7 billion "
        "for the project."
    )
    growth = (
        "The frigate program will be cut from nine ships to six after the estimated cost of "
        "the program climbed past A$45 billion."
    )
    assert _headline("Norway picks German tanks", frame) is None
    assert _headline("Frigate program cut", growth) is None


def test_an_award_the_news_comes_weeks_after_is_not_the_deal_value() -> None:
    """ "The celebration comes just weeks after the announcement of an award worth $325
    million": the award is older than the news."""
    body = (
        "The air base celebrated its selection as the home of the new operations center. "
        "The celebration comes just weeks after the agency's May announcement of an award to "
        "a contractor worth approximately $325 million to equip two operations centers."
    )
    assert _headline("Air base celebrates new center", body) is None
