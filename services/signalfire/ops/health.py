"""Liveness for ops: the worker writes a heartbeat file; `signalfire healthcheck` reads it.

The heartbeat is written from a faust timer on the worker's event loop, so a stale file means
the loop is stuck or the worker is gone, which a process check alone would not notice.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import orjson

HEARTBEAT = "heartbeat.json"


def write_heartbeat(data_dir: Path, now: datetime, **fields: object) -> None:
    """Atomically replace the heartbeat file (a reader never sees half a file)."""
    data_dir.mkdir(parents=True, exist_ok=True)
    tmp = data_dir / f".{HEARTBEAT}.tmp"
    tmp.write_bytes(orjson.dumps({"at": now.isoformat(), **fields}))
    tmp.replace(data_dir / HEARTBEAT)


def check_heartbeat(data_dir: Path, now: datetime, max_age: timedelta) -> str | None:
    """None when healthy, else why not."""
    path = data_dir / HEARTBEAT
    try:
        data = orjson.loads(path.read_bytes())
        at = datetime.fromisoformat(str(data["at"]))
    except FileNotFoundError:
        return f"no heartbeat at {path}: is the worker running with this data dir?"
    except (ValueError, KeyError, TypeError) as exc:
        return f"unreadable heartbeat {path}: {exc}"
    age = now - at
    if age > max_age:
        return f"heartbeat is {age.total_seconds():.0f}s old (limit {max_age.total_seconds():.0f}s)"
    return None


def utcnow() -> datetime:
    return datetime.now(UTC)
