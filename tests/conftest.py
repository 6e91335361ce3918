"""Shared fixtures: the real local broker for integration tests (started by the project's own
deploy/local-kafka/up), and per-test topic/app isolation."""

from __future__ import annotations

import os
import subprocess
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data"
TEST_KAFKA_PORT = int(os.environ.get("SIGNALFIRE_TEST_KAFKA_PORT", "19092"))
# The same broker also listens for SASL_SSL (tests/integration/test_secured_kafka.py).
TEST_KAFKA_SASL_PORT = int(
    os.environ.get("SIGNALFIRE_TEST_KAFKA_SASL_PORT", str(TEST_KAFKA_PORT + 2))
)


def _broker_answers(bootstrap: str) -> bool:
    from kafka.admin import KafkaAdminClient

    try:
        KafkaAdminClient(bootstrap_servers=bootstrap, request_timeout_ms=3000).close()
        return True
    except Exception:
        return False


@pytest.fixture(scope="session")
def kafka_bootstrap() -> Iterator[str]:
    """A real single-node KRaft broker on loopback; stopped at the end if this run started it."""
    bootstrap = f"127.0.0.1:{TEST_KAFKA_PORT}"
    already = _broker_answers(bootstrap)
    env = {
        **os.environ,
        "KAFKA_PORT": str(TEST_KAFKA_PORT),
        "KAFKA_SASL_SSL_PORT": str(TEST_KAFKA_SASL_PORT),
    }
    if not already:
        subprocess.run([str(ROOT / "deploy/local-kafka/up")], env=env, check=True, timeout=900)
    yield bootstrap
    if not already and not os.environ.get("SIGNALFIRE_TEST_KEEP_KAFKA"):
        subprocess.run([str(ROOT / "deploy/local-kafka/down")], env=env, check=False, timeout=120)


@pytest.fixture
def isolated_env(kafka_bootstrap: str, tmp_path: Path) -> dict[str, str]:
    """Environment for a worker/publish subprocess with its own topics and consumer group."""
    tag = uuid.uuid4().hex[:8]
    env = {k: v for k, v in os.environ.items() if not k.startswith("SIGNALFIRE_")}
    env.update(
        {
            "SIGNALFIRE_KAFKA": kafka_bootstrap,
            "SIGNALFIRE_APP_ID": f"sf-test-{tag}",
            "SIGNALFIRE_DATA_DIR": str(tmp_path / "worker"),
            "SIGNALFIRE_PARTITIONS": "2",
            "SIGNALFIRE_LOG_FORMAT": "json",
            "SIGNALFIRE_OPS_PORT": "0",  # workers run side by side; 9108 may be taken
            "SIGNALFIRE_WATCHLIST_POLL_SECONDS": "0.5",
            "SIGNALFIRE_TOPICS__ARTICLES": f"t{tag}.articles",
            "SIGNALFIRE_TOPICS__ARTICLES_DEAD": f"t{tag}.articles.dead",
            "SIGNALFIRE_TOPICS__ANALYZED": f"t{tag}.articles.analyzed",
            "SIGNALFIRE_TOPICS__ALERTS": f"t{tag}.alerts",
            "SIGNALFIRE_TOPICS__ALERTS_DEAD": f"t{tag}.alerts.dead",
            "SIGNALFIRE_TOPICS__FINDINGS": f"t{tag}.findings",
            "SIGNALFIRE_TOPICS__PENDING_ALERTS": f"t{tag}.alerts.pending",
            "PYTHONUNBUFFERED": "1",
        }
    )
    return env
