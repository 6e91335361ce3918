"""Scoring story clustering against gold stories, and the baseline it must beat (pure).

Two standard measures of a clustering against gold classes:
- B-cubed (Bagga & Baldwin 1998): per article, the share of its predicted story that is in
  its gold story (precision) and the share of its gold story that is in its predicted story
  (recall), averaged over articles;
- pairwise: over all pairs of articles, "same story" predicted vs. gold.

The baseline is a plain TF-IDF single-pass clusterer: lower-cased words minus English stop
words, IDF over the evaluated articles themselves (which a stream would not even have),
cosine with each cluster's centroid, join the best at `BASELINE_THRESHOLD` or more, else
found a new cluster. Its threshold is the best one on the ECB+ dev topics, so the comparison
does not flatter the story model.
"""

from __future__ import annotations

import itertools
import math
import re
from collections import Counter, defaultdict
from collections.abc import Sequence

from pydantic import BaseModel, ConfigDict

BASELINE_THRESHOLD = 0.3
_WORD = re.compile(r"[a-z0-9]+")
_STOP_WORDS = """
a about above after again against all am an and any are as at be because been before being below
between both but by can could did do does doing down during each few for from further had has
have having he her here hers herself him himself his how i if in into is it its itself just me
more most my myself no nor not now of off on once only or other our ours ourselves out over own
same she should so some such than that the their theirs them themselves then there these they
this those through to too under until up very was we were what when where which while who whom
why will with would you your yours yourself yourselves said says also
"""
_STOP = frozenset(_STOP_WORDS.split())


class Rates(BaseModel):
    """Precision, recall and their harmonic mean."""

    model_config = ConfigDict(frozen=True)

    precision: float
    recall: float
    f1: float


class ClusterScores(BaseModel):
    """One clustering against the gold stories."""

    model_config = ConfigDict(frozen=True)

    bcubed: Rates
    pairwise: Rates
    stories: int  # predicted stories
    singletons: int  # ... of which with one article


class StoryEval(BaseModel):
    """The story model and the TF-IDF baseline on the same articles."""

    model_config = ConfigDict(frozen=True)

    articles: int
    gold_stories: int
    model: ClusterScores
    baseline: ClusterScores


def _rates(p: float, r: float) -> Rates:
    return Rates(precision=p, recall=r, f1=2 * p * r / (p + r) if p + r else 0.0)


def bcubed(gold: Sequence[str], pred: Sequence[str]) -> Rates:
    """B-cubed precision, recall and F1 of `pred` against `gold` (one label per article)."""
    if not gold:
        return _rates(1.0, 1.0)
    both = Counter(zip(gold, pred, strict=True))
    gold_size, pred_size = Counter(gold), Counter(pred)
    p = sum(n * n / pred_size[c] for (_, c), n in both.items()) / len(gold)
    r = sum(n * n / gold_size[g] for (g, _), n in both.items()) / len(gold)
    return _rates(p, r)


def pairwise(gold: Sequence[str], pred: Sequence[str]) -> Rates:
    """Pairwise precision, recall and F1: is each pair of articles in one story?"""
    tp = fp = fn = 0
    for (g1, p1), (g2, p2) in itertools.combinations(zip(gold, pred, strict=True), 2):
        same_gold, same_pred = g1 == g2, p1 == p2
        tp += same_gold and same_pred
        fp += same_pred and not same_gold
        fn += same_gold and not same_pred
    return _rates(tp / (tp + fp) if tp + fp else 1.0, tp / (tp + fn) if tp + fn else 1.0)


def cluster_scores(gold: Sequence[str], pred: Sequence[str]) -> ClusterScores:
    sizes = Counter(pred)
    return ClusterScores(
        bcubed=bcubed(gold, pred),
        pairwise=pairwise(gold, pred),
        stories=len(sizes),
        singletons=sum(1 for n in sizes.values() if n == 1),
    )


def tfidf_single_pass(texts: Sequence[str], threshold: float = BASELINE_THRESHOLD) -> list[str]:
    """The baseline clustering: one cluster label per text, in input order."""
    docs = [Counter(w for w in _WORD.findall(t.lower()) if w not in _STOP) for t in texts]
    df: Counter[str] = Counter()
    for d in docs:
        df.update(d.keys())
    n = len(docs)
    centroids: list[dict[str, float]] = []
    norms: list[float] = []
    holders: defaultdict[str, set[int]] = defaultdict(set)  # term -> clusters containing it
    labels: list[str] = []
    for d in docs:
        vec = {w: c * (math.log((1 + n) / (1 + df[w])) + 1) for w, c in d.items()}
        length = math.sqrt(sum(x * x for x in vec.values())) or 1.0
        vec = {w: x / length for w, x in vec.items()}
        dots: defaultdict[int, float] = defaultdict(float)
        for w, x in vec.items():
            for c in holders.get(w, ()):
                dots[c] += x * centroids[c][w]
        best = max(dots, key=lambda c: (dots[c] / norms[c], -c), default=None)
        if best is not None and dots[best] / norms[best] >= threshold:
            centroid = centroids[best]
            for w, x in vec.items():
                centroid[w] = centroid.get(w, 0.0) + x
                holders[w].add(best)
            norms[best] = math.sqrt(sum(x * x for x in centroid.values()))
            labels.append(f"b{best}")
        else:
            centroids.append(dict(vec))
            norms.append(1.0)
            for w in vec:
                holders[w].add(len(centroids) - 1)
            labels.append(f"b{len(centroids) - 1}")
    return labels


def evaluate_stories(
    gold: Sequence[str], predicted: Sequence[str], texts: Sequence[str]
) -> StoryEval:
    """The story model's clustering and the baseline's on the same texts, against gold."""
    return StoryEval(
        articles=len(gold),
        gold_stories=len(set(gold)),
        model=cluster_scores(gold, predicted),
        baseline=cluster_scores(gold, tfidf_single_pass(texts)),
    )


def format_stories(e: StoryEval) -> str:
    """Text lines: B-cubed and pairwise rates of the model and the baseline."""

    def line(name: str, s: ClusterScores) -> str:
        b, p = s.bcubed, s.pairwise
        return (
            f"  {name:<9} B-cubed P {b.precision:.3f} R {b.recall:.3f} F1 {b.f1:.3f}   "
            f"pairs P {p.precision:.3f} R {p.recall:.3f} F1 {p.f1:.3f}   "
            f"{s.stories} stories ({s.singletons} single)"
        )

    return "\n".join(
        [
            f"stories            {e.articles} articles, {e.gold_stories} gold stories",
            line("model", e.model),
            line(f"tf-idf {BASELINE_THRESHOLD}", e.baseline),
        ]
    )
