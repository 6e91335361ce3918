"""The worker against the real broker: ingest, dead letters, dedupe, shutdown and restart."""

from __future__ import annotations

import json
import signal
import time
from pathlib import Path

import pytest

from signalfire.models.deadletter import MessageDeadLetter
from tests.integration.kafkatools import WorkerProcess, produce, read_topic, run_cli

pytestmark = pytest.mark.integration
ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "deploy" / "sample-articles.jsonl"
EMPTY_WATCHLIST = "version: 1\n"


def sample_lines(n: int) -> list[bytes]:
    return [line.encode() for line in SAMPLE.read_text().splitlines()[:n]]


@pytest.fixture
def watchlist(tmp_path: Path) -> Path:
    path = tmp_path / "watchlist.yaml"
    path.write_text(EMPTY_WATCHLIST)
    return path


def test_articles_flow_bad_messages_dead_letter_and_restart(
    isolated_env: dict[str, str], watchlist: Path, tmp_path: Path
) -> None:
    """Every sample article reaches articles.analyzed once; malformed JSON, a missing field and
    a bad timestamp reach articles.dead with their original bytes; a re-sent id is processed
    once; SIGTERM exits 0 and a restart re-processes nothing."""
    env = isolated_env
    good = sample_lines(8)
    publish = run_cli(env, "publish", "--no-progress", "-", stdin=b"\n".join(good) + b"\n")
    assert publish.returncode == 0, publish.stderr.decode()
    assert b"published 8" in publish.stderr

    article = json.loads(good[0])
    missing = {k: v for k, v in article.items() if k != "title"} | {"id": "bad-missing"}
    bad_ts = article | {"id": "bad-ts", "published_at": "13/03/2026 09:30"}
    bad = [b'{"id": "broken", "title": ', json.dumps(missing).encode(), json.dumps(bad_ts).encode()]
    produce(
        env,
        "articles",
        [*bad, good[0]],
        keys=[None, b"bad-missing", b"bad-ts", article["id"].encode()],
    )

    worker = WorkerProcess(env, [watchlist], tmp_path / "worker1.log").start()
    try:
        analyzed = read_topic(env, "analyzed", expect=8, timeout=120, settle=3)
        dead = read_topic(env, "articles_dead", expect=3, timeout=30)
        health = Path(env["SIGNALFIRE_DATA_DIR"]) / "heartbeat.json"
        deadline = time.monotonic() + 30
        while not health.exists() and time.monotonic() < deadline:
            time.sleep(0.5)
        assert run_cli(env, "healthcheck").returncode == 0, "a running worker is healthy"
    finally:
        code = worker.stop(signal.SIGTERM)
    assert code == 0, worker.log_text()[-3000:]

    ids = [json.loads(m.value)["article"]["id"] for m in analyzed]
    assert sorted(ids) == sorted(json.loads(g)["id"] for g in good), "each article exactly once"
    for m in analyzed:
        rec = json.loads(m.value)["analysis"]
        assert rec["article_id"] == json.loads(m.value)["article"]["id"]
        assert 1 <= rec["impact"] <= 10 and rec["story"] and rec["sources"] >= 1
        assert m.key == rec["article_id"].encode()

    letters = [json.loads(m.value) for m in dead]
    originals = {MessageDeadLetter.model_validate(d).original() for d in letters}
    assert originals == set(bad), "dead letters carry the original bytes"
    assert all(d["original_b64"] is None for d in letters), "UTF-8 originals are kept once"
    reasons = {d["original_text"]: d for d in letters}
    assert reasons[bad[0].decode()]["reason"] == "malformed JSON"
    assert any("title" in e for e in reasons[bad[1].decode()]["errors"])
    assert any("published_at" in e for e in reasons[bad[2].decode()]["errors"])
    assert all(d["topic"] and d["offset"] is not None for d in letters)

    # Restart: nothing already done is processed again; a new article is.
    new = json.loads(sample_lines(9)[8])
    produce(env, "articles", [json.dumps(new).encode()], keys=[new["id"].encode()])
    worker2 = WorkerProcess(env, [watchlist], tmp_path / "worker2.log").start()
    try:
        analyzed2 = read_topic(env, "analyzed", expect=9, timeout=120, settle=5)
        dead2 = read_topic(env, "articles_dead", expect=3, timeout=10, settle=1)
    finally:
        assert worker2.stop(signal.SIGINT) == 0, worker2.log_text()[-3000:]
    ids2 = [json.loads(m.value)["article"]["id"] for m in analyzed2]
    assert len(ids2) == 9 and ids2.count(new["id"]) == 1
    assert len(dead2) == 3
    events = [e.get("event") for e in worker2.log_events()]
    assert "offsets.final_commit" in events


def test_worker_refuses_a_multi_partition_internal_topic(
    isolated_env: dict[str, str], watchlist: Path, tmp_path: Path
) -> None:
    """A pending-alerts topic auto-created with several partitions would split the outbox
    between workers: the worker refuses to start and says how to fix it."""
    from kafka.admin import KafkaAdminClient, NewTopic

    env = isolated_env
    admin = KafkaAdminClient(bootstrap_servers=env["SIGNALFIRE_KAFKA"])
    try:
        admin.create_topics([NewTopic(env["SIGNALFIRE_TOPICS__PENDING_ALERTS"], 4, 1)])
    finally:
        admin.close()
    worker = WorkerProcess(env, [watchlist], tmp_path / "worker.log").start()
    assert worker.proc is not None
    assert worker.proc.wait(timeout=120) == 2
    text = worker.log_text()
    assert "has 4 partitions" in text and "exactly 1" in text
