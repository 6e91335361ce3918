"""Does dry-run fire exactly the alerts the labels call for? (issue: watchlist evaluation)

Expected alerts come from running the same rule matcher over stories built from the LABELS
(labelled entities, countries, event types, impact, deal value, story ids, source domains);
predicted alerts come from the real pipeline. An alert is identified by (rule, labelled
story): the predicted story is mapped to the labelled story of its trigger article.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from datetime import datetime

from pydantic import BaseModel

from signalfire.analysis.story_facts import grow_story, new_story
from signalfire.evaluation.analysis import LabelledRow
from signalfire.models.alert import AlertRecord
from signalfire.models.analysis import DealValue, Facts
from signalfire.models.story import StoryArticle, StoryState
from signalfire.models.watchlist import Watchlist
from signalfire.rules.matching import evaluate, story_keywords

AlertKey = tuple[str, str]  # (rule id, labelled story)
EurOf = Callable[[float, str], float | None]


class AlertEval(BaseModel):
    expected: int
    predicted: int
    true_positives: int
    precision: float
    recall: float
    duplicates: int
    trigger_agreement: float
    missing: list[str]
    unexpected: list[str]


def expected_alerts(
    rows: Sequence[LabelledRow], watchlist: Watchlist, eur_of: EurOf
) -> dict[AlertKey, str]:
    """(rule, labelled story) -> the article at which the labels say it first fires."""
    stories: dict[str, StoryState] = {}
    seen: set[str] = set()
    out: dict[AlertKey, str] = {}
    for row in rows:
        art, lab = row.article, row.labels
        if art.id in seen:
            continue
        seen.add(art.id)
        sid = str(lab["story"])
        member = StoryArticle(
            article_id=art.id,
            outlet=art.source.name,
            domain=art.source.domain,
            published_at=art.published_at,
            title=art.title,
            url=art.url,
        )
        value = None
        if lab.get("deal_value"):
            dv = lab["deal_value"]
            eur = eur_of(float(dv["amount"]), str(dv["currency"]))
            if eur is not None:
                value = DealValue(amount=dv["amount"], currency=dv["currency"], eur=eur)
        labelled = Facts(
            entities=list(lab["entities"]),
            countries=list(lab["countries"]),
            event_types=list(lab["event_types"]),
            deal_value=value,
            quantity=None,
            impact=int(lab["impact"]),
            sentiment=lab.get("sentiment") or "neutral",
        )
        prev = stories.get(sid)
        state = (
            new_story(sid, member, labelled, art.published_at)
            if prev is None
            else grow_story(prev, member, labelled, art.published_at)
        )
        words = story_keywords(watchlist, art.text)
        if words - set(state.keywords):
            state = state.model_copy(update={"keywords": sorted({*state.keywords, *words})})
        result = evaluate(watchlist, state, trigger_article_id=art.id, now=art.published_at)
        stories[sid] = result.apply(state)
        for firing in result.firings:
            if not firing.follow_up:
                out[(firing.rule.id, sid)] = art.id
    return out


def compare(
    expected: dict[AlertKey, str], predicted: Sequence[AlertRecord], label_story: dict[str, str]
) -> AlertEval:
    """Precision/recall over (rule, labelled story); duplicates; same trigger article."""
    keys = [
        (a.rule_id, label_story.get(a.trigger_article_id, a.story))
        for a in predicted
        if not a.follow_up
    ]
    counts = Counter(keys)
    got = set(keys)
    tp = got & set(expected)
    triggers = {
        (a.rule_id, label_story.get(a.trigger_article_id, a.story)): a.trigger_article_id
        for a in predicted
        if not a.follow_up
    }
    agree = sum(1 for k in tp if triggers.get(k) == expected[k])
    return AlertEval(
        expected=len(expected),
        predicted=len(keys),
        true_positives=len(tp),
        precision=len(tp) / len(got) if got else 1.0,
        recall=len(tp) / len(expected) if expected else 1.0,
        duplicates=sum(c - 1 for c in counts.values()),
        trigger_agreement=agree / len(tp) if tp else 1.0,
        missing=sorted(f"{r} @ {s}" for r, s in set(expected) - got),
        unexpected=sorted(f"{r} @ {s}" for r, s in got - set(expected)),
    )


def format_alert_eval(r: AlertEval) -> str:
    lines = [
        f"alerts             expected {r.expected}  fired {r.predicted}  "
        f"matched {r.true_positives}",
        f"alerts             P {r.precision:.3f}  R {r.recall:.3f}  duplicates {r.duplicates}  "
        f"same trigger article {r.trigger_agreement:.3f}",
    ]
    lines += [f"  missing     {m}" for m in r.missing]
    lines += [f"  unexpected  {u}" for u in r.unexpected]
    return "\n".join(lines)


def now_of(row: LabelledRow) -> datetime:
    return row.article.published_at
