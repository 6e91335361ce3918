"""Story assignment cost vs. the number of open stories (a benchmark, not a test).

Fills one `StoryIndex` with N distinct open stories, checkpointing at each requested N
(default 1,000, 20,000 and 100,000), and at every checkpoint times `StoryIndex.assign` for a
set of real probe articles (the labelled defence sets, analysed by the real Analyzer), in
several rounds. The goal: <= 0.3 ms per article at 20,000 open stories, and within 2x of that
from 1,000 to 100,000 (candidate search uses the inverted index, never a scan).

Background stories are made from real text (DVIDS, DoD notices, ECB+): every capitalised
word is replaced by a made-up name drawn from a pool of 100,000 and every digit redrawn, so
stories keep real vocabulary but name their own participants (a name recurs in a few dozen
stories at 100,000, as real names do), published over the 13 days before the probes.

Usage: .venv/bin/python bench/story_bench.py [--sizes 1000,20000,100000] [--rounds 5]
Prints a table on stderr and one JSON object on stdout. Times are CPU time of this process
(`time.process_time_ns`), medians over articles, then the median over rounds; on a shared
machine expect +-20 % between runs.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import resource
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
BACKGROUND = [
    ROOT / "tests/data/dvids-news.jsonl",
    ROOT / "tests/data/dod-contracts-2018.jsonl",
    ROOT / "tests/data/ecbplus-dev.jsonl",
]
PROBES = [
    *sorted((ROOT / "tests/data").glob("holdout*-synth.jsonl")),
    ROOT / "tests/data/dev.jsonl",
]
T_PROBE = datetime(2030, 1, 15, 12, 0, tzinfo=UTC)
_CAPITAL = re.compile(r"\b[A-Z][a-z]+\b")
_DIGIT = re.compile(r"\d")
_SYL = [c + v for c in "bdklmnr" for v in "aeiou"]


def _names(n: int, rng: random.Random) -> list[str]:
    out = set()
    while len(out) < n:
        out.add("".join(rng.choice(_SYL) for _ in range(rng.randint(2, 4))).capitalize())
    return sorted(out)


def _texts() -> list[tuple[str, str]]:
    rows = []
    for path in BACKGROUND:
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                art = json.loads(line)["article"]
                rows.append((art["title"], art["body"]))
    return rows


def _background(i: int, base: tuple[str, str], pool: list[str]) -> Any:
    from signalfire.models.article import ArticleEvent

    rng = random.Random(i)
    names: dict[str, str] = {}

    def name(m: re.Match[str]) -> str:
        return names.setdefault(m.group(), rng.choice(pool))

    def digit(_: re.Match[str]) -> str:
        return str(rng.randint(0, 9))

    title, body = (_DIGIT.sub(digit, _CAPITAL.sub(name, t)) for t in base)
    published = T_PROBE - timedelta(days=13) + timedelta(seconds=rng.randint(0, 13 * 86400))
    return ArticleEvent.model_validate(
        {
            "id": f"bg-{i}",
            "url": f"https://bg{i % 997}.example/{i}",
            "source": {"name": f"bg{i % 997}", "domain": f"bg{i % 997}.example"},
            "published_at": published.isoformat(),
            "title": title[:900] or "Untitled",
            "body": body,
        }
    )


def _probes() -> list[tuple[Any, Any]]:
    from signalfire.analysis.analyzer import Analyzer
    from signalfire.models.article import ArticleEvent

    analyzer = Analyzer.build([])
    out, seen = [], set()
    for path in PROBES:
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            art = ArticleEvent.model_validate(json.loads(line)["article"])
            if art.id not in seen:
                seen.add(art.id)
                out.append((art, analyzer.analyze(art)))
    return out


def _round(index: Any, probes: list[tuple[Any, Any]], tag: str, *, ahead: bool) -> list[float]:
    """Assign every probe once (fresh ids, published at the probe time); CPU ms each.
    `ahead`: the article's story features are computed before the clock starts, as when
    the analyze stage computes them (`story_features`)."""
    from signalfire.analysis.stories import story_features

    times = []
    for n, (art, analysis) in enumerate(probes):
        at = T_PROBE + timedelta(minutes=n)
        probe = art.model_copy(update={"id": f"{tag}-{art.id}", "published_at": at})
        features = story_features(probe, analysis) if ahead else None
        start = time.process_time_ns()
        index.assign(probe, analysis, at, features)
        times.append((time.process_time_ns() - start) / 1e6)
    return times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,20000,100000")
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    sizes = sorted(int(s) for s in args.sizes.split(","))

    from signalfire.analysis.stories import StoryIndex
    from signalfire.models.analysis import ArticleAnalysis

    probes = _probes()
    texts = _texts()
    pool = _names(100_000, random.Random(7))
    nothing = ArticleAnalysis()
    stories: dict[str, Any] = {}
    index = StoryIndex(stories, window=timedelta(days=14))
    rows: list[dict[str, Any]] = []
    i = 0
    fill_start = time.process_time()
    for size in sizes:
        while len(stories) < size:
            art = _background(i, texts[i % len(texts)], pool)
            index.assign(art, nothing, art.published_at)
            i += 1
        fill_s = time.process_time() - fill_start
        medians, means, p90s, ahead = [], [], [], []
        for r in range(args.rounds):  # the two modes alternate, so load hits both alike
            times = _round(index, probes, f"n{size}r{r}", ahead=False)
            medians.append(statistics.median(times))
            means.append(statistics.mean(times))
            p90s.append(statistics.quantiles(times, n=10)[-1])
            ahead.append(statistics.median(_round(index, probes, f"n{size}a{r}", ahead=True)))
        row = {
            "open_stories": size,
            "background_articles": i,
            "probes": len(probes),
            "rounds": args.rounds,
            "assign_ms_median": round(statistics.median(medians), 4),
            "assign_ms_mean": round(statistics.median(means), 4),
            "assign_ms_p90": round(statistics.median(p90s), 4),
            "round_medians_ms": [round(m, 4) for m in medians],
            "assign_features_ahead_ms_median": round(statistics.median(ahead), 4),
            "fill_cpu_s": round(fill_s, 1),
            "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        }
        rows.append(row)
        print(
            f"{size:>7} open stories: assign median {row['assign_ms_median']:.3f} ms, "
            f"mean {row['assign_ms_mean']:.3f}, p90 {row['assign_ms_p90']:.3f}, "
            f"features ahead {row['assign_features_ahead_ms_median']:.3f} "
            f"(rounds {row['round_medians_ms']}), RSS {row['peak_rss_mb']} MB",
            file=sys.stderr,
            flush=True,
        )
    base = rows[0]["assign_ms_median"]
    result = {
        "python": sys.version.split()[0],
        "rows": rows,
        "max_over_min": round(max(r["assign_ms_median"] for r in rows) / base, 2),
    }
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
