"""Events the article reports as happening now (RUBRIC.md event taxonomy).

Each sentence is searched with cue patterns per event type; a cue counts only when its
clause is not negated ("no agreement"), not modal or hypothetical ("could", "talks on",
"if"), and not background ("in 2019", "earlier this year", "previously"). Evidence is
weighted by place: the headline states what the story is about, the lead paragraph
confirms it, and a single mention deep in the body is usually context.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import cast

from signalfire.analysis.prefilter import LiteralPrefilter
from signalfire.analysis.quantities import ITEM_NOUNS
from signalfire.analysis.text import Sentence, clauses
from signalfire.models.analysis import EVENT_TYPES, EventMention, EventType

_I = re.IGNORECASE
_NUM = (
    r"(?:\d[\d,.]*|one|two|three|four|five|six|seven|eight|nine|ten|a dozen|dozens of|"
    r"two dozen|several|hundreds of|thousands of)"
)
_COUNT_WORD = (
    r"(?:\d[\d,]*|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|"
    r"(?:thir|four|fif|six|seven|eigh|nine)teen|twenty|thirty|forty|fifty)"
)
_DEAL_NOUN = (
    r"(?:contracts?|orders?|deal|purchase agreement|supply agreement|procurement "
    # (A capitalised "Award" is a prize's name: "received the Performance-Based Logistics
    # Award".)
    r"agreement|task order|delivery order|(?-i:award))"
)
_SIGN = (
    r"(?:signs?|signed|signing|inks?|inked|conclud\w+|seal(?:s|ed)?|struck|strikes|"
    r"finali[sz]\w+|reach(?:es|ed)?|agree[sd]?|put (?:their|its) names? to|pen(?:s|ned|ning)?|"
    r"rubber-?stamp(?:s|ed|ing)?|clinch(?:es|ed|ing)?|c[ao]mes? to terms(?: on| over)?|"
    r"put (?:their|its) signatures? (?:on|to))"
)
_SITE = (
    r"(?:plant|factory|works|facility|facilities|depot|arsenal|warehouse|workshop|site|"
    r"shipyard|production|refinery|storage|hangar|premises|production hall|enterprise)"
)


@dataclass(frozen=True, slots=True)
class _Cue:
    type: EventType
    rx: re.Pattern[str]
    weight: float = 1.0
    # Event types that are announced as intentions by nature ("will build a plant").
    allow_intent: bool = False
    # Left context (inside the clause) that makes the match a reference, not a report.
    veto: re.Pattern[str] | None = None
    # Words that may not stand in the match's `gap` group ("sign MoU as army orders": the
    # signing's object is the MoU). Checked after the match: a tempered gap costs more.
    not_in_gap: re.Pattern[str] | None = None


# Inside a clause, gaps may cross decimal points ("USD 31.4 million") but not full stops.
# ... nor an abbreviation's: "in Tucson, Ariz., the production contract", "the U.S. Army".
_GAP = (
    r"(?:[^.;]|(?<=\d)\.(?=\d)|(?<=[A-Za-z])\.(?=,)|(?<=\b[A-Z])\.(?=[A-Z]\.)|"
    r"(?<=\b[A-Z]\.[A-Z])\.|(?:(?<=Corp)|(?<=Inc)|(?<=Ltd)|(?<=\bCo))\.(?= [a-z(]))"
)


def _unkeyed(rx: str) -> str:
    """`rx` as a part of a cue the literal prefilter does not key on (it reads no literals
    inside a group with inline flags), so the cue is keyed on its rarer words, its verbs,
    rather than on "program" or "from". Cues are case-insensitive already: no match
    changes."""
    return f"(?i:{rx})"


def _c(
    t: EventType,
    rx: str,
    w: float = 1.0,
    intent: bool = False,
    flags: int = _I,
    veto: str | None = None,
    not_in_gap: str | None = None,
) -> _Cue:
    rx = rx.replace("[^.;]", _GAP).replace("[^.]", _GAP)
    return _Cue(
        t,
        re.compile(rx, flags),
        w,
        intent,
        None if veto is None else re.compile(veto, _I),
        None if not_in_gap is None else re.compile(not_in_gap, _I),
    )


# Model designations are not verbs: "FA-50 Block 20", "Block III", "Tranche 3".
_NOT_MODEL = r"(?!\s*(?:\d|[IVX]{1,4}\b))"
# "the joint company of A and B", "LRMV, the 50:50 joint venture": an existing venture
# named as a party, with no founding verb before it in the clause.
_JV_REFERENCE = (
    r"(?:\b(?:the|its|their|this|that|whose)|'s)\s+(?:[\w:%./-]+\s+){0,2}$"
    r"(?<!\bnew\s)"
)
# "placed under a framework agreement", "delivered under contracts signed in August": a deal
# named as the frame of what is reported is not itself reported.
_UNDER_FRAME = (
    r"\b(?:under|within|through|via)\s+(?:the\s+|an?\s+|its\s+|their\s+|existing\s+|"
    r"two\s+|both\s+)?(?:[\w-]+\s+){0,2}$"
)
_HYPOTHETICAL = (
    r"\b(?:any|an eventual|a future|a possible|a planned|a proposed|a prospective)\s+"
    r"(?:[\w-]+\s+)?$"
)
_FUTURE_PASSIVE = r"\b(?:will|shall|would|to)\s+(?:\w+\s+)?be\s+(?:\w+\s+)?$"
_PERMITTED_TO = (
    r"\b(?:clear(?:s|ed|ing)?|approv\w+|authori[sz]\w+|green-?l\w+|permit\w*|allow\w*|"
    r"enabl\w+|notif\w+)\b[^.;]{0,50}?\bto\s+$"
)
_BLOCK_LIFTED = (
    r"\b(?:lift\w*|end(?:s|ed|ing)?|overturn\w*|revers\w*|remov\w*|unblock\w*|overr(?:ule|uled|"
    r"ode|ides?)|drop(?:s|ped|ping)?|rescind\w*)\s+(?:(?:a|an|the|its|their|this|his|her)\s+)?"
    r"(?:[\w'-]+\s+){0,2}$"
)
# Another document or a new clause between a signing verb and "order": not its object.
_OTHER_OBJECT = (
    r"\b(?:mous?|memorand\w+|letters? of intent|lois?|agreements?|accords?|as|while|after|"
    r"before|when)\b"
)
_ACCORD_CONTENT = (
    r"\b(?:agreements?|accords?|treaty|treaties|pacts?|memorand(?:um|a)|mous?)\b[^.;]{0,40}?"
    r"\b(?:under which|whereby)\b[^.;]{0,60}$"
)
# Buying verbs of a stake purchase, and the words that may stand before "stake".
_BUY_VERB = (
    r"(?:acquir(?:e|es|ed|ing)|buy(?:s|ing)?|bought|purchas(?:e|es|ed|ing)|tak(?:e|es|en|ing)|"
    r"took|sells?|sold|selling|snap(?:s|ped|ping)? up|pick(?:s|ed|ing)? up|secur(?:e|es|ed|ing)|"
    r"obtain(?:s|ed|ing)?)"
)
_STAKE_MOD = (
    r"(?:controlling|majority|minority|remaining|further|additional|direct|strategic|"
    r"significant|sizeable|sizable|small|large|blocking|combined)"
)
_PERCENT = r"(?:(?:about|around|nearly|almost|some)\s+)?\d+(?:[.,]\d+)?\s?(?:%|per ?cent)"
_FOUNDING = re.compile(
    r"\b(?:form\w*|set(?:s|ting)? up|establish\w*|creat\w*|launch\w*|found(?:s|ed|ing)?|"
    r"announc\w*|unveil\w*|register\w*|incorporat\w*)\b",
    _I,
)


CUES: tuple[_Cue, ...] = (
    # contract: awards, orders, signed contracts, options exercised
    _c(
        "contract",
        r"\b(?:is|was|were|are|has been|have been|had been|being|been)\s+"
        r"(?:\w+\s+){0,2}awarded\b(?!\s+(?:with|the|a|an)\s+(?:\w+\s+){0,3}(?:medal|prize|"
        r"trophy|honou?r|badge|ribbon|certificate))(?=[^.;]{0,160}\b(?:contracts?|modification|"
        r"orders?|agreement|[$€£]))",
    ),
    _c(
        "contract",
        r"\bawards?\b(?=[^.;]{0,120}\b(?:contracts?|orders?|deal)\b)(?![^.;]{0,80}"
        r"\bfor (?:\w+ )?(?:excellence|achievement|performance|service)\b)",
    ),
    _c(
        "contract",
        r"\b(?:wins?|won|secures?|secured|lands?|landed|clinch\w*|receives?|"
        r"received|books?|booked|bags?|bagged|obtain\w*|nets?|netted|scoops?)\b"
        rf"[^.;]{{0,80}}?\b{_DEAL_NOUN}\b",
    ),
    _c(
        "contract",
        # The signing's object comes first: "sign MoU as army orders continue" signs no order.
        rf"\b(?:places?|placed|award(?:s|ed)?|{_SIGN})\b(?P<gap>[^.;]{{0,70}}?)"
        rf"\b(?:contracts?|orders?|purchase agreement|supply agreement|procurement agreement)\b",
        not_in_gap=_OTHER_OBJECT,
    ),
    _c(
        "contract",
        r"\b(?:contracts?|orders?)\b[^.;]{0,40}\b(?:(?:was|were|has been|have been|is)"
        r"\s+)?(?<!being )(?:signed|awarded|placed|concluded|announced|confirmed)\b",
        # "delivered under executive contracts signed in August": the frame of the news.
        veto=_UNDER_FRAME,
    ),
    # The passive with a count: "four Gripen E/F aircraft ordered through the Swedish
    # government", "24 howitzers ordered from Hanwha".
    _c(
        "contract",
        rf"\b{_NUM}\s+(?:[\w/-]+\s+){{0,4}}?(?:{ITEM_NOUNS})\s+(?:were\s+|have been\s+|are\s+)?"
        r"ordered\s+(?:from|through|via|by|under|for|at)\b",
    ),
    _c(
        "contract",
        rf"\b(?:orders?|ordered|ordering|buys?|bought|buying|purchas(?:es|ed|ing)|"
        rf"procur(?:es|ed|ing)|acquires?|acquired)\s+(?:a further |another |an additional |"
        rf"additional |up to |about |around |some |nearly |more than |at least )?{_NUM}\s",
        # "cleared Poland to buy up to 400 missiles": the permission, not the purchase;
        # "signed an agreement under which Spain will acquire 45 trainers": the accord's
        # content (a contract with the maker is yet to come).
        veto=f"{_PERMITTED_TO}|{_ACCORD_CONTENT}",
    ),
    _c(
        "contract",
        r"\b(?:will )?(?:share in|compete for each order of)\b[^.;]{0,80}?\b"
        r"(?:contracts?|orders?)\b",
    ),
    # "signs $1.2bn deal for 18 launchers": a deal to buy or supply things is a contract.
    _c(
        "contract",
        rf"\b{_SIGN}\b[^.;]{{0,60}}?\bdeal\b(?=[^.;]{{0,60}}\b(?:for (?:the )?(?:supply|purchase|"
        rf"delivery|\d|{_NUM})|to (?:buy|supply|purchase|acquire|deliver))\b)",
    ),
    # "exercised a $237.9M firm-fixed-price option", "options exercised"
    _c(
        "contract",
        r"\bsignature of (?:a|the) contract\b|\bexercis\w+ (?:an |the |a )?(?:[\w$.,-]+ ){0,4}?"
        r"options?\b|\boptions? (?:was |were |has been |have been )?exercised\b",
    ),
    # "Army announces contract award for TOW", but not "before the contract award".
    _c(
        "contract",
        r"\bcontract awards? (?:for|to)\b",
        veto=r"\b(?:before|after|prior to|ahead of|until|since|pending)\s+(?:the\s+)?$",
    ),
    _c(
        "contract",
        r"\b(?:selected|chose|chosen|picks?|picked)\b[^.;]{0,60}\bto (?:supply|"
        r"deliver|build|provide|produce)\b",
        0.6,
    ),
    # A priced deal is a purchase: "Israel and Germany signed a $3.5 billion deal for the
    # Arrow 3", "CZECHS SIGN 34.25 BLN CROWN DEAL" (a venture, a stake or a loan is not).
    _c(
        "contract",
        rf"\b{_SIGN}\s+(?:an?\s+|the\s+)?(?P<gap>(?:(?:US|AU|A|C)?[$€£]\s?\d|"
        r"\b(?:USD|EUR|GBP|SEK|NOK|DKK|PLN|CZK|KRW|AUD|CAD|CHF|INR)\s?\d|\d[\d.,]*[\s-]?"
        r"(?:bn|billion|bln|mln|million|trillion)\b)[^.;]{0,50}?)\bdeal\b",
        not_in_gap=r"\b(?:joint|venture|JV|stake|shares?|takeover|acqui\w*|merger|"
        r"co-?produc\w*|partnership|cooperation|investment|loan|financ\w*|offset|licen[cs]\w*|"
        r"memorand\w*|framework)\b",
    ),
    # "Estonia sealed the purchase of six rocket launchers", "finalised the purchase of 32 jets".
    _c(
        "contract",
        rf"\b{_SIGN}\s+(?:the\s+|a\s+|its\s+)?purchase of\s+(?:(?:a further|another|an additional|"
        rf"up to|about|some)\s+)?{_NUM}\s",
    ),
    # "India has finally signed for the Airbus C295", "signing for 44 tanks from KNDS".
    _c(
        "contract",
        r"\b(?:signs|signed|signing|inks|inked)\s+for\s+(?:the\s+|its\s+|a further\s+|"
        r"another\s+)?(?-i:[A-Z0-9])",
    ),
    # A competition decided is an award: "the losing bidder was Hyundai Rotem", "Leopard
    # beats Korea's K2", "Saab loses out to Lockheed".
    _c(
        "contract",
        r"\b(?:losing|unsuccessful|defeated) (?:bidder|tenderer|contender|competitor)\b|"
        r"\blos(?:es|t) out to\b|\b(?:beats?|edges? out|edged out|sees? off|saw off|outbids?|"
        r"outbid)\s+(?:rival\s+)?(?-i:[A-Z])[\w.-]*'s\b",
    ),
    # agreement: binding intergovernmental or company agreements
    _c(
        "agreement",
        rf"\b{_SIGN}\b[^.;]{{0,60}}?\b(?:agreements?|accords?|pacts?|treaty|treaties|"
        rf"deal)\b(?!\s+(?:to|on) (?:buy|purchase|supply|acquire))",
    ),
    _c(
        "agreement",
        r"\b(?:agreements?|accords?|pacts?|treat(?:y|ies))\b[^.;]{0,60}\b(?:was|were|"
        r"has been|have been|is|being)?\s*(?:signed|concluded|reached|sealed|ratified)\b",
    ),
    _c(
        "agreement",
        r"\b(?:intergovernmental|government-to-government|bilateral|framework|"
        r"strategic partnership|defen[cs]e cooperation|security) (?:agreement|accord|pact)\b",
        veto=_UNDER_FRAME,
    ),
    # "agreed to procure the system jointly", "agreed to jointly develop"
    _c(
        "agreement",
        r"\bagree[sd]?\b[^.;]{0,25}?\bto (?:jointly |collectively |together )?(?:procure|buy|"
        r"purchase|acquire|develop|produce|build|pool|fund|finance|order)\b[^.;]{0,80}?"
        r"\b(?:jointly|together|as a group|in common|collectively|joint)\b|\bagree[sd]?\b"
        r"[^.;]{0,25}?\bto (?:jointly|collectively) \w+",
    ),
    # "The agreement between Denmark, Germany and Latvia commits ..."
    _c(
        "agreement",
        r"\b(?:the|an|a|this|their) (?:new |\w+ )?(?:agreement|accord|pact|treaty) "
        r"(?:between|among|signed by)\b",
        veto=_UNDER_FRAME,
    ),
    # "sealed their joint venture", "sign 50:50 joint venture": the founding signature.
    _c(
        "agreement",
        r"\b(?:signs?|signed|signing|seal(?:s|ed|ing)?|ink(?:s|ed|ing)?)\b(?P<gap>[^.;]{0,40}?)"
        r"\bjoint[- ]ventures?\b",
        not_in_gap=r"\b(?:memorand\w*|mous?|letters?|intent|talks|study|explore)\b",
    ),
    # "the joint venture Rheinmetall signed in Bucharest": the venture's founding signature.
    _c(
        "agreement",
        r"\bjoint[- ]venture\s+(?:that\s+|which\s+)?(?-i:[A-Z])[\w&.-]*"
        r"(?:\s+(?-i:[A-Z])[\w&.-]*){0,2}\s+(?:signed|sealed|inked)\b",
    ),
    # A signing that founds a company: "put their signatures on the papers that create LRMV,
    # a 50-50 joint venture", "signed the documents establishing the joint company".
    _c(
        "agreement",
        rf"\b{_SIGN}\b[^.;]{{0,60}}?\b(?:creat\w*|set(?:ting|s)? up|establish\w*|"
        r"found(?:s|ed|ing)?|form(?:s|ed|ing)?)\b[^.;]{0,80}?\b(?:joint[- ]venture|venture|"
        r"(?:new |joint |jointly owned )?company)\b",
    ),
    # "after agreeing with WB Group to set up a joint venture"
    _c(
        "agreement",
        r"\bagree(?:d|s|ing)? with\b[^.;]{0,60}?\bto (?:set up|establish|form|create|launch|"
        r"found|build|develop|produce)\b",
    ),
    # mou: non-binding memoranda and letters of intent
    _c(
        "mou",
        r"\b(?:memorand(?:um|a) of (?:understanding|cooperation|agreement)|"
        r"mous?|letters? of intent|lois?|declarations? of intent|statements? of intent|"
        r"letters? of interest|joint declaration|"
        # Non-binding steps under another name: "sign preliminary deal", "agreement in
        # principle".
        r"preliminary (?:deal|agreement|accord)s?|agreements? in principle)\b",
    ),
    # A second document of the day: "on the sidelines, the ministries also signed a
    # memorandum of understanding" says outright that it is news beside the main deal.
    _c(
        "mou",
        r"\b"
        + _unkeyed(
            r"(?:also|separately|additionally)\s+(?:\w+\s+)?(?:signed|inked|concluded|agreed)"
        )
        + r"\b[^.;]{0,50}?\b(?:memorand(?:um|a)|mous?|letters? of intent)\b",
        1.34,
    ),
    # "signs supplier memorandum with Czech industry"
    _c("mou", rf"\b{_SIGN}\b[^.;]{{0,40}}?\bmemorand(?:um|a)\b"),
    # joint_venture: joint companies and co-production
    # A venture or company is a party that may already exist ("LRMV, the joint venture");
    # joint production is an activity, news whatever its determiner ("the joint
    # manufacturing of drones", "joint drone production", "co-producing the systems").
    _c(
        "joint_venture",
        r"\bjoint[- ]ventures?\b|\bjoint company\b|\bjointly[- ]owned (?:company|venture|"
        r"firm)\b",
        # (... nor is a venture the partners may found: "any joint venture would be".)
        veto=f"{_JV_REFERENCE}|{_HYPOTHETICAL}",
    ),
    # A company with a stated split of owners: "set up a 50:50 company", "an equally owned
    # firm".
    _c(
        "joint_venture",
        r"\b(?:50[:/-]50|51[:/-]49|49[:/-]51|60[:/-]40|70[:/-]30|equally[- ]owned|jointly[- ]held)"
        r"\s+(?:[\w-]+\s+){0,2}?"
        r"(?:company|venture|firm|enterprise|entity|subsidiary)\b",
        veto=f"{_JV_REFERENCE}|{_HYPOTHETICAL}",
    ),
    # "the joint venture Rheinmetall signed in Bucharest": a reference, but to its founding.
    _c(
        "joint_venture",
        r"\bjoint[- ]venture\s+(?:that\s+|which\s+)?(?-i:[A-Z])[\w&.-]*"
        r"(?:\s+(?-i:[A-Z])[\w&.-]*){0,2}\s+(?:signed|sealed|inked|formed|set up|created|"
        r"established|founded|launched)\b",
    ),
    _c(
        "joint_venture",
        r"\bco-?produc(?:e|es|ed|ing|tion)\b|\bjoint (?!strike\b)(?:[\w-]+ ){0,2}?"
        r"(?:production|manufactur\w+)\b|\bjointly (?:produc\w+|manufactur\w+|build\w*)\b",
    ),
    _c(
        "joint_venture",
        r"\b(?:produc(?:e|es|ed|ing)|manufactur(?:e|es|ed|ing)|build(?:s|ing)?|"
        r"assembl(?:e|es|ed|ing)|mak(?:e|es|ing))\b"
        # ("a force assembled ..., bringing together experts" joins people, not production.)
        r"[^.;]{0,60}?\b(?:jointly|(?<!bringing )(?<!brings )(?<!brought )(?<!bring )(?<!come )"
        r"(?<!came )(?<!comes )(?<!put )(?<!get )(?<!got )together)\b",
    ),
    # tech_transfer
    _c(
        "tech_transfer",
        r"\b(?:technology|technologies|know-how) transfers?\b|\btransfers? of "
        r"(?:the )?(?:\w+ )?(?:technology|technologies|know-how)\b|\blicen[cs]ed (?:production|"
        r"manufactur\w+|assembly|copies)\b|\bunder (?:a )?licen[cs]e\b|\blicen[cs]e(?:s|d)? "
        r"(?:the )?[^.;]{0,40}?\bto (?:produce|build|manufacture|assemble)\b|\bwill licen[cs]e\b|"
        r"\blicen[cs]e (?:for|to) (?:local )?(?:production|manufactur\w+)|"
        # "63 will be licence-built in Poland", "licence-produced engines"
        r"\blicen[cs]e-(?:built|produced|made|assembled|manufactured)\b",
    ),
    # "will transfer production technology to", "would license the production technology",
    # "a licence to build"
    # A party that "will transfer its technology" says outright what happens: one such
    # sentence in the first paragraphs is enough.
    _c(
        "tech_transfer",
        r"\btransfer(?:s|red|ring)?\s+(?:\w+\s+){0,2}?(?:technology|technologies|know-how)\b|"
        # ... and in the passive: "built in Gliwice using technology transferred from Korea".
        # ("the scope of technology to be transferred" is still to be agreed.)
        r"\b(?:technology|technologies|know-how)\s+(?:[\w-]+\s+){0,2}?(?<!to be )"
        r"(?:transferred|handed over)\b",
        1.34,
    ),
    _c(
        "tech_transfer",
        r"\b(?:will|would|to|agreed to)\s+(?:also\s+)?licen[cs]e\b|\blicen[cs]e(?:s|d)? (?:the |"
        r"its )?(?:\w+ )?(?:production|manufacturing) (?:technology|rights)\b|\blicen[cs]e "
        r"to (?:build|produce|make|manufacture|assemble)\b|\bproduction licen[cs]e\b",
    ),
    # Technology handed over in other words: "gains access to Ukrainian drone technology",
    # "will share its production know-how", "technology sharing".
    _c(
        "tech_transfer",
        r"\b(?:gain\w*|get(?:s|ting)?|got|giv(?:e|es|en|ing)|gave|grant\w*|secur\w+|obtain\w*|"
        r"receiv\w+|provid\w+)\s+(?:[\w-]+\s+){0,2}?access to\s+(?:[\w-]+\s+){0,3}?"
        r"(?:technolog(?:y|ies)|know-how|designs?|source code|intellectual property)\b|"
        r"\bshar(?:e|es|ed|ing)\s+(?:(?:its|their|the|key|critical|sensitive|production|"
        r"manufacturing|missile|drone|engine|design)\s+){0,3}(?:technolog(?:y|ies)|know-how|"
        r"intellectual property|source code)\b|\btechnology[- ]sharing\b|"
        # "will hand over production know-how", "supplying manufacturing data and tooling"
        r"\b(?:hand(?:s|ed|ing)? over|pass(?:es|ed|ing)? on|provid\w+|suppl(?:y|ies|ied|ying)|"
        r"giv(?:e|es|en|ing)|gave|grant\w*)\s+(?:(?:the|its|their|all|key|full|necessary|"
        r"required)\s+)?(?:(?:production|manufacturing|technical|engineering|design)\s+)?"
        r"(?:know-how|technical data|manufacturing data|production data|blueprints|source code)\b|"
        r"\b(?:hand(?:s|ed|ing)? over|pass(?:es|ed|ing)? on)\s+(?:(?:the|its|their)\s+)?"
        r"(?:[\w-]+\s+)?technolog(?:y|ies)\b",
    ),
    # Localised production: a foreign design built in the buyer's country is licensed.
    _c(
        "tech_transfer",
        r"\b(?:produc|manufactur|assembl|buil[dt]|mak|made)\w*\s+(?:[\w-]+\s+){0,3}?"
        r"(?:locally|in-country)\b|\blocali[sz](?:e|es|ed|ing)\s+(?:(?:the|its|their)\s+)?"
        r"(?:[\w-]+\s+)?(?:production|manufactur\w*|assembly)\b|\blocali[sz]ation of (?:the )?"
        r"(?:[\w-]+ )?(?:production|manufactur\w*|assembly)\b|\blocal (?:production|"
        r"manufactur\w+|assembly) of\b|"
        # What a deal is or brings: "Key point of this contract is local production".
        r"\b(?:is|includes?|including|covers?|requires?)\s+local[- ](?:production|assembly|"
        r"manufactur\w+)\b(?!\s+(?:capacit\w+|base|lines?|plants?|sites?))",
    ),
    # delivery: handovers of systems
    _c(
        "delivery",
        r"\b(?:delivered|delivers|handed over|hands over|handing over|took delivery|"
        r"takes delivery|taken delivery|received|receives|rolled out|t(?:ake|akes|ook|aken|aking) "
        # "received an order for Lynx vehicles" receives an order, not vehicles.
        r"(?:the )?keys to|accepted|accepts|unloaded|offloaded)\b(?P<gap>[^.;]{0,60}?)"
        rf"\b(?:{ITEM_NOUNS}|batch|tranche|consignment|shipment)\b",
        # "Dozens of vehicles will be delivered to Navy": not yet.
        veto=_FUTURE_PASSIVE,
        # ... and "delivered updates for the missile community" delivers a talk.
        not_in_gap=r"\b(?:orders?|contracts?|awards?|approval|funding|requests?|bids?|offers?|"
        r"proposals?|updates?|briefings?|remarks|speech(?:es)?|keynote|presentations?|lectures?|"
        r"address|messages?|humanitarian|aid|relief)\b",
    ),
    _c(
        "delivery",
        # ("Launchers could arrive in 2027", "will touch down in May": not yet.)
        rf"\b(?:{ITEM_NOUNS}|batch|tranche)\b(?P<gap>[^.;]{{0,60}})\b(?:(?:were|was|have been|"
        r"has been|had been)\s+(?:\w+\s+)?(?:delivered|handed over|unloaded|offloaded)|"
        r"(?:have |has )?(?:arriv(?:e|es|ed)|land(?:s|ed)?|touched down|touch down|unloaded|"
        r"offloaded) (?:at|in)\b)",
        not_in_gap=r"\b(?:will|would|could|may|might|should|to|due|expected|scheduled|set)\b",
    ),
    # A count of items "delivered": "ended 2024 at 1.5 million large-calibre rounds delivered".
    _c(
        "delivery",
        rf"\b(?:\d[\d,.]*(?: million| thousand)?|{_NUM})\s+(?:[\w-]+\s+){{0,3}}?(?:{ITEM_NOUNS})\s+"
        r"(?:delivered|handed over)\b",
    ),
    _c(
        "delivery",
        r"\b(?:delivered|delivers|handed over|hands over|took delivery of|takes delivery of|"
        r"receiv(?:ed|es|ing)|t(?:ake|akes|ook|aken|aking) (?:the )?keys to)\s"
        r"(?:the |its |their )?(?:first|initial|final|last|remaining)\b",
    ),
    _c(
        "delivery",
        r"\b(?:first|initial|final|last) deliver(?:y|ies)\b|\bhand-?over ceremony\b|"
        r"\b(?:start|beginning) of deliveries\b",
        0.6,
    ),
    # acquisition: companies and stakes. "bought a controlling 70 percent stake",
    # "snapped up a 70% stake", "picked up a minority shareholding", "took a stake in"
    _c(
        "acquisition",
        rf"\b{_BUY_VERB}\s+(?:(?:a|an|the|its|their|his|her)\s+)?(?:(?:{_STAKE_MOD}|{_PERCENT})\s+)"
        r"{1,3}(?:stake|shareholding|holding|equity)\b|"
        rf"\b{_BUY_VERB}\s+(?:(?:a|an|the|its|their|his|her)\s+)?(?:(?:controlling|majority|"
        rf"minority|{_PERCENT})\s+){{1,3}}(?:interest|shares?)\b|"
        rf"\b{_BUY_VERB}\s+(?:(?:a|an|the|its|their)\s+)?(?:stake|shareholding|holding)\s+in\b|"
        r"\b(?:rais|increas|lift|boost)(?:e|es|ed|ing|s)?\s+(?:its|their|his|her|the)\s+"
        r"(?:\w+\s+)?(?:stake|shareholding|holding)\b",
    ),
    _c(
        "acquisition",
        r"\btake-?overs?\b|\b(?:completes?|completed|completing|closes?|closed|finali[sz]\w+|"
        r"announce[sd]?|agreed)\b[^.;]{0,30}\b(?:acquisition|purchase|takeover|buyout) of\b",
    ),
    # "acquired Polish drone maker WB", "snaps up Italian shell maker Valtrebbia"
    _c(
        "acquisition",
        # "takes over both Piaggio Aero Industries and ...", "to buy Iveco Defence Vehicles"
        r"\b(?:acquires|acquired|to acquire|agreed to buy|agrees to buy|to buy|buys|bought|"
        r"snaps up|snapped up|picks up|picked up|takes over|took over|has taken over)\s+"
        r"(?:both\s+|all of\s+|the whole of\s+)?"
        r"(?:[A-Z][\w&.-]*\s)(?:(?!(?:from|for|to|of|in|at|with|by|the|a|an|and|its)\s)"
        r"[\w&.-]+\s){0,3}(?:Inc|Ltd|Corp|GmbH|AG|SpA|S\.p\.A|plc|LLC|Industries|Systems|"
        r"Vehicles|Aerospace|Aviation|Technologies|Holdings|Electronics|Munitions|Dynamics|"
        r"Shipyards?|Works|"
        r"company|group|maker|firm|shipyard|business|manufacturer|producer|supplier|specialist|"
        r"start-?up)\b",
        1.0,
        False,
        0,
    ),
    # Wire and headline forms, any case: "BOEING TO ACQUIRE DEFENSE ELECTRONICS FIRM",
    # "agreed to buy a privately held maker of radars", "to buy naval shipyard".
    _c(
        "acquisition",
        # (The verb ends in a literal space: the prefilter then looks for the verb, which
        # is rarer than the head nouns.)
        r"\b(?:acquires|acquired|(?:to|will|would) acquire|agree[sd]? to acquire|buys|"
        r"(?:to|will|would) buy|agree[sd]? to buy|snaps up|snapped up|takes over|took over|"
        r"(?:to|will|would) take over|agree[sd]? to take over) \s*(?:(?:a|an)\s+)?"
        r"(?:(?!(?:from|for|to|of|in|at|with|by|the|a|an|and|its|their|his|her|this|that)\s)"
        r"[\w&.'\u2019-]+\s){0,4}(?:firm|company|maker|group|business(?:es)?|manufacturer|"
        r"producer|supplier|specialist|start-?up|shipyard|yard|unit|division|subsidiary|rival|"
        r"competitor|builder|developer|designer|contractor|operator|integrator|arm)\b"
        r"(?!['\u2019]s)",
    ),
    # "takes control of a munitions firm", "would pay EUR 480 million for 70% of",
    # "buys 70% of", "is passing into Czech hands"
    _c(
        "acquisition",
        r"\b(?:tak(?:e|es|ing|en)|took|gain(?:s|ed|ing)?|acquir(?:e|es|ed|ing)|assum(?:e|es|ed))"
        r"\s+(?:full |majority |a controlling |controlling |operational |sole )?control (?:of|over)"
        r"\b(?=[^.;]{0,60}\b(?:compan(?:y|ies)|firm|maker|group|business|manufacturer|shipyard|"
        r"producer|supplier|subsidiary|stake|operator|holding)\b)",
    ),
    _c(
        "acquisition",
        r"\b(?:(?:will|would|is to|agreed to|agrees to|to) )?pa(?:y|ys|id|ying) [^.;]{0,40}?"
        r"\bfor\s(?:a |an |its |the )?(?:\d+(?:\.\d+)?\s?(?:%|per ?cent\b)|majority\b|"
        r"minority\b|controlling\b|(?:[\w-]+\s+){0,2}?(?:arm|business|unit|division|subsidiary)"
        r"\s+of\b)",
    ),
    _c(
        "acquisition",
        r"\b(?:buy|buys|bought|buying|acquir(?:e|es|ed|ing)|takes?|took)\s+(?:a |an )?"
        r"\d+(?:\.\d+)?\s?(?:%|per ?cent) (?:of|in)\b",
    ),
    _c(
        "acquisition",
        r"\b(?:complet|clos|finali[sz])\w*\s+(?:the |its |a )?(?:acquisition|purchase|takeover|"
        rf"buyout)\s+of\s+(?:a |an |the )?(?:{_PERCENT}|majority|controlling|minority)\s*"
        r"(?:stake|shareholding|interest|holding)\b",
        2.0,
    ),
    _c("acquisition", r"\bpass(?:es|ed|ing)? into (?:\w+ ){0,2}(?:hands|ownership)\b"),
    # investment: new plants, lines, capacity
    _c(
        "investment",
        # ("a building at the plant" is a noun, not a verb.)
        r"\b(?:build|builds|(?<!\ba )(?<!\bthe )(?<!\bone )(?<!\bany )building|open|opens|"
        r"opening|set up|sets up|setting up|"
        r"establish\w*|construct\w*|launch\w*|inaugurat\w*|break(?:s)? ground|broke ground|"
        r"start\w* construction of)\b[^.;]{0,60}?\b(?:factory|factories|plant|plants|facility|"
        r"production lines?|assembly lines?|production hall|production site|manufacturing "
        r"(?:site|plant|facility|hub)|industrial base|production base|service base|shipyard|"
        r"final assembly)\b",
        1.0,
        True,
    ),
    # What is made "at a new factory Hanwha will construct", "in a new production hall".
    _c(
        "investment",
        r"\b(?:at|in|from)\s+(?:a|the)\s+new\s+(?:[\w-]+\s+){0,2}?(?:factory|plant|"
        r"production (?:hall|line|site|facility)|assembly (?:line|hall|plant)|manufacturing "
        r"(?:site|plant|facility|hub)|cent(?:re|er) of excellence)\b",
        1.0,
        True,
    ),
    # A place chosen for a new site: "selected as the future home of SDA's first operations
    # center", "chosen as the site of the new shell plant".
    _c(
        "investment",
        r"\b(?:future |new )?(?:home|site|location) (?:of|for|to) (?:the |a |an |its )?"
        r"(?:[\w-]+ )?(?:[\w']+'s )?(?:new|first)\s+(?:[\w-]+\s+){0,4}?(?:cent(?:er|re)|facility|"
        r"plant|factory|hub|depot|production line|assembly line|shipyard)\b",
        1.0,
        True,
    ),
    # Opening a new site: "cutting the ribbon on SDA's first operations center".
    _c(
        "investment",
        r"\b(?:cut(?:s|ting)? the ribbon|ribbon[- ]cutting)\b[^.;]{0,60}\b(?:plant|factory|"
        r"facility|cent(?:er|re)|site|line|hangar|building|depot|shipyard|works)\b",
        1.0,
        True,
    ),
    # "will expand the Geelong plant", "adding a second assembly hall and a fabrication line"
    _c(
        "investment",
        r"\b(?:expand(?:s|ed|ing)?|extend(?:s|ed|ing)?|enlarg\w+|add(?:s|ed|ing)?)\s+"
        r"(?:(?:the|its|their|a|an|two|three|second|third|new|further|another|\w+'s)\s+){0,3}"
        r"(?:[\w-]+\s+){0,3}?(?:plants?|factor(?:y|ies)|facilit(?:y|ies)|works|shipyards?|"
        r"(?:assembly|production|fabrication|integration|test|paint|manufacturing|machining)\s+"
        r"(?:halls?|lines?|shops?|buildings?|bays?|cent(?:re|er)s?)|cent(?:re|er)s? of "
        r"excellence)\b",
        1.0,
        True,
        veto=r"\b(?:acquisition|takeover|buyout|merger|purchase of)\b",
    ),
    # New jobs are what a plant investment is announced with; alone they prove little.
    _c(
        "investment",
        r"\b(?:creat\w*|bring(?:s|ing)?|add(?:s|ed|ing)?|generat\w*)\s+(?:(?:about|around|"
        r"some|up to|more than|over|nearly)\s+)?\d[\d,]*\s+(?:(?:new|extra|additional|skilled|"
        r"high-tech|permanent|direct)\s+){0,2}jobs\b|\b\d[\d,]*\s+(?:new|extra|additional)\s+"
        r"(?:(?:skilled|high-tech|permanent|direct)\s+)?jobs\b",
        0.6,
        True,
        veto=r"\b(?:acquisition|takeover|buyout|merger|purchase of)\b",
    ),
    _c(
        "investment",
        r"\b(?:expand\w*|increas\w*|doubl\w*|tripl\w*|boost\w*|ramp\w* up|scal\w* "
        r"up|add\w*|rais(?:e|es|ed|ing)|lift(?:s|ed|ing)?)\b[^.;]{0,30}\b(?:production|"
        r"manufacturing|output)? ?capacity\b|\bcapacity expansion\b",
        1.0,
        True,
        # "The acquisition adds capacity": a consequence of a purchase, not new capex.
        veto=r"\b(?:acquisition|takeover|buyout|merger|purchase of)\b",
    ),
    _c(
        "investment",
        r"\binvest(?:s|ed|ing|ment)?\b[^.;]{0,60}\b(?:in|into|for)\b[^.;]{0,40}"
        r"\b(?:plant|factory|facility|production|capacity|lines?|site|halls?|hangars?|"
        r"workshops?)\b",
        1.0,
        True,
    ),
    # "spending NOK 2bn to double output", "doubling the plant's annual output", "ramp up
    # production": money or work that raises output is an investment.
    _c(
        "investment",
        r"\b(?:doubl|tripl|quadrupl)(?:e|es|ed|ing)\s+(?:(?:the|its|their|annual|yearly|\w+'s)\s+)"
        r"{0,3}(?:output|production|capacity)\b|\bramp(?:s|ed|ing)? up (?:\w+ )?(?:production|"
        r"output|manufacturing)\b",
        1.0,
        True,
        veto=r"\b(?:acquisition|takeover|buyout|merger|purchase of)\b",
    ),
    _c(
        "investment",
        r"\b(?:capital )?investment\b[^.;]{0,40}\bwill (?:fund|finance|pay for)\b[^.;]{0,40}"
        r"\b(?:plant|factory|facility|hall|line|site|hangar|workshop)s?\b",
        1.0,
        True,
    ),
    # regulatory: sanctions, export approvals, bans
    _c("regulatory", r"\bsanction(?:s|ed|ing)?\b(?! relief)"),
    _c(
        "regulatory",
        r"\b(?:approv\w+|clear(?:s|ed)?|authori[sz]\w+|green-?light\w*|grant\w*|go-ahead|"
        r"consent\w*|sign(?:s|ed)? off)\b"
        r"[^.;]{0,60}?\b(?:sales?|exports?|transfer|tranche|"
        # A company's licence to produce is technology transfer, not a state's permit.
        r"(?<!production )(?<!manufacturing )licen[cs]es?\b(?!\s+(?:to|for)\s+(?:\w+\s+){0,2}?"
        r"(?:build|produc|manufactur|make|assembl|local))|permits?)\b",
        1.0,
        True,
    ),
    # FMS notifications and green lights: "notified Congress of a possible sale",
    # "gives the green light to the purchase"
    _c(
        "regulatory",
        r"\bnotif(?:y|ies|ied|ying|ication)\b[^.;]{0,20}?\bCongress\b|\bcongressional "
        r"notification\b|\b(?:green light|green-?lit|clears|cleared|clearing)\b[^.;]{0,60}?"
        r"\b(?:buy|purchase|deal|request|acquisition|sales?)\b",
        1.0,
        True,
    ),
    _c(
        "regulatory",
        rf"\b(?:block\w*{_NOT_MODEL}|bann?\w*|halt\w*|suspend\w*|refus\w+|den(?:y|ied|ies)|veto\w*|"
        r"stop\w*|freez\w*|froze|revok\w*|cancel\w*)\b[^.;]{0,30}\b(?:exports?|(?:export )?"
        r"licen[cs]es|(?:export )?approvals)\b",
        # (Weighs a little more than an approval cue, so "halts approvals for arms exports"
        # is read as the halt.)
        1.05,
    ),
    _c(
        "regulatory",
        r"\b(?:export (?:licen[cs]es?|permits?|approvals?|bans?|controls?)|"
        r"embargo\w*|blacklist\w*|entity list|arms ban|bann(?:ed|ing|s)? (?:the )?exports?)\b",
    ),
    # A block or a ban lifted is an approval: "Berlin lifts block on Eurofighter sale",
    # "ends its veto on the export"; a refusal to allow an export is a restriction:
    # "refused to allow Germany to pass Swiss-made ammunition to Ukraine".
    _c(
        "regulatory",
        r"\b(?:lifts? |lifted |lifting |ends? |ended |ending |remov(?:e|es|ed|ing) |"
        r"drop(?:s|ped|ping)? |waiv(?:e|es|ed|ing) )(?:its\s+|the\s+|"
        r"a\s+|their\s+)?(?:[\w-]+\s+)?(?:block|ban|veto|embargo|hold|freeze|objections?)\s+"
        r"(?:on|to|against)\b"
        + _unkeyed(
            r"(?=[^.;]{0,40}?\b(?:sales?|exports?|deliver\w*|transfers?|purchases?|arms|weapons|"
            r"deals?)\b)"
        )
        + r"|\b(?:refus(?:es|ed|ing)|declin(?:es|ed|ing)|reject(?:s|ed|ing)|den(?:ies|ied|ying))"
        r"\s+(?:again\s+|(?:for\s+)?(?:a|the)\s+\w+\s+time\s+)?to\s+(?:allow|authori[sz]e|"
        r"permit|approve|let|licen[cs]e|clear)\b"
        + _unkeyed(
            r"(?=[^.;]{0,60}?\b(?:re-?exports?|exports?|transfers?|pass|send|sales?|sell|"
            r"deliver\w*|supply)\b)"
        ),
        1.05,
        True,
    ),
    # The rules themselves changed: "eases the ban on the re-export of Swiss-made weapons",
    # "approved a revision of the guidelines on the transfer of defence equipment".
    _c(
        "regulatory",
        r"\b"
        + _unkeyed(
            r"eas(?:e|es|ed|ing)|relax\w*|loosen\w*|tighten\w*|revis\w+|amend\w*|overhaul\w*|"
            r"reform\w*|rewr\w+|scrap(?:s|ped|ping)?|lift\w*|chang(?:e|es|ed|ing)(?: to)?"
        )
        + r"\s+"
        r"(?:of\s+)?(?:the\s+|its\s+|their\s+)?(?:[\w.-]+\s+){0,4}?(?:rules|ban|restrictions|regime|"
        r"guidelines|principles|policy|policies|controls)\s+(?:on|for|governing|of)\s+(?:the\s+)?"
        r"(?:[\w-]+\s+){0,3}?(?:re-?exports?|exports?|arms|weapons|landmines?|cluster munitions?|"
        r"transfers? of (?:defen[cs]e )?(?:equipment|arms|weapons))\b",
        1.0,
        True,
    ),
    # A state's screening of who owns a defence firm: "the ministry cleared the sale under
    # the government's golden-power rules".
    _c(
        "regulatory",
        r"\b(?:cleared|approved|authori[sz]ed|green-?lit|signed off on|waved through)\b[^.;]{0,80}?"
        r"\bunder\b[^.;]{0,40}?\b(?:golden[- ]power|foreign[- ]investment|investment[- ]screening|"
        r"national[- ]security (?:review|rules|law))",
        1.05,
    ),
    # Lawmaking between institutions: "reached a provisional agreement on the regulation
    # establishing ...", "negotiators agreed on the text of the programme", "trilogue".
    _c(
        "regulatory",
        r"\b(?:agreement|deal|compromise|accord)\s+on\s+(?:the\s+)?(?:(?:final\s+)?text\s+of\s+"
        r"(?:the\s+)?)?(?:[\w-]+\s+){0,4}?(?:regulations?|directives?|laws?|bills?|legislation)\b|"
        r"\bagree[sd]?\b[^.;]{0,20}?\bon the (?:final )?text of\b|\btrilogues?\b",
        1.0,
        True,
    ),
    # Legislation: "parliament passed a law on defence plants", "signed the bill into law",
    # "the decree enters into force", "new law lets foreign firms buy into ..."
    _c(
        "regulatory",
        # (Each verb form ends in a literal space, so the prefilter keys on the verbs.)
        r"\b(?:pass(?:es|ed|ing)? |adopt(?:s|ed|ing)? |approv(?:e|es|ed|ing) |enact(?:s|ed|ing)? |"
        r"sign(?:s|ed|ing)? |vot\w+ through |promulgat\w+ |issu(?:e|es|ed|ing) )"
        r"[^.;]{0,50}?\b(?:laws?|bills?|legislation|decrees?|"
        r"ordinances?|statutes?|amendments? to the \w+ (?:law|act))\b|\binto law\b|\b(?:law|"
        r"decree|legislation|act|ordinance)\b[^.;]{0,30}\b(?:takes? effect|took effect|enters? "
        r"into force|entered into force|c[oa]mes? into force)\b|\bnew (?:(?:defen[cs]e|arms|"
        r"export|procurement|industry|industrial|production|security) )?(?:laws?|decrees?|"
        r"legislation)\b",
        1.0,
        True,
    ),
    # financial_results
    _c(
        "financial_results",
        # ("Foreign military sales" and "arms sales" are deals, not a company's revenue.)
        r"\b(?:revenues?|(?<!military )(?<!arms )(?<!weapons )(?<!export )sales|turnover|"
        r"net (?:profit|income|loss)|"
        r"operating (?:profit|income|margin)|ebitd?a|ebit|earnings|profits?|order intake|"
        r"(?:order )?backlog|orders received)\b[^.;]{0,60}?\b(?:rose|rise|rises|risen|jump\w*|"
        r"climb\w*|grew|grow\w*|increas\w*|fell|fall\w*|drop\w*|declin\w*|reached|hit|hits|"
        r"totall?ed|came in|doubl\w*|tripl\w*|quadrupl\w*|halv\w*|surg\w*|soar\w*|record|up \d|"
        r"down \d|slump\w*|slid\w*|"
        r"slip\w*|plung\w*|tumbl\w*|sank|shr[ai]nk\w*|improv\w*|beat|miss(?:ed|es|ing)?\b)",
        # "lifting its order backlog to a record": what an order does, not a results report.
        veto=r"\b(?:lift|push|rais|boost|tak|bring|brought|swell)\w*\s+(?:its|the|their|\w+'s)\s+"
        r"(?:\w+\s+)?$",
    ),
    _c(
        "financial_results",
        r"\b(?:quarterly|half-year|first-half|nine-month|annual|full-year|"
        r"q[1-4]|first-quarter|second-quarter|third-quarter|fourth-quarter|interim) (?:results|"
        r"figures|earnings|revenues?|sales|profits?|report)\b",
    ),
    # Markets shorthand: "posts H1 beat", "H1 2025 revenue", "FY results".
    _c(
        "financial_results",
        r"\b(?:h1 |h2 |9m |fy )(?:20\d\d\s+)?"
        + _unkeyed(r"results|figures|earnings|revenues?|sales|profits?|report|beat|miss")
        + r"\b",
    ),
    # incident: accidents and attacks at defence sites
    _c(
        "incident",
        r"\b(?:explosions?|blasts?|exploded|detonat\w+|fire broke out|fires? (?:at|"
        r"broke|engulf\w*|tore|swept|raged|destroy\w*|damag\w*|halt\w*)|blaze|caught fire|"
        r"(?:missile|drone|air|rocket|ballistic|artillery) (?:strikes?|attacks?)|struck by|"
        r"sabotage\w*|arson|industrial accident)\b"
        rf"(?=[^.]{{0,120}}\b{_SITE}\b)|\b{_SITE}\b[^.]{{0,80}}\b(?:explosions?|blasts?|"
        r"fire|blaze|struck|hit by|damaged|destroyed|sabotage)\b",
    ),
    # An accident at a defence site: "the drone crashed on landing at Emmen air base".
    _c(
        "incident",
        r"\b(?:crash(?:ed|es)?|crash-landed|crash landing)\b(?=[^.;]{0,80}\b(?:air ?base|"
        r"airfield|air station|naval base|military base|test (?:site|range)|firing range|"
        rf"proving ground|{_SITE})\b)",
    ),
    # cancellation
    _c(
        "cancellation",
        r"\b(?:cancel\w*|scrap(?:s|ped|ping)?|terminat\w+|suspend\w*|ax(?:e|es|ed)|"
        rf"annul\w*|revok\w+|rescind\w*|froze|freez\w*|block\w*{_NOT_MODEL}|veto\w*|"
        r"withdr[ae]w\w*|pull\w* out of|call(?:ed|s)? off|abandon\w*|shelv\w+|pull\w* the plug "
        r"on|walk\w* away from|put (?:\w+ )?on ice|bin(?:s|ned)?|ditch(?:es|ed)?)\b[^.;]{0,60}?"
        r"\b(?:tenders?|contracts?|orders?|"
        r"deal|programmes?|programs?|project|procurement|purchase|acquisition|cooperation|"
        r"agreement|talks|negotiations|sales?|competition|bid|plans? to (?:buy|acquire|purchase|"
        r"order|procure|build))\b",
        # "lifting a veto that had held up the sale": the block ends, nothing is cancelled.
        veto=_BLOCK_LIFTED,
    ),
    # Partial cuts: "the frigate program will be cut from nine ships to six", "reduces the
    # order of transport aircraft from 28 to 22 units", "Hunter program cut to six frigates".
    # (Each verb form ends in a literal space, so the prefilter keys on the verbs: "cut"
    # alone is inside every "executed".)
    _c(
        "cancellation",
        r"\b(?:cut |cuts |reduc(?:e|es|ed|ing) |trim(?:s|med|ming)? |slash(?:es|ed|ing)? |"
        r"scal(?:e|es|ed|ing) (?:back|down) |pare[sd]? back )\s*(?:the\s+|its\s+|their\s+)?"
        r"(?:[\w-]+\s+){0,3}?(?:orders?|programmes?|programs?|purchases?|buys?|"
        r"procurements?|fleet|contracts?)\b[^.;]{0,60}?"
        + _unkeyed(rf"\bfrom {_COUNT_WORD}\s+(?:[\w-]+\s+)?to {_COUNT_WORD}\b"),
    ),
    # Ended, dropped, halved: "ended the adaptive engine programme", "dropped its plan to buy
    # five Patriot batteries", "halved its order for trucks", "cut the order by a third".
    _c(
        "cancellation",
        r"\b(?:ends |ended |ending )(?:its |the |their |a |an )?(?:[\w-]+ ){0,2}?"
        + _unkeyed(
            r"programmes?|programs?|projects?|contracts?|cooperation|partnership|purchases?|"
            r"procurement"
        )
        + r"\b|\b(?:drops |dropped |dropping |halv(?:es|ed|ing) )(?:its |the |their |a |an )?"
        r"(?:[\w-]+ ){0,3}?"
        + _unkeyed(
            r"programmes?|programs?|projects?|contracts?|cooperation|partnership|purchases?|"
            r"procurement|plans? to (?:buy|acquire|purchase|order|procure)|orders?|bid"
        )
        + r"\b|\b(?:cut |cuts |reduc(?:e|es|ed|ing) |trim(?:s|med|ming)? )"
        r"(?:its |the |their )?(?:[\w-]+ ){0,3}?"
        + _unkeyed(r"orders?|purchases?|buys?|programmes?|programs?")
        + r"\b[^.;]{0,40}?"
        + _unkeyed(r"\bby (?:half|a third|a quarter|two[- ]thirds|\d+ ?(?:%|per ?cent))"),
    ),
    _c(
        "cancellation",
        rf"\b(?:orders?|programmes?|programs?|purchases?|buys?|procurements?|fleet)\s+(?:(?:will "
        rf"be|was|is|has been|have been|had been|being)\s+)?(?:cut |reduced |trimmed |slashed |"
        rf"scaled back |pared back )\s*(?:from {_COUNT_WORD}\s+(?:[\w-]+\s+)?)?to {_COUNT_WORD}\b",
    ),
    _c(
        "cancellation",
        r"\b(?:tenders?|contracts?|orders?|deal|programmes?|programs?|talks|"
        r"procurement|agreement|negotiations|purchase|sale)\b[^.;]{0,30}\b(?:was|were|has been|"
        r"have been|is|are|had been)?\s*(?:cancel+ed|scrapped|terminated|suspended|collapsed|"
        r"annulled|called off|abandoned|blocked|frozen|shelved|broke down|fell through|axed|"
        r"ditched|put on ice)\b",
    ),
)

# Each cue names literals one of which its match must contain: a sentence without any of a
# cue's literals cannot match it, so the cue is not searched there at all.
_CUE_FILTER = LiteralPrefilter([c.rx for c in CUES])

_NEGATION = re.compile(
    r"\b(?:not|no|never|nothing|neither|nor|without|denied|denies|deny|declined to|failed to|"
    r"refused|ruled out|yet to|instead of|rather than|n't)\b",
    _I,
)
_MODAL = re.compile(
    r"\b(?:could|may|might|would|should|can|possible|possibly|potential(?:ly)?|proposed|"
    r"prospective|likely|if|unless|whether|talks?|negotiat(?!ors?\b)\w+|discuss\w*|consult\w*|"
    r"reportedly|rumou?r\w*|said to|sources said|people familiar|speculat\w+|bid(?:s|ding)? "
    r"for|compet\w+ for|await\w*|pending|hop(?:e|es|ed|ing)|seek\w*|sought|want\w*|wish\w*|"
    r"consider(?:s|ed|ing)?|weigh\w*|mull\w*|explor\w+|evaluat\w+|study\w*|studies|eye\w*|"
    r"request(?:s|ed|ing)? to|"
    r"interested in|offer\w*|pitch\w*|propos\w+|lobby\w*|ready to|prepared to|calls? for|"
    r"urg\w+|demand\w*|intend(?:s|ed|ing)?|intention|plans?|planned|planning|aim(?:s|ed|ing)?|"
    r"expected|expect(?:s|ing)?|looking to|eager to|keen to|"
    r"set to|due to|to be signed|would-be|how|asked|ask|asks|depend(?:s|ed|ing)? on|"
    r"(?:was|were) to|"
    r"hing(?:e|es|ed|ing) on|conditional on)\b",
    _I,
)
_INTENT_OK = re.compile(
    r"\b(?:intend(?:s|ed|ing)?|intention|plans?|planned|planning|aim(?:s|ed|ing)?|expected|"
    r"expect(?:s|ing)?|set to|due to|possible|potential|proposed)\b",
    _I,
)
_BACKGROUND = re.compile(
    r"\b(?:previous(?:ly)?\b(?! (?:award|issued|negotiated))|earlier|last year|last month|"
    r"in recent years|in previous years|"
    r"in the past|years ago|months ago|ago|historically|"
    r"so far|to date|over the past|since (?:19|20)\d\d|(?:19|20)\d\d (?:contract|deal|order|"
    r"agreement|accord)|under (?:the|a|an) (?:earlier|previous|existing|\d{4}) |has been "
    r"\w+ing|have been \w+ing|pioneered)\b",
    _I,
)
# The past perfect tells what came before the news: "the previous government had blocked
# the sale", "a veto that had held up the deal".
_PAST_PERFECT = re.compile(
    r"\bhad (?:(?:already|previously|earlier|long|originally|initially|once|first) )?"
    r"(?:been )?(?:\w+ed|\w+en|\w+wn|signed|won|bought|sold|struck|held|made|paid|built|led|"
    r"sent|put|set|cut|lost|spent|left|brought|sought|fought|kept|begun|run|come|become)\b",
    _I,
)
# ... unless a reporting verb frames it: "Hensoldt said it had bought a stake" is news.
_REPORTED_PERFECT = re.compile(
    r"\b(?:said|says|say|announced|announces|confirmed|confirms|told|tells|stated|states|"
    r"reported|reports|disclosed|revealed|added|explained|noted|wrote|declared|informed|"
    r"according to)\b[^.;]{0,80}\bhad\b",
    _I,
)
# "first delivered in 2019": background when that year is not in the future.
_FIRST_IN_YEAR = re.compile(r"\bfirst (?:\w+ ){0,3}(?:in|since) ((?:19|20)\d\d)\b", _I)
# A superlative measured against the past is not itself past: "its largest order to date",
# "the biggest purchase so far" (the clause may still report today's deal).
_SUPERLATIVE_SO_FAR = re.compile(
    r"\b(?:largest|biggest|greatest|highest|costliest|heaviest|longest|most \w+|first|only)\b"
    r"(?:\s+[\w'-]+){0,4}?\s+(?:to date|so far|yet|ever)\b",
    _I,
)
_YEAR = re.compile(r"\b(?:in|from|during|of|by|on)\s+(?:\w+\s+)?((?:19|20)\d\d)\b", _I)

_COMMENTARY = re.compile(
    r"^\s*(?:analysis|column|comment|commentary|opinion|op-ed|editorial|interview|q&a|"
    r"podcast|explainer|preview|review|letter|view|viewpoint|perspective|feature)\s*[:\-|]",
    _I,
)
# The defence words, in the order the regex tries them (the first that matches wins).
_DEFENSE_TERMS: tuple[str, ...] = (
    "military",
    r"militar\w+",
    "army",
    "armies",
    "navy",
    "naval",
    "air force",
    "armed forces",
    "armou?red",
    "ammunition",
    "munitions?",
    "missiles?",
    "artillery",
    "howitzers?",
    "tanks?",
    "drones?",
    "uavs?",
    "weapons?",
    "arms (?:maker|group|industry|exports?|manufacturer|producer|company|deal|embargo|sales?|"
    "transfers?)",
    "soldiers?",
    "troops",
    "warships?",
    "submarines?",
    "frigates?",
    "corvettes?",
    "fighter jets?",
    "fighter aircraft",
    "attack helicopters?",
    "military helicopters?",
    "combat helicopters?",
    r"defen[cs]e (?:ministry|minister|industry|industrial|company|group|contractor|department|"
    r"agency|forces|procurement|sector|electronics|budget|spending|firm|maker|stocks|"
    r"cooperation|companies|group's|holding|exports?|equipment|systems?|logistics|health|"
    r"security|units?|arm|business(?:es)?|divisions?|subsidiar(?:y|ies)|programmes?|programs?|"
    r"projects?|readiness|products|vehicles|demand|orders|revenues?|sales)",
    r"aerospace (?:&|and) defen[cs]e",
    r"ministry of (?:national )?defen[cs]e",
    r"department of (?:national )?defen[cs]e",
    r"minister of (?:national )?defen[cs]e",
    r"secretary of (?:national )?defen[cs]e",
    "nato",
    "pentagon",
    "marines?",
    "combat",
    "war",
    "warfare",
    "sanctions",
    "shells",
    "rounds",
    "radars?",
    "interceptors?",
    "contracting activity",
    "foreign military",
    "procurement agency",
    r"armament\w*",
    r"air defen[cs]e",
    "self-propelled",
    "explosives",
    "propellants?",
    r"defen[cs]e (?:\w+ ){0,3}agency",
    "darpa",
    "special operations",
    "contracting (?:squadron|office|command|center)",
    "joint base",
    "national guard",
    "coast guard",
    "air base",
    "mod",
    r"f-\d\d",
    "security forces",
    "border guard",
    "gendarmerie",
)


def by_first_letter(alternatives: Sequence[str]) -> str:
    """The alternation of `alternatives`, grouped by their (literal, ASCII) first letter.

    Matches exactly what the plain alternation matches: at any position only the
    alternatives of one letter can match, and they keep their order. It is much faster
    under IGNORECASE, where `re` tries every alternative of a flat alternation in turn.
    """
    groups: dict[str, list[str]] = {}
    for alt in alternatives:
        first = alt[0].lower()
        assert first.isascii() and first.isalpha(), alt
        groups.setdefault(first, []).append(alt[1:])
    return "|".join(f"{c}(?:{'|'.join(rests)})" for c, rests in groups.items())


_DEFENSE = re.compile(rf"\b(?:{by_first_letter(_DEFENSE_TERMS)})\b", _I)


@dataclass(slots=True)
class _Evidence:
    weight: float = 0.0
    cue: str = ""
    cue_weight: float = -1.0
    parties: list[str] = field(default_factory=list)
    first: int = 1 << 30  # index of the first sentence that carried it
    places: list[int] = field(default_factory=list)  # every sentence that carried it


def is_commentary(title: str, body: str) -> bool:
    """Columns, analyses and interviews report no decision of their own (rubric: 1-2)."""
    return bool(_COMMENTARY.match(title) or _COMMENTARY.match(body[:40]))


def defense_score(text: str) -> int:
    """Distinct defence words in the text: the gate against civil and homonym stories."""
    return len({m.group(0).lower() for m in _DEFENSE.finditer(text)})


_INSTITUTION = re.compile(
    r"\b(?:army|navy|air force|armed forces|marine corps|special operations|pentagon|"
    r"(?:ministry|department) of (?:national )?defen[cs]e|defen[cs]e ministry|foreign military|"
    r"contracting activity|defen[cs]e (?:\w+ ){0,3}agency)\b",
    _I,
)


# The US Army Corps of Engineers' civil works (dredging, navigation channels, beaches, flood
# control, clean-up of old nuclear sites) are public works, not the defence industry.
_CIVIL_WORKS = re.compile(
    r"\b(?:dredg\w*|navigation (?:channel|system)|beach nourishment|flood (?:risk|control|wall)|"
    r"levees?|FUSRAP|remedial action|lock and dam|shoreline|harbor maintenance|ecosystem "
    r"restoration)\b",
    _I,
)
_CORPS = re.compile(r"\bCorps of Engineers\b|\bUSACE\b")
_MILITARY_WORKS = re.compile(
    r"\b(?:barracks|hangars?|runways?|military construction|ammunition|missiles?|weapons?|"
    r"munitions?|troops|soldiers|aircraft)\b",
    _I,
)


def is_civil_works(text: str) -> bool:
    """An Army Corps of Engineers civil-works story (a dredging contract, a beach, a flood
    wall): public works outside the defence industry (RUBRIC: civil items carry no event)."""
    if "Corps of Engineers" not in text and "USACE" not in text:  # (a plain scan is cheap)
        return False
    return bool(
        _CORPS.search(text) and _CIVIL_WORKS.search(text) and not _MILITARY_WORKS.search(text)
    )


def is_defense(text: str, min_terms: int = 2, extra: int = 0) -> bool:
    """True when the article is about the defence and security industry at all: several
    defence words, or a defence institution named outright (DoD announcements are terse);
    never for the Corps of Engineers' civil works."""
    if is_civil_works(text):
        return False
    if extra >= min_terms:
        return True
    # Same test as `defense_score(text) + extra >= min_terms`, stopping at the term that
    # reaches the bar instead of collecting every defence word of a long article.
    terms: set[str] = set()
    for m in _DEFENSE.finditer(text):
        terms.add(m.group(0).lower())
        if len(terms) + extra >= min_terms:
            return True
    return bool(_INSTITUTION.search(text))


# "The agreement also covers technology transfer": a part of the deal being reported.
_DEAL_ANAPHOR = re.compile(
    r"\b(?:the|this|that|under the) (?:agreement|accord|deal|contract|pact|document|package|"
    r"memorandum|mou|arrangement|terms)\b|\b(?:agreement|contract|deal|package|accord)\b"
    r"(?:\s+[\w-]+){0,6}?\s+(?:that|which) (?:also )?(?:includes?|covers?|provides? for)\b",
    _I,
)
# "The joint venture will invest RON 240 million in a new hall": what a venture founded in
# the story does is part of that deal (its own founding is not evidence of itself).
_VENTURE_ANAPHOR = re.compile(
    r"\b(?:the|this|that) (?:(?:joint |new )?venture|joint company|new company|partnership)\b",
    _I,
)
_PART_OF_DEAL: frozenset[str] = frozenset({"tech_transfer", "joint_venture", "investment"})
# "signed a memorandum on establishing a joint venture", "an MoU on technology transfer":
# what a non-binding memorandum is about has not happened yet.
_MOU_SUBJECT = re.compile(
    r"\b(?:memorand\w*|mous?|letters? of intent|lois?)\b(?:\s+of\s+\w+)?\s+(?:on|about|"
    r"regarding|concerning|for|to)\b[^.;]{0,60}$",
    _I,
)


def _place_weight(s: Sentence) -> float:
    if s.in_title:
        return 3.0
    if s.index <= 3:
        return 2.0
    return 1.5 if s.index <= 6 else 1.0


_NEGATED_AFTER = re.compile(
    r"^[^.;]{0,30}?\b(?:was|were|has|have|had|is|are)\s+(?:not|never|yet to)\b", _I
)
# "merger talks", "takeover report", "contract hopes": the noun after the cue says it has
# not happened.
# What an order is meant to bring about is not new capacity of its own: "the contract will
# enable the program to ramp up production", "in an effort to increase production capacity".
_PURPOSE = re.compile(
    r"\b(?:efforts? to|enabl\w+|allow(?:s|ed|ing)?|help(?:s|ed|ing)?|so as to|in order to|"
    r"designed to|intended to|meant to|needed to|to support)\b[^.;]{0,40}$|"
    r"\b(?:contracts?|orders?|awards?|funding|deal)\s+(?:\w+\s+){0,2}?to\s+$",
    _I,
)
# "Signed contracts to create a joint venture": the founding documents of a venture.
_FOUNDS_VENTURE = re.compile(
    r"^\s*(?:to|that|which)\s+(?:will\s+)?(?:create|set up|form|establish|found|launch)\w*\b"
    r"[^.;]{0,40}\b(?:joint[- ]venture|joint company|venture|new company)\b",
    _I,
)
# "A joint company could follow", "a contract is expected to follow": not yet.
_MAY_FOLLOW = re.compile(
    r"^[^.;]{0,20}?\b(?:could|might|may|would|should|is expected to|are expected to|is likely to|"
    r"is to|are to)\s+(?:\w+\s+)?(?:follow|come|be (?:signed|set up|formed|created|"
    r"established|agreed|placed))\b",
    _I,
)
# What the news comes after is older: "the memorandum follows the contract Otokar won",
# "comes two years after Poland ordered 48 jets", "builds on last year's order", "turning a
# memorandum concluded in July into ..." (up to a comma: "Three months after shaking
# hands, they signed ..." reports the signing).
_EARLIER_THAN_NEWS = re.compile(
    r"\b(?:follows|followed|builds? on|built on|comes on top of|came on top of|comes after|"
    r"came after|(?:\w+ )?(?:years?|months?|weeks?|decades?) after|turn(?:s|ed|ing)|"
    r"convert(?:s|ed|ing)|upgrad(?:es|ed|ing))\b[^.;,]{0,80}$",
    _I,
)
# A relative clause that introduces a party tells its record: "Patria, which won a contract
# for 91 vehicles in March, said ...". The news is what the party does in the main clause.
_DESCRIBING_PARTY = re.compile(
    r"^[^,]{0,80}\b[A-Z][\w&.-]*(?:\s+[A-Z][\w&.-]*){0,3},\s+(?:which|who|whose)\s+(?:has\s+|had\s+|"
    r"also\s+|already\s+|recently\s+)?[^,]{0,30}$"
)
_TALKS_AFTER = re.compile(
    r"^\s*(?:talks|negotiations|discussions|proposal|plans?|bids?|reports?|rumou?rs?|"
    r"speculation|chatter|hopes?|fears?|offers?|approach|interest|target|candidate|"
    r"battle|race|(?:is |are |was |were |remains? )?(?:on the table|under (?:discussion|"
    r"consideration|negotiation|study|review)|in the works|mooted|floated))\b",
    _I,
)
# "Joint drone production was discussed", "a venture is being considered": talked about only.
_DISCUSSED_AFTER = re.compile(
    r"^[^.;,]{0,40}?\b(?:was|were|is|are|has been|have been|had been)\s+"
    r"(?:being\s+|also\s+|only\s+)?(?:discussed|proposed|considered|mooted|floated|studied|"
    r"explored|debated|on the table|under (?:discussion|consideration|study|review))\b",
    _I,
)
# "countries with which Japan has signed agreements": a standing relation, not news.
_RELATIVE_RECORD = re.compile(
    r"\bwith (?:which|whom)\s+[^,;]{0,30}\b(?:has|have|had)\s+(?:\w+\s+)?$", _I
)


# Results compare with the year before: "compared with a quarter a year ago" is not background.
_RESULTS_COMPARISON = re.compile(
    r"\b(?:compared (?:with|to)|against|from|versus|vs\.?|than|on)\s[^.;]{0,30}?\b(?:a|the) "
    r"(?:year|quarter|period)(?: earlier| ago| before)?\b",
    _I,
)


def is_background(clause: str, year: int | None) -> bool:
    """True when a clause is about the past ("signed in 2023", "last year's order",
    "previously", "the government had blocked the sale"), so what it reports is context
    rather than news of the day. Reported speech keeps its news: "said it had signed"."""
    if _BACKGROUND.search(clause) and _BACKGROUND.search(_SUPERLATIVE_SO_FAR.sub(" ", clause)):
        return True
    if _PAST_PERFECT.search(clause) and not _REPORTED_PERFECT.search(clause):
        return True
    for m in _FIRST_IN_YEAR.finditer(clause):
        if year is None or int(m.group(1)) <= year:
            return True
    if year is not None:
        for m in _YEAR.finditer(clause):
            if int(m.group(1)) < year:
                return True
    return False


# What a law or decree allows or requires is its content, not a deal: "a law that lets state
# plants transfer technology", "a decree allowing foreign firms to take stakes".
_LEGISLATION_CONTENT = re.compile(
    r"\b(?:laws?|bills?|legislation|decrees?|ordinances?|statutes?|act|rules|regulations?)\b"
    r"(?:\s+[\w'-]+){0,6}?\s+(?:that|which|to|allowing|allows?|let(?:s|ting)?|permit(?:s|ting)?|"
    r"enabl\w+|requir\w+|oblig\w+|forc\w+|giv(?:es|ing)|grant(?:s|ing)?)\b[^.;]{0,100}$",
    _I,
)
_STATE_ACTS: frozenset[str] = frozenset({"regulatory", "cancellation"})
# "Success will depend on the speed of technology transfer": what depends is the speed;
# the transfer itself is taken as given.
_PRESUPPOSED = re.compile(
    r"\bthe (?:speed|pace|success|scale|timing|progress|depth|extent|scope) of "
    r"(?:the |this |its |their )?$",
    _I,
)
_CONDITION = re.compile(r"depend\w* on|hing\w+ on|conditional on", _I)


def _blocked(
    cue: _Cue,
    clause: str,
    rel_start: int,
    rel_end: int,
    year: int | None,
    month: int | None = None,
) -> bool:
    left = clause[max(0, rel_start - 90) : rel_start]
    right = clause[rel_end : rel_end + 40]
    if _NEGATION.search(left[-60:]) or _NEGATED_AFTER.match(right):
        return True
    modal = _MODAL.search(left)
    if (
        modal
        and not (cue.allow_intent and _INTENT_OK.fullmatch(modal.group(0)))
        and not (_PRESUPPOSED.search(left) and _CONDITION.fullmatch(modal.group(0)))
    ):
        return True
    if cue.type != "cancellation" and (
        _TALKS_AFTER.match(right) or _MAY_FOLLOW.match(right) or _DISCUSSED_AFTER.match(right)
    ):
        return True
    if cue.type == "contract" and _FOUNDS_VENTURE.match(right):
        return True
    if cue.type == "investment" and _PURPOSE.search(left):
        return True
    if cue.type in _PART_OF_DEAL and _MOU_SUBJECT.search(left):
        return True
    if (
        _EARLIER_THAN_NEWS.search(left)
        or _DESCRIBING_PARTY.search(left)
        or _RELATIVE_RECORD.search(left)
    ):
        return True
    if cue.veto is not None and cue.veto.search(left) and not _FOUNDING.search(left):
        return True
    if cue.type not in _STATE_ACTS and _LEGISLATION_CONTENT.search(left):
        return True
    if cue.type == "financial_results":
        clause = _RESULTS_COMPARISON.sub(" ", clause)
    elif cue.type in _OF_AN_OLDER_DEAL:
        clause = _ORDER_DATE.sub(" ", clause)
    if not is_background(clause, year):
        return False
    # "Delivered 1.5 million rounds in 2024", published in January 2025: last year's tally
    # is the news of the first weeks of the new one.
    return not (
        cue.type in _TALLIES
        and year is not None
        and month is not None
        and month <= 2
        and not is_background(clause, year - 1)
    )


_TALLIES: frozenset[str] = frozenset({"delivery", "financial_results"})
# A delivery or a cancellation is news about an older deal, whose date is not the news's:
# "received two more helicopters, the last of 32 ordered in 2022", "cancelling the 2001
# contract for 14 helicopters".
_OF_AN_OLDER_DEAL: frozenset[str] = frozenset({"delivery", "cancellation"})
_ORDER_DATE = re.compile(
    r"\b(?:ordered|signed|contracted|bought|purchased|agreed|awarded|placed|concluded)\b"
    r"[^.;,]{0,40}?\b(?:in|since|during)\s+(?:\w+\s+)?(?:19|20)\d\d\b|\b(?:19|20)\d\d "
    r"(?:contracts?|orders?|deals?|agreements?|purchases?)\b",
    _I,
)


_NAMED_VENTURE = re.compile(r"[A-Z][\w/&.-]*\s+Joint Venture$")


def _search(cue: _Cue, clause: str) -> re.Match[str] | None:
    """The cue's first match in the clause whose gap holds none of its `not_in_gap` words."""
    m = cue.rx.search(clause)
    while m is not None and cue.not_in_gap is not None and cue.not_in_gap.search(m["gap"]):
        m = cue.rx.search(clause, m.start() + 1)
    return m


@dataclass(frozen=True, slots=True)
class Detected:
    """The events found and, per type, the indices of the sentences that carried it (so the
    record can quote them as key facts)."""

    mentions: list[EventMention]
    places: dict[EventType, tuple[int, ...]]


def detect_events(
    sents: Sequence[Sentence],
    *,
    published_year: int | None = None,
    parties: Sequence[tuple[str, int, int]] = (),
    threshold: float = 2.0,
    published_month: int | None = None,
) -> list[EventMention]:
    """Events reported as happening now; `parties` are (id, start, end) spans of entities
    and countries in the article text, attached to the events of their sentences."""
    return detect(
        sents,
        published_year=published_year,
        parties=parties,
        threshold=threshold,
        published_month=published_month,
    ).mentions


def detect(
    sents: Sequence[Sentence],
    *,
    published_year: int | None = None,
    parties: Sequence[tuple[str, int, int]] = (),
    threshold: float = 2.0,
    published_month: int | None = None,
) -> Detected:
    """`detect_events`, with the sentences that carried each event."""
    evidence: dict[EventType, _Evidence] = {}
    for s in sents:
        place = _place_weight(s)
        # Whether the sentence refers back to the deal (or the venture), asked only when a
        # part of a deal is found in it.
        anaphors: tuple[bool, bool] | None = None
        best: dict[EventType, tuple[float, str]] = {}
        may_match = _CUE_FILTER.candidates(s.text)
        cues = [cue for i, cue in enumerate(CUES) if i in may_match]
        for c_start, c_end in clauses(s.text):
            clause = s.text[c_start:c_end]
            for cue in cues:
                m = _search(cue, clause)
                if m is None or _blocked(
                    cue, clause, m.start(), m.end(), published_year, published_month
                ):
                    continue
                # "Raytheon/Lockheed Martin Javelin Joint Venture": an existing venture's name.
                if (
                    cue.type == "joint_venture"
                    and not s.in_title
                    and _NAMED_VENTURE.search(clause, 0, m.end())
                ):
                    continue
                part = False
                if cue.type in _PART_OF_DEAL:
                    if anaphors is None:
                        anaphors = (
                            bool(_DEAL_ANAPHOR.search(s.text)),
                            bool(_VENTURE_ANAPHOR.search(s.text)),
                        )
                    in_deal, in_venture = anaphors
                    part = in_deal or (in_venture and cue.type != "joint_venture")
                gained = place * cue.weight * (2.0 if part else 1.0)
                if gained > best.get(cue.type, (0.0, ""))[0]:
                    best[cue.type] = (gained, m.group(0)[:120])
        # One sentence is one piece of evidence per type, however many cues it matches.
        for etype, (gained, cue_text) in best.items():
            ev = evidence.setdefault(etype, _Evidence())
            ev.weight += gained
            ev.first = min(ev.first, s.index)
            ev.places.append(s.index)
            # An agreement is shown by its strongest kind ("government-to-government
            # agreement") even when a plainer mention ("sign agreement") weighs more.
            rank = gained + (
                10.0 if etype == "agreement" and _STRONG_AGREEMENT.search(cue_text) else 0.0
            )
            if rank > ev.cue_weight:
                ev.cue, ev.cue_weight = cue_text, rank
            for pid, p_start, p_end in parties:
                if s.start <= p_start and p_end <= s.end and pid not in ev.parties:
                    ev.parties.append(pid)
    found = {t: ev for t, ev in evidence.items() if ev.weight >= threshold}
    # A takeover story describes its target with the target's sales ("Argon reported revenue
    # of $310 million"): results count beside an acquisition only when the headline or the
    # opening sentence reports them.
    if "acquisition" in found and found.get("financial_results", _Evidence()).first > 1:
        found.pop("financial_results", None)
    # An MoU story recalls the orders its parties already have ("Romania ordered 54 K9s
    # from Hanwha, and the first guns arrived this year"): when the MoU is the headline
    # news, an order that neither the headline nor the opening sentence reports is context.
    if found.get("mou", _Evidence()).first <= 1 and found.get("contract", _Evidence()).first > 1:
        found.pop("contract", None)
    # "Indonesia shelved a deal to buy 12 used jets": a deal named only where it is cancelled
    # is the cancelled deal, not a new order.
    contract, cancelled = found.get("contract"), found.get("cancellation")
    if (
        contract is not None
        and cancelled is not None
        and set(contract.places) <= set(cancelled.places)
    ):
        found.pop("contract")
    # "GE, HAL sign pact to make engines" over a body that says memorandum of understanding
    # and never agreement: the headline's word is the MoU's.
    agreement = found.get("agreement")
    if (
        agreement is not None
        and agreement.places == [0]
        and found.get("mou", _Evidence()).first <= 1
    ):
        found.pop("agreement")
    return Detected(
        [EventMention(type=t, cue=ev.cue, parties=ev.parties) for t, ev in found.items()],
        {t: tuple(ev.places) for t, ev in found.items()},
    )


# An agreement between states or a framework accord stands beside a contract it frames, and so
# does an agreement of another kind signed with it ("an industrial cooperation agreement").
_STRONG_AGREEMENT = re.compile(
    r"\b(?:intergovernmental|government|treat(?:y|ies)|accord|pact|framework agreement|"
    r"ministers|(?:industrial|cooperation|offset|participation) agreements?)\b",
    _I,
)
# A signing that founds a venture ("signed on Monday to form a joint venture"): the
# founding agreement is binding, so it is an agreement beside the venture (the majority of
# the labelled sets and the rubric's "signed an agreement").
_SIGNED_FOUNDING = re.compile(
    r"\b(?:sign\w*|seal\w*|ink\w*|put (?:their|its) signatures?)\b[^.;]{0,80}\b(?:creat\w*|"
    r"set(?:ting|s)? up|establish\w*|found(?:s|ed|ing)?|form(?:s|ed|ing)?)\b|"
    r"\b(?:joint[- ]venture|JV)\s+(?:\S+\s+){1,4}(?:signed|sealed|inked)\b|"
    r"\b(?:sign\w*|seal\w*|ink\w*)\b[^.;]{0,40}\bjoint[- ]venture",
    _I,
)
# A "deal" or "pact" with no kind of its own is whatever specific deal the story reports.
_PLAIN_DEAL = re.compile(r"\b(?:deal|pact)s?\b", _I)
# Lawmaking: an agreement on a regulation is the regulation's (regulatory), not a deal.
_LAWMAKING = re.compile(
    r"\b(?:laws?|bills?|legislation|decrees?|regulations?|directives?|text of|trilogues?)\b", _I
)
_STAKE_WORDS = re.compile(
    r"\b(?:stake|shareholding|acqui\w+|buy\w*|bought|purchas\w+|take-?over|tak\w+ over|"
    r"merger|shares)\b",
    _I,
)
_VENTURE_WORDS = re.compile(
    r"\bco-?produc\w+|\bjoint[- ](?:venture|production|manufactur\w+|company)\b", _I
)


_PASSIVE_ORDER = re.compile(r"\bordered (?:from|through|via|by|under|for|at)$", _I)
_EXPORT_OR_RESTRICTION = re.compile(
    r"\b(?:exports?|arms|weapons?|sanction\w*|embargo\w*|ban\w*|blacklist\w*|entity list|"
    r"licen[cs]\w*|Congress|military sale|golden[- ]power|foreign[- ]investment|"
    r"investment[- ]screening|national[- ]security)\b",
    _I,
)


def resolve(mentions: list[EventMention]) -> list[EventMention]:
    """Drop types that another, more specific type already explains.

    A signed supply contract also matches the generic "signed ... agreement" cue; a
    joint venture founded by agreement is a joint venture, not a separate treaty, unless
    the agreement cue was itself strong.
    """
    types = {m.type for m in mentions}
    drop: set[str] = set()
    # "The first of two C-390s ordered by the air force", "32 mortars ordered from Patria":
    # in a delivery or a cancellation story the passive order is the one delivered or
    # cancelled.
    contract = next((m for m in mentions if m.type == "contract"), None)
    if (
        contract is not None
        and types & {"delivery", "cancellation"}
        and _PASSIVE_ORDER.search(contract.cue)
    ):
        drop.add("contract")
        types.discard("contract")
    # "Signed a deal to buy Italian aircraft maker Piaggio": the deal is the takeover.
    if (
        contract is not None
        and "acquisition" in types
        and not re.search(r"contract|order|award|purchase agreement|supply", contract.cue, _I)
    ):
        drop.add("contract")
        types.discard("contract")
    agreement = next((m for m in mentions if m.type == "agreement"), None)
    strong = agreement is not None and bool(_STRONG_AGREEMENT.search(agreement.cue))
    regulatory = next((m for m in mentions if m.type == "regulatory"), None)
    if agreement is not None and not strong:
        if "contract" in types:
            drop.add("agreement")
        # "Agreed to take a 55% stake in a deal worth A$650m", "agrees EUR 1.7bn deal for
        # Iveco Defence", "strikes co-production deal": the agreement is the purchase or
        # the venture, not a separate accord.
        if "acquisition" in types and (
            _STAKE_WORDS.search(agreement.cue) or _PLAIN_DEAL.search(agreement.cue)
        ):
            drop.add("agreement")
        if (
            "joint_venture" in types
            and _VENTURE_WORDS.search(agreement.cue)
            and not _SIGNED_FOUNDING.search(agreement.cue)
        ):
            drop.add("agreement")
        # "Reached the agreement that reduces the order from 28 to 22": the amendment is
        # the cut.
        if "cancellation" in types:
            drop.add("agreement")
        # "Council and Parliament reach provisional agreement" on a regulation.
        if regulatory is not None and _LAWMAKING.search(regulatory.cue):
            drop.add("agreement")
    # A state clearing the sale of a company ("authorised the administrators to sell its
    # businesses to Baykar") is part of the takeover, not an arms-export decision.
    if (
        "acquisition" in types
        and regulatory is not None
        and not _EXPORT_OR_RESTRICTION.search(regulatory.cue)
    ):
        drop.add("regulatory")
    if "mou" in types and "agreement" in types:
        mou = next(m for m in mentions if m.type == "mou")
        agreement = next(m for m in mentions if m.type == "agreement")
        if (
            mou.cue
            and agreement.cue
            and re.search(r"memorand|mou|letter|preliminary|in principle", agreement.cue, _I)
        ):
            drop.add("agreement")
    return [m for m in mentions if m.type not in drop]


# Taxonomy order, as the contract's model declares it.
_ORDER = cast(tuple[EventType, ...], EVENT_TYPES)


def event_types(mentions: Sequence[EventMention]) -> list[EventType]:
    """The distinct event types, in taxonomy order."""
    present = {m.type for m in mentions}
    return [t for t in _ORDER if t in present]


def event_parties(mentions: Sequence[EventMention]) -> dict[str, list[str]]:
    """Per event type, the parties of its first mention that names any."""
    out: dict[str, list[str]] = {}
    for m in mentions:
        if m.parties and m.type not in out:
            out[m.type] = list(m.parties)
    return out
