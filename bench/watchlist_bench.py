"""Large watchlists: `check` time, worker start-up (load + analyzer build), peak RSS and the
per-article analysis cost, for 1k/10k/100k generated entities as inline YAML, CSV and JSONL.

Every case runs in fresh subprocesses, so each peak RSS belongs to that case alone:
  check     `signalfire check --watchlist W` (the CLI, interpreter start included)
  startup   what the worker does before it consumes: the stream modules imported, then
            `WatchlistHolder` (read + validate) and `Analyzer.build` of its entities; then
            analysis of the real corpora (DoD 2018 + DVIDS) with that analyzer and with the
            built-in gazetteer alone, alternating passes, medians compared (`cost ratio`).

Usage: python bench/watchlist_bench.py [--sizes 1000,10000,100000] [--formats yaml,csv,jsonl]
           [--rounds 3] [--src DIR]   (DIR/services instead of this tree: before/after runs)
Prints a table on stderr and one JSON object on stdout. Timings are wall clock and CPU
seconds; on a shared machine compare CPU and alternate the trees being compared.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
CORPORA = [ROOT / "tests/data/dod-contracts-2018.jsonl", ROOT / "tests/data/dvids-news.jsonl"]
TARGET_S, TARGET_RSS_MB, TARGET_COST = 5.0, 300.0, 1.10

_SYLLABLES = (
    "ar", "bel", "cor", "dan", "el", "fen", "gar", "hal", "ir", "jun", "kal", "lor", "mor",
    "nev", "or", "pal", "quin", "ros", "sal", "tor", "ul", "vor", "wen", "xan", "yor", "zel",
)  # fmt: skip
_SUFFIXES = (
    "Dynamics", "Systems", "Defence", "Aerospace", "Industries", "Technologies", "Munitions",
    "Armour", "Avionics", "Marine", "Optronics", "Robotics",
)  # fmt: skip
_FORMS = ("Ltd", "GmbH", "S.A.", "AG", "Inc.", "S.p.A.", "Oy", "AB", "Sp. z o.o.", "plc")
_COUNTRIES = (
    "RO", "PL", "DE", "FR", "IT", "ES", "SE", "NO", "FI", "CZ", "SK", "HU", "BG", "UA", "TR",
    "GB", "US", "KR", "JP", "IL", "IN", "BR", "CA", "AU", "NL", "BE",
)  # fmt: skip

HEAD = """\
version: 1
subscribers:
  - id: desk
    notify: ["json://127.0.0.1:8765/hook"]
rules:
  - id: watched-deals
    when:
      entities: {any: [romarm, %(first)s]}
      event_types: [contract, agreement]
    notify: [desk]
"""


def rows(n: int, seed: int = 7) -> list[tuple[str, str, str, str, list[str]]]:
    """n plausible, distinct companies with 3 aliases each (deterministic; the same
    generator as bench/analyze_bench.py)."""
    rng = random.Random(seed)
    out: list[tuple[str, str, str, str, list[str]]] = []
    taken: set[str] = set()
    while len(out) < n:
        stem = "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize()
        name = f"{stem} {rng.choice(_SUFFIXES)}"
        ident = name.lower().replace(" ", "-")
        if ident in taken:
            continue
        taken.add(ident)
        acronym = "".join(w[0] for w in name.split()).upper() + stem[1:3].upper()
        aliases = [f"{name} {rng.choice(_FORMS)}", f"{stem} Group", acronym]
        out.append((f"wl-{ident}", name, "company", rng.choice(_COUNTRIES), aliases))
    return out


def write_case(folder: Path, n: int, fmt: str) -> Path:
    """A watchlist of n entities: inline YAML, or YAML naming a CSV / JSONL entity file."""
    data = rows(n)
    head = HEAD % {"first": data[0][0]}
    path = folder / f"w{n}-{fmt}.yaml"
    with path.open("w") as f:
        f.write(head)
        if fmt == "yaml":
            f.write("entities:\n")
            for ident, name, kind, country, aliases in data:
                f.write(
                    f"  - id: {ident}\n    name: {json.dumps(name)}\n    kind: {kind}\n"
                    f'    country: "{country}"\n    aliases: {json.dumps(aliases)}\n'
                )
            return path
        f.write(f"entity_files: [e{n}.{fmt}]\n")
    with (folder / f"e{n}.{fmt}").open("w") as f:
        if fmt == "csv":
            f.write("id,name,kind,country,aliases\n")
            for ident, name, kind, country, aliases in data:
                f.write(f'{ident},{name},{kind},{country},"{"|".join(aliases)}"\n')
        else:
            for ident, name, kind, country, aliases in data:
                row = {"id": ident, "name": name, "kind": kind, "country": country}
                f.write(json.dumps({**row, "aliases": aliases}) + "\n")
    return path


def _env(src: Path | None) -> dict[str, str]:
    env = dict(os.environ)
    if src is not None:
        env["PYTHONPATH"] = str(src / "services")
    return env


def measure_check(path: Path, env: dict[str, str]) -> dict[str, float]:
    code = "import sys; from signalfire.cli import entry; sys.argv[0] = 'signalfire'; entry()"
    cmd = [sys.executable, "-c", code, "check", "--watchlist", str(path)]
    wall, cpu, rss, _ = _isolated(cmd, env)
    return {"check_s": round(wall, 2), "check_cpu_s": round(cpu, 2), "check_rss_mb": round(rss)}


def _isolated(cmd: list[str], env: dict[str, str]) -> tuple[float, float, float, str]:
    """Run through a tiny parent so RUSAGE_CHILDREN covers exactly this one command."""
    wrapper = (
        "import json, resource, subprocess, sys, time\n"
        "t = time.perf_counter(); p = subprocess.run(sys.argv[1:], capture_output=True)\n"
        "w = time.perf_counter() - t; u = resource.getrusage(resource.RUSAGE_CHILDREN)\n"
        "sys.stderr.write(p.stderr.decode()[-2000:]) if p.returncode else None\n"
        "print(json.dumps([p.returncode, w, u.ru_utime + u.ru_stime, u.ru_maxrss / 1024,"
        " p.stdout.decode()]))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", wrapper, *cmd], capture_output=True, text=True, env=env
    )
    code, wall, cpu, rss, out = json.loads(done.stdout.strip().splitlines()[-1])
    if code:
        raise RuntimeError(f"{' '.join(cmd[:6])} failed:\n{done.stderr}")
    return float(wall), float(cpu), float(rss), str(out)


def measure_startup(path: Path, rounds: int, env: dict[str, str]) -> dict[str, Any]:
    cmd = [sys.executable, __file__, "--startup", str(path), "--rounds", str(rounds)]
    _, _, _, out = _isolated(cmd, env)
    result: dict[str, Any] = json.loads(out.strip().splitlines()[-1])
    return result


def startup(path: Path, rounds: int) -> dict[str, Any]:
    """In this process: what the worker does before consuming, then the per-article cost."""
    t_import = time.perf_counter()
    import signalfire.stream.app  # noqa: F401  (the worker's imports count towards its RSS)
    from signalfire.analysis.analyzer import Analyzer
    from signalfire.analysis.gazetteer import builtin_ids
    from signalfire.models.article import ArticleEvent
    from signalfire.rules.reload import WatchlistHolder

    imported = time.perf_counter() - t_import
    c0, t0 = _cpu(), time.perf_counter()
    holder = WatchlistHolder([path], os.environ, builtin_ids())
    loaded_s = time.perf_counter() - t0
    analyzer = Analyzer.build(holder.current.watchlist.entities)
    startup_s, startup_cpu = time.perf_counter() - t0, _cpu() - c0
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    articles = [
        ArticleEvent.model_validate(json.loads(line)["article"])
        for corpus in CORPORA
        for line in corpus.read_text().splitlines()
    ]
    builtin = Analyzer.build()
    for an in (analyzer, builtin):  # warm-up: caches and lazily compiled patterns
        for article in articles[:100]:
            an.analyze(article)
    times: dict[str, list[float]] = {"watchlist": [], "builtin": []}
    for r in range(rounds):  # alternate, and alternate which goes first; CPU time
        order = [("watchlist", analyzer), ("builtin", builtin)]
        for name, an in order if r % 2 == 0 else order[::-1]:
            t = time.process_time()
            for article in articles:
                an.analyze(article)
            times[name].append((time.process_time() - t) / len(articles) * 1000)
    wl, bi = statistics.median(times["watchlist"]), statistics.median(times["builtin"])
    entities = len(holder.current.watchlist.entities)
    reload = _reload_under_a_ticker(holder, path) if hasattr(holder, "reload_if_changed") else {}
    return {
        **reload,
        "entities": entities,
        "import_s": round(imported, 2),
        "load_s": round(loaded_s, 2),
        "startup_s": round(startup_s, 2),
        "startup_cpu_s": round(startup_cpu, 2),
        "worker_rss_mb": round(rss_mb),
        "articles": len(articles),
        "ms_per_article": round(wl, 3),
        "builtin_ms_per_article": round(bi, 3),
        "cost_ratio": round(wl / bi, 3),
    }


def _reload_under_a_ticker(holder: Any, path: Path) -> dict[str, Any]:
    """Add one entity (to the YAML or the entity file) and reload with `reload_if_changed`
    while a 1 ms ticker runs on the same event loop: how late the loop gets while the new
    watchlist is validated and its analyzer built in a thread (the GIL is shared)."""
    import asyncio
    from datetime import UTC, datetime, timedelta

    from signalfire.analysis.analyzer import Analyzer

    text = path.read_text()
    if "entity_files: [" in text:
        listed = path.parent / text.split("entity_files: [", 1)[1].split("]", 1)[0]
        row = (
            "wl-added,Added Corp,company,RO,ACX\n"
            if listed.suffix == ".csv"
            else '{"id": "wl-added", "name": "Added Corp", "kind": "company"}\n'
        )
        with listed.open("a") as f:
            f.write(row)
    else:
        with path.open("a") as f:
            f.write("  - {id: wl-added, name: Added Corp, kind: company}\n")

    async def run() -> tuple[float, list[float], str]:
        late: list[float] = []
        done = False

        async def ticker() -> None:
            while not done:
                t = time.perf_counter()
                await asyncio.sleep(0.001)
                late.append((time.perf_counter() - t - 0.001) * 1000)

        tick = asyncio.create_task(ticker())
        await asyncio.sleep(0.05)
        t0 = time.perf_counter()
        now = datetime.now(UTC) + timedelta(hours=1)
        result = await holder.reload_if_changed(
            now, build=lambda loaded: Analyzer.build(loaded.watchlist.entities)
        )
        took = time.perf_counter() - t0
        done = True
        await tick
        return took, late, result.status

    took, late, status = asyncio.run(run())
    late.sort()
    return {
        "reload_status": status,
        "reload_s": round(took, 2),
        "loop_late_p99_ms": round(late[int(len(late) * 0.99)], 1),
        "loop_late_max_ms": round(late[-1], 1),
    }


def _cpu() -> float:
    u = resource.getrusage(resource.RUSAGE_SELF)
    return u.ru_utime + u.ru_stime


COLUMNS = [
    ("format", "format"),
    ("entities", "n"),
    ("check_s", "check s"),
    ("check_cpu_s", "cpu"),
    ("check_rss_mb", "RSS MB"),
    ("startup_s", "start-up s"),
    ("startup_cpu_s", "cpu"),
    ("worker_rss_mb", "worker RSS MB"),
    ("ms_per_article", "ms/article"),
    ("builtin_ms_per_article", "built-in"),
    ("cost_ratio", "ratio"),
    ("reload_s", "reload s"),
    ("loop_late_p99_ms", "loop p99 ms"),
    ("loop_late_max_ms", "max"),
]


def print_table(results: list[dict[str, Any]]) -> None:
    heads = [h for _, h in COLUMNS]
    cells = [[str(r.get(k, "-")) for k, _ in COLUMNS] for r in results]
    widths = [max(len(h), *(len(c[i]) for c in cells)) for i, h in enumerate(heads)]
    print("  ".join(h.rjust(w) for h, w in zip(heads, widths, strict=True)), file=sys.stderr)
    for c in cells:
        print("  ".join(x.rjust(w) for x, w in zip(c, widths, strict=True)), file=sys.stderr)
    for r in results:
        if r["entities"] >= 100_000:
            ok = (
                max(r["check_s"], r["startup_s"]) <= TARGET_S
                and r["worker_rss_mb"] <= TARGET_RSS_MB
                and r["cost_ratio"] <= TARGET_COST
            )
            print(
                f"{r['format']} 100k: targets (check and start-up <= {TARGET_S:.0f} s, worker "
                f"RSS <= {TARGET_RSS_MB:.0f} MB, cost <= x{TARGET_COST}) "
                f"{'met' if ok else 'NOT met'}",
                file=sys.stderr,
            )


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="1000,10000,100000")
    ap.add_argument("--formats", default="yaml,csv,jsonl")
    ap.add_argument("--rounds", type=int, default=3, help="analysis passes per analyzer")
    ap.add_argument("--src", type=Path, help="a checkout whose services/ to measure instead")
    ap.add_argument("--startup", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.startup:
        print(json.dumps(startup(args.startup, args.rounds)))
        return 0
    env = _env(args.src)
    results = []
    with tempfile.TemporaryDirectory(prefix="watchlist-bench-") as tmp:
        for n in (int(x) for x in args.sizes.split(",")):
            for fmt in args.formats.split(","):
                path = write_case(Path(tmp), n, fmt)
                row: dict[str, Any] = {"format": fmt, "entities": n}
                row.update(measure_check(path, env))
                row.update(measure_startup(path, args.rounds, env))
                results.append(row)
                print(json.dumps(row), file=sys.stderr)
    print_table(results)
    print(json.dumps({"src": str(args.src or ROOT), "results": results}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
