"""Rule matching over a story as known so far (CONTRACT.md section 2, last paragraph).

Pure: the caller passes the story and the time and stores what comes back. Stories only grow
(more entities, sources, a higher impact), so a rule that holds keeps holding; `fired` marks
make each rule fire once per story, at the article that first makes the story meet it."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache

from signalfire.models.alert import HeldCondition
from signalfire.models.story import FiredMark, StoryState
from signalfire.models.watchlist import AnyAll, Condition, Rule, Watchlist


@dataclass(frozen=True)
class Firing:
    """One rule firing now for one story; `follow_up` when it had fired before at a lower level
    (`previous` is that level, so the alert can say what changed)."""

    rule: Rule
    follow_up: bool
    trigger_article_id: str
    at: datetime
    previous: FiredMark | None = None


@dataclass(frozen=True)
class Evaluation:
    """What fires now, and the `fired` marks the story must carry from now on."""

    firings: list[Firing]
    fired: dict[str, FiredMark] = field(default_factory=dict)

    def apply(self, story: StoryState) -> StoryState:
        """A copy of `story` with the new marks (the input is not modified)."""
        return story.model_copy(update={"fired": dict(self.fired)})


def rule_keywords(watchlist: Watchlist) -> list[str]:
    """Every keyword any rule uses, lower-cased, each once."""
    words: dict[str, None] = {}
    for rule in watchlist.rules:
        kw = rule.when.keywords
        for word in [*(kw.any or []), *(kw.all or [])] if kw else []:
            words[word.lower()] = None
    return list(words)


@lru_cache(maxsize=4096)
def _keyword_pattern(keyword: str) -> re.Pattern[str]:
    """Whole words: "drone" matches "drone" and "drone-maker" but not "drones" or "UAVs";
    a multi-word keyword matches across any run of whitespace."""
    body = r"\s+".join(re.escape(part) for part in keyword.split())
    return re.compile(rf"(?<!\w){body}(?!\w)", re.IGNORECASE)


def story_keywords(watchlist: Watchlist, text: str) -> set[str]:
    """The rules' keywords found in `text`, lower-cased (StoryState.keywords stores them so)."""
    return {
        kw for kw in rule_keywords(watchlist) if kw.strip() and _keyword_pattern(kw).search(text)
    }


def _any_all(spec: AnyAll | None, present: set[str]) -> bool:
    if spec is None:
        return True
    if spec.any and not present.intersection(spec.any):
        return False
    return not spec.all or set(spec.all) <= present


@dataclass(frozen=True)
class _Check:
    """One condition of a rule over a story: whether it held, the explain text, and the
    rule's values next to the story's values that met them (for the alert card)."""

    name: str
    held: bool
    why: str
    required: list[str]
    matched: list[str]


def _listed(spec: AnyAll) -> list[str]:
    return [*(spec.any or []), *(spec.all or [])]


def _checks(when: Condition, story: StoryState) -> list[_Check]:
    """Each condition the rule gives; shared by holds, explain and the alert card."""
    out: list[_Check] = []
    if when.entities:
        have = story.all_entities
        wanted = _listed(when.entities)
        out.append(
            _Check(
                "entities",
                _any_all(when.entities, have),
                _spec(when.entities, have),
                wanted,
                [e for e in wanted if e in have],
            )
        )
    if when.countries:
        have = set(story.countries)
        wanted = _listed(when.countries)
        out.append(
            _Check(
                "countries",
                _any_all(when.countries, have),
                _spec(when.countries, have),
                wanted,
                [c for c in wanted if c in have],
            )
        )
    if when.event_types:
        hit = [str(t) for t in story.event_types if t in set(when.event_types)]
        out.append(
            _Check(
                "event_types",
                bool(hit),
                f"any of {when.event_types}; story has {sorted(story.event_types)}",
                [str(t) for t in when.event_types],
                hit,
            )
        )
    if when.min_impact is not None:
        out.append(
            _Check(
                "min_impact",
                story.impact >= when.min_impact,
                f"{story.impact} >= {when.min_impact}",
                [str(when.min_impact)],
                [str(story.impact)],
            )
        )
    if when.min_sources is not None:
        out.append(
            _Check(
                "min_sources",
                story.sources >= when.min_sources,
                f"{story.sources} >= {when.min_sources} ({', '.join(story.domains)})",
                [str(when.min_sources)],
                [str(story.sources)],
            )
        )
    if when.min_value_eur is not None:
        value = story.max_value_eur
        held = value is not None and value >= when.min_value_eur
        shown = "no deal value" if value is None else f"{value:,.0f}"
        out.append(
            _Check(
                "min_value_eur",
                held,
                f"{shown} >= {when.min_value_eur:,.0f} EUR",
                [f"{when.min_value_eur:g}"],
                [] if value is None else [f"{value:g}"],
            )
        )
    if when.keywords:
        lowered = AnyAll(
            any=[k.lower() for k in when.keywords.any or []] or None,
            all=[k.lower() for k in when.keywords.all or []] or None,
        )
        have = {k.lower() for k in story.keywords}
        wanted = _listed(lowered)
        out.append(
            _Check(
                "keywords",
                _any_all(lowered, have),
                _spec(lowered, have),
                wanted,
                [k for k in wanted if k in have],
            )
        )
    return out


def _spec(spec: AnyAll, have: set[str]) -> str:
    parts = [f"{mode} of {vals}" for mode, vals in (("any", spec.any), ("all", spec.all)) if vals]
    return f"{' and '.join(parts)}; story has {sorted(have)}"


def rule_holds(rule: Rule, story: StoryState) -> bool:
    """Every condition the rule gives holds over the story so far."""
    return all(c.held for c in _checks(rule.when, story))


def explain(rule: Rule, story: StoryState) -> list[str]:
    """One line per condition: `ok` or `FAIL`, the condition and the story's value."""
    lines = [f"{'ok  ' if c.held else 'FAIL'} {c.name}: {c.why}" for c in _checks(rule.when, story)]
    mark = story.fired.get(rule.id)
    if mark is not None:
        lines.append(f"     already fired at sources={mark.sources} impact={mark.impact}")
    return lines


def held_conditions(rule: Rule, story: StoryState) -> list[HeldCondition]:
    """The rule's conditions with the story's values that met them, for the alert card."""
    return [
        HeldCondition(name=c.name, required=c.required, matched=c.matched, explain=c.why)
        for c in _checks(rule.when, story)
        if c.held
    ]


def evaluate(
    watchlist: Watchlist, story: StoryState, *, trigger_article_id: str, now: datetime
) -> Evaluation:
    """Rules that fire now: they hold and have not fired for this story, or they are
    `follow_up` rules and the story has grown (more sources or a higher impact) since."""
    fired = dict(story.fired)
    firings: list[Firing] = []
    mark = FiredMark(sources=story.sources, impact=story.impact)
    for rule in watchlist.rules:
        if not rule_holds(rule, story):
            continue
        before = fired.get(rule.id)
        if before is None:
            firings.append(Firing(rule, False, trigger_article_id, now))
            fired[rule.id] = mark
        elif rule.follow_up and (mark.sources > before.sources or mark.impact > before.impact):
            firings.append(Firing(rule, True, trigger_article_id, now, previous=before))
            fired[rule.id] = FiredMark(
                sources=max(mark.sources, before.sources), impact=max(mark.impact, before.impact)
            )
    return Evaluation(firings, fired)
