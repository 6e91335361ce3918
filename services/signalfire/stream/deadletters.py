"""Writing dead letters so that writing them can never stall a stage.

A letter the broker refuses (too large, however unlikely after truncation) is written again
in its minimal form (reason and provenance, no payload); only if even that is refused is the
failure logged with the message's coordinates, and the stage moves on.
"""

from __future__ import annotations

import traceback
from collections.abc import Sequence
from datetime import datetime
from typing import Any

import structlog

from signalfire.models.deadletter import AlertDeadLetter, MessageDeadLetter
from signalfire.stream.produce import Outgoing, send_all

log = structlog.get_logger(__name__)

Letter = MessageDeadLetter | AlertDeadLetter


def letter_for_event(
    event: Any,
    *,
    reason: str,
    stage: str,
    errors: Sequence[str],
    now: datetime,
    max_original: int,
) -> MessageDeadLetter:
    """A dead letter for a faust event: its bytes, key, headers and coordinates."""
    msg = event.message
    value = msg.value if isinstance(msg.value, bytes | type(None)) else bytes(msg.value)
    headers = [(str(k), v if isinstance(v, bytes) else None) for k, v in (msg.headers or [])]
    return MessageDeadLetter.for_bytes(
        value,
        reason=reason,
        stage=stage,
        errors=errors,
        failed_at=now,
        key=msg.key if isinstance(msg.key, bytes) else None,
        topic=msg.topic,
        partition=msg.partition,
        offset=msg.offset,
        headers=headers,
        max_original=max_original,
    )


def describe(exc: BaseException) -> list[str]:
    """The exception's class and message, without a traceback (and without locals)."""
    return traceback.format_exception_only(exc)[-1:]


def _minimal(letter: Letter) -> Letter:
    if isinstance(letter, MessageDeadLetter):
        return letter.minimal_copy()
    alert = letter.alert.model_copy(
        update={
            "key_facts": [],
            "story_members": [],
            "impact_reasons": [],
            "affected": [],
            "article_ids": letter.alert.article_ids[:20],
        }
    )
    return letter.model_copy(update={"alert": alert})


async def write_letters(topic: Any, letters: Sequence[tuple[bytes | None, Letter]]) -> None:
    """Produce every letter (acknowledged), falling back to minimal letters."""
    if not letters:
        return
    first = [
        Outgoing(topic, key, letter.model_dump_json().encode(), origin=(key, letter))
        for key, letter in letters
    ]
    rejected = await send_all(first)
    if not rejected:
        return
    second = []
    for r in rejected:
        key, letter = r.message.origin
        log.warning("deadletter.too_large", error=r.error, reason=letter.reason)
        minimal = _minimal(letter)
        second.append(Outgoing(topic, key, minimal.model_dump_json().encode(), origin=letter))
    for r in await send_all(second):
        letter = r.message.origin
        where = (
            {"topic": letter.topic, "partition": letter.partition, "offset": letter.offset}
            if isinstance(letter, MessageDeadLetter)
            else {"alert_id": letter.alert.alert_id}
        )
        log.error("deadletter.unwritable", error=r.error, reason=letter.reason, **where)
