"""Local receivers that stand in for a mail server and a webhook endpoint.

Used by `make demo` and the integration tests, so deliveries are real (SMTP over TCP, HTTP
POSTs) yet never leave this machine. aiosmtpd is a dev dependency, imported on use.
"""

from __future__ import annotations

import email
import email.policy
import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class ReceivedMail:
    rcpt_tos: list[str]
    subject: str
    text: str
    html: str
    raw: bytes
    auth_login: str | None = None


@dataclass
class Received:
    """What the receivers got, thread-safe. `webhook_times` holds (monotonic time, path,
    Idempotency-Key header) per accepted POST, for latency and duplicate counts."""

    emails: list[ReceivedMail] = field(default_factory=list)
    webhooks: list[dict[str, Any]] = field(default_factory=list)
    webhook_times: list[tuple[float, str, str | None]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


class _MailHandler:
    def __init__(self, received: Received) -> None:
        self.received = received

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        msg = email.message_from_bytes(envelope.content, policy=email.policy.default)
        text = html = ""
        for part in msg.walk():
            if part.get_content_type() == "text/plain":
                text = str(part.get_content())
            elif part.get_content_type() == "text/html":
                html = str(part.get_content())
        login = session.auth_data.login.decode() if getattr(session, "auth_data", None) else None
        with self.received.lock:
            self.received.emails.append(
                ReceivedMail(
                    list(envelope.rcpt_tos),
                    str(msg["subject"]),
                    text,
                    html,
                    envelope.content,
                    login,
                )
            )
        return "250 OK"


def _accept_any(server: Any, session: Any, envelope: Any, mechanism: str, auth_data: Any) -> Any:
    """Accept any credentials: the local stand-in does not check passwords."""
    from aiosmtpd.smtp import AuthResult

    return AuthResult(success=True, auth_data=auth_data)


class SmtpReceiver:
    """aiosmtpd on 127.0.0.1:port; can be stopped and started again (SMTP outage tests)."""

    def __init__(self, received: Received, port: int) -> None:
        self.received = received
        self.port = port
        self._controller: Any = None

    def start(self) -> SmtpReceiver:
        import logging

        from aiosmtpd.controller import Controller

        # aiosmtpd logs a deprecation warning of its own on every AUTH: noise for a stand-in.
        logging.getLogger("mail.log").setLevel(logging.ERROR)
        self._controller = Controller(
            _MailHandler(self.received),
            hostname="127.0.0.1",
            port=self.port,
            authenticator=_accept_any,
            auth_require_tls=False,
        )
        self._controller.start()
        return self

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None


class WebhookReceiver:
    """HTTP server on 127.0.0.1:port recording JSON POSTs. Outages for tests: `fail_next`
    answers that many errors first; `fail_until` (a time.monotonic() value) answers errors
    until then; `fail_status` is the error (503 by default; 429 with `retry_after`)."""

    def __init__(
        self, received: Received, port: int, host: str = "127.0.0.1", echo: bool = False
    ) -> None:
        self.received = received
        self.port = port
        self.fail_next = 0
        self.fail_until = 0.0
        self.fail_status = 503
        self.retry_after: str | None = None
        receiver = self

        class Hook(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                failing = receiver.fail_next > 0 or time.monotonic() < receiver.fail_until
                if failing:
                    receiver.fail_next = max(0, receiver.fail_next - 1)
                    self.send_response(receiver.fail_status)
                    if receiver.retry_after:
                        self.send_header("Retry-After", receiver.retry_after)
                    self.end_headers()
                    return
                try:
                    payload = json.loads(body)
                except ValueError:
                    payload = {"raw": body.decode(errors="replace")}
                with receiver.received.lock:
                    receiver.received.webhooks.append(payload)
                    receiver.received.webhook_times.append(
                        (time.monotonic(), self.path, self.headers.get("Idempotency-Key"))
                    )
                if echo:
                    print(json.dumps(payload, ensure_ascii=False), flush=True)
                self.send_response(200)
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *args: Any) -> None:
                pass

        self._server = ThreadingHTTPServer((host, port), Hook)
        self.port = self._server.server_address[1]

    def start(self) -> WebhookReceiver:
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def main(argv: list[str] | None = None) -> int:
    """`python -m signalfire.testing webhook [--host H] [--port P]`: print every JSON POST."""
    import argparse

    parser = argparse.ArgumentParser(prog="python -m signalfire.testing")
    parser.add_argument("what", choices=["webhook"])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8765)
    args = parser.parse_args(argv)
    receiver = WebhookReceiver(Received(), args.port, host=args.host, echo=True)
    print(f"listening on http://{args.host}:{receiver.port}/", flush=True)
    receiver._server.serve_forever()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
