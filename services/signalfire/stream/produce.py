"""Producing with a broker acknowledgement before the input message is acknowledged.

faust acks a message as soon as its handler moves on, and commits acked offsets. Awaiting the
delivery future here (and retrying while the broker is away) is what makes the pipeline
at-least-once: an output that did not reach the broker never lets its input be committed.
"""

from __future__ import annotations

import asyncio
from typing import Any

import structlog

log = structlog.get_logger(__name__)


async def send_acked(
    topic: Any, *, key: bytes | None, value: bytes, max_delay: float = 30.0
) -> None:
    """Send now (not attached to the offset commit) and wait for the broker's ack; retry
    with capped backoff until it succeeds, because dropping the output would lose data."""
    delay = 0.5
    attempt = 0
    while True:
        attempt += 1
        try:
            fut = await topic.send(key=key, value=value, force=True)
            await fut
            return
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            log.warning(
                "produce.retry",
                topic=topic.get_topic_name(),
                attempt=attempt,
                error=f"{type(exc).__name__}: {exc}"[:300],
                delay=delay,
            )
            await asyncio.sleep(delay)
            delay = min(max_delay, delay * 2)
