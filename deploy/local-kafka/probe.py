"""Readiness probe for the local broker, used by deploy/local-kafka/up.

Exit 0 once the broker at --bootstrap answers a metadata request and lists at least one
broker (KRaft: the broker has registered with its controller, so topics can be created);
exit 1 when --timeout seconds pass first; exit 2 as soon as --pid (the broker) has exited.
Needs only kafka-python.
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
import sys
import time


def _alive(pid: int | None) -> bool:
    if pid is None:
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _answers(bootstrap: str, timeout_ms: int) -> str | None:
    """None when the broker answers with at least one broker, else why not."""
    from kafka import KafkaAdminClient  # imported late: keeps --help cheap

    try:
        admin = KafkaAdminClient(
            bootstrap_servers=bootstrap,
            client_id="signalfire-local-kafka-probe",
            request_timeout_ms=timeout_ms,
            bootstrap_timeout_ms=timeout_ms,
        )
    except Exception as exc:
        return f"{type(exc).__name__}: {exc}"
    try:
        cluster = admin.describe_cluster()
        return None if cluster.get("brokers") else "no broker registered yet"
    except Exception as exc:
        return f"{type(exc).__name__}: {exc}"
    finally:
        with contextlib.suppress(Exception):
            admin.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--bootstrap", default="127.0.0.1:9092")
    parser.add_argument("--timeout", type=float, default=90.0)
    parser.add_argument("--pid", type=int, default=None)
    parser.add_argument("--verbose", action="store_true", help="say why on timeout")
    args = parser.parse_args(argv)

    logging.disable(logging.CRITICAL)  # kafka-python logs every refused connection
    deadline = time.monotonic() + args.timeout
    while True:
        if not _alive(args.pid):
            return 2
        left = deadline - time.monotonic()
        why = _answers(args.bootstrap, int(max(1.0, min(5.0, left)) * 1000))
        if why is None:
            return 0
        if time.monotonic() + 0.3 >= deadline:
            if args.verbose:
                print(f"probe: {args.bootstrap} does not answer: {why}", file=sys.stderr)
            return 1
        time.sleep(0.3)


if __name__ == "__main__":
    sys.exit(main())
