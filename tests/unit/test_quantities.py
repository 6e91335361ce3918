"""Quantities of the main deal's items."""

from __future__ import annotations

import pytest

from signalfire.analysis.quantities import main_quantity
from signalfire.analysis.text import sentences


@pytest.mark.parametrize(
    ("title", "count", "item_word"),
    [
        ("Navy orders 3,200 guided artillery shells", 3200, "shells"),
        ("Army buys two dozen reconnaissance drones", 24, "drones"),
        ("Eight Patria vehicles handed over to the brigade", 8, "vehicles"),
        ("Deal covers 40 of 120 launchers built locally", 120, "launchers"),
        ("Ministry orders 16 K239 155 mm self-propelled howitzers", 16, "howitzers"),
        ("Clearance for the sale of 12 more AH-64E Apache to Morocco", 12, "Apache"),
    ],
)
def test_counts_of_items(title: str, count: int, item_word: str) -> None:
    """Digits, thousands separators, number words, 'X of Y' and model names are counted."""
    q = main_quantity(sentences(title, ""))
    assert q is not None and q.count == count and item_word in q.item


@pytest.mark.parametrize(
    "title",
    [
        "Plant for 155mm shells opens",
        "Company hires 300 workers for its missile line",
        "EUR 250 million for drones",
        "In 2024 vehicles were tested",
    ],
)
def test_non_counts_are_ignored(title: str) -> None:
    """Calibres, personnel, money and years are not quantities."""
    assert main_quantity(sentences(title, "")) is None


@pytest.mark.parametrize(
    ("title", "count", "item_word"),
    [
        ("Latvia to receive a dozen Piranha armoured vehicles", 12, "vehicles"),
        ("Estonia buys two batteries of medium-range air defence", 2, "batteries"),
        ("The package includes eleven Leopard tanks for the brigade", 11, "tanks"),
    ],
)
def test_number_words_are_counts(title: str, count: int, item_word: str) -> None:
    """Spelled-out numbers ('a dozen', 'two', 'eleven') count like digits."""
    q = main_quantity(sentences(title, ""))
    assert q is not None and q.count == count and item_word in q.item


@pytest.mark.parametrize(
    ("title", "count", "item"),
    [
        ("Contract covers 18 Piorun 2 MANPADS launch units", 18, "Piorun 2 MANPADS launch units"),
        ("Army takes over the first four Patriot 3 fire units", 4, "Patriot 3 fire units"),
    ],
)
def test_a_model_number_belongs_to_the_name(title: str, count: int, item: str) -> None:
    """'four Patriot 3 fire units' counts four, not three: the number is part of the name."""
    q = main_quantity(sentences(title, ""))
    assert q is not None and (q.count, q.item) == (count, item)


def test_the_remaining_items_are_not_the_delivered_batch() -> None:
    """A delivery story counts the batch handed over now, not 'the remaining 20'."""
    body = (
        "The army received eight of the self-propelled howitzers at a ceremony. "
        "The remaining 20 howitzers are due by the end of next year."
    )
    q = main_quantity(sentences("Army receives first howitzers", body))
    assert q is not None and q.count == 8


@pytest.mark.parametrize(
    ("title", "count"),
    [
        ("Army orders 24 tracked 12 cm mortar carriers for its brigades", 24),
        ("Navy buys six 30-mm naval guns for patrol boats", 6),
        ("Ministry signs for 18 wheeled 155-mm howitzers", 18),
        ("Coast guard orders four 5-inch deck guns", 4),
    ],
)
def test_a_calibre_between_count_and_noun_is_a_modifier(title: str, count: int) -> None:
    """A measurement ("12 cm", "30-mm", "5-inch") between the count and the noun is part of
    the item, not a second count."""
    q = main_quantity(sentences(title, ""))
    assert q is not None and q.count == count


def test_a_delivery_counts_the_first_of_several_as_one() -> None:
    """'Handed over the first of three tankers' hands over one, not the three ordered."""
    title = "Air force receives new tanker"
    body = "The manufacturer handed over the first of three KC-46 tanker aircraft on Monday."
    q = main_quantity(sentences(title, body), delivery=True)
    assert q is not None and q.count == 1


def test_a_delivery_of_its_first_named_model_is_one() -> None:
    """'Took delivery of its first Gripen E' is one aircraft even with no numeral."""
    title = "Air force welcomes new fighter"
    body = "The air force took delivery of its first Gripen E on Tuesday at the air base."
    q = main_quantity(sentences(title, body), delivery=True)
    assert q is not None and q.count == 1 and "Gripen" in q.item


def test_a_first_batch_keeps_the_batch_count() -> None:
    """'Delivered the first batch of 12 drones' counts the twelve delivered."""
    title = "Army receives drones"
    body = "The maker delivered the first batch of 12 reconnaissance drones to the army."
    q = main_quantity(sentences(title, body), delivery=True)
    assert q is not None and q.count == 12


def test_an_order_outside_delivery_mode_counts_the_total() -> None:
    """Without a delivery event, 'the first of three tankers' still reports the order of three."""
    title = "Air force orders tankers"
    body = "The air force ordered three tanker aircraft; the first of them arrives in 2028."
    q = main_quantity(sentences(title, body))
    assert q is not None and q.count == 3


@pytest.mark.parametrize(
    ("title", "count"),
    [
        ("Army orders twelve hundred anti-tank rockets", 1200),
        ("Navy buys two thousand naval shells", 2000),
        ("Ministry orders a hundred reconnaissance drones", 100),
        ("Agency buys three hundred and twenty trucks", 320),
        ("Air force to buy forty-two (42) AGM-88G missiles", 42),
    ],
)
def test_number_words_combine(title: str, count: int) -> None:
    """Compound number words ("twelve hundred", "a hundred", "forty-two (42)") spell one count."""
    q = main_quantity(sentences(title, ""))
    assert q is not None and q.count == count


def test_dates_are_not_counts() -> None:
    """A dateline ("Oslo, 14 March 2026") or "March 14" is never a quantity."""
    title = "Plant expansion announced"
    body = "NEWS RELEASE - Kongsberg, Norway, 14 March 2026\n\nThe group will invest in a plant."
    assert main_quantity(sentences(title, body)) is None
    body2 = "On March 14 the group said it would build a plant for rocket motors."
    assert main_quantity(sentences(title, body2)) is None


def test_a_model_number_after_a_name_is_not_a_count() -> None:
    """'Builds Watchkeeper 450 drones' names a model; 450 is no quantity."""
    title = "Joint venture formed"
    body = "The joint venture will build Watchkeeper 450 drones at a new site from 2027."
    assert main_quantity(sentences(title, body)) is None


def test_people_plural_blocks_but_a_singular_modifier_does_not() -> None:
    """'3,000 soldier radios' counts radios; '3,000 soldiers' is people, not items."""
    q = main_quantity(sentences("Army orders 3,000 soldier radios", ""))
    assert q is not None and q.count == 3000
    assert main_quantity(sentences("Army sends 3,000 soldiers and vehicles", "")) is None


def test_the_last_batch_of_a_delivery_wins_over_the_order_total() -> None:
    """'Received the final 24 howitzers, completing all 96 ordered' delivers 24 now."""
    title = "Army receives final howitzers"
    body = (
        "The army received the final 24 K9 howitzers on Friday, completing deliveries of "
        "all 96 guns ordered in 2021."
    )
    q = main_quantity(sentences(title, body), delivery=True)
    assert q is not None and q.count == 24


def test_the_number_that_arrives_is_the_delivered_count() -> None:
    """'When three helicopters landed' delivers three, not the order of twelve."""
    title = "Navy receives helicopters"
    body = (
        "The navy received more helicopters on Monday when three helicopters landed at the "
        "base. They are part of an order for twelve helicopters."
    )
    q = main_quantity(sentences(title, body), delivery=True)
    assert q is not None and q.count == 3


def test_a_past_year_purchase_count_is_background() -> None:
    """'It follows the 2022 purchase of a thousand missiles' gives no quantity to a
    licence deal."""
    title = "Licence deal signed"
    body = (
        "The maker signed a licence deal on Monday. It follows the 2022 purchase of more "
        "than a thousand missiles by the army."
    )
    assert main_quantity(sentences(title, body)) is None
