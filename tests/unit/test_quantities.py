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
