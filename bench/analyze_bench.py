"""Analysis throughput: Analyzer.analyze + StoryIndex.assign over the real corpora.

Runs each configuration in its own subprocess so peak RSS is that configuration's alone:
  builtin      the built-in gazetteer only
  watchlist    the built-in gazetteer plus a generated 100,000-entity watchlist
The point: matching cost must not grow with the number of watched entities.

Usage: python bench/analyze_bench.py [--quick] [--entities N]
Prints a small table on stderr and one JSON object on stdout.
If signalfire.analysis.analyzer is not importable, the run falls back to story clustering
alone with findings taken from the corpora's labels, and says so in the output.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
CORPORA = [
    ROOT / "tests/data/dod-contracts-2018.jsonl",
    ROOT / "tests/data/dvids-news.jsonl",
    ROOT / "tests/data/dev.jsonl",
]
QUICK_ARTICLES = 200
PRUNE_EVERY = 100

_SYLLABLES = (
    "ar", "bel", "cor", "dan", "el", "fen", "gar", "hal", "ir", "jun", "kal", "lor", "mor",
    "nev", "or", "pal", "quin", "ros", "sal", "tor", "ul", "vor", "wen", "xan", "yor", "zel",
)  # fmt: skip
_SUFFIXES = [
    "Dynamics",
    "Systems",
    "Defence",
    "Aerospace",
    "Industries",
    "Technologies",
    "Munitions",
    "Armour",
    "Avionics",
    "Marine",
    "Optronics",
    "Robotics",
]
_FORMS = ["Ltd", "GmbH", "S.A.", "AG", "Inc.", "S.p.A.", "Oy", "AB", "Sp. z o.o.", "plc"]
_COUNTRIES = [
    "RO",
    "PL",
    "DE",
    "FR",
    "IT",
    "ES",
    "SE",
    "NO",
    "FI",
    "CZ",
    "SK",
    "HU",
    "BG",
    "UA",
    "TR",
    "GB",
    "US",
    "KR",
    "JP",
    "IL",
    "IN",
    "BR",
    "CA",
    "AU",
    "NL",
    "BE",
]


def generated_entities(n: int, seed: int = 7) -> list[Any]:
    """n plausible, distinct company entities with 2-3 aliases each (deterministic)."""
    from signalfire.models.entity import Entity

    rng = random.Random(seed)
    out: list[Any] = []
    taken: set[str] = set()
    while len(out) < n:
        stem = "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize()
        name = f"{stem} {rng.choice(_SUFFIXES)}"
        ident = name.lower().replace(" ", "-")
        if ident in taken:
            continue
        taken.add(ident)
        acronym = "".join(w[0] for w in name.split()).upper() + stem[1:3].upper()
        out.append(
            Entity(
                id=f"wl-{ident}",
                name=name,
                kind="company",
                country=rng.choice(_COUNTRIES),
                aliases=[f"{name} {rng.choice(_FORMS)}", f"{stem} Group", acronym],
            )
        )
    return out


@dataclass(frozen=True)
class LabelFindings:
    """Stand-in findings (fallback when the Analyzer is missing)."""

    entities: list[str] = field(default_factory=list)
    countries: list[str] = field(default_factory=list)
    event_types: list[str] = field(default_factory=list)
    impact: int = 1
    sentiment: str = "neutral"
    deal_value: Any = None
    quantity: Any = None
    impact_reasons: list[Any] = field(default_factory=list)


def load_articles(limit: int | None) -> list[tuple[Any, dict[str, Any]]]:
    from signalfire.models.article import ArticleEvent

    rows: list[tuple[Any, dict[str, Any]]] = []
    for path in CORPORA:
        for line in path.read_text().splitlines():
            row = json.loads(line)
            rows.append((ArticleEvent.model_validate(row["article"]), row.get("labels") or {}))
    if limit is not None:
        # A slice of every corpus, so the quick run still sees each kind of text.
        per = max(1, limit // len(CORPORA))
        by_file: list[tuple[Any, dict[str, Any]]] = []
        offset = 0
        for path in CORPORA:
            count = sum(1 for _ in path.open())
            by_file.extend(rows[offset : offset + min(per, count)])
            offset += count
        rows = by_file
    return rows


def run_one(config: str, n_entities: int, limit: int | None) -> dict[str, Any]:
    """One configuration, measured in this process."""
    from signalfire.analysis.stories import StoryIndex

    articles = load_articles(limit)
    extra = generated_entities(n_entities) if config == "watchlist" else []
    t0 = time.perf_counter()
    gazetteer: Any = None
    try:
        from signalfire.analysis.analyzer import Analyzer

        analyzer: Any = Analyzer.build(extra)
        mode = "analyzer"
    except ImportError:
        analyzer = None
        try:
            from signalfire.analysis.entities import find_entities
            from signalfire.analysis.gazetteer import Gazetteer

            gazetteer = Gazetteer.load_builtin(extra)
            mode = "gazetteer matching + stories (no Analyzer yet)"
        except ImportError:
            mode = "stories-only (no Analyzer yet; findings from labels)"
    build_s = time.perf_counter() - t0
    index = StoryIndex({})
    analyze_s = assign_s = 0.0
    latest = None
    for i, (article, labels) in enumerate(articles):
        t1 = time.perf_counter()
        if analyzer is not None:
            findings = analyzer.analyze(article)
        elif gazetteer is not None:
            ids = dict.fromkeys(m.id for m in find_entities(article.text, gazetteer))
            findings = LabelFindings(list(ids), event_types=labels.get("event_types", []))
        else:
            findings = LabelFindings(event_types=labels.get("event_types", []))
        t2 = time.perf_counter()
        index.assign(article, findings, article.published_at)
        t3 = time.perf_counter()
        analyze_s += t2 - t1
        assign_s += t3 - t2
        latest = max(latest, article.published_at) if latest else article.published_at
        if i % PRUNE_EVERY == PRUNE_EVERY - 1:
            t4 = time.perf_counter()
            index.prune(latest)
            assign_s += time.perf_counter() - t4
    total = analyze_s + assign_s
    n = len(articles)
    return {
        "config": config,
        "mode": mode,
        "watchlist_entities": len(extra),
        "articles": n,
        "chars": sum(len(a.text) for a, _ in articles),
        "build_s": round(build_s, 3),
        "analyze_s": round(analyze_s, 3),
        "assign_s": round(assign_s, 3),
        "articles_per_s": round(n / total, 1) if total else None,
        "analyze_ms_per_article": round(1000 * analyze_s / n, 3),
        "assign_ms_per_article": round(1000 * assign_s / n, 3),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "stories": len(index.stories),
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help=f"{QUICK_ARTICLES} articles only")
    ap.add_argument("--entities", type=int, default=100_000, help="generated watchlist size")
    ap.add_argument("--only", choices=["builtin", "watchlist"], help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    limit = QUICK_ARTICLES if args.quick else None
    if args.only:
        print(json.dumps(run_one(args.only, args.entities, limit)))
        return 0
    results = []
    for config in ("builtin", "watchlist"):
        cmd = [sys.executable, __file__, "--only", config, "--entities", str(args.entities)]
        if args.quick:
            cmd.append("--quick")
        done = subprocess.run(cmd, capture_output=True, text=True, check=True)
        results.append(json.loads(done.stdout.strip().splitlines()[-1]))
    cols = [
        "config",
        "watchlist_entities",
        "articles",
        "build_s",
        "articles_per_s",
        "analyze_ms_per_article",
        "assign_ms_per_article",
        "peak_rss_mb",
    ]
    widths = [max(len(c), *(len(str(r[c])) for r in results)) for c in cols]
    print("  ".join(c.ljust(w) for c, w in zip(cols, widths, strict=True)), file=sys.stderr)
    for r in results:
        print(
            "  ".join(str(r[c]).ljust(w) for c, w in zip(cols, widths, strict=True)),
            file=sys.stderr,
        )
    print(f"mode: {results[0]['mode']}", file=sys.stderr)
    print(json.dumps({"quick": args.quick, "results": results}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
