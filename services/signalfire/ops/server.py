"""The ops HTTP server: `/metrics` (Prometheus), `/healthz` (liveness), `/readyz` (readiness).

A small aiohttp app on its own thread and event loop, started by the worker before faust runs
(`start_ops_server`), rather than faust's web server, because:

- it answers from the first second, while topics are created and tables recovered (faust's
  web server comes up with the app, and liveness must not fail during a long recovery);
- it keeps answering `/metrics` while the worker's loop is busy or blocked, which is when the
  numbers matter; liveness then reports the blocked loop instead of timing out itself;
- faust's web server also serves its own pages (`/router`, `/table/...`) that could show
  table contents: story state and delivery logs are not for an open port.

Liveness means the *worker's* event loop is responsive: `/healthz` schedules a no-op on that
loop (`watch_loop`) and waits `loop_timeout` seconds for it. Before that loop runs (start-up),
it is healthy for `startup_grace` seconds. The heartbeat file and `signalfire healthcheck`
stay for Docker.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Future
from typing import Any

import orjson
import structlog
from aiohttp import web
from prometheus_client import CollectorRegistry
from prometheus_client.exposition import choose_encoder

from signalfire.ops.metrics import METRICS
from signalfire.ops.readiness import Readiness
from signalfire.settings import Settings

log = structlog.get_logger(__name__)


class OpsServerError(RuntimeError):
    """The server could not start (port taken, bad address); the message says which."""


def _call_on(loop: asyncio.AbstractEventLoop, fn: Callable[[], None]) -> Future[None]:
    """Run `fn` on `loop` (from another thread); the future resolves when it has run. A
    callback that comes after the caller gave up does nothing."""
    done: Future[None] = Future()

    def run() -> None:
        if not done.set_running_or_notify_cancel():
            return
        try:
            fn()
        except BaseException as exc:
            done.set_exception(exc)
        else:
            done.set_result(None)

    loop.call_soon_threadsafe(run)
    return done


def _json(status: int, body: dict[str, Any]) -> web.Response:
    return web.Response(status=status, body=orjson.dumps(body), content_type="application/json")


class OpsServer:
    """`/metrics`, `/healthz`, `/readyz` on host:port, served from a daemon thread."""

    def __init__(
        self,
        *,
        host: str,
        port: int,
        readiness: Readiness,
        registry: CollectorRegistry,
        loop_timeout: float = 5.0,
        startup_grace: float = 600.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.host = host
        self._port = port
        self.readiness = readiness
        self.registry = registry
        self.loop_timeout = loop_timeout
        self.startup_grace = startup_grace
        self._clock = clock
        self._started_at = clock()
        self._watched: asyncio.AbstractEventLoop | None = None
        self._samplers: list[Callable[[], None]] = []
        self._thread: threading.Thread | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._runner: web.AppRunner | None = None
        self._bound = threading.Event()
        self._error: BaseException | None = None

    @property
    def port(self) -> int:
        """The bound port (the real one when 0 asked for any free port)."""
        return self._port

    def watch_loop(self, loop: asyncio.AbstractEventLoop) -> None:
        """Liveness follows this event loop (the worker's) from now on."""
        self._watched = loop

    def add_sampler(self, sampler: Callable[[], None]) -> None:
        """Run `sampler` on the watched loop before each `/metrics` and `/readyz` answer (for
        state owned by that loop, such as faust's consumer: `FaustProbe.sample`)."""
        self._samplers.append(sampler)

    async def _sample(self) -> None:
        """Run the samplers on the watched loop; on a busy loop the last values are served."""
        loop = self._watched
        if not self._samplers or loop is None or not loop.is_running():
            return

        def run_all() -> None:
            for sampler in self._samplers:
                try:
                    sampler()
                except Exception:
                    log.exception("ops.sample_failed", sampler=repr(sampler))

        try:
            fut = _call_on(loop, run_all)
        except RuntimeError:
            return
        try:
            await asyncio.wait_for(asyncio.wrap_future(fut), self.loop_timeout)
        except TimeoutError:
            fut.cancel()

    # --- handlers --------------------------------------------------------------------------

    async def _metrics(self, request: web.Request) -> web.Response:
        await self._sample()
        encoder, content_type = choose_encoder(request.headers.get("Accept", ""))
        return web.Response(body=encoder(self.registry), headers={"Content-Type": content_type})

    async def _healthz(self, _request: web.Request) -> web.Response:
        problem = await self.liveness_problem()
        if problem:
            return _json(503, {"alive": False, "problem": problem})
        return _json(200, {"alive": True})

    async def _readyz(self, _request: web.Request) -> web.Response:
        await self._sample()
        ready, conditions = self.readiness.snapshot()
        return _json(200 if ready else 503, {"ready": ready, "conditions": conditions})

    async def _index(self, _request: web.Request) -> web.Response:
        return web.Response(text="signalfire ops: /metrics /healthz /readyz\n")

    async def liveness_problem(self) -> str | None:
        """None when the watched loop answers in time (or none is watched yet), else why."""
        loop = self._watched
        if loop is None:
            return None
        if loop.is_closed():
            return "the worker's event loop is closed"
        if not loop.is_running():
            waited = self._clock() - self._started_at
            if waited < self.startup_grace:
                return None
            return f"the worker's event loop has not started after {waited:.0f}s"
        try:
            fut = _call_on(loop, lambda: None)
        except RuntimeError:  # closed between the check and the call
            return "the worker's event loop is closed"
        try:
            await asyncio.wait_for(asyncio.wrap_future(fut), self.loop_timeout)
        except TimeoutError:
            fut.cancel()
            return f"the worker's event loop did not answer within {self.loop_timeout:g}s"
        return None

    # --- lifecycle ---------------------------------------------------------------------------

    def _app(self) -> web.Application:
        app = web.Application()
        app.router.add_get("/", self._index)
        app.router.add_get("/metrics", self._metrics)
        app.router.add_get("/healthz", self._healthz)
        app.router.add_get("/readyz", self._readyz)
        return app

    def _serve(self) -> None:
        loop = asyncio.new_event_loop()
        self._loop = loop
        asyncio.set_event_loop(loop)
        try:
            runner = web.AppRunner(self._app(), access_log=None, handle_signals=False)
            loop.run_until_complete(runner.setup())
            self._runner = runner
            family = socket.AF_INET6 if ":" in self.host else socket.AF_INET
            sock = socket.create_server((self.host, self._port), family=family)
            self._port = int(sock.getsockname()[1])
            loop.run_until_complete(web.SockSite(runner, sock).start())
        except BaseException as exc:
            self._error = exc
            self._bound.set()
            loop.close()
            return
        self._bound.set()
        try:
            loop.run_forever()
        finally:
            loop.run_until_complete(runner.cleanup())
            loop.close()

    def start(self, timeout: float = 10.0) -> OpsServer:
        """Bind and serve in a daemon thread; returns once bound, raises OpsServerError."""
        self._thread = threading.Thread(target=self._serve, name="signalfire-ops", daemon=True)
        self._thread.start()
        if not self._bound.wait(timeout):
            raise OpsServerError(f"ops server on {self.host}:{self._port} did not start")
        if self._error is not None:
            raise OpsServerError(
                f"cannot serve /metrics, /healthz, /readyz on {self.host}:{self._port} "
                f"({self._error}); set SIGNALFIRE_OPS_PORT to a free port, or 0 to disable"
            ) from self._error
        log.info("ops.serving", host=self.host, port=self._port)
        return self

    def stop(self, timeout: float = 5.0) -> None:
        """Stop serving (tests; the worker process simply exits)."""
        loop, thread = self._loop, self._thread
        if loop is not None and not loop.is_closed():
            with contextlib.suppress(RuntimeError):
                loop.call_soon_threadsafe(loop.stop)
        if thread is not None:
            thread.join(timeout)


def start_ops_server(
    settings: Settings,
    readiness: Readiness,
    *,
    loop: asyncio.AbstractEventLoop | None = None,
    samplers: Sequence[Callable[[], None]] = (),
    registry: CollectorRegistry | None = None,
) -> OpsServer | None:
    """The worker's one call: serve on SIGNALFIRE_OPS_HOST:SIGNALFIRE_OPS_PORT (None when the
    port is 0), liveness following `loop` (the faust app's, `app.loop`), `samplers` run on
    that loop before each scrape (e.g. `FaustProbe.install(app, readiness).sample`)."""
    if settings.ops_port == 0:
        return None
    server = OpsServer(
        host=settings.ops_host,
        port=settings.ops_port,
        readiness=readiness,
        registry=registry if registry is not None else METRICS.registry,
    )
    if loop is not None:
        server.watch_loop(loop)
    for sampler in samplers:
        server.add_sampler(sampler)
    return server.start()
