"""JSON-lines input for the offline commands and `publish`: ArticleEvents one per line, or
labelled evaluation lines (`{"article": ..., "labels": ...}`), from files or stdin ('-').

Every line keeps its `file:line` location so a bad one is reported where it is.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import orjson

from signalfire.models.article import ArticleEvent
from signalfire.models.decoding import DecodeFailure, decode_article


@dataclass(frozen=True)
class Line:
    where: str
    raw: bytes


def read_lines(path: str) -> Iterator[Line]:
    """Yield non-blank lines of a file (or stdin for '-') with 'file:line' locations."""
    stream: IO[bytes] = sys.stdin.buffer if path == "-" else Path(path).open("rb")  # noqa: SIM115
    name = "<stdin>" if path == "-" else path
    try:
        for number, raw in enumerate(stream, start=1):
            raw = raw.strip()
            if raw:
                yield Line(f"{name}:{number}", raw)
    finally:
        if path != "-":
            stream.close()


def unwrap(raw: bytes) -> bytes:
    """Accept labelled eval lines ({"article": ..., "labels": ...}) as articles too."""
    try:
        data = orjson.loads(raw)
    except orjson.JSONDecodeError:
        return raw
    if isinstance(data, dict) and isinstance(data.get("article"), dict) and "id" not in data:
        return orjson.dumps(data["article"])
    return raw


def count_lines(paths: list[str]) -> int | None:
    if "-" in paths:
        return None
    total = 0
    for p in paths:
        with Path(p).open("rb") as f:
            total += sum(1 for line in f if line.strip())
    return total


def report_to_stderr(where: str, failure: DecodeFailure) -> None:
    print(f"{where}: skipped: {failure.reason}: {'; '.join(failure.errors[:3])}", file=sys.stderr)


def read_articles(
    paths: Sequence[str], on_skip: Callable[[str, DecodeFailure], None] = report_to_stderr
) -> Iterator[ArticleEvent]:
    """Valid ArticleEvents from the files, in order; every other line goes to `on_skip`."""
    for path in paths:
        for line in read_lines(path):
            result = decode_article(unwrap(line.raw))
            if isinstance(result, DecodeFailure):
                on_skip(line.where, result)
            else:
                yield result
