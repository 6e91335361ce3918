"""`make demo`: the whole pipeline on this machine, end to end, then what came out.

1. starts the local Kafka broker (deploy/local-kafka/up; cached jars after the first run),
2. starts local SMTP (:2525) and webhook (:8765) receivers for the example watchlist,
3. runs `signalfire worker` with deploy/watchlists/example.yaml on fresh demo topics,
4. publishes deploy/sample-articles.jsonl with `signalfire publish`,
5. waits for the alerts that `signalfire dry-run` predicts, prints them and what was delivered,
6. stops the worker (SIGTERM). The broker keeps running: `deploy/local-kafka/down` stops it.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from signalfire.testing.receivers import Received, SmtpReceiver, WebhookReceiver

ROOT = Path(__file__).resolve().parents[2]

WATCHLIST = ROOT / "deploy" / "watchlists" / "example.yaml"
ARTICLES = ROOT / "deploy" / "sample-articles.jsonl"
PORT = os.environ.get("KAFKA_PORT", "9092")
CLI = [sys.executable, "-m", "signalfire.cli"]


def say(msg: str) -> None:
    print(f"\033[1m==> {msg}\033[0m" if sys.stdout.isatty() else f"==> {msg}", flush=True)


def main() -> int:
    tag = time.strftime("%Y%m%d%H%M%S")
    env = {
        **os.environ,
        "SMTP_PASSWORD": os.environ.get("SMTP_PASSWORD", "demo-password"),
        "SIGNALFIRE_KAFKA": os.environ.get("SIGNALFIRE_KAFKA", f"127.0.0.1:{PORT}"),
        "SIGNALFIRE_APP_ID": f"signalfire-demo-{tag}",
        "SIGNALFIRE_LOG_FORMAT": "json",
        # The ops server (/metrics, /healthz, /readyz) only when asked: 9108 may be taken.
        "SIGNALFIRE_OPS_PORT": os.environ.get("SIGNALFIRE_OPS_PORT", "0"),
        "PYTHONUNBUFFERED": "1",
    }
    for role, name in {
        "ARTICLES": "articles",
        "ARTICLES_DEAD": "articles.dead",
        "ANALYZED": "articles.analyzed",
        "ALERTS": "alerts",
        "ALERTS_DEAD": "alerts.dead",
        "FINDINGS": "findings",
        "PENDING_ALERTS": "alerts.pending",
    }.items():
        env[f"SIGNALFIRE_TOPICS__{role}"] = f"demo-{tag}.{name}"

    if broker_answers(env["SIGNALFIRE_KAFKA"]):
        say(f"using the Kafka broker already answering at {env['SIGNALFIRE_KAFKA']}")
    else:
        say(f"starting the local Kafka broker on 127.0.0.1:{PORT}")
        up = subprocess.run([str(ROOT / "deploy/local-kafka/up")], env={**env, "KAFKA_PORT": PORT})
        if up.returncode != 0:
            say("the broker did not start (see above); set KAFKA_PORT to use another port")
            return 1

    say("validating the example watchlist (signalfire check)")
    subprocess.run([*CLI, "check", "--watchlist", str(WATCHLIST)], check=True, env=env)

    say("predicting alerts (signalfire dry-run)")
    dry = subprocess.run(
        [*CLI, "dry-run", "--watchlist", str(WATCHLIST), str(ARTICLES)],
        check=True,
        env=env,
        capture_output=True,
    )
    expected = [json.loads(line) for line in dry.stdout.decode().splitlines() if line.strip()]
    print(f"    {len(expected)} alert(s) expected from {sum(1 for _ in ARTICLES.open())} articles")

    received = Received()
    smtp = SmtpReceiver(received, 2525).start()
    http = WebhookReceiver(received, 8765).start()
    say("local receivers: SMTP 127.0.0.1:2525, webhook http://127.0.0.1:8765/hook")

    log_path = ROOT / ".local" / f"demo-worker-{tag}.log"
    log_path.parent.mkdir(parents=True, exist_ok=True)
    say(f"starting the worker (log: {log_path.relative_to(ROOT)})")
    worker = subprocess.Popen(
        [*CLI, "worker", "--watchlist", str(WATCHLIST)],
        env=env,
        stdout=log_path.open("wb"),
        stderr=subprocess.STDOUT,
    )
    try:
        wait_for_topic(env, env["SIGNALFIRE_TOPICS__ARTICLES"], worker, timeout=90)
        say("publishing sample articles (signalfire publish)")
        subprocess.run([*CLI, "publish", "--no-progress", str(ARTICLES)], check=True, env=env)
        say("waiting for the alerts to be delivered")
        alerts = wait_for_alerts(env, len(expected), timeout=180)
    finally:
        worker.send_signal(signal.SIGTERM)
        code = worker.wait(timeout=90)
        smtp.stop()
        http.stop()
    show(alerts, received)
    say(f"worker stopped with exit code {code}; the broker still runs (deploy/local-kafka/down)")
    return 0 if alerts or not expected else 1


def broker_answers(bootstrap: str) -> bool:
    from kafka.admin import KafkaAdminClient

    try:
        KafkaAdminClient(bootstrap_servers=bootstrap, request_timeout_ms=3000).close()
        return True
    except Exception:
        return False


def wait_for_topic(
    env: dict[str, str], topic: str, worker: subprocess.Popen[bytes], timeout: float
) -> None:
    """The worker creates its topics at start-up; publish once they exist."""
    from kafka.admin import KafkaAdminClient

    admin = KafkaAdminClient(bootstrap_servers=env["SIGNALFIRE_KAFKA"])
    try:
        deadline = time.monotonic() + timeout
        while topic not in admin.list_topics():
            if worker.poll() is not None or time.monotonic() > deadline:
                raise SystemExit("the worker did not start; see its log under .local/")
            time.sleep(0.5)
    finally:
        admin.close()


def wait_for_alerts(env: dict[str, str], n: int, timeout: float) -> list[dict[str, object]]:
    from kafka import KafkaConsumer

    consumer = KafkaConsumer(
        env["SIGNALFIRE_TOPICS__ALERTS"],
        bootstrap_servers=env["SIGNALFIRE_KAFKA"],
        auto_offset_reset="earliest",
        consumer_timeout_ms=1000,
    )
    alerts: list[dict[str, object]] = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and len(alerts) < n:
        alerts.extend(json.loads(m.value) for m in consumer)
    consumer.close()
    return alerts


def describe(outcome: dict[str, object]) -> str:
    """'desk:sent' or 'analysts:deferred (digest until 21:00Z)'."""
    text = f"{outcome['subscriber']}:{outcome['status']}"
    if outcome.get("hold_reason"):
        text += f" ({outcome['hold_reason']} until {str(outcome.get('held_until'))[11:16]}Z)"
    return text


def show(alerts: list[dict[str, object]], received: Received) -> None:
    say(f"{len(alerts)} alert(s) on the alerts topic")
    for a in alerts:
        outcomes = a.get("outcomes") or []
        status = ", ".join(describe(o) for o in outcomes)  # type: ignore[union-attr]
        verified = (
            f"verified by {a['sources']} sources" if int(a["sources"]) > 1 else "single source"
        )  # type: ignore[call-overload]
        print(
            f"  [{str(a['severity']).upper():8}] impact {a['impact']:>2}  {a['rule_id']:<20} "
            f"{verified:<22} {str(a['headline'])[:70]}"
        )
        print(f"             delivery: {status}")
    say(f"receivers got {len(received.emails)} email(s), {len(received.webhooks)} webhook call(s)")
    for m in received.emails[:10]:
        print(f"  email to {', '.join(m.rcpt_tos)}: {m.subject}")
    for w in received.webhooks[:10]:
        print(f"  webhook: {str(w.get('title', w))[:100]}")


if __name__ == "__main__":
    sys.exit(main())
