"""`signalfire healthcheck`: exit 0 when the worker is alive (Docker HEALTHCHECK).

With the ops server on (`SIGNALFIRE_OPS_PORT`, the default) it asks `/healthz`, which answers
from the worker's own event loop, during table recovery too; with the server off it reads the
heartbeat file the worker writes every 10 s (not written while tables recover).
"""

from __future__ import annotations

import sys
import urllib.error
import urllib.request
from datetime import timedelta
from pathlib import Path

from signalfire.ops.health import check_heartbeat, utcnow


def _healthz(port: int, timeout: float) -> str | None:
    url = f"http://127.0.0.1:{port}/healthz"
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return None if response.status == 200 else f"{url} answered {response.status}"
    except urllib.error.HTTPError as exc:
        return f"{url} answered {exc.code}"
    except OSError as exc:
        return f"{url} did not answer: {exc}"


def run(data_dir: Path, max_age: float, ops_port: int = 0) -> int:
    problem = (
        _healthz(ops_port, timeout=min(max_age, 10.0))
        if ops_port
        else check_heartbeat(data_dir, utcnow(), timedelta(seconds=max_age))
    )
    if problem:
        print(f"unhealthy: {problem}", file=sys.stderr)
        return 1
    return 0
