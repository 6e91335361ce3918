"""Key facts: the article's own sentences that carried each event, the value, the quantity
and a date, trimmed, deduplicated, in article order, at most six."""

from __future__ import annotations

from signalfire.analysis.key_facts import DATE, MAX_CHARS, MAX_FACTS, key_facts, trim
from signalfire.analysis.text import sentences
from signalfire.models.analysis import DealValue, Quantity

TITLE = "Army orders 54 howitzers from Hanwha"
BODY = (
    "The ministry signed a contract for 54 K9 howitzers on March 3, 2026. "
    "The order is worth $1 billion, officials said. "
    "Hanwha will also transfer production technology to a state plant. "
    "The guns will be painted green."
)
VALUE = DealValue(amount=1e9, currency="USD", eur=9.2e8, text="$1 billion")
QTY = Quantity(count=54, item="K9 howitzers")


def test_each_fact_is_the_first_body_sentence_that_carried_it() -> None:
    """An event's fact is its first body sentence (not the headline), with every kind the
    sentence carries; value and date join the sentences that hold them."""
    sents = sentences(TITLE, BODY)
    facts = key_facts(sents, {"contract": (0, 1, 2), "tech_transfer": (3,)}, VALUE, QTY)
    assert [f.text for f in facts] == [sents[1].text, sents[2].text, sents[3].text]
    assert facts[0].kinds == ["contract", "quantity", "date"]
    assert facts[1].kinds == ["contract", "value"]
    assert facts[2].kinds == ["tech_transfer"]


def test_the_headline_is_a_fact_only_when_nothing_else_carried_it() -> None:
    """An event seen only in the title is quoted from the title."""
    sents = sentences(TITLE, "The guns will be painted green.")
    facts = key_facts(sents, {"contract": (0,)}, None, None)
    assert [(f.text, f.kinds) for f in facts] == [(TITLE, ["contract"])]


def test_repeated_sentence_is_one_fact() -> None:
    """A pull quote printed twice is one fact carrying the kinds of both places."""
    line = "The agreement was signed on March 13, 2026, in Bucharest."
    body = f"{line} Drones will be built jointly. {line}"
    sents = sentences("Drone deal", body)
    facts = key_facts(sents, {"agreement": (1, 3), "joint_venture": (2,)}, None, None)
    assert [f.text for f in facts] == [line, "Drones will be built jointly."]
    assert facts[0].kinds == ["agreement", "date"]


def test_at_most_six_facts_events_first() -> None:
    """Over the limit, sentences with events are kept before the date-only ones."""
    body = " ".join(f"Sentence {i} happened on May {i}, 2026." for i in range(1, 10))
    sents = sentences("Many things", body)
    places = {"contract": (8,), "delivery": (9,)}
    facts = key_facts(sents, places, None, None)
    assert len(facts) <= MAX_FACTS
    assert {"contract", "delivery"} <= {k for f in facts for k in f.kinds}


def test_long_sentences_are_trimmed_at_a_word() -> None:
    """A fact is one line of at most ~300 characters, cut between words."""
    long = "word " * 100
    out = trim(long)
    assert len(out) <= MAX_CHARS and out.endswith("…") and "  " not in out
    assert not out[:-1].endswith(" ")


def test_original_text_is_quoted_exactly() -> None:
    """With the original text, typographic dashes and quotes are kept as printed."""
    title, body = "Deal", "Drones—small ones—will be co-produced."
    folded = sentences(title, body.replace("—", "-"))
    facts = key_facts(folded, {"joint_venture": (1,)}, None, None, f"{title}\n\n{body}")
    assert facts[0].text == body


def test_calendar_dates_only() -> None:
    """Dates are calendar dates ('March 13, 2026', '13 March', 'May 2026'), not a bare
    weekday, a year or the verb 'may'."""
    for text in ("on March 13, 2026", "on 13 March", "in May 2026", "on 2026-03-13", "Sept 1"):
        assert DATE.search(text), text
    for text in ("on Tuesday", "in 2026", "the army may 2 times"):
        assert not DATE.search(text), text
