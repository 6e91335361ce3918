"""`signalfire eval`: print the evaluation (`evaluation.run`) as text or JSON."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import orjson

from signalfire.commands import watchlists
from signalfire.evaluation.run import run_eval


def run(
    files: Sequence[str],
    watchlist_paths: Sequence[Path],
    *,
    dod: Path | None,
    dvids: Path | None,
    as_json: bool,
) -> int:
    result = run_eval(
        files,
        watchlists.merged(watchlist_paths),
        dod=dod,
        dvids=dvids,
        check_alerts=bool(watchlist_paths),
    )
    if as_json:
        print(orjson.dumps(result.report, option=orjson.OPT_INDENT_2).decode())
        return 0
    for title, text in result.sections:
        if not title.endswith("#alerts"):
            print(f"== {title}")
        print(text)
    return 0
