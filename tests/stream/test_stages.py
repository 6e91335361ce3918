"""The stream stages with in-memory fakes for faust's stream and topics (no Kafka): batches,
dead letters, produce retries, the unit of work, gaps, and the live watchlist."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from signalfire.analysis.analyzer import Analyzer
from signalfire.models.alert import AlertRecord
from signalfire.models.analysis import ArticleAnalysis
from signalfire.models.deadletter import MessageDeadLetter
from signalfire.models.story import StoryFeatures, StoryState
from signalfire.pipeline import Correlator
from signalfire.rules.reload import WatchlistHolder
from signalfire.stream.analyze import ANALYSIS_HEADER, STORY_HEADER, AnalyzeStage
from signalfire.stream.correlate import CorrelateStage
from signalfire.stream.dispatch import DispatchStage
from signalfire.stream.live import LiveWatchlist
from signalfire.stream.offsets import Heal, OffsetLedger
from signalfire.stream.stage import StageInput
from signalfire.stream.state import StagedMapping, UnitOfWork

ROOT = Path(__file__).resolve().parents[2]
ARTICLES = [json.loads(x) for x in (ROOT / "deploy/sample-articles.jsonl").read_text().splitlines()]
ANALYZER = Analyzer.build()


@dataclass(frozen=True)
class TP:
    topic: str
    partition: int


@dataclass
class Msg:
    topic: str
    partition: int
    offset: int
    key: bytes | None
    value: bytes | None
    headers: list[tuple[str, bytes]] = field(default_factory=list)

    @property
    def tp(self) -> TP:
        return TP(self.topic, self.partition)


@dataclass
class Event:
    message: Msg

    @property
    def value(self) -> bytes | None:
        return self.message.value


class FakeStream:
    """Yields the given messages as one batch (or one per `batch` events)."""

    def __init__(self, msgs: list[Msg], batch: int = 1000) -> None:
        self.msgs = msgs
        self.batch = batch

    async def take_events(self, size: int, within: float) -> AsyncIterator[list[Event]]:
        step = min(size, self.batch)
        for i in range(0, len(self.msgs), step):
            yield [Event(m) for m in self.msgs[i : i + step]]


def msgs(values: list[bytes | None], topic: str = "articles", start: int = 0) -> list[Msg]:
    return [Msg(topic, 0, start + i, None, v) for i, v in enumerate(values)]


class TooLarge(Exception):
    pass


TooLarge.__name__ = "MessageSizeTooLargeError"


@dataclass
class FakeTopic:
    name: str
    sent: list[tuple[bytes | None, bytes | None, list[tuple[str, bytes]]]] = field(
        default_factory=list
    )
    fail_times: int = 0
    max_bytes: int = 10**9

    def get_topic_name(self) -> str:
        return self.name

    async def send(
        self, *, key: bytes | None, value: bytes | None, headers: Any = None, force: bool = False
    ) -> Any:
        assert force, "outputs must be sent now, not attached to faust's offset commit"
        if self.fail_times:
            self.fail_times -= 1
            raise ConnectionError("broker away")
        if value is not None and len(value) > self.max_bytes:
            raise TooLarge(f"{len(value)} bytes")
        self.sent.append((key, value, list(headers or [])))

        async def done() -> None:
            return None

        return done()

    def values(self) -> list[Any]:
        return [json.loads(v) for _, v, _ in self.sent if v is not None]


def stage_input(topic: str, heals: list[Heal] | None = None) -> StageInput:
    ledger: OffsetLedger[Any] = OffsetLedger()
    ledger.assign({TP(topic, 0): 0})

    async def heal(h: Heal) -> None:
        (heals if heals is not None else []).append(h)

    async def ensure(tps: set[Any]) -> None:
        return None

    return StageInput(topic, ledger, heal, ensure)


def analyze_stage(
    inp: StageInput | None = None, analyzer: Any = ANALYZER, max_original: int = 65536
) -> tuple[AnalyzeStage, FakeTopic, FakeTopic]:
    findings, dead = FakeTopic("findings"), FakeTopic("articles.dead")
    stage = AnalyzeStage(
        inp or stage_input("articles"), lambda: analyzer, findings, dead, max_original
    )
    return stage, findings, dead


async def test_analyze_dead_letters_bad_input_carries_originals_once_and_goes_on() -> None:
    """Malformed JSON, a wrong schema, an empty value and a tombstone are dead-lettered with
    their originals (once: text when UTF-8, base64 otherwise) and coordinates; the good
    article after them becomes a findings message carrying its own bytes and the analysis."""
    stage, findings, dead = analyze_stage()
    good = json.dumps(ARTICLES[0]).encode()
    bad: list[bytes | None] = [b"\xff\xfe not json", b'{"id": "x"}', b"", None]
    await stage.run(FakeStream(msgs([*bad, good])))
    letters = [MessageDeadLetter.model_validate(d) for d in dead.values()]
    assert [letter.original() for letter in letters] == bad
    assert letters[0].original_b64 is not None and letters[0].original_text is None
    assert letters[1].original_text == '{"id": "x"}' and letters[1].original_b64 is None
    assert [letter.value_kind for letter in letters] == ["bytes", "bytes", "empty", "null"]
    assert [letter.offset for letter in letters] == [0, 1, 2, 3]
    assert letters[1].reason == "does not fit ArticleEvent v1"
    ((key, value, headers),) = findings.sent
    assert key == ARTICLES[0]["id"].encode() and value == good
    assert ArticleAnalysis.model_validate_json(dict(headers)[ANALYSIS_HEADER])
    assert StoryFeatures.model_validate_json(dict(headers)[STORY_HEADER]).terms
    assert stage.input.ledger.committable() == {TP("articles", 0): 5}


async def test_oversized_poison_is_truncated_with_hash_and_provenance() -> None:
    """A 600 KB message nested 100,000 deep becomes a dead letter of about the configured
    size, with its length and SHA-256, that the broker accepts."""
    stage, _findings, dead = analyze_stage(max_original=1024)
    poison = b"[" * 100_000 + b"]" * 100_000 + b" " * 400_000
    await stage.run(FakeStream(msgs([poison])))
    ((_, value, _),) = dead.sent
    assert value is not None and len(value) < 4000
    letter = MessageDeadLetter.model_validate_json(value)
    assert letter.truncated and letter.original_size == len(poison)
    assert letter.original_sha256 and letter.topic == "articles" and letter.offset == 0
    with pytest.raises(ValueError, match="fetch articles"):
        letter.original()


async def test_dead_letter_the_broker_refuses_falls_back_to_a_minimal_letter() -> None:
    """If even the truncated letter is refused, a minimal one (reason and provenance) is
    written instead; the stage never retries it forever."""
    stage, _findings, dead = analyze_stage()
    dead.max_bytes = 2000
    await stage.run(FakeStream(msgs([b"x" * 50_000])))
    ((_, value, _),) = dead.sent
    letter = MessageDeadLetter.model_validate_json(value or b"")
    assert letter.minimal and letter.original_text is None and letter.original_size == 50_000


async def test_analysis_crash_is_dead_lettered_not_fatal() -> None:
    """An exception inside the analysis of one article dead-letters it; the next one passes."""
    calls = {"n": 0}

    class Flaky:
        def analyze(self, article: Any) -> Any:
            calls["n"] += 1
            if calls["n"] == 1:
                raise RuntimeError("boom")
            return ANALYZER.analyze(article)

    stage, findings, dead = analyze_stage(analyzer=Flaky())
    await stage.run(FakeStream(msgs([json.dumps(a).encode() for a in ARTICLES[:2]])))
    (letter,) = dead.values()
    assert letter["reason"] == "analysis failed: RuntimeError"
    assert len(findings.sent) == 1


async def test_outputs_are_retried_until_the_broker_takes_them(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A transient produce failure is retried (never dropped), and the input becomes
    committable only after the output is acknowledged."""
    stage, findings, _dead = analyze_stage()
    findings.fail_times = 2
    sleeps: list[float] = []

    async def no_sleep(d: float) -> None:
        sleeps.append(d)
        assert stage.input.ledger.committable() == {}, "not durable yet"

    monkeypatch.setattr("signalfire.stream.produce.asyncio.sleep", no_sleep)
    await stage.run(FakeStream(msgs([json.dumps(ARTICLES[0]).encode()])))
    assert len(findings.sent) == 1 and sleeps == [0.5, 1.0]
    assert stage.input.ledger.committable() == {TP("articles", 0): 1}


async def test_output_the_broker_can_never_take_dead_letters_its_input() -> None:
    """A findings message over the broker's limit is not retried forever: its input is
    dead-lettered with the reason and the stage moves on."""
    stage, findings, dead = analyze_stage()
    findings.max_bytes = 10
    await stage.run(FakeStream(msgs([json.dumps(ARTICLES[0]).encode()])))
    (letter,) = dead.values()
    assert letter["reason"] == "findings not writable"
    assert "MessageSizeTooLargeError" in letter["errors"][0]
    assert stage.input.ledger.committable() == {TP("articles", 0): 1}


async def test_a_jump_in_offsets_is_not_processed_and_asks_to_heal() -> None:
    """Offsets 0..4 never arrive, 5.. do: nothing is processed or committed past 0, and the
    stage asks the committer to heal the partition from 0."""
    heals: list[Heal] = []
    stage, findings, _dead = analyze_stage(stage_input("articles", heals))
    values: list[bytes | None] = [json.dumps(a).encode() for a in ARTICLES[:2]]
    await stage.run(FakeStream(msgs(values, start=5)))
    await asyncio.sleep(0)  # the heal runs as a task
    assert findings.sent == [] and stage.input.ledger.committable() == {}
    assert [(h.expected, h.got) for h in heals] == [(0, 5)]


def make_correlate(
    tmp_path: Path, rules: str = ""
) -> tuple[CorrelateStage, dict[str, FakeTopic], dict[str, Any]]:
    wl = tmp_path / "w.yaml"
    wl.write_text(
        "version: 1\nsubscribers:\n  - id: desk\n    notify: ['json://127.0.0.1:9/x']\n" + rules
    )
    holder = WatchlistHolder([wl], {}, None)
    tables: dict[str, Any] = {"stories": {}}
    stories: StagedMapping[StoryState] = StagedMapping(tables["stories"])
    correlator = Correlator(stories, lambda: holder.current.watchlist, window=timedelta(days=14))
    topics = {n: FakeTopic(n) for n in ("analyzed", "pending", "dead")}
    stage = CorrelateStage(
        stage_input("findings"),
        correlator,
        UnitOfWork([stories], correlator.index.invalidate),
        topics["analyzed"],
        topics["pending"],
        topics["dead"],
        65536,
    )
    return stage, topics, tables


RULE = """rules:
  - id: any-romarm
    when: {entities: {any: [romarm]}}
    notify: [desk]
"""


def findings_msgs(articles: list[dict[str, Any]]) -> list[Msg]:
    out = []
    for i, a in enumerate(articles):
        raw = json.dumps(a).encode()
        from signalfire.models.article import ArticleEvent

        analysis = ANALYZER.analyze(ArticleEvent.model_validate(a)).model_dump_json().encode()
        out.append(Msg("findings", 0, i, a["id"].encode(), raw, [(ANALYSIS_HEADER, analysis)]))
    return out


async def test_correlate_dedupes_fires_once_and_writes_state_after_outputs(tmp_path: Path) -> None:
    """Story state reaches the tables only after the outputs were acknowledged; a re-sent
    article id produces nothing; a rule fires once per story."""
    stage, topics, tables = make_correlate(tmp_path, RULE)
    romarm = next(a for a in ARTICLES if a["id"] == "d1-01")
    seen_at_send: list[int] = []
    real_send = topics["analyzed"].send

    async def watching(**kw: Any) -> Any:
        seen_at_send.append(len(tables["stories"]))
        return await real_send(**kw)

    topics["analyzed"].send = watching  # type: ignore[method-assign]
    await stage.run(FakeStream(findings_msgs([romarm, romarm])))
    assert seen_at_send == [0], "state is written after the outputs, not before"
    assert [k for k, _, _ in topics["analyzed"].sent] == [b"d1-01"]
    (alert_raw,) = [v for _, v, _ in topics["pending"].sent]
    alert = AlertRecord.model_validate_json(alert_raw or b"")
    assert alert.rule_id == "any-romarm" and alert.article_ids == ["d1-01"]
    assert list(tables["stories"]) == [alert.story]
    assert tables["stories"][alert.story].article_ids == ["d1-01"]
    assert stage.correlator.index.story_of("d1-01") == alert.story
    record = topics["analyzed"].values()[0]
    assert record["analysis"]["story_members"][0]["url"] == romarm["url"]


async def test_correlate_failure_of_one_article_rolls_back_only_that_article(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A correlation error dead-letters its article; the other articles of the batch keep
    their story state and outputs."""
    stage, topics, tables = make_correlate(tmp_path)
    real = stage.correlator.correlate

    def flaky(article: Any, analysis: Any, now: Any, features: Any = None) -> Any:
        if article.id == ARTICLES[1]["id"]:
            stage.correlator.index.stories["junk"] = "half-written"  # type: ignore[assignment]
            raise RuntimeError("boom")
        return real(article, analysis, now, features)

    monkeypatch.setattr(stage.correlator, "correlate", flaky)
    await stage.run(FakeStream(findings_msgs(ARTICLES[:3])))
    assert len(topics["analyzed"].sent) == 2
    (letter,) = topics["dead"].values()
    assert letter["reason"] == "correlation failed: RuntimeError"
    assert "junk" not in tables["stories"]
    placed = [stage.correlator.index.story_of(a["id"]) for a in ARTICLES[:3]]
    assert placed[0] is not None and placed[1] is None and placed[2] is not None


async def test_correlate_bad_internal_message_is_dead_lettered(tmp_path: Path) -> None:
    stage, topics, _ = make_correlate(tmp_path)
    await stage.run(FakeStream([Msg("findings", 0, 0, None, b"{}", [])]))
    (letter,) = topics["dead"].values()
    assert letter["reason"] == "bad internal message" and letter["stage"] == "correlate"


class RecordingDelivery:
    def __init__(self) -> None:
        self.accepted: list[str] = []

    async def accept(self, alert: AlertRecord) -> None:
        self.accepted.append(alert.alert_id)


async def test_dispatch_accepts_alerts_and_dead_letters_junk() -> None:
    """Pending alerts go to the delivery service (which never blocks the stage); a corrupt
    one becomes a message dead letter on alerts.dead."""
    alert = AlertRecord(
        alert_id="a-1", rule_id="r", story="s", article_ids=["x"], trigger_article_id="x",
        headline="h", url="https://e.com/x", impact=5, sources=1, subscribers=["desk"],
        severity="high", fired_at=datetime(2026, 1, 1, tzinfo=UTC),
    )  # fmt: skip
    delivery, dead = RecordingDelivery(), FakeTopic("alerts.dead")
    stage = DispatchStage(stage_input("pending"), delivery, dead, 65536)  # type: ignore[arg-type]
    await stage.run(FakeStream(msgs([alert.model_dump_json().encode(), b"junk"], "pending")))
    assert delivery.accepted == ["a-1"]
    (letter,) = dead.values()
    assert letter["kind"] == "message" and letter["reason"] == "bad internal alert"
    assert stage.input.ledger.committable() == {TP("pending", 0): 2}


async def test_live_watchlist_rebuilds_the_analyzer_off_the_loop(tmp_path: Path) -> None:
    """A watchlist edit that adds an entity swaps in an analyzer that knows it; the rules
    apply at once; the parse and the build run in a worker thread."""
    import threading

    wl = tmp_path / "w.yaml"
    wl.write_text("version: 1\n")
    built: list[tuple[int, bool]] = []

    def build(w: Any) -> Analyzer:
        built.append((len(w.entities), threading.current_thread() is threading.main_thread()))
        return Analyzer.build(w.entities)

    live = LiveWatchlist(WatchlistHolder([wl], {}, None), build)
    old = live.analyzer
    wl.write_text(
        "version: 1\nentities:\n  - {id: zeta-works, name: Zeta Works, kind: company}\n"
        "subscribers:\n  - id: desk\n    notify: ['json://127.0.0.1:9/x']\n" + RULE
    )
    await live.refresh(datetime(2030, 1, 1, tzinfo=UTC))
    assert [r.id for r in live.watchlist.rules] == ["any-romarm"]
    assert built[-1] == (1, False) and live.analyzer is not old and live.generation == 2
    from signalfire.models.article import ArticleEvent

    art = ArticleEvent.model_validate({**ARTICLES[0], "title": "Zeta Works wins an order"})
    assert "zeta-works" in live.analyzer.analyze(art).entities
    wl.write_text("version: 1\nrules: [oops\n")
    await live.refresh(datetime(2030, 1, 2, tzinfo=UTC))
    assert live.last_reload == "failed" and [r.id for r in live.watchlist.rules] == ["any-romarm"]
