"""Producing a batch of outputs and knowing, per message, whether the broker has it.

A stage hands over all the outputs of a batch at once (the producer pipelines them) and
waits for every acknowledgement before it reports the inputs durable. Two kinds of failure
are told apart:

- transient (broker away, leader moving, timeouts): retried with capped backoff, as long as
  it takes, because dropping the output would lose data (SIGTERM still cancels the wait);
- permanent (the message is larger than the broker accepts, an invalid topic): retrying can
  never succeed, so the message is handed back to the caller, who dead-letters its input.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import structlog

log = structlog.get_logger(__name__)

PERMANENT = frozenset(
    {
        "MessageSizeTooLargeError",
        "RecordTooLargeError",
        "RecordBatchTooLargeError",
        "InvalidTopicError",
        "InvalidRecordError",
        "CorruptRecordException",
        "UnsupportedForMessageFormatError",
        "UnsupportedCodecError",
    }
)


def is_permanent(exc: BaseException) -> bool:
    """Retrying cannot help: the broker will refuse this message every time."""
    return type(exc).__name__ in PERMANENT or isinstance(exc, TypeError | ValueError)


@dataclass(frozen=True)
class Outgoing:
    """One message to produce. `origin` is the caller's handle (e.g. the input event)."""

    topic: Any  # a faust Topic
    key: bytes | None
    value: bytes | None
    headers: Sequence[tuple[str, bytes]] = ()
    origin: Any = None


@dataclass
class Rejected:
    """A message the broker will never take, with why."""

    message: Outgoing
    error: str


async def _send(msg: Outgoing) -> Any:
    fut = await msg.topic.send(
        key=msg.key, value=msg.value, headers=list(msg.headers) or None, force=True
    )
    return await fut


async def send_all(messages: Sequence[Outgoing], *, max_delay: float = 30.0) -> list[Rejected]:
    """Produce every message and wait until the broker has each one, retrying transient
    failures; returns the messages that can never be written."""
    pending = list(messages)
    rejected: list[Rejected] = []
    delay = 0.5
    attempt = 0
    while pending:
        attempt += 1
        results = await asyncio.gather(*(_send(m) for m in pending), return_exceptions=True)
        retry: list[Outgoing] = []
        for msg, result in zip(pending, results, strict=True):
            if isinstance(result, asyncio.CancelledError):
                raise result
            if not isinstance(result, BaseException):
                continue
            error = f"{type(result).__name__}: {result}"[:300]
            if is_permanent(result):
                rejected.append(Rejected(msg, error))
            else:
                retry.append(msg)
                last_error = error
        if retry:
            log.warning(
                "produce.retry",
                topic=retry[0].topic.get_topic_name(),
                messages=len(retry),
                attempt=attempt,
                error=last_error,
                delay=delay,
            )
            await asyncio.sleep(delay)
            delay = min(max_delay, delay * 2)
        pending = retry
    return rejected


async def send_one(topic: Any, *, key: bytes | None, value: bytes | None) -> list[Rejected]:
    """`send_all` for one message (timers and the delivery service)."""
    return await send_all([Outgoing(topic, key, value)])
