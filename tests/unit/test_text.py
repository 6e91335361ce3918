"""Sentences and clauses: the units events are read in."""

from __future__ import annotations

from signalfire.analysis.text import clauses, sentences


def test_a_body_that_repeats_the_headline_starts_after_it() -> None:
    """DVIDS pages print the headline again as the body's first line: the lead is what
    follows, so its sentences keep lead weight."""
    title = "Army awards contract for new radars"
    body = f"{title}\n\nThe Army awarded a contract for 12 radars on Monday. More follows."
    got = sentences(title, body)
    assert [s.text for s in got] == [
        title,
        "The Army awarded a contract for 12 radars on Monday.",
        "More follows.",
    ]
    assert got[1].index == 1


def test_a_different_first_line_is_kept() -> None:
    """Only an exact repeat of the headline is dropped."""
    got = sentences("Army awards contract", "Army awards contract for radars. More follows.")
    assert got[1].text == "Army awards contract for radars."


def test_a_colon_before_a_statement_starts_a_clause() -> None:
    """'... opened in Ukraine since 2023: Thales is granting a licence' is two propositions
    (the background year stays in the first); ratios and clock times are not split."""
    text = "Hubs were opened since 2023: Thales is granting a licence. Ratio 3:1 at 10:30."
    spans = clauses(text)
    assert [text[s:e] for s, e in spans][:2] == [
        "Hubs were opened since 2023",
        "Thales is granting a licence. Ratio 3:1 at 10:30.",
    ]
