"""Story clustering: near-duplicates, event signatures, re-sends, persistence, pruning."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from signalfire.analysis import stories as stories_module
from signalfire.analysis.stories import (
    CANDIDATES,
    POSTING_CAP,
    StoryIndex,
    story_features,
    story_id_for,
    values_conflict,
)
from signalfire.models.analysis import ArticleAnalysis, Contribution, DealValue, Quantity
from signalfire.models.article import ArticleEvent
from signalfire.models.story import StoryFeatures, StoryState

T0 = datetime(2025, 3, 6, 9, 0, tzinfo=UTC)

WIRE = (
    "ROME - Leonardo and Turkish drone maker Baykar on Thursday announced a 50-50 joint venture "
    "to develop and produce unmanned aircraft in Italy, bringing together one of Europe's largest "
    "defence groups and the company behind the TB2 and Akinci drones. The new company will be "
    "headquartered in Italy and will design, build and support unmanned aerial systems for "
    "European customers. Final assembly and a large share of the component work are planned at "
    "Italian sites. The partners did not disclose how much capital each side will inject into "
    "the venture or how many people it will employ at the start."
)


def F(
    entities: list[str] | None = None,
    countries: list[str] | None = None,
    event_types: list[str] | None = None,
    impact: int = 1,
    sentiment: str = "neutral",
    deal_value: DealValue | None = None,
    quantity: Quantity | None = None,
    impact_reasons: list[Contribution] | None = None,
) -> ArticleAnalysis:
    """An article's analysis with only what a test sets."""
    return ArticleAnalysis.model_validate(
        {
            "entities": entities or [],
            "countries": countries or [],
            "event_types": event_types or [],
            "impact": impact,
            "sentiment": sentiment,
            "deal_value": deal_value,
            "quantity": quantity,
            "impact_reasons": impact_reasons or [],
        }
    )


def art(aid: str, domain: str, title: str, body: str, at: datetime = T0) -> ArticleEvent:
    return ArticleEvent.model_validate(
        {
            "id": aid,
            "url": f"https://{domain}/{aid}",
            "source": {"name": domain, "domain": domain},
            "published_at": at.isoformat(),
            "title": title,
            "body": body,
        }
    )


def usd(amount: float) -> DealValue:
    return DealValue(amount=amount, currency="USD", eur=amount * 0.92)


def new_index() -> tuple[StoryIndex, dict[str, StoryState]]:
    stories: dict[str, StoryState] = {}
    return StoryIndex(stories), stories


JV = F(["leonardo", "baykar"], ["IT", "TR"], ["joint_venture"], impact=6, sentiment="bullish")


def test_syndicated_copy_joins_and_is_marked() -> None:
    """A lightly edited wire copy on another site joins the story and points at the original."""
    index, _ = new_index()
    first = index.assign(art("a1", "wire.example", "Leonardo, Baykar form JV", WIRE), JV, T0)
    edited = WIRE.replace("ROME -", "ROME (Daily) -").replace("Turkish", "Turkey's")
    copy = index.assign(art("a2", "daily.example", "JV for drones", edited), F(), T0)
    assert not copy.is_new_story and first.is_new_story
    assert copy.story.story_id == first.story.story_id == story_id_for("a1")
    assert copy.syndicated_of == "a1"
    assert copy.story.sources == 2
    # The copy's own (empty) findings do not erase what the story already knows.
    assert copy.story.entities == ["leonardo", "baykar"]


def test_same_deal_by_two_outlets_merges_with_two_sources() -> None:
    """Different wording, same parties, type and value, next day: one story, 2 sources."""
    index, _ = new_index()
    deal = F(["hyundai-rotem"], ["PL", "KR"], ["contract"], 9, "bullish", usd(6.5e9))
    a = index.assign(
        art(
            "k1",
            "defence-wire.example",
            "Poland signs second K2 tank contract with Hyundai Rotem worth $6.5 billion",
            "Poland signed a second executive contract with Hyundai Rotem for 180 K2 tanks.",
        ),
        deal,
        T0,
    )
    later = T0 + timedelta(days=1)
    b = index.assign(
        art(
            "k2",
            "armstrade.example",
            "K2 deal: 64 of 180 tanks to be built in Poland under licence",
            "Details released on Saturday show that 64 of the tanks will be built in Gliwice.",
            later,
        ),
        F(
            ["hyundai-rotem", "pgz"],
            ["PL", "KR"],
            ["contract", "tech_transfer"],
            9,
            "bullish",
            usd(6.5e9),
            Quantity(count=180, item="K2 tanks"),
        ),
        later,
    )
    assert b.story.story_id == a.story.story_id and not b.is_new_story
    assert b.story.sources == 2
    assert b.story.entities == ["hyundai-rotem", "pgz"]
    assert b.story.event_types == ["contract", "tech_transfer"]
    assert b.story.quantity is not None and b.story.quantity.count == 180


def test_two_deals_between_same_firms_two_months_apart_stay_apart() -> None:
    """Same parties and event type, but 60 days apart: different real-world events."""
    index, _ = new_index()
    deal = F(["rheinmetall", "ukroboronprom"], ["DE", "UA"], ["contract"], 6)
    a = index.assign(
        art("r1", "x.example", "Rheinmetall and UDI sign shell contract", "Body one text here."),
        deal,
        T0,
    )
    later = T0 + timedelta(days=60)
    b = index.assign(
        art(
            "r2", "y.example", "Rheinmetall and UDI sign shell contract", "Other body text.", later
        ),
        deal,
        later,
    )
    assert b.is_new_story and b.story.story_id != a.story.story_id


def test_same_firm_different_values_same_day_stay_apart() -> None:
    """Two awards to one firm on one day with clearly different amounts are two stories."""
    index, _ = new_index()
    a = index.assign(
        art("g1", "defense.gov", "GD awarded $9.7M for switches", "Switches contract text."),
        F(["general-dynamics"], ["US"], ["contract"], deal_value=usd(9.7e6)),
        T0,
    )
    b = index.assign(
        art("g2", "defense.gov", "GD awarded $13M for optics", "Optics contract text."),
        F(["general-dynamics"], ["US"], ["contract"], deal_value=usd(13e6)),
        T0,
    )
    assert b.story.story_id != a.story.story_id


def test_unrelated_articles_do_not_merge() -> None:
    """No shared parties and no shared text: each article founds its own story."""
    index, stories = new_index()
    index.assign(
        art("u1", "a.example", "Saab gets Carl-Gustaf order", "Saab text."),
        F(["saab"], ["SE"], ["contract"]),
        T0,
    )
    index.assign(
        art("u2", "b.example", "Explosion at Bulgarian plant", "Blast text."),
        F([], ["BG"], ["incident"]),
        T0,
    )
    index.assign(art("u3", "c.example", "Leopard cubs born at zoo", "Zoo text."), F(), T0)
    index.assign(art("u4", "d.example", "Cafe cat rules Kyiv shop", "Cat text."), F(), T0)
    assert len(stories) == 4


def test_commentary_joins_only_on_strong_party_overlap() -> None:
    """An analysis piece days after a deal joins it when it names the deal's parties;
    one sharing a single firm weeks later does not."""
    index, _ = new_index()
    deal = index.assign(
        art("d1", "w.example", "Poland signs K2 deal", "Contract text body."),
        F(["hyundai-rotem", "pgz"], ["PL", "KR"], ["contract"], 9),
        T0,
    )
    week = T0 + timedelta(days=6)
    analysis = index.assign(
        art("d2", "v.example", "Analysis: can Poland's tank deal fix industry?", "Essay.", week),
        F(["hyundai-rotem", "pgz", "huta-stalowa-wola"], ["PL", "KR"], [], 2),
        week,
    )
    assert analysis.story.story_id == deal.story.story_id
    assert analysis.story.impact == 9  # the commentary's impact 2 does not lower it
    month = T0 + timedelta(days=30)
    late = index.assign(
        art("d3", "u.example", "Budget debate drags on", "Debate.", month),
        F(["pgz"], ["PL"], [], 2),
        month,
    )
    assert late.is_new_story


REID = (
    "LOS ANGELES - Actress Tara Reid has checked herself into the Promises Treatment Center in "
    "Malibu, her representative Jack Ketsoyan told People magazine on Friday. The American Pie "
    "star entered the rehab facility for undisclosed reasons, Ketsoyan said, asking for privacy."
)
REID_2 = (
    "Tara Reid is in rehab. The 33-year-old actress checked into Promises in Malibu this week, "
    "her rep Jack Ketsoyan confirmed to Us Weekly. Reid, best known for American Pie, has "
    "battled headlines about partying for years."
)
LOHAN = (
    "Lindsay Lohan has checked into the Betty Ford Center in Rancho Mirage to begin a 90-day "
    "court-ordered rehab stay, her lawyer Mark Heller said on Thursday. The Mean Girls actress "
    "arrived at the clinic hours before a judge's deadline."
)


def test_independent_reports_group_by_content_without_gazetteer_facts() -> None:
    """Two outlets reporting one event in their own words, with no gazetteer entity or event
    type found, join on the names and specifics they share; a look-alike event (another
    actress entering another clinic) stays its own story."""
    index, stories = new_index()
    a = index.assign(art("r1", "a.example", "Tara Reid checks into rehab", REID), F(), T0)
    b = index.assign(
        art("r2", "b.example", "Tara Reid enters Promises", REID_2, T0 + timedelta(hours=5)),
        F(),
        T0 + timedelta(hours=5),
    )
    c = index.assign(
        art("r3", "c.example", "Lindsay Lohan checks into rehab", LOHAN, T0 + timedelta(hours=6)),
        F(),
        T0 + timedelta(hours=6),
    )
    assert b.story.story_id == a.story.story_id and b.story.sources == 2
    assert b.syndicated_of is None  # own words: corroboration, not a copy
    assert c.is_new_story and len(stories) == 2


BLAST_A = (
    "KIRIKKALE, Turkey - An explosion at the MKE ammunition plant in Kirikkale killed three "
    "workers on Tuesday, the governor's office said. The blast happened in the propellant "
    "section; production at the site was suspended while prosecutors investigate."
)
BLAST_B = (
    "Two workers died and three were injured when an explosion ripped through the Pirochim "
    "Victoria explosives plant near Brasov on Thursday, Romanian emergency services said. "
    "Firefighters from Fagaras brought the blaze under control after four hours."
)


def test_two_explosions_at_different_plants_stay_apart() -> None:
    """Same kind of event, same week, same event type: different plants, towns and victims
    make two stories."""
    index, _ = new_index()
    a = index.assign(
        art("x1", "a.example", "Explosion at Turkish munitions plant kills three", BLAST_A),
        F(["mke"], ["TR"], ["incident"], 5, "bearish"),
        T0,
    )
    later = T0 + timedelta(days=2)
    b = index.assign(
        art("x2", "b.example", "Explosion at Romanian explosives plant kills two", BLAST_B, later),
        F(["pirochim-victoria"], ["RO"], ["incident"], 5, "bearish"),
        later,
    )
    assert b.is_new_story and b.story.story_id != a.story.story_id


SAAB_1 = (
    "Saab has received an order from the Swedish Defence Materiel Administration (FMV) for "
    "Carl-Gustaf M4 ammunition worth SEK 820 million, the company said on Monday. Deliveries "
    "will take place in 2026 and 2027."
)
SAAB_2 = (
    "Saab has received an order from the Swedish Defence Materiel Administration (FMV) for "
    "Carl-Gustaf M4 systems worth SEK 1.3 billion, the company said on Wednesday. Deliveries "
    "will take place between 2026 and 2028."
)


def test_two_contracts_of_one_firm_weeks_apart_stay_apart() -> None:
    """A firm's second order from the same customer, worded like the first, twelve days later
    and for another amount, is a new story: time decay and the contradicting values keep the
    look-alike apart."""
    index, _ = new_index()
    sek = DealValue(amount=820e6, currency="SEK", eur=72e6)
    first = index.assign(
        art("sa1", "saab.example", "Saab receives Carl-Gustaf ammunition order", SAAB_1),
        F(["saab", "fmv"], ["SE"], ["contract"], 5, "bullish", sek),
        T0,
    )
    later = T0 + timedelta(days=12)
    second = index.assign(
        art("sa2", "saab.example", "Saab receives Carl-Gustaf order", SAAB_2, later),
        F(
            ["saab", "fmv"],
            ["SE"],
            ["contract"],
            5,
            "bullish",
            DealValue(amount=1.3e9, currency="SEK", eur=114e6),
        ),
        later,
    )
    assert second.is_new_story and second.story.story_id != first.story.story_id


def test_resend_is_reported_as_seen_and_changes_nothing() -> None:
    """The same id again returns the known story untouched (CONTRACT: re-sends change nothing)."""
    index, stories = new_index()
    article = art("s1", "a.example", "Saab order", "Saab text.")
    first = index.assign(article, F(["saab"], ["SE"], ["contract"], 5), T0)
    before = stories[first.story.story_id].model_dump_json()
    again = index.assign(article, F(["saab"], ["SE"], ["contract"], 9), T0 + timedelta(hours=1))
    assert again.already_seen and not again.is_new_story
    assert index.story_of("s1") == first.story.story_id
    assert stories[first.story.story_id].model_dump_json() == before
    assert index.story_of("never") is None


def test_aggregate_keeps_max_impact_largest_value_and_its_quantity() -> None:
    """Impact, reasons and sentiment come from the most consequential article; the value
    is the largest, with the quantity of the article that stated it."""
    index, _ = new_index()
    base = F(
        ["knds"],
        ["LT", "DE"],
        ["contract"],
        5,
        "neutral",
        usd(1e8),
        Quantity(count=10, item="tanks"),
    )
    index.assign(art("l1", "a.example", "Lithuania orders Leopard tanks", "T1."), base, T0)
    big = F(
        ["knds"],
        ["LT", "DE"],
        ["contract"],
        7,
        "bullish",
        usd(1e9),
        Quantity(count=44, item="Leopard 2A8"),
        [Contribution(name="value", points=3, why="EUR 920M")],
    )
    got = index.assign(
        art("l2", "b.example", "Lithuania orders 44 Leopard tanks", "T2.", T0 + timedelta(hours=3)),
        big,
        T0 + timedelta(hours=3),
    )
    s = got.story
    assert (s.impact, s.sentiment, s.impact_reasons[0].name) == (7, "bullish", "value")
    assert s.deal_value is not None and s.deal_value.amount == 1e9
    assert s.quantity is not None and s.quantity.count == 44
    assert s.first_seen == T0 and s.last_seen == T0 + timedelta(hours=3)


def test_state_round_trips_through_serialised_dicts() -> None:
    """A fresh index over JSON-round-tripped mappings (restart) gives the same answers,
    including LSH near-duplicate detection rebuilt from stored minhashes."""
    index, stories = new_index()
    index.assign(art("a1", "wire.example", "Leonardo, Baykar form JV", WIRE), JV, T0)
    raw = {k: v.model_dump_json() for k, v in stories.items()}
    restored = {k: StoryState.model_validate_json(v) for k, v in raw.items()}
    fresh = StoryIndex(restored)
    assert fresh.story_of("a1") == story_id_for("a1")
    copy = fresh.assign(art("a2", "copy.example", "Drone JV", WIRE), F(), T0)
    assert copy.story.story_id == story_id_for("a1") and copy.syndicated_of == "a1"
    other = fresh.assign(
        art("a3", "other.example", "Leonardo and Baykar create drone venture", "Fresh words."),
        JV,
        T0 + timedelta(hours=5),
    )
    assert other.story.story_id == story_id_for("a1") and other.story.sources == 3


def test_prune_drops_old_stories_and_their_seen_ids() -> None:
    """Stories silent for longer than the window are forgotten, recent ones kept."""
    index, stories = new_index()
    index.assign(art("o1", "a.example", "Old Saab order", WIRE), F(["saab"], ["SE"]), T0)
    recent = T0 + timedelta(days=20)
    index.assign(
        art("o2", "b.example", "New Nammo order", "Nammo text.", recent),
        F(["nammo"], ["NO"]),
        recent,
    )
    assert index.prune(recent) == 1
    assert index.story_of("o1") is None
    assert list(stories) == [story_id_for("o2")]
    # The pruned body no longer attracts copies: a re-run founds a fresh story.
    again = index.assign(art("o3", "c.example", "Saab copy", WIRE, recent), F(), recent)
    assert again.is_new_story
    assert index.prune(recent) == 0


def test_agency_named_in_every_notice_does_not_glue_contracts() -> None:
    """Notices that share only their contracting agency (and roughly similar amounts) are
    separate awards once the agency is seen to recur across stories."""
    index, stories = new_index()
    notices = [
        ("Acme", 9.1e6, "Acme to dredge Ohio River channel"),
        ("Borel", 7.4e6, "Borel wins barracks renovation at Fort Hood"),
        ("Cadmus", 8.2e6, "Cadmus picked for levee engineering services"),
        ("Delta", 8.9e6, "Delta Marine to repair Chicago harbour locks"),
    ]
    for i, (firm, amount, title) in enumerate(notices):
        at = T0 + timedelta(hours=i)
        index.assign(
            art(f"c{i}", "defense.gov", title, f"{firm} notice body {i}.", at),
            F(["usace"], [], ["contract"], deal_value=usd(amount)),
            at,
        )
    assert len(stories) >= 3


def test_sketches_are_stable_across_processes() -> None:
    """Stored sketches must compare across restarts: they do not depend on the process
    (e.g. PYTHONHASHSEED), so another interpreter computes the same values."""
    import json
    import os
    import subprocess
    import sys

    from signalfire.analysis.sketches import NUM_PERM, shingle_hashes, sketch

    words = ["the", "ministry", "signed", "a", "contract", "for", "six", "patrol", "vessels"]
    code = (
        "import json; from signalfire.analysis.sketches import sketch; "
        f"print(json.dumps(sketch({words!r})))"
    )
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, check=True)
    assert json.loads(out.stdout) == sketch(words)
    assert len(sketch(words)) == NUM_PERM
    assert len(shingle_hashes(words)) == len(words) - 2
    assert len(shingle_hashes(words[:2])) == 1 and len(shingle_hashes([])) == 0


def _stream() -> list[tuple[ArticleEvent, ArticleAnalysis]]:
    """A small mixed stream: two multi-outlet stories, a look-alike and unrelated items."""
    hours = [timedelta(hours=h) for h in range(8)]
    return [
        (art("m1", "a.example", "Tara Reid checks into rehab", REID, T0 + hours[0]), F()),
        (art("m2", "w.example", "Leonardo, Baykar form JV", WIRE, T0 + hours[1]), JV),
        (art("m3", "b.example", "Tara Reid enters Promises", REID_2, T0 + hours[2]), F()),
        (art("m4", "c.example", "Lohan checks into rehab", LOHAN, T0 + hours[3]), F()),
        (
            art(
                "m5",
                "d.example",
                "Leonardo and Baykar create drone venture",
                WIRE[:300],
                T0 + hours[4],
            ),
            JV,
        ),
        (
            art("m6", "e.example", "Explosion at Turkish plant", BLAST_A, T0 + hours[5]),
            F(["mke"], ["TR"], ["incident"]),
        ),
    ]


def _run(index: StoryIndex, invalidate_each: bool = False) -> list[tuple[str, bool]]:
    out = []
    for article, analysis in _stream():
        if invalidate_each:
            index.invalidate()
        got = index.assign(article, analysis, article.published_at)
        out.append((got.story.story_id, got.is_new_story))
    return out


def test_replay_yields_the_same_stories_and_members() -> None:
    """The same input into fresh state gives the same story ids, placements and members."""
    first_index, first = new_index()
    second_index, second = new_index()
    assert _run(first_index) == _run(second_index)
    assert {k: v.article_ids for k, v in first.items()} == {
        k: v.article_ids for k, v in second.items()
    }
    assert len(first) == 4  # Reid (2 outlets), the JV (2), Lohan, the explosion


def test_indexes_rebuilt_after_invalidate_give_the_same_answers() -> None:
    """Dropping the in-memory indexes before every article (as after discarded staged
    writes) changes nothing: they are rebuilt from the mapping alone."""
    kept_index, kept = new_index()
    rebuilt_index, rebuilt = new_index()
    assert _run(kept_index) == _run(rebuilt_index, invalidate_each=True)
    assert {k: v.model_dump_json() for k, v in kept.items()} == {
        k: v.model_dump_json() for k, v in rebuilt.items()
    }
    rebuilt_index.invalidate()
    assert rebuilt_index.story_of("m3") == kept_index.story_of("m3") == story_id_for("m1")


def test_prune_is_incremental_and_oldest_first() -> None:
    """With a limit, each call forgets at most that many expired stories, oldest first, and
    a story that grew recently is kept."""
    index, stories = new_index()
    for i in range(5):
        at = T0 + timedelta(hours=i)
        index.assign(
            art(f"p{i}", f"s{i}.example", f"Item {i} zebra{i}", f"Body q{i}x.", at), F(), at
        )
    late = T0 + timedelta(days=10)
    index.assign(art("p0b", "z.example", "Item 0 zebra0", "Body q0x.", late), F(), late)
    now = T0 + timedelta(days=15)
    assert index.prune(now, limit=2) == 2
    assert index.story_of("p1") is None and index.story_of("p2") is None
    assert index.story_of("p3") is not None
    assert index.prune(now, limit=2) == 2
    assert index.prune(now, limit=2) == 0
    assert set(stories) == {story_id_for("p0")}  # grew at day 10: still open
    assert index.story_of("p0b") == story_id_for("p0")


def test_candidate_search_is_bounded_by_the_index_not_the_open_stories(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """With hundreds of open stories sharing a common word, an article is scored against at
    most CANDIDATES of them: a term in more than POSTING_CAP stories finds nothing."""
    index, stories = new_index()
    n = POSTING_CAP * 3

    def word(i: int, stem: str) -> str:  # a made-up name per story: "Zarbac", "Velbad"...
        return stem + "".join("bcdfghjklmnpqrstvwz"[int(d)] for d in f"{i:03d}")

    def text(i: int) -> str:
        return (
            f"Quartermaster {word(i, 'Zar')} met {word(i, 'Vel')} at {word(i, 'Port')} "
            f"to sign for {word(i, 'Kor')} trucks."
        )

    for i in range(n):
        at = T0 + timedelta(minutes=i)
        index.assign(art(f"q{i}", f"d{i}.example", f"{word(i, 'Zar')} deal", text(i), at), F(), at)
    assert len(stories) == n
    calls = []
    real = stories_module.score

    def counting(*args: object) -> float:
        calls.append(1)
        return real(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(stories_module, "score", counting)
    at = T0 + timedelta(hours=6)
    got = index.assign(art("q-new", "z.example", f"{word(7, 'Zar')} deal", text(7), at), F(), at)
    assert 0 < len(calls) <= CANDIDATES
    assert got.story.story_id == story_id_for("q7")


def test_same_figure_in_two_currencies_is_no_conflict() -> None:
    """Outlets that read "2.9 billion kroner" as DKK and as NOK report one deal; clearly
    different amounts are two deals; EUR values within 10 % agree."""
    dkk = DealValue(amount=2.9e9, currency="DKK", eur=388.6e6)
    nok = DealValue(amount=2.9e9, currency="NOK", eur=249.4e6)
    other = DealValue(amount=4.1e9, currency="NOK", eur=352.6e6)
    assert not values_conflict(dkk, nok)
    assert values_conflict(nok, other)
    assert not values_conflict(usd(1e9), DealValue(amount=857e6, currency="EUR", eur=857e6 * 1.07))


def test_features_computed_elsewhere_place_articles_the_same() -> None:
    """Features computed ahead (as the parallel analyze stage may, shipped as JSON) give the
    same stories as features computed inside `assign`."""
    inside_index, inside = new_index()
    ahead_index, ahead = new_index()
    for article, analysis in _stream():
        shipped = story_features(article, analysis).model_dump_json()
        features = StoryFeatures.model_validate_json(shipped)
        a = inside_index.assign(article, analysis, article.published_at)
        b = ahead_index.assign(article, analysis, article.published_at, features)
        assert (a.story.story_id, a.syndicated_of) == (b.story.story_id, b.syndicated_of)
    assert {k: v.model_dump_json() for k, v in inside.items()} == {
        k: v.model_dump_json() for k, v in ahead.items()
    }
