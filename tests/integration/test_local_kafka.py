"""The local broker scripts (deploy/local-kafka/up and down) against a real Kafka.

One broker is started on free non-default ports for the whole module; the last test stops
it and checks nothing is left behind. About 15 s when the broker jars are already cached
(the first run fetches them from Maven Central once, a few seconds more).
"""

from __future__ import annotations

import asyncio
import os
import shutil
import socket
import subprocess
import sys
import textwrap
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[2]
UP = ROOT / "deploy" / "local-kafka" / "up"
DOWN = ROOT / "deploy" / "local-kafka" / "down"
KAFKA_VERSION = os.environ.get("KAFKA_VERSION", "3.9.2")


def _cache_dir() -> Path:
    explicit = os.environ.get("SIGNALFIRE_KAFKA_CACHE")
    if explicit:
        return Path(explicit)
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "signalfire" / f"kafka-{KAFKA_VERSION}"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _port_open(port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(0.5)
        return s.connect_ex(("127.0.0.1", port)) == 0


def _broker_pids(props: Path) -> list[int]:
    """Live processes whose command line names this broker's server.properties."""
    pids = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            args = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if str(props).encode() in args and b"kafka.Kafka" in args:
            pids.append(int(entry.name))
    return pids


@dataclass(frozen=True)
class Broker:
    port: int
    env: dict[str, str]
    state: Path

    @property
    def bootstrap(self) -> str:
        return f"127.0.0.1:{self.port}"

    def run(
        self, script: Path, *args: str, timeout: float = 150
    ) -> subprocess.CompletedProcess[str]:
        # cwd=/ on purpose: the scripts must find the project from their own location.
        return subprocess.run(
            [str(script), *args],
            env=self.env,
            cwd="/",
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )


@pytest.fixture(scope="module")
def broker() -> Iterator[Broker]:
    if shutil.which("java") is None:
        pytest.skip("java is not installed")
    if not (_cache_dir() / ".signalfire-complete").exists() and shutil.which("mvn") is None:
        pytest.skip("Kafka jars are not cached and mvn is not installed to fetch them")
    port, ctrl = _free_port(), _free_port()
    while ctrl == port:
        ctrl = _free_port()
    env = {**os.environ, "KAFKA_PORT": str(port), "KAFKA_CONTROLLER_PORT": str(ctrl)}
    env.pop("KAFKA_STATE_DIR", None)
    b = Broker(port=port, env=env, state=ROOT / ".local" / f"kafka-{port}")
    started = b.run(UP)
    if started.returncode != 0:
        b.run(DOWN, "--purge")
        pytest.fail(f"up failed ({started.returncode}):\n{started.stderr}")
    try:
        yield b
    finally:
        b.run(DOWN, "--purge")  # a no-op when test_down_stops_everything already ran


def test_up_is_idempotent_and_quick(broker: Broker) -> None:
    """A second `up` for a running broker exits 0 at once and starts nothing new."""
    before = _broker_pids(broker.state / "server.properties")
    t0 = time.monotonic()
    again = broker.run(UP)
    elapsed = time.monotonic() - t0
    assert again.returncode == 0, again.stderr
    assert "already running" in again.stderr
    assert elapsed < 10, f"second up took {elapsed:.1f}s"
    assert _broker_pids(broker.state / "server.properties") == before
    assert len(before) == 1
    assert (broker.state / "kafka.pid").read_text().strip() == str(before[0])


def test_state_lives_under_project_local_dir(broker: Broker) -> None:
    """Data, logs, pid and config are kept in .local/kafka-<port>, which git ignores."""
    props = (broker.state / "server.properties").read_text()
    assert f"listeners=PLAINTEXT://127.0.0.1:{broker.port}," in props
    assert "offsets.topic.replication.factor=1" in props
    assert (broker.state / "data" / "meta.properties").exists()
    ignored = subprocess.run(
        ["git", "check-ignore", "-q", str(broker.state / "server.properties")],
        cwd=ROOT,
        check=False,
    )
    assert ignored.returncode == 0, ".local/ must be git-ignored"


def test_round_trip_with_kafka_python(broker: Broker) -> None:
    """A topic created with the admin client takes a message that a consumer reads back."""
    from kafka import KafkaAdminClient, KafkaConsumer, KafkaProducer

    topic = f"it-kp-{uuid.uuid4().hex[:8]}"
    admin = KafkaAdminClient(bootstrap_servers=broker.bootstrap)
    try:
        admin.create_topics({topic: {"num_partitions": 1, "replication_factor": 1}})
    finally:
        admin.close()
    producer = KafkaProducer(bootstrap_servers=broker.bootstrap)
    producer.send(topic, key=b"a3f1c2", value=b'{"id": "a3f1c2"}').get(timeout=15)
    producer.close()
    consumer = KafkaConsumer(
        topic,
        bootstrap_servers=broker.bootstrap,
        group_id="it-kp",
        auto_offset_reset="earliest",
        consumer_timeout_ms=15_000,
    )
    try:
        message = next(iter(consumer))
    finally:
        consumer.close()
    assert (message.key, message.value) == (b"a3f1c2", b'{"id": "a3f1c2"}')


def test_round_trip_with_aiokafka(broker: Broker) -> None:
    """aiokafka (faust's transport) produces idempotently and consumes in a group."""
    from aiokafka import AIOKafkaConsumer, AIOKafkaProducer

    topic = f"it-aio-{uuid.uuid4().hex[:8]}"

    async def go() -> list[bytes]:
        producer = AIOKafkaProducer(bootstrap_servers=broker.bootstrap, enable_idempotence=True)
        await producer.start()
        try:
            await producer.send_and_wait(topic, b"hello")  # auto-created: allowed here
        finally:
            await producer.stop()
        consumer = AIOKafkaConsumer(
            topic,
            bootstrap_servers=broker.bootstrap,
            group_id="it-aio",
            auto_offset_reset="earliest",
        )
        await consumer.start()
        try:
            message = await asyncio.wait_for(consumer.getone(), 20)
            await consumer.commit()
        finally:
            await consumer.stop()
        return [message.value]

    assert asyncio.run(go()) == [b"hello"]


FAUST_APP = textwrap.dedent(
    """
    import asyncio, os, signal, sys
    import faust
    from kafka import KafkaAdminClient

    boot, app_id, datadir, out_path = sys.argv[1:5]
    admin = KafkaAdminClient(bootstrap_servers=boot)
    admin.create_topics({app_id + "-in": {"num_partitions": 1, "replication_factor": 1}})
    admin.close()
    app = faust.App(app_id, broker="kafka://" + boot, store="memory://", web_enabled=False,
                    topic_partitions=1, consumer_auto_offset_reset="earliest",
                    datadir=datadir)
    source = app.topic(app_id + "-in", value_type=bytes, value_serializer="raw")
    counts = app.Table("counts", default=int)

    @app.agent(source)
    async def consume(stream):
        async for value in stream:
            counts["n"] += 1
            with open(out_path, "a") as out:  # faust routes print() into its logging
                out.write(f"GOT {value.decode()} {counts['n']}\\n")
            asyncio.get_running_loop().call_later(0.5, os.kill, os.getpid(), signal.SIGTERM)

    @app.task
    async def send_one():
        await source.send(value=b"hello-faust")

    sys.argv = [sys.argv[0], "worker", "-l", "warn"]
    app.main()
    """
)


def test_faust_creates_internal_topics_and_consumes(broker: Broker, tmp_path: Path) -> None:
    """faust-streaming creates its changelog and assignor topics here and consumes a message."""
    from kafka import KafkaAdminClient

    app_id = f"it-faust-{uuid.uuid4().hex[:6]}"
    script = tmp_path / "app.py"
    script.write_text(FAUST_APP)
    got = tmp_path / "got.txt"
    done = subprocess.run(
        [sys.executable, str(script), broker.bootstrap, app_id, str(tmp_path / "data"), str(got)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        cwd=tmp_path,
    )
    assert got.exists(), done.stdout + done.stderr
    assert got.read_text() == "GOT hello-faust 1\n"
    assert done.returncode == 0, done.stderr
    admin = KafkaAdminClient(bootstrap_servers=broker.bootstrap)
    try:
        topics = {t for t in admin.list_topics() if t.startswith(app_id)}
    finally:
        admin.close()
    assert f"{app_id}-counts-changelog" in topics
    assert f"{app_id}-__assignor-__leader" in topics


def test_down_stops_everything(broker: Broker) -> None:
    """`down` ends the JVM, frees the port, drops the pid file; a second down is a no-op."""
    props = broker.state / "server.properties"
    assert _broker_pids(props)
    stopped = broker.run(DOWN)
    assert stopped.returncode == 0, stopped.stderr
    assert _broker_pids(props) == []
    assert not _port_open(broker.port)
    assert not (broker.state / "kafka.pid").exists()
    assert (broker.state / "data").exists()  # kept without --purge
    again = broker.run(DOWN, "--purge")
    assert again.returncode == 0
    assert "not running" in again.stderr
    assert not broker.state.exists()
