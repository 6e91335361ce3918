"""`signalfire healthcheck`: exit 0 when the worker's heartbeat is fresh (Docker HEALTHCHECK)."""

from __future__ import annotations

import sys
from datetime import timedelta
from pathlib import Path

from signalfire.ops.health import check_heartbeat, utcnow


def run(data_dir: Path, max_age: float) -> int:
    problem = check_heartbeat(data_dir, utcnow(), timedelta(seconds=max_age))
    if problem:
        print(f"unhealthy: {problem}", file=sys.stderr)
        return 1
    return 0
