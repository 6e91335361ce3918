"""Alerts end to end: real broker, worker subprocess, real SMTP (aiosmtpd) and HTTP receivers."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from signalfire.testing.receivers import Received, SmtpReceiver, WebhookReceiver, free_port
from tests.integration.kafkatools import WorkerProcess, produce, read_topic, run_cli

pytestmark = pytest.mark.integration
ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "s3cret-Smtp-Passw0rd"
DEV = {
    json.loads(line)["article"]["id"]: json.loads(line)["article"]
    for line in (ROOT / "tests/data/dev.jsonl").read_text().splitlines()
}

WATCHLIST = """\
version: 1
subscribers:
  - id: desk
    notify:
      - "json://127.0.0.1:{http}/hook"
      - "mailto://alerts:${{SMTP_PASSWORD}}@127.0.0.1:{smtp}?from=alerts@example.com&to=desk@example.com&mode=insecure"
rules:
  - id: romarm-news
    description: Anything about ROMARM
    when:
      entities: {{any: [romarm]}}
    notify: [desk]
    severity: high
{extra}"""

SAAB_RULE = """\
  - id: saab-news
    when:
      entities: {any: [saab]}
    notify: [desk]
    severity: low
"""


def wait_until(predicate: object, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():  # type: ignore[operator]
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


def send(env: dict[str, str], article_id: str) -> None:
    article = DEV[article_id]
    produce(env, "articles", [json.dumps(article).encode()], keys=[article_id.encode()])


@pytest.fixture
def receivers() -> Iterator[tuple[Received, SmtpReceiver, WebhookReceiver]]:
    received = Received()
    smtp = SmtpReceiver(received, free_port()).start()
    http = WebhookReceiver(received, 0).start()
    yield received, smtp, http
    smtp.stop()
    http.stop()


def test_alerts_once_retries_dead_letters_secrets_and_hot_reload(
    isolated_env: dict[str, str],
    tmp_path: Path,
    receivers: tuple[Received, SmtpReceiver, WebhookReceiver],
) -> None:
    """An alert reaches Slack-like webhook and email exactly once; a re-sent article sends
    nothing; SMTP down then up is retried to one delivery; SMTP down for the whole budget puts
    the alert on alerts.dead; a watchlist edit applies without restart; the SMTP password is in
    no log line and no topic."""
    received, smtp, http = receivers
    env = {
        **isolated_env,
        "SMTP_PASSWORD": PASSWORD,
        "SIGNALFIRE_DELIVERY_MAX_ATTEMPTS": "4",
        "SIGNALFIRE_DELIVERY_BASE_DELAY": "0.5",
        "SIGNALFIRE_DELIVERY_MAX_DELAY": "2",
    }
    watchlist = tmp_path / "watchlist.yaml"
    watchlist.write_text(WATCHLIST.format(http=http.port, smtp=smtp.port, extra=""))
    worker = WorkerProcess(env, [watchlist], tmp_path / "worker.log").start()
    try:
        # 1. One alert, delivered once to each destination.
        send(env, "d1-01")
        wait_until(
            lambda: len(received.emails) == 1 and len(received.webhooks) == 1, 90, "first alert"
        )
        mail = received.emails[0]
        assert mail.rcpt_tos == ["desk@example.com"]
        assert "HIGH" in mail.subject.upper() and "impact" in mail.subject.lower()
        assert mail.html and "romania" in mail.html.lower()

        # 2. The same article again (same id): nothing is sent.
        send(env, "d1-01")
        time.sleep(4)
        assert len(received.emails) == 1 and len(received.webhooks) == 1

        # 3. SMTP down, then back within the retry budget: one email, one webhook, no repeats.
        smtp.stop()
        send(env, "d1-04")
        wait_until(lambda: len(received.webhooks) == 2, 30, "webhook while SMTP is down")
        time.sleep(0.7)
        smtp.start()
        wait_until(lambda: len(received.emails) == 2, 30, "email after SMTP came back")
        time.sleep(3)
        assert len(received.emails) == 2 and len(received.webhooks) == 2

        # 4. SMTP down for the whole budget: the alert goes to alerts.dead, webhook still sent.
        smtp.stop()
        send(env, "d1-11")
        dead = read_topic(env, "alerts_dead", expect=1, timeout=60)
        assert len(dead) == 1
        dead_value = json.loads(dead[0].value)
        assert dead_value["alert"]["rule_id"] == "romarm-news"
        assert any(o["status"] == "failed" for o in dead_value["alert"]["outcomes"])
        assert len(received.webhooks) == 3
        smtp.start()

        # 4b. Redrive: a dry run shows the alert and sends nothing; the real run delivers the
        # e-mail once (the webhook, already sent, is not repeated); a second run has nothing.
        emails = len(received.emails)
        dry = run_cli(env, "redrive", "--dry-run")
        assert dry.returncode == 0, dry.stderr.decode()
        (line,) = [json.loads(x) for x in dry.stdout.splitlines()]
        assert line["action"] == "send" and dead_value["alert"]["alert_id"] in line["what"]
        time.sleep(3)
        assert len(received.emails) == emails
        real = run_cli(env, "redrive")
        assert real.returncode == 0 and b"sent 1" in real.stderr, real.stderr.decode()
        wait_until(lambda: len(received.emails) == emails + 1, 60, "redriven e-mail")
        again = run_cli(env, "redrive")
        assert b"sent 0" in again.stderr, again.stderr.decode()
        time.sleep(2)
        assert len(received.emails) == emails + 1 and len(received.webhooks) == 3

        # 5. Hot reload: a saab article before the edit fires nothing; after it, one does.
        send(env, "d2-12")
        time.sleep(4)
        webhooks_before = len(received.webhooks)
        watchlist.write_text(WATCHLIST.format(http=http.port, smtp=smtp.port, extra=SAAB_RULE))
        wait_until(lambda: "watchlist.reloaded" in worker.log_text(), 30, "reload")
        send(env, "d2-14")
        wait_until(lambda: len(received.webhooks) == webhooks_before + 1, 60, "saab alert")
        assert "saab-news" in json.dumps(received.webhooks[-1])

        # 6. A broken edit keeps the last good watchlist.
        watchlist.write_text("version: 1\nrules: [oops\n")
        wait_until(lambda: "watchlist.reload_failed" in worker.log_text(), 30, "reload failure")
    finally:
        assert worker.stop() == 0, worker.log_text()[-3000:]

    alerts = read_topic(env, "alerts", expect=5, timeout=30, settle=2)
    records = [json.loads(m.value) for m in alerts]
    latest = {r["alert_id"]: r for r in records}  # the redriven alert has a second record
    assert len(records) == 5 and len(latest) == 4
    assert sorted(r["rule_id"] for r in latest.values()) == ["romarm-news"] * 3 + ["saab-news"]
    redriven = latest[dead_value["alert"]["alert_id"]]
    assert {o["status"] for o in redriven["outcomes"]} == {"sent"}
    first = next(r for r in records if r["trigger_article_id"] == "d1-01")
    assert {o["status"] for o in first["outcomes"]} == {"sent"}

    # The password is nowhere: not in logs, not on any topic.
    assert PASSWORD not in worker.log_text()
    for role in ("alerts", "alerts_dead", "analyzed", "pending_alerts", "articles_dead"):
        for msg in read_topic(env, role, expect=0, timeout=3):
            assert PASSWORD.encode() not in (msg.value or b""), role
