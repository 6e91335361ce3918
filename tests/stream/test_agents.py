"""The stream stages with in-memory fakes for faust's stream and topics (no Kafka)."""

from __future__ import annotations

import base64
import json
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from signalfire.analysis.analyzer import Analyzer
from signalfire.models.alert import AlertRecord, DeliveryOutcome
from signalfire.models.article import ArticleEvent
from signalfire.models.story import StoryState
from signalfire.pipeline import Correlator
from signalfire.rules.reload import WatchlistHolder
from signalfire.stream import agents
from signalfire.stream.messages import FindingsEnvelope
from signalfire.stream.runtime import Runtime, StreamTopics
from signalfire.stream.state import StagedMapping

ROOT = Path(__file__).resolve().parents[2]
ARTICLES = [json.loads(x) for x in (ROOT / "deploy/sample-articles.jsonl").read_text().splitlines()]
ANALYZER = Analyzer.build()


@dataclass
class Msg:
    topic: str = "articles"
    partition: int = 0
    offset: int = 0
    key: bytes | None = None


@dataclass
class Event:
    value: bytes
    message: Msg


class FakeStream:
    def __init__(self, values: list[bytes], topic: str = "articles") -> None:
        self._events = [Event(v, Msg(topic, 0, i, None)) for i, v in enumerate(values)]

    async def events(self) -> AsyncIterator[Event]:
        for e in self._events:
            yield e


@dataclass
class FakeTopic:
    name: str
    sent: list[tuple[bytes | None, bytes]] = field(default_factory=list)
    fail_times: int = 0

    def get_topic_name(self) -> str:
        return self.name

    async def send(self, *, key: bytes | None, value: bytes, force: bool = False) -> Any:
        assert force, "outputs must be sent now, not attached to the offset commit"
        if self.fail_times:
            self.fail_times -= 1
            raise ConnectionError("broker away")
        self.sent.append((key, value))

        async def done() -> None:
            return None

        return done()


class FakeDispatcher:
    def __init__(self) -> None:
        self.delivered: list[str] = []

    async def deliver(self, alert: AlertRecord, subscribers: Any, now: Any) -> AlertRecord:
        self.delivered.append(alert.alert_id)
        outcome = DeliveryOutcome(
            subscriber="desk", destination="d-1", shown_as="json://x", status="sent", attempts=1
        )
        return alert.model_copy(update={"outcomes": [outcome]})

    async def flush_due(self, subscribers: Any, now: Any) -> list[Any]:
        return []


def make_runtime(tmp_path: Path, rules: str = "") -> tuple[Runtime, dict[str, Any]]:
    wl = tmp_path / "w.yaml"
    wl.write_text(
        "version: 1\nsubscribers:\n  - id: desk\n    notify: ['json://127.0.0.1:9/x']\n" + rules
    )
    holder = WatchlistHolder([wl], {}, None)
    tables: dict[str, Any] = {"stories": {}}
    stories: StagedMapping[StoryState] = StagedMapping(tables["stories"])
    topics = StreamTopics(
        *(
            FakeTopic(n)
            for n in (
                "articles",
                "articles.dead",
                "articles.analyzed",
                "alerts",
                "alerts.dead",
                "findings",
                "pending",
            )
        )
    )
    rt = Runtime(
        topics=topics,
        holder=holder,
        build_analyzer=lambda w: ANALYZER,
        staged=[stories],
        correlator=Correlator(stories, lambda: holder.current.watchlist, window=timedelta(days=14)),
        dispatcher=FakeDispatcher(),
    )
    return rt, tables


RULE = """rules:
  - id: any-romarm
    when: {entities: {any: [romarm]}}
    notify: [desk]
"""


async def test_analyze_stage_dead_letters_bad_input_and_goes_on(tmp_path: Path) -> None:
    """Malformed JSON and a wrong schema are dead-lettered with the original bytes and the
    stage keeps going: the good article after them is analysed."""
    rt, _ = make_runtime(tmp_path)
    good = json.dumps(ARTICLES[0]).encode()
    bad = [b"\xff\xfe not json", b'{"id": "x"}']
    await agents.analyze_stage(rt, FakeStream([*bad, good]))
    dead = [json.loads(v) for _, v in rt.topics.articles_dead.sent]
    assert [base64.b64decode(d["original_b64"]) for d in dead] == bad
    assert dead[0]["reason"] == "malformed JSON" and dead[0]["offset"] == 0
    assert dead[1]["reason"] == "does not fit ArticleEvent v1"
    ((_key, value),) = rt.topics.findings.sent
    assert FindingsEnvelope.model_validate_json(value).article.id == ARTICLES[0]["id"]


async def test_analysis_crash_is_dead_lettered_not_fatal(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An exception inside the analysis of one article dead-letters it; the next one passes."""
    rt, _ = make_runtime(tmp_path)
    real = ANALYZER.analyze
    calls = {"n": 0}

    def flaky(article: Any) -> Any:
        calls["n"] += 1
        if calls["n"] == 1:
            raise RuntimeError("boom")
        return real(article)

    monkeypatch.setattr(rt, "analyzer", type("A", (), {"analyze": staticmethod(flaky)})())
    values = [json.dumps(a).encode() for a in ARTICLES[:2]]
    await agents.analyze_stage(rt, FakeStream(values))
    ((_, dead_value),) = rt.topics.articles_dead.sent
    assert json.loads(dead_value)["reason"] == "analysis failed: RuntimeError"
    assert len(rt.topics.findings.sent) == 1


async def test_outputs_are_retried_until_the_broker_takes_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A failed produce is retried (never dropped): the envelope arrives after two failures."""
    rt, _ = make_runtime(tmp_path)
    rt.topics.findings.fail_times = 2
    sleeps: list[float] = []

    async def no_sleep(d: float) -> None:
        sleeps.append(d)

    monkeypatch.setattr("signalfire.stream.produce.asyncio.sleep", no_sleep)
    await agents.analyze_stage(rt, FakeStream([json.dumps(ARTICLES[0]).encode()]))
    assert len(rt.topics.findings.sent) == 1 and sleeps == [0.5, 1.0]


async def test_correlate_dedupes_fires_once_and_writes_state_after_outputs(tmp_path: Path) -> None:
    """Story state reaches the tables only after outputs were produced; a re-sent article id
    produces nothing; a rule fires once per story."""
    rt, tables = make_runtime(tmp_path, RULE)
    romarm = next(a for a in ARTICLES if a["id"] == "d1-01")
    article = ArticleEvent.model_validate(romarm)
    envelope = FindingsEnvelope(article=article, analysis=ANALYZER.analyze(article))
    raw = envelope.model_dump_json().encode()
    await agents.correlate_stage(rt, FakeStream([raw, raw], topic="findings"))
    assert [k for k, _ in rt.topics.analyzed.sent] == [b"d1-01"]
    ((_, alert_raw),) = rt.topics.pending_alerts.sent
    alert = AlertRecord.model_validate_json(alert_raw)
    assert alert.rule_id == "any-romarm" and alert.article_ids == ["d1-01"]
    assert list(tables["stories"]) == [alert.story]
    assert tables["stories"][alert.story].article_ids == ["d1-01"]
    assert rt.correlator.index.story_of("d1-01") == alert.story


async def test_dispatch_publishes_outcomes_and_dead_letters_failures(tmp_path: Path) -> None:
    """Delivered alerts go to `alerts` with outcomes; an alert with a failed destination also
    goes to `alerts.dead` with the reason."""
    rt, _ = make_runtime(tmp_path)
    base = AlertRecord(
        alert_id="a-1",
        rule_id="r",
        story="s",
        article_ids=["x"],
        trigger_article_id="x",
        headline="h",
        url="https://e.com/x",
        impact=5,
        sources=1,
        entities=[],
        event_types=[],
        subscribers=["desk"],
        severity="high",
        fired_at=datetime(2026, 1, 1, tzinfo=UTC),
    )

    class Failing(FakeDispatcher):
        async def deliver(self, alert: AlertRecord, subscribers: Any, now: Any) -> AlertRecord:
            o = DeliveryOutcome(
                subscriber="desk",
                destination="d-1",
                shown_as="mailto://***",
                status="failed",
                attempts=5,
                error="connection refused",
            )
            return alert.model_copy(update={"outcomes": [o]})

    rt.dispatcher = Failing()
    await agents.dispatch_stage(
        rt, FakeStream([base.model_dump_json().encode(), b"junk"], "pending")
    )
    assert [k for k, _ in rt.topics.alerts.sent] == [b"a-1"]
    ((_, dead),) = [(k, v) for k, v in rt.topics.alerts_dead.sent if k == b"a-1"]
    assert "connection refused" in json.loads(dead)["reason"]
    ((_, junk),) = [(k, v) for k, v in rt.topics.alerts_dead.sent if k is None]
    assert json.loads(junk)["reason"] == "bad internal alert"


async def test_reload_with_new_entities_rebuilds_analyzer_in_background(tmp_path: Path) -> None:
    """A watchlist edit that adds an entity swaps in an analyzer that knows it; rules apply at
    once, and the analyzer is rebuilt off the event loop (the old one serves meanwhile)."""
    rt, _ = make_runtime(tmp_path)
    built: list[int] = []

    def build(w: Any) -> Analyzer:
        built.append(len(w.entities))
        return Analyzer.build(w.entities)

    rt._build_analyzer = build  # type: ignore[method-assign]
    old = rt.analyzer
    (tmp_path / "w.yaml").write_text(
        "version: 1\nentities:\n  - {id: zeta-works, name: Zeta Works, kind: company}\n"
        "subscribers:\n  - id: desk\n    notify: ['json://127.0.0.1:9/x']\n" + RULE
    )
    await rt.refresh(datetime(2030, 1, 1, tzinfo=UTC))
    assert [r.id for r in rt.watchlist.rules] == ["any-romarm"]
    assert rt._rebuild is not None
    await rt._rebuild
    assert built == [1] and rt.analyzer is not old
    art = ArticleEvent.model_validate({**ARTICLES[0], "title": "Zeta Works wins an order"})
    assert "zeta-works" in rt.analyzer.analyze(art).entities
