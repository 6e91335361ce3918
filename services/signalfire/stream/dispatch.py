"""Stage 3: pending alerts -> the delivery outbox; finished alerts -> alerts | alerts.dead.

The stage only plans and records deliveries (fast, never waiting on a destination); the
`DeliveryService` sends them, each destination on its own schedule, and calls `publish`
when an alert is done.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import structlog

from signalfire.delivery.dispatcher import dead_reason, needs_dead_letter
from signalfire.delivery.service import DeliveryService
from signalfire.models.alert import AlertRecord
from signalfire.models.deadletter import AlertDeadLetter
from signalfire.ops.metrics import METRICS
from signalfire.stream.deadletters import Letter, describe, letter_for_event, write_letters
from signalfire.stream.produce import Outgoing, send_all
from signalfire.stream.stage import StageInput

log = structlog.get_logger(__name__)


@dataclass
class AlertPublisher:
    """Writes finished alerts: the record on `alerts`, a dead letter on `alerts.dead` when a
    destination failed for good."""

    alerts: Any  # faust Topic
    alerts_dead: Any  # faust Topic

    async def publish(self, record: AlertRecord) -> None:
        key = record.alert_id.encode()
        rejected = await send_all([Outgoing(self.alerts, key, record.model_dump_json().encode())])
        for r in rejected:
            log.error("alert.record_unwritable", alert_id=record.alert_id, error=r.error)
        if needs_dead_letter(record):
            await self.dead([(record, dead_reason(record))])

    async def dead(self, alerts: list[tuple[AlertRecord, str]]) -> None:
        now = datetime.now(UTC)
        letters: list[tuple[bytes | None, Letter]] = []
        for alert, reason in alerts:
            letters.append(
                (alert.alert_id.encode(), AlertDeadLetter(reason=reason, dead_at=now, alert=alert))
            )
            log.error("alert.dead", alert_id=alert.alert_id, rule_id=alert.rule_id, reason=reason)
        await write_letters(self.alerts_dead, letters)


@dataclass
class DispatchStage:
    """What the dispatch agent uses, and nothing more."""

    input: StageInput
    delivery: DeliveryService
    alerts_dead: Any  # faust Topic
    max_original: int

    async def run(self, stream: Any) -> None:
        async for batch in self.input.batches(stream):
            dead: list[tuple[bytes | None, Letter]] = []
            for event in batch.events:
                try:
                    alert = AlertRecord.model_validate_json(event.message.value)
                except Exception as exc:
                    letter = letter_for_event(
                        event,
                        reason="bad internal alert",
                        stage="dispatch",
                        errors=describe(exc),
                        now=datetime.now(UTC),
                        max_original=self.max_original,
                    )
                    METRICS.article_dead_lettered("dispatch", "bad internal alert")
                    dead.append((event.message.key, letter))
                    continue
                await self.delivery.accept(alert)
            await write_letters(self.alerts_dead, dead)
            self.input.done(batch)
