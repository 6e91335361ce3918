"""What `signalfire redrive` does with each kind of dead letter (the pure planning part; the
Kafka loop is exercised end to end in tests/integration/test_alerting_e2e.py)."""

from __future__ import annotations

from datetime import UTC, datetime

from signalfire.models.alert import DeliveryOutcome
from signalfire.models.deadletter import AlertDeadLetter, MessageDeadLetter
from signalfire.settings import Settings
from signalfire.stream.redrive import plan
from tests.unit.delivery_support import make_alert

NOW = datetime(2026, 3, 13, tzinfo=UTC)
SETTINGS = Settings()


def alert_letter() -> bytes:
    failed = DeliveryOutcome(
        subscriber="desk",
        destination="d-1",
        shown_as="mailto://x",
        status="failed",
        attempts=9,
        error="refused",
    )
    alert = make_alert("al-9").model_copy(update={"outcomes": [failed]})
    return (
        AlertDeadLetter(reason="delivery failed", dead_at=NOW, alert=alert)
        .model_dump_json()
        .encode()
    )


def message_letter(raw: bytes | None, **kw: object) -> bytes:
    letter = MessageDeadLetter.for_bytes(
        raw,
        reason="analysis failed: KeyError",
        stage="analyze",
        failed_at=NOW,
        key=b"k1",
        topic="articles",
        partition=2,
        offset=40,
        **kw,
    )  # type: ignore[arg-type]
    return letter.model_dump_json().encode()


def test_an_alert_goes_back_to_pending_alerts_without_its_old_outcomes() -> None:
    action = plan("alerts", SETTINGS, 0, 5, alert_letter())
    assert action.skip is None and action.target == SETTINGS.topics.pending_alerts
    assert action.key == b"al-9" and b'"outcomes":[]' in (action.value or b"")


def test_a_message_letter_on_alerts_dead_is_skipped_with_the_reason() -> None:
    action = plan("alerts", SETTINGS, 0, 6, message_letter(b"junk"))
    assert action.skip == "not an alert"


def test_an_article_letter_goes_back_to_the_articles_topic_with_its_bytes() -> None:
    action = plan("articles", SETTINGS, 1, 7, message_letter(b'{"id": "a"}'))
    assert (action.target, action.key, action.value) == (
        SETTINGS.topics.articles,
        b"k1",
        b'{"id": "a"}',
    )


def test_a_truncated_letter_is_fetched_from_its_source() -> None:
    """Only part of the original is in the letter: the whole is read at its coordinates."""
    raw = b"x" * 5000
    fetched: list[tuple[str, int, int]] = []

    def fetch(topic: str, partition: int, offset: int) -> bytes | None:
        fetched.append((topic, partition, offset))
        return raw

    action = plan("articles", SETTINGS, 0, 8, message_letter(raw, max_original=100), fetch=fetch)
    assert fetched == [("articles", 2, 40)] and action.value == raw
    gone = plan(
        "articles",
        SETTINGS,
        0,
        8,
        message_letter(raw, max_original=100),
        fetch=lambda t, p, o: None,
    )
    assert gone.skip == "the source message is gone (retention)"


def test_tombstones_unreadable_letters_and_other_reasons_are_skipped() -> None:
    assert plan("articles", SETTINGS, 0, 1, message_letter(None)).skip
    assert plan("articles", SETTINGS, 0, 2, b"\xff not json").skip == "not JSON"
    chosen = plan("articles", SETTINGS, 0, 3, message_letter(b"{}"), reason="does not fit")
    assert chosen.skip is not None and "does not fit" in chosen.skip
    picked = plan("articles", SETTINGS, 0, 4, message_letter(b"{}"), reason="KEYERROR")
    assert picked.skip is None
