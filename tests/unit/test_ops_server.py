"""The ops HTTP server, queried with a real HTTP client on loopback: /metrics, /healthz
(the watched event loop answers) and /readyz (the readiness conditions)."""

from __future__ import annotations

import asyncio
import json
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import aiohttp
import pytest
from prometheus_client import CollectorRegistry

from signalfire.ops.metrics import Metrics
from signalfire.ops.readiness import Readiness
from signalfire.ops.server import OpsServer, OpsServerError, start_ops_server
from signalfire.settings import Settings


@pytest.fixture
def metrics() -> Metrics:
    return Metrics(CollectorRegistry(), process=False)


@pytest.fixture
def server(metrics: Metrics) -> Iterator[OpsServer]:
    srv = OpsServer(
        host="127.0.0.1",
        port=0,
        readiness=Readiness(metrics),
        registry=metrics.registry,
        loop_timeout=0.5,
        startup_grace=60.0,
    )
    srv.start()
    yield srv
    srv.stop()


def _get(srv: OpsServer, path: str) -> tuple[int, bytes]:
    url = f"http://127.0.0.1:{srv.port}{path}"
    try:
        with urllib.request.urlopen(url, timeout=5) as resp:
            return resp.status, resp.read()
    except urllib.error.HTTPError as err:
        return err.code, err.read()


class LoopThread:
    """An event loop running in its own thread, standing in for the worker's loop."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()

    def block(self, seconds: float) -> None:
        self.loop.call_soon_threadsafe(time.sleep, seconds)

    def close(self) -> None:
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(5)
        self.loop.close()


def test_metrics_endpoint_serves_the_registry(server: OpsServer, metrics: Metrics) -> None:
    """/metrics is the Prometheus text format of the worker's registry."""
    metrics.article_processed("analyze")
    status, body = _get(server, "/metrics")
    text = body.decode()
    assert status == 200
    assert 'signalfire_articles_processed_total{result="analyzed",stage="analyze"} 1.0' in text
    assert "# TYPE signalfire_consumer_lag gauge" in text


def test_readyz_follows_the_conditions(server: OpsServer) -> None:
    """503 naming what is missing until all three conditions hold, then 200; stopping makes
    it 503 again for good."""
    status, body = _get(server, "/readyz")
    assert status == 503
    assert json.loads(body)["conditions"] == {
        "partitions_assigned": False,
        "tables_recovered": False,
        "producer_connected": False,
    }
    server.readiness.partitions_assigned()
    server.readiness.tables_recovered()
    assert _get(server, "/readyz")[0] == 503
    server.readiness.producer_connected()
    status, body = _get(server, "/readyz")
    assert status == 200 and json.loads(body)["ready"] is True
    server.readiness.stopping()
    assert _get(server, "/readyz")[0] == 503


def test_ready_gauges_mirror_readiness(server: OpsServer, metrics: Metrics) -> None:
    """signalfire_worker_ready is 1 exactly when /readyz says ready."""
    get = metrics.registry.get_sample_value
    server.readiness.partitions_assigned()
    assert get("signalfire_worker_ready") == 0.0
    assert get("signalfire_worker_ready_condition", {"condition": "partitions_assigned"}) == 1.0
    server.readiness.tables_recovered()
    server.readiness.producer_connected()
    assert get("signalfire_worker_ready") == 1.0
    server.readiness.producer_connected(False)
    assert get("signalfire_worker_ready") == 0.0


async def test_healthz_ok_while_the_watched_loop_answers(server: OpsServer) -> None:
    """The running loop (this test's) answers the server's ping: 200."""
    server.watch_loop(asyncio.get_running_loop())
    async with (
        aiohttp.ClientSession() as session,
        session.get(f"http://127.0.0.1:{server.port}/healthz") as resp,
    ):
        assert resp.status == 200
        assert (await resp.json()) == {"alive": True}


def test_healthz_fails_when_the_loop_is_blocked(server: OpsServer) -> None:
    """A loop stuck in blocking code does not answer within loop_timeout: 503, and /metrics
    still answers meanwhile."""
    worker = LoopThread()
    try:
        server.watch_loop(worker.loop)
        assert _get(server, "/healthz")[0] == 200
        worker.block(2.0)
        status, body = _get(server, "/healthz")
        assert status == 503
        assert "did not answer" in json.loads(body)["problem"]
        assert _get(server, "/metrics")[0] == 200
    finally:
        worker.close()


def test_healthz_before_the_loop_runs_uses_the_grace(metrics: Metrics) -> None:
    """A loop not yet running (start-up, recovery not begun) is fine within the grace
    period and a failure after it; a closed loop is a failure at once."""
    now = [0.0]
    srv = OpsServer(
        host="127.0.0.1",
        port=0,
        readiness=Readiness(metrics),
        registry=metrics.registry,
        startup_grace=30.0,
        clock=lambda: now[0],
    )
    srv.start()
    loop = asyncio.new_event_loop()
    try:
        srv.watch_loop(loop)
        assert _get(srv, "/healthz")[0] == 200
        now[0] = 31.0
        status, body = _get(srv, "/healthz")
        assert status == 503 and "has not started" in json.loads(body)["problem"]
        loop.close()
        assert _get(srv, "/healthz")[0] == 503
    finally:
        srv.stop()
        if not loop.is_closed():
            loop.close()


def test_samplers_run_on_the_watched_loop(server: OpsServer) -> None:
    """A sampler runs in the watched loop's thread before /readyz answers, so it can read
    state that loop owns."""
    worker = LoopThread()
    ran_in: list[threading.Thread] = []

    def sampler() -> None:
        ran_in.append(threading.current_thread())
        server.readiness.partitions_assigned()
        server.readiness.tables_recovered()
        server.readiness.producer_connected()

    try:
        server.watch_loop(worker.loop)
        server.add_sampler(sampler)
        assert _get(server, "/readyz")[0] == 200
        assert ran_in == [worker.thread]
    finally:
        worker.close()


def test_port_zero_disables_and_a_taken_port_is_a_clear_error(metrics: Metrics) -> None:
    """SIGNALFIRE_OPS_PORT=0 starts nothing; a port in use fails naming the variable."""
    readiness = Readiness(metrics)
    assert start_ops_server(Settings(ops_port=0), readiness) is None
    first = OpsServer(host="127.0.0.1", port=0, readiness=readiness, registry=metrics.registry)
    first.start()
    try:
        settings = Settings(ops_host="127.0.0.1", ops_port=first.port)
        with pytest.raises(OpsServerError, match="SIGNALFIRE_OPS_PORT"):
            start_ops_server(settings, readiness, registry=metrics.registry)
    finally:
        first.stop()


def test_healthcheck_command_asks_healthz(server: OpsServer) -> None:
    """`signalfire healthcheck` with the ops server on: 0 while the worker's loop answers,
    1 with the reason when it is blocked or the server is not there."""
    from signalfire.commands.healthcheck import run

    worker = LoopThread()
    try:
        server.watch_loop(worker.loop)
        assert run(Path("/nonexistent"), 5.0, server.port) == 0
        worker.block(2.0)
        assert run(Path("/nonexistent"), 5.0, server.port) == 1
    finally:
        worker.close()
    from signalfire.testing.receivers import free_port

    assert run(Path("/nonexistent"), 1.0, free_port()) == 1
