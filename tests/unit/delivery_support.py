"""Shared builders for the delivery tests (a module, not a conftest, on purpose)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from pydantic import SecretStr

from signalfire.delivery.render import RenderedMessage
from signalfire.delivery.sender import SendResult
from signalfire.models.alert import AlertRecord
from signalfire.models.analysis import AffectedParty, Contribution, DealValue

T0 = datetime(2026, 3, 13, 9, 30, tzinfo=UTC)
PASSWORD = "Pa55-w0rd-XYZZY"
SLACK_URL = SecretStr("slack://T0AAAAAAA/B0BBBBBBB/cccccccccccccccccccccccc/#defense")
MAIL_URL = SecretStr(f"mailtos://desk:{PASSWORD}@smtp.example.com?to=desk@example.com")
JSON_URL = SecretStr("json://hooks.example.com/signalfire")


def make_alert(alert_id: str = "al-1", **kw: Any) -> AlertRecord:
    base: dict[str, Any] = {
        "alert_id": alert_id,
        "rule_id": "romarm-deals",
        "story": "s-7f3a",
        "article_ids": ["a3f1c2"],
        "trigger_article_id": "a3f1c2",
        "headline": "Romania and Ukraine sign drone co-production deal",
        "url": "https://example.com/2026/03/13/ro-ua-drones",
        "impact": 7,
        "impact_reasons": [
            Contribution(name="value", points=2.5, why="deal above €500M"),
            Contribution(name="countries", points=1.0, why="two NATO-border countries"),
            Contribution(name="parties", points=0.5, why="state-owned maker"),
            Contribution(name="tiny", points=0.1, why="minor factor"),
        ],
        "sources": 2,
        "entities": ["romarm", "ukroboronprom"],
        "countries": ["RO", "UA"],
        "event_types": ["agreement"],
        "affected": [AffectedParty(id="romarm", direction="positive")],
        "deal_value": DealValue(amount=931_000_000, currency="USD", eur=857_000_000),
        "quantity": None,
        "sentiment": "bullish",
        "subscribers": ["desk"],
        "severity": "high",
        "fired_at": T0,
    }
    base.update(kw)
    return AlertRecord(**base)


@dataclass
class FakeSender:
    """Scripted results per URL (default: success); records every call."""

    script: dict[str, list[SendResult]] = field(default_factory=dict)
    calls: list[tuple[str, RenderedMessage]] = field(default_factory=list)

    async def send(self, url: SecretStr, message: RenderedMessage) -> SendResult:
        raw = url.get_secret_value()
        self.calls.append((raw, message))
        queue = self.script.get(raw)
        return queue.pop(0) if queue else SendResult(True)

    def sent_to(self, url: SecretStr) -> list[RenderedMessage]:
        return [m for u, m in self.calls if u == url.get_secret_value()]


@dataclass
class FakeClock:
    """`now` for the dispatcher plus a sleep that advances it instantly."""

    t: datetime = T0
    slept: list[float] = field(default_factory=list)

    def now(self) -> datetime:
        return self.t

    async def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.t += timedelta(seconds=seconds)

    def advance(self, **kw: float) -> None:
        self.t += timedelta(**kw)


Now = Callable[[], datetime]
