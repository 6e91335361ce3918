"""Secured Kafka end to end: `signalfire publish`, topic creation (kafka-python admin) and a
faust app connect through the local broker's SASL_SSL listener (deploy/local-kafka/up with
KAFKA_SASL_SSL_PORT: its own CA, SCRAM and PLAIN users); a wrong password or an untrusted CA
fails at once with a message naming the variable to fix.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import textwrap
import time
import uuid
from pathlib import Path

import pytest
from kafka import KafkaConsumer
from kafka.admin import KafkaAdminClient

from signalfire.settings import Settings
from signalfire.stream import kafka_config
from signalfire.stream.topics import TOPICS, ensure_topics, topic_name
from tests.conftest import ROOT, TEST_KAFKA_PORT, TEST_KAFKA_SASL_PORT
from tests.tlsfiles import make_tls_files

pytestmark = pytest.mark.integration

SIGNALFIRE = [sys.executable, "-m", "signalfire.cli"]
STATE = Path(os.environ.get("KAFKA_STATE_DIR") or ROOT / ".local" / f"kafka-{TEST_KAFKA_PORT}")
SAMPLE = ROOT / "deploy" / "sample-articles.jsonl"


def _port_open(port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(1.0)
        return s.connect_ex(("127.0.0.1", port)) == 0


@pytest.fixture(scope="module")
def secured(kafka_bootstrap: str) -> dict[str, str]:
    """SIGNALFIRE_* variables for SCRAM-SHA-512 over TLS against the test broker."""
    if not _port_open(TEST_KAFKA_SASL_PORT):
        pytest.fail(
            f"the test broker on {kafka_bootstrap} has no SASL_SSL listener on "
            f"{TEST_KAFKA_SASL_PORT}: it was started without KAFKA_SASL_SSL_PORT. Stop it "
            f"(KAFKA_PORT={TEST_KAFKA_PORT} deploy/local-kafka/down) and run the tests again."
        )
    password = (
        os.environ.get("KAFKA_SASL_PASSWORD") or (STATE / "tls" / "sasl-password").read_text()
    )
    return {
        "SIGNALFIRE_KAFKA": f"127.0.0.1:{TEST_KAFKA_SASL_PORT}",
        "SIGNALFIRE_KAFKA_SECURITY_PROTOCOL": "SASL_SSL",
        "SIGNALFIRE_KAFKA_SASL_MECHANISM": "SCRAM-SHA-512",
        "SIGNALFIRE_KAFKA_USERNAME": os.environ.get("KAFKA_SASL_USERNAME", "signalfire"),
        "SIGNALFIRE_KAFKA_PASSWORD": password.strip(),
        "SIGNALFIRE_KAFKA_CA_FILE": str(STATE / "tls" / "ca.pem"),
        "SIGNALFIRE_LOG_FORMAT": "json",
    }


def _settings(env: dict[str, str], **overrides: object) -> Settings:
    values: dict[str, object] = {
        "kafka": env["SIGNALFIRE_KAFKA"],
        "kafka_security_protocol": env["SIGNALFIRE_KAFKA_SECURITY_PROTOCOL"],
        "kafka_sasl_mechanism": env["SIGNALFIRE_KAFKA_SASL_MECHANISM"],
        "kafka_username": env["SIGNALFIRE_KAFKA_USERNAME"],
        "kafka_password": env["SIGNALFIRE_KAFKA_PASSWORD"],
        "kafka_ca_file": Path(env["SIGNALFIRE_KAFKA_CA_FILE"]),
    }
    return Settings(**{**values, **overrides})  # type: ignore[arg-type]


def _run(env: dict[str, str], *args: str, stdin: bytes | None = None, timeout: float = 120):
    clean = {k: v for k, v in os.environ.items() if not k.startswith("SIGNALFIRE_")}
    return subprocess.run(
        [*SIGNALFIRE, *args],
        env={**clean, **env},
        input=stdin,
        capture_output=True,
        timeout=timeout,
        cwd=ROOT,
        check=False,
    )


def test_admin_creates_topics_over_sasl_ssl(secured: dict[str, str]) -> None:
    """ensure_topics (the worker's topic creation) works through SCRAM-SHA-512 over TLS."""
    tag = uuid.uuid4().hex[:8]
    settings = _settings(secured, app_id=f"sec-{tag}", partitions=2).model_copy(
        update={
            "topics": Settings().topics.model_copy(
                update={role: f"sec{tag}.{role}" for role in Settings().topics.model_fields}
            )
        }
    )
    names = {topic_name(settings, spec.role) for spec in TOPICS}
    created = ensure_topics(settings)
    assert set(created) == names
    admin = KafkaAdminClient(**kafka_config.kafka_python_kwargs(settings))
    try:
        assert names <= set(admin.list_topics())
    finally:
        admin.close()


def test_publish_over_sasl_ssl_and_read_back_with_plain(secured: dict[str, str]) -> None:
    """`signalfire publish` delivers every line through SASL_SSL; a consumer logging in
    with SASL PLAIN reads them back."""
    topic = f"sec-articles-{uuid.uuid4().hex[:8]}"
    lines = SAMPLE.read_bytes().splitlines()[:5]
    done = _run(secured, "publish", "--no-progress", "--topic", topic, "-", stdin=b"\n".join(lines))
    assert done.returncode == 0, done.stderr.decode()
    assert f"published {len(lines)} to {topic}".encode() in done.stderr
    plain = _settings(secured, kafka_sasl_mechanism="PLAIN")
    consumer = KafkaConsumer(
        topic,
        **kafka_config.kafka_python_kwargs(plain),
        auto_offset_reset="earliest",
        enable_auto_commit=False,
        consumer_timeout_ms=1000,
        group_id=None,
    )
    got: list[bytes] = []
    deadline = time.monotonic() + 60
    try:
        while len(got) < len(lines) and time.monotonic() < deadline:
            got.extend(m.value for m in consumer)
    finally:
        consumer.close()
    assert sorted(got) == sorted(lines)


def test_wrong_password_fails_at_once_naming_the_variable(secured: dict[str, str]) -> None:
    """A rejected SASL login stops publish in seconds with exit 2, says which variables to
    check, and never prints the password."""
    bad = {**secured, "SIGNALFIRE_KAFKA_PASSWORD": "not-the-password-42"}
    started = time.monotonic()
    done = _run(bad, "publish", "--no-progress", "--topic", "sec-never", "-", stdin=b"{}\n")
    took = time.monotonic() - started
    err = done.stderr.decode()
    assert done.returncode == 2, err
    assert "rejected the SASL login" in err and "SIGNALFIRE_KAFKA_PASSWORD" in err
    assert "not-the-password-42" not in err + done.stdout.decode()
    assert took < 25, f"took {took:.1f}s"


def test_untrusted_ca_fails_naming_the_ca_variable(secured: dict[str, str], tmp_path: Path) -> None:
    """A CA file that did not sign the broker certificate is reported as such."""
    other = make_tls_files(tmp_path / "other-ca")
    bad = {**secured, "SIGNALFIRE_KAFKA_CA_FILE": str(other.ca)}
    done = _run(bad, "publish", "--no-progress", "--topic", "sec-never", "-", stdin=b"{}\n")
    err = done.stderr.decode()
    assert done.returncode == 2, err
    assert "SIGNALFIRE_KAFKA_CA_FILE" in err and "not signed by a trusted CA" in err


FAUST_APP = textwrap.dedent(
    """
    import asyncio, os, signal, sys
    import faust
    from signalfire.settings import Settings
    from signalfire.stream import kafka_config
    from signalfire.stream.rocksdb_store import store_url

    from kafka.admin import KafkaAdminClient, NewTopic

    app_id, out_path = sys.argv[1:3]
    settings = Settings()
    admin = KafkaAdminClient(**kafka_config.kafka_python_kwargs(settings))
    admin.create_topics([NewTopic(app_id + "-in", 1, 1)])
    admin.close()
    app = faust.App(app_id, broker=settings.broker_url, store=store_url(settings),
                    datadir=str(settings.data_dir), web_enabled=False, topic_partitions=1,
                    consumer_auto_offset_reset="earliest",
                    **kafka_config.faust_app_kwargs(settings))
    source = app.topic(app_id + "-in", value_type=bytes, value_serializer="raw", partitions=1)
    counts = app.Table("counts", default=int, partitions=1)

    @app.agent(source)
    async def consume(stream):
        async for value in stream:
            counts["n"] += 1
            with open(out_path, "a") as out:
                out.write(f"GOT {value.decode()} {counts['n']}\\n")
            asyncio.get_running_loop().call_later(0.5, os.kill, os.getpid(), signal.SIGTERM)

    @app.task
    async def send_one():
        await source.send(value=b"hello-secured")

    sys.argv = [sys.argv[0], "worker", "-l", "warn"]
    app.main()
    """
)


def test_faust_app_over_sasl_ssl_with_rocksdb(secured: dict[str, str], tmp_path: Path) -> None:
    """faust with `faust_app_kwargs` creates its topics, produces, consumes and writes a
    rocksdb:// table changelog through SASL_SSL."""
    app_id = f"sec-faust-{uuid.uuid4().hex[:6]}"
    script = tmp_path / "app.py"
    script.write_text(FAUST_APP)
    got = tmp_path / "got.txt"
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("SIGNALFIRE_")},
        **secured,
        "SIGNALFIRE_STORE": "rocksdb://",
        "SIGNALFIRE_DATA_DIR": str(tmp_path / "data"),
        "PYTHONPATH": str(ROOT / "services"),
    }
    done = subprocess.run(
        [sys.executable, str(script), app_id, str(got)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        cwd=tmp_path,
        env=env,
    )
    assert got.exists(), done.stdout[-3000:] + done.stderr[-3000:]
    assert got.read_text() == "GOT hello-secured 1\n"
    assert done.returncode == 0, done.stderr[-3000:]
    assert any((tmp_path / "data").rglob("*.db")), "no rocksdb files under the data dir"
