"""The analysis stage: one ArticleEvent in, its ArticleAnalysis out (pure, no I/O per call).

`Analyzer.build` loads the gazetteer, FX rates and impact weights once; `analyze` runs
the stages in order: entities and countries, events, money and quantity, impact,
sentiment, affected parties. Story clustering happens elsewhere (`AnalysisRecord.of` joins
the two).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from signalfire.analysis.affected import affected_parties
from signalfire.analysis.countries import country_mentions, find_countries
from signalfire.analysis.deal import deal_quantity, deal_value
from signalfire.analysis.entities import find_entities, has_homonyms, main_entities
from signalfire.analysis.events import (
    detect,
    event_parties,
    event_types,
    is_commentary,
    is_defense,
    resolve,
)
from signalfire.analysis.fx import FxRates
from signalfire.analysis.gazetteer import Gazetteer, core_ids
from signalfire.analysis.impact import ImpactInput, ImpactWeights, score_impact
from signalfire.analysis.key_facts import key_facts
from signalfire.analysis.sentiment import sentiment
from signalfire.analysis.text import normalise, sentences
from signalfire.models.analysis import ArticleAnalysis, EventMention, EventType
from signalfire.models.article import ArticleEvent
from signalfire.models.entity import Entity
from signalfire.models.entity_table import EntityTable

# Measures that target a company by name.
_TARGETED = re.compile(
    r"sanction|entity list|blacklist|unreliable entit|control list|export control", re.IGNORECASE
)


@dataclass(frozen=True, slots=True)
class Analyzer:
    """Holds the loaded reference data; `analyze` is a pure function of the article."""

    gazetteer: Gazetteer
    fx: FxRates
    weights: ImpactWeights
    vocabulary: frozenset[str] = frozenset()

    @classmethod
    def build(
        cls, extra_entities: Sequence[Entity] = (), *, gazetteer: Gazetteer | None = None
    ) -> Analyzer:
        """Load the built-in gazetteer (plus watchlist entities), FX rates and weights."""
        if gazetteer is not None:  # a caller's own gazetteer: all of its entities count
            return cls(gazetteer, FxRates.load_builtin(), ImpactWeights.load_builtin())
        table = EntityTable.of(extra_entities)  # no copy when it is one already
        gaz = Gazetteer.load_builtin(table)
        vocabulary = core_ids() | set(table.ids)
        return cls(gaz, FxRates.load_builtin(), ImpactWeights.load_builtin(), vocabulary)

    def _defense_companies(self, ids: Sequence[str]) -> int:
        """1 when the article names a defence company of the gazetteer (a vocabulary hint)."""
        for i in ids:
            e = self.gazetteer.get(i)
            if e is not None and e.kind == "company":
                return 1
        return 0

    def _sanctions_major(self, events: Sequence[EventMention]) -> bool:
        """A sanction or a blacklisting (an entity list) names a company of the gazetteer as
        its target (an embargo on a country only hits its companies' contracts)."""
        return any(
            (e := self.gazetteer.get(p)) is not None and e.kind == "company"
            for m in events
            if m.type == "regulatory" and _TARGETED.search(m.cue)
            for p in m.parties
        )

    def analyze(self, article: ArticleEvent) -> ArticleAnalysis:
        """Run every analysis stage over one article."""
        title, body = normalise(article.title), normalise(article.body)
        text = f"{title}\n\n{body}"
        year = article.published_at.year
        matches = find_entities(article.text, self.gazetteer)
        # `entities` speaks the canonical vocabulary (subsidiaries folded into their group);
        # every other organisation and programme named is kept in `related_entities`.
        found = main_entities(matches, self.gazetteer)
        entities = main_entities(
            matches, self.gazetteer, vocabulary=self.vocabulary or None, text=article.text
        )
        programs = [
            m.id for m in matches if (e := self.gazetteer.get(m.id)) and e.kind == "program"
        ]
        related = [i for i in dict.fromkeys([*found, *programs]) if i not in entities]
        sents = sentences(title, body)
        defense = is_defense(text, extra=self._defense_companies(found))
        events: list[EventMention] = []
        places: dict[EventType, tuple[int, ...]] = {}
        mentions = country_mentions(article.text)
        if defense and not is_commentary(title, body):
            spans = [(m.id, m.start, m.end) for m in matches if m.id in found]
            spans += mentions
            detected = detect(
                sents,
                published_year=year,
                parties=spans,
                published_month=article.published_at.month,
            )
            events = resolve(detected.mentions)
            places = {m.type: detected.places[m.type] for m in events}
        types = event_types(events)
        countries = find_countries(
            article.text, matches, self.gazetteer, results="financial_results" in types
        )
        if not found and not events and has_homonyms(article.text, self.gazetteer):
            # A homonym story (Leonardo the painter, a zoo's leopards): it names no tracked
            # organisation and reports no event, so no country is a party to anything.
            countries = []
        value = deal_value(types, sents, text, year, self.fx, events)
        quantity = deal_quantity(events, types, value, sents, defense=defense)
        impact, reasons = score_impact(
            ImpactInput(defense, events, value, text, self._sanctions_major(events), quantity),
            self.weights,
        )
        return ArticleAnalysis(
            entities=entities,
            related_entities=related,
            countries=countries,
            event_types=types,
            deal_value=value,
            quantity=quantity,
            impact=impact,
            impact_reasons=reasons,
            sentiment=sentiment(events),
            events=events,
            event_parties=event_parties(events),
            affected=affected_parties(
                [*entities, *countries],
                events,
                text,
                mentions,
                [(s.start, s.end) for s in sents],
            ),
            key_facts=key_facts(sents, places, value, quantity, article.text),
            matches=matches,
        )
