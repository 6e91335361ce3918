"""Entity list files (CSV, JSON lines) as (line, row) pairs for the watchlist loader.

A watchlist names them under `entity_files:`; they hold nothing but entities, so a list of
100,000 can be written by a script and read with a fast parser (the csv module, orjson)
instead of a YAML parser. Rows are plain dicts shaped like a YAML entity; the loader
validates them. Problems of the file itself (not UTF-8, bad JSON, unknown or missing CSV
columns) are reported here, as `file:line: where: what`."""

from __future__ import annotations

import csv
import difflib
import io
from collections.abc import Iterator
from typing import Any

import orjson

from signalfire.rules.errors import Problem

FORMATS = {".csv": "csv", ".jsonl": "jsonl", ".ndjson": "jsonl"}
LIST_COLUMNS = ("aliases", "context", "ambiguous")  # `|`-separated in CSV
REQUIRED = ("id", "name", "kind")


def list_format(name: str) -> str | None:
    """'csv' or 'jsonl' by file extension, None for anything else."""
    dot = name.rfind(".")
    return FORMATS.get(name[dot:].lower()) if dot >= 0 else None


def read_rows(
    name: str, content: bytes, columns: tuple[str, ...]
) -> tuple[Iterator[tuple[int, Any]], list[Problem]]:
    """The rows of an entity file and the problems that stop it from being read at all.

    `columns` are the entity fields (for CSV headers and their suggestions). The iterator
    may add per-line problems (bad JSON) to the returned list while it runs."""
    problems: list[Problem] = []
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        return iter(()), [Problem(name, None, None, "", f"not UTF-8 text (byte {e.start})")]
    if list_format(name) == "csv":
        return _csv_rows(name, text, columns, problems), problems
    return _jsonl_rows(name, text, problems), problems


def _jsonl_rows(name: str, text: str, problems: list[Problem]) -> Iterator[tuple[int, Any]]:
    loads = orjson.loads
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            row = loads(line)
        except orjson.JSONDecodeError as e:
            problems.append(Problem(name, number, None, "", f"not valid JSON: {e.args[0]}"))
            continue
        yield number, row


def _csv_rows(
    name: str, text: str, columns: tuple[str, ...], problems: list[Problem]
) -> Iterator[tuple[int, Any]]:
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = [h.strip() for h in next(reader)]
    except StopIteration:
        problems.append(
            Problem(
                name,
                1,
                None,
                "",
                f"file is empty (a CSV entity list starts with a header: {','.join(columns[:5])})",
            )
        )
        return
    except csv.Error as e:
        problems.append(Problem(name, reader.line_num, None, "", f"CSV syntax error: {e}"))
        return
    bad = False
    for i, column in enumerate(header):
        where = f"column {i + 1}"
        if column not in columns:
            close = difflib.get_close_matches(column, columns, n=1, cutoff=0.6)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            message = f"unknown column '{column}'{hint}; valid columns: {', '.join(columns)}"
            problems.append(Problem(name, 1, None, where, message))
            bad = True
        elif column in header[:i]:
            problems.append(Problem(name, 1, None, where, f"column '{column}' appears twice"))
            bad = True
    for column in REQUIRED:
        if column not in header:
            problems.append(Problem(name, 1, None, "", f"missing required column '{column}'"))
            bad = True
    if bad:
        return
    lists = [i for i, column in enumerate(header) if column in LIST_COLUMNS]
    width = len(header)
    line = reader.line_num
    try:
        for cells in reader:
            start, line = line + 1, reader.line_num
            if not cells:
                continue
            if len(cells) != width:
                message = f"expected {width} cells as in the header, found {len(cells)}"
                problems.append(Problem(name, start, None, "", message))
                continue
            row: dict[str, Any] = {}
            for i, cell in enumerate(cells):
                cell = cell.strip()
                if i in lists:
                    row[header[i]] = [a.strip() for a in cell.split("|")] if cell else []
                elif cell:
                    row[header[i]] = cell
            yield start, row
    except csv.Error as e:
        problems.append(Problem(name, reader.line_num, None, "", f"CSV syntax error: {e}"))
