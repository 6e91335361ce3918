"""`signalfire schemas [--check]`: the JSON Schemas in schemas/."""

from __future__ import annotations

import sys
from pathlib import Path

from signalfire.models.jsonschema import check_schemas, write_schemas


def run(directory: Path, *, check: bool) -> int:
    if check:
        stale = check_schemas(directory)
        for name in stale:
            print(f"{directory / name}: out of date; run `signalfire schemas`", file=sys.stderr)
        return 1 if stale else 0
    for path in write_schemas(directory):
        print(path)
    return 0
