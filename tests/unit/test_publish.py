"""`signalfire publish` with a fake producer: what is sent, what is skipped and reported."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from signalfire.stream.publish import publish

ROOT = Path(__file__).resolve().parents[2]
ARTICLE = json.loads((ROOT / "deploy/sample-articles.jsonl").read_text().splitlines()[0])


class Future:
    def __init__(self, error: Exception | None = None) -> None:
        self.error = error

    def get(self, timeout: float) -> None:
        if self.error:
            raise self.error


class FakeProducer:
    def __init__(self, fail_ids: set[str] = frozenset()) -> None:  # type: ignore[assignment]
        self.sent: list[tuple[str, bytes | None, bytes]] = []
        self.fail_ids = fail_ids
        self.flushed = False

    def send(self, topic: str, key: bytes | None, value: bytes) -> Future:
        self.sent.append((topic, key, value))
        failing = key is not None and key.decode() in self.fail_ids
        return Future(TimeoutError("no ack") if failing else None)

    def flush(self) -> None:
        self.flushed = True


def write(tmp_path: Path, lines: list[str]) -> str:
    path = tmp_path / "in.jsonl"
    path.write_text("\n".join(lines) + "\n")
    return str(path)


def test_good_lines_sent_as_is_keyed_by_id(tmp_path: Path) -> None:
    """Each article goes out with its id as key and the publisher's bytes unchanged."""
    line = json.dumps(ARTICLE, ensure_ascii=False)
    producer = FakeProducer()
    summary = publish(producer, "articles", [write(tmp_path, [line, ""])], progress=False)
    assert summary.ok and summary.published == 1 and producer.flushed
    assert producer.sent == [("articles", ARTICLE["id"].encode(), line.encode())]


def test_bad_lines_reported_with_line_numbers_and_skipped(tmp_path: Path) -> None:
    """Malformed and off-schema lines are named file:line with the reason; the rest is sent."""
    good = json.dumps(ARTICLE)
    path = write(tmp_path, ["{oops", good, json.dumps({"id": "x"})])
    producer = FakeProducer()
    summary = publish(producer, "articles", [path], progress=False)
    assert summary.published == 1 and not summary.ok
    assert summary.skipped[0].startswith(f"{path}:1: malformed JSON")
    assert summary.skipped[1].startswith(f"{path}:3: does not fit ArticleEvent v1")


def test_raw_mode_sends_everything(tmp_path: Path) -> None:
    """--raw sends even bad lines (to exercise the dead-letter path), unkeyed when no id."""
    producer = FakeProducer()
    summary = publish(producer, "t", [write(tmp_path, ["{oops"])], raw_mode=True, progress=False)
    assert summary.published == 1 and producer.sent == [("t", None, b"{oops")]


def test_labelled_lines_are_unwrapped(tmp_path: Path) -> None:
    """An eval line ({"article", "labels"}) publishes its article only."""
    producer = FakeProducer()
    line = json.dumps({"article": ARTICLE, "labels": {"impact": 3}})
    publish(producer, "t", [write(tmp_path, [line])], progress=False)
    assert json.loads(producer.sent[0][2]) == ARTICLE


def test_send_failures_are_counted(tmp_path: Path) -> None:
    """A send that the broker never acknowledges is a failure in the summary, not a success."""
    producer = FakeProducer(fail_ids={ARTICLE["id"]})
    summary: Any = publish(producer, "t", [write(tmp_path, [json.dumps(ARTICLE)])], progress=False)
    assert summary.published == 0 and len(summary.failed) == 1 and "no ack" in summary.failed[0]
