"""Country recognition: raw mentions, and the countries an article is substantively about.

Mentions come from pycountry names plus `data/countries.yaml` (demonyms, capitals,
government metonyms such as the Kremlin), matched with the same Aho-Corasick matcher as
entities, so ambiguous names (Georgia, Jordan, Chad) need context cues. Salience follows
the rubric: a country counts when the headline or lead is about it, or it recurs through
the body; a country named once in passing (a list of past customers, "NATO armies") does
not.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache

import pycountry

from signalfire.files.packaged import packaged_yaml
from signalfire.models.analysis import EntityMatch
from signalfire.models.entity import Entity

from .entities import find_entities
from .events import is_background
from .gazetteer import Gazetteer

BLOCKER = "country-blocker"
LEAD_CHARS = 300  # the first sentences of the body after the title
TITLE_POINTS = 3.0
LEAD_POINTS = 2.0
BODY_POINTS = 1.0  # per further mention, capped
BODY_CAP = 4
GOV_POINTS = 1.0  # a government body of the country is named (State Department, MApN)
HOME_TOP_POINTS = 2.0  # home country of a company/organisation named in the title or lead
HOME_BODY_POINTS = 1.0  # ... named only further down (and more than once: once is in passing)
PARTY_BONUS = 1.0  # ... named in the title (the story is about it): towards the bar only
PARTY_POINTS = 2.0  # a signatory in a list of countries, or the nationality of a named party
THRESHOLD = 3.5
HOME_THRESHOLD = 3.0  # lower bar for the home country of a named company: it is a party
RELATIVE = 0.2  # and at least this share of the top country's score
SUBJECT_POINTS = 3.0  # home country of the company whose results the article reports
SUBJECT_MENTIONS = 3  # ... named in the title and at least this often


def _pycountry_names(country: object) -> list[str]:
    """Short names from pycountry; 'Korea, Republic of' style names are skipped."""
    names = [getattr(country, a, None) for a in ("name", "common_name", "official_name")]
    return [n for n in names if isinstance(n, str) and "," not in n and "(" not in n]


@lru_cache(maxsize=1)
def country_gazetteer() -> Gazetteer:
    """A gazetteer whose entities are countries (id 'iso-xx') and blocker phrases."""
    doc = packaged_yaml("countries.yaml")
    names: dict[str, list[str]] = {str(k): [str(n) for n in v] for k, v in doc["names"].items()}
    for c in pycountry.countries:
        names.setdefault(c.alpha_2, []).extend(_pycountry_names(c))
    amb = doc.get("ambiguous") or {}
    entities = []
    for code, aliases in names.items():
        info = amb.get(code) or {}
        unique = list(dict.fromkeys(aliases))
        if not unique:
            continue
        entities.append(
            Entity(
                id=f"iso-{code.lower()}",
                name=unique[0],
                kind="country",
                country=code,
                aliases=unique[1:],
                ambiguous=[str(n) for n in info.get("names", [])],
                context=[str(w) for w in info.get("context", [])],
            )
        )
    blockers = [str(b) for b in doc.get("blockers") or []]
    entities.append(Entity(id=BLOCKER, name=blockers[0], kind="country", aliases=blockers[1:]))
    return Gazetteer(entities, {})


def country_mentions(text: str) -> list[tuple[str, int, int]]:
    """Raw country mentions (ISO alpha-2, start, end) in text order."""
    return list(_country_mentions(text))


# A letter code followed by a model number ("PRC-152", "ROK-3") is a designation.
_DESIGNATION = re.compile(r"-?\d")


@lru_cache(maxsize=4)
def _country_mentions(text: str) -> tuple[tuple[str, int, int], ...]:
    """Cached: the analyzer asks for one article's mentions twice (salience, event parties)."""
    out = []
    for m in find_entities(text, country_gazetteer()):
        # "US$640 million" is a currency, not the United States.
        if m.id != BLOCKER and not text.startswith("$", m.end):
            out.append((m.id[4:].upper(), m.start, m.end))
    return tuple(out)


# "Germany, the Netherlands, Denmark and Latvia": the separators of a list of countries.
_LIST_SEP = re.compile(r"\s*(?:,\s*(?:and\s+)?|\s+and\s+|\s*&\s*)(?:the\s+)?", re.IGNORECASE)
# A sentence in which a list of countries signs or agrees something: each is a party.
_SIGNING = re.compile(
    r"\b(?:sign\w*|agree\w*|agreement|accord|treaty|pact|memorandum|jointly|together|"
    r"declaration)\b",
    re.IGNORECASE,
)
LIST_MIN = 3
# "Vietnamese low-cost carrier Mekong Air": a nationality qualifying an organisation.
_PARTY_NOUN = re.compile(
    r"\s+(?:[\w-]+\s+){0,3}?(?:carrier|airline|company|firm|group|maker|manufacturer|producer|"
    r"shipyard|shipbuilder|operator|conglomerate|holding|ministry|government|army|navy|"
    r"air force|armed forces|agency|start-?up|contractor|supplier)\b"
)


# A sentence about who owns whom ("holds the remaining 49.9%", "a minority shareholder",
# "owned jointly by the state and Patria", "its co-owner").
_OWNERSHIP = re.compile(
    r"\b(?:stakes?|shareholders?|shareholding|per ?cent|co-?own(?:er|ers|ed)|(?:jointly|partly|"
    r"wholly|majority|minority)[- ]owned|owned (?:jointly |partly |wholly )?by|"
    r"owner|owners|owns|ownership|subsidiary of|parent(?: company)?)\b|\d%",
    re.IGNORECASE,
)
# A company named only as the loser of a choice: "passing on the Airbus A220", "rejected
# Airbus's offer", "beat rival Leonardo", "had also evaluated the Saab bid".
_RIVAL_BEFORE = re.compile(
    r"\b(?:pass(?:ed|es|ing)? (?:on|over)|reject(?:ed|ing|s)?|turn(?:ed|ing|s)? down|"
    r"snub(?:bed|bing|s)?|beat(?:ing|s)?(?: out)?|outbid(?:ding|s)?|edg(?:ed|es|ing) out|"
    r"oust(?:ed|ing|s)?|instead of|rather than|ahead of|(?:lost|loses|losing) out to|"
    r"(?:chose|chosen|selected|picked|preferred)\b[^.;]{0,60}?\bover|"
    r"compet(?:ed|es|ing) (?:with|against)|also (?:evaluated|considered|tested|looked at)|"
    r"rivals?|competitors?|competing|losing|unsuccessful)\s+"
    r"(?:(?:the|a|an|its|their|rival|competing|offers? from|bids? from|proposals? from|"
    r"designs? from)\s+)*$",
    re.IGNORECASE,
)


# A deal made with an unnamed company in the same sentence.
_DEAL_CUE = re.compile(
    r"\b(?:acquir\w*|acquisition|purchas\w*|buy\w*|bought|takeover|took over|tak\w+ over|"
    r"stake in|merg\w+|joint venture|partner\w*|licen[cs]\w*|ordered|contract\w*|"
    r"signed|awarded)\b",
    re.IGNORECASE,
)


def _unnamed_party(text: str, start: int, end: int) -> bool:
    """True for "a Lithuanian maker" in a sentence that makes a deal with it (not a rival)."""
    if not re.search(r"\b(?:a|an)\s+$", text[max(0, start - 4) : start], re.IGNORECASE):
        return False
    if not _PARTY_NOUN.match(text, end):
        return False
    lo = max(text.rfind(".", 0, start), text.rfind("\n", 0, start), start - 120) + 1
    before = text[lo:start]
    return bool(_DEAL_CUE.search(before)) and not _RIVAL_BEFORE.search(before)


def _sentence_around(text: str, start: int, end: int) -> str:
    lo = max(text.rfind(".", 0, start), text.rfind("\n", 0, start)) + 1
    hi_candidates = [i for i in (text.find(".", end), text.find("\n", end)) if i >= 0]
    return text[lo : min(hi_candidates) if hi_candidates else len(text)]


def _signatories(text: str, mentions: Sequence[tuple[str, int, int]]) -> set[str]:
    """Countries listed together (three or more) in a sentence that signs or agrees."""
    out: set[str] = set()
    run: list[tuple[str, int, int]] = []
    for mention in [*mentions, ("", 1 << 30, 1 << 30)]:
        if run and _LIST_SEP.fullmatch(text[run[-1][2] : mention[1]]):
            run.append(mention)
            continue
        codes = {c for c, _, _ in run}
        sentence = _sentence_around(text, run[0][1], run[-1][2]) if len(codes) >= LIST_MIN else ""
        # "owned jointly by ..., active in Norway, Finland and the US" signs nothing, and
        # "has previously signed deals with Germany, Denmark and the US" signed long ago.
        if (
            sentence
            and _SIGNING.search(sentence)
            and not _OWNERSHIP.search(sentence)
            and not is_background(sentence, None)
        ):
            out |= codes
        run = [mention]
    return out


@dataclass
class _Evidence:
    title: int = 0
    lead: int = 0
    body: int = 0
    gov: int = 0
    home: float = 0.0
    first: int = field(default=1 << 30)
    party: bool = False  # the home of a group named in the title: lifts it over the bar

    def bar_score(self) -> float:
        """The score checked against the thresholds (the ranking uses `score`)."""
        # Each further mention in the lead ("Canberra announced ... Australia's next
        # submarines") counts like one further down.
        repeats = min(self.body + max(self.lead - 1, 0), BODY_CAP) - min(self.body, BODY_CAP)
        return self.score() + BODY_POINTS * repeats + PARTY_BONUS * self.party

    def score(self) -> float:
        return (
            TITLE_POINTS * (self.title > 0)
            + LEAD_POINTS * (self.lead > 0)
            + BODY_POINTS * min(self.body, BODY_CAP)
            + GOV_POINTS * min(self.gov, 2)
            + self.home
        )


def _zones(text: str) -> tuple[int, int]:
    """End of the title and end of the lead (offsets into text)."""
    title_end = text.find("\n\n")
    title_end = len(text) if title_end < 0 else title_end
    return title_end, min(len(text), title_end + 2 + LEAD_CHARS)


def _is_rival(text: str, m: EntityMatch) -> bool:
    """True when an organisation is named as the loser of a choice, not as a party."""
    lo = max(text.rfind(".", 0, m.start), text.rfind("\n", 0, m.start), m.start - 90) + 1
    return bool(_RIVAL_BEFORE.search(text[lo : m.start]))


# "MBDA's UK arm", "Saab's Australian subsidiary": a group's local company in a country.
_ARM_AFTER = re.compile(r"\s+(?:arm|unit|subsidiary|division|branch|business|operations?)\b")


# A local arm named in the country's own language: "KNDS Deutschland", "MBDA Italia".
_NATIVE = re.compile(
    r"\b(?:Deutschland|Italia|España|Polska|Nederland|Sverige|Norge|Suomi|Danmark|"
    r"Österreich|Schweiz|Suisse|Hellas|Brasil)\b"
)


# "BAE Systems Land & Armaments L.P., York, " before a state or country: where it is based.
_SEAT_GAP = re.compile(
    r"(?:,?\s+(?:[A-Z][\w.&'-]*|&|and|of)){0,6},\s+"
    r"[A-Z][\w.'-]*(?:\s+[A-Z][\w.'-]*){0,3},\s+"
)


def _local_arm(text: str, m: EntityMatch, start: int, end: int) -> bool:
    """True when the country mention at start:end names the group's local arm: inside the
    matched name ("MBDA UK"), "MBDA's UK arm", or the seat after the name ("BAE Systems
    Land & Armaments, York, Pennsylvania")."""
    if m.start <= start and end <= m.end:
        return True
    gap = text[m.end : start]
    return bool(re.fullmatch(r"(?:'s|’s)?\s+", gap) and _ARM_AFTER.match(text, end)) or bool(
        _SEAT_GAP.fullmatch(gap)
    )


# US states after a town ("Everett, Washington", "York, Pennsylvania"): a place in the US.
# Georgia is left out: "Batumi, Georgia" is the country.
US_STATES = (
    "Alabama|Alaska|Arizona|Arkansas|California|Colorado|Connecticut|Delaware|Florida|Hawaii|"
    "Idaho|Illinois|Indiana|Iowa|Kansas|Kentucky|Louisiana|Maine|Maryland|Massachusetts|"
    "Michigan|Minnesota|Mississippi|Missouri|Montana|Nebraska|Nevada|New Hampshire|New Jersey|"
    "New Mexico|New York|North Carolina|North Dakota|Ohio|Oklahoma|Oregon|Pennsylvania|"
    "Rhode Island|South Carolina|South Dakota|Tennessee|Texas|Utah|Vermont|Virginia|Washington|"
    "West Virginia|Wisconsin|Wyoming"
)
_US_PLACE = re.compile(
    rf"\b[A-Z][\w.'-]*(?:\s+[A-Z][\w.'-]*){{0,3}},\s+({US_STATES})\b(?!\s+(?:Post|Times)\b)"
)


# Large US cities name the US by themselves ("Phoenix-based Saguaro Air", "a Seattle plant").
_US_CITY = re.compile(
    r"\b(?:Phoenix(?! Ghost)|Seattle|Chicago|Houston|Dallas|Fort Worth|San Antonio|San Diego|"
    r"Los Angeles|San Francisco|San Jose|Denver|Boston|Detroit|Philadelphia|Pittsburgh|"
    r"Baltimore|Atlanta|Miami|Orlando|Tampa|Tucson|Albuquerque|Las Vegas|Salt Lake City|"
    r"St\. Louis|Huntsville|Honolulu|Anchorage|Minneapolis|Cincinnati|Nashville)\b"
)


def us_places(text: str) -> list[tuple[str, int, int]]:
    """US mentions from "town, state" pairs (the state's span) and large US cities."""
    out = [("US", m.start(1), m.end(1)) for m in _US_PLACE.finditer(text)]
    out += [("US", m.start(), m.end()) for m in _US_CITY.finditer(text)]
    return sorted(out, key=lambda m: m[1])


def _group_alias(entity: Entity, alias: str) -> bool:
    """True when the alias names the group itself ("Elbit" for Elbit Systems, "Airbus SE"),
    not a subsidiary known by a name of its own ("GDELS", "Hägglunds"), which may well be
    based outside the group's home country."""
    name, alias = entity.name.casefold(), alias.casefold()
    return name.startswith(alias) or alias.startswith(name)


def country_evidence(
    text: str,
    matches: Sequence[EntityMatch],
    gazetteer: Gazetteer,
    *,
    results: bool = False,
) -> dict[str, _Evidence]:
    """Per country: where it is mentioned as a place, and whose home country it is.

    With `results` (the article reports a company's financial results), the home country of
    the company the story is about (named in the title and recurring) is a party."""
    ev: dict[str, _Evidence] = {}
    mentions = _place_mentions(text, matches, gazetteer)
    _add_mention_evidence(ev, text, matches, mentions)
    _add_home_evidence(ev, text, matches, gazetteer, mentions, results=results)
    for e in ev.values():
        if e.first == 1 << 30 and e.home:
            e.first = len(text)
    return ev


def _place_mentions(
    text: str, matches: Sequence[EntityMatch], gazetteer: Gazetteer
) -> list[tuple[str, int, int]]:
    """Country names, demonyms and places in the text that really are places."""
    # A company named after its town (Kongsberg) is the company, not a place mention.
    named = {(m.start, m.end) for m in matches if m.id in gazetteer}
    # "AN/PRC-152" is a radio, not China (kept in `country_mentions`, which events use).
    mentions = [
        m
        for m in country_mentions(text)
        if (m[1], m[2]) not in named and not _DESIGNATION.match(text, m[2])
    ]
    # A town in a US state is a place in the US (kept out of `country_mentions`, which
    # events use to find parties, so those stay as they are).
    seen = [(s, e) for _, s, e in mentions]
    extra = [u for u in us_places(text) if not any(s < u[2] and u[1] < e for s, e in seen)]
    return sorted([*mentions, *extra], key=lambda m: m[1])


def _add_mention_evidence(
    ev: dict[str, _Evidence],
    text: str,
    matches: Sequence[EntityMatch],
    mentions: Sequence[tuple[str, int, int]],
) -> None:
    """Where each country is named (title, lead, body) and whether it is named as a party."""
    title_end, lead_end = _zones(text)
    for code in _signatories(text, mentions):
        ev.setdefault(code, _Evidence()).home = PARTY_POINTS
    for code, start, end in mentions:
        e = ev.setdefault(code, _Evidence())
        # "the Norwegian-Finnish group" refers back to a company already named.
        anaphoric = re.search(r"(?:\bthe\s+|-)$", text[max(0, start - 5) : start], re.I)
        party = _PARTY_NOUN.match(text, end) if start < lead_end and not anaphoric else None
        # Further down, "bought a stake in a Lithuanian maker of drones": an unnamed company
        # introduced as the other side of a deal is a party too.
        if party is None and start >= lead_end and _unnamed_party(text, start, end):
            party = _PARTY_NOUN.match(text, end)
        # ... unless the organisation is a known entity: its own home country speaks for it.
        if party and not any(party.end() <= m.start <= party.end() + 3 for m in matches):
            e.home = max(e.home, PARTY_POINTS)
        e.first = min(e.first, start)
        if start < title_end:
            e.title += 1
        elif start < lead_end:
            e.lead += 1
        else:
            e.body += 1


def _add_home_evidence(
    ev: dict[str, _Evidence],
    text: str,
    matches: Sequence[EntityMatch],
    gazetteer: Gazetteer,
    mentions: Sequence[tuple[str, int, int]],
    *,
    results: bool,
) -> None:
    """The home countries of the organisations the article names, by how they are named."""
    title_end, lead_end = _zones(text)
    times: dict[str, int] = {}
    for m in matches:
        times[m.id] = times.get(m.id, 0) + 1
    # Organisations named only as rivals that lost out lend their home country nothing.
    rivals = {m.id for m in matches} - {m.id for m in matches if not _is_rival(text, m)}
    # "MBDA UK", "KNDS Deutschland": the article deals with a local arm of the group, whose
    # country is named with it; the group's home is no stronger than in passing then.
    local = {
        m.id
        for m in matches
        if _NATIVE.search(m.alias) or any(_local_arm(text, m, s, e) for _, s, e in mentions)
    }
    for m in matches:
        entity = gazetteer.get(m.id)
        if entity is None or not entity.country or entity.kind in ("program", "country"):
            continue
        if m.id in rivals:
            continue
        if (
            entity.kind != "government"
            and m.start >= lead_end
            and times[m.id] < 2
            and _OWNERSHIP.search(_sentence_around(text, m.start, m.end))
        ):
            continue  # "Norway's Kongsberg holds 49.9%": an owner named once in passing
        e = ev.setdefault(entity.country, _Evidence())
        e.first = min(e.first, m.start)
        if entity.kind == "government":
            e.gov += 1
            # "NAVFAC awards $54M contract", "Pentagon's policy chief to step down": the state
            # body the headline is about acts for its country.
            if m.start < title_end:
                e.home = max(e.home, HOME_TOP_POINTS)
                e.party = True
        elif results and m.start < title_end and times[m.id] >= SUBJECT_MENTIONS:
            # The company whose results these are: its home country is the story's.
            e.home = max(e.home, SUBJECT_POINTS)
        else:
            e.home = max(e.home, HOME_TOP_POINTS if m.start < lead_end else HOME_BODY_POINTS)
            # The group itself in the headline is what the story is about: a party.
            if m.start < title_end and m.id not in local and _group_alias(entity, m.alias):
                e.party = True


def find_countries(
    text: str, matches: Sequence[EntityMatch], gazetteer: Gazetteer, *, results: bool = False
) -> list[str]:
    """ISO alpha-2 codes of the countries substantively involved, most salient first;
    `results` says the article reports financial results (see `country_evidence`)."""
    ev = country_evidence(text, matches, gazetteer, results=results)
    if not ev:
        return []
    scores = {code: e.score() for code, e in ev.items()}
    top = max(scores.values())
    keep = [
        c
        for c, e in ev.items()
        if (s := e.bar_score()) >= (HOME_THRESHOLD if e.home else THRESHOLD) and s >= RELATIVE * top
    ]
    return sorted(keep, key=lambda c: (-scores[c], ev[c].first))
