"""structlog set-up: JSON lines in production, a console renderer on a TTY; secrets redacted
(by `ops.redaction`).

Third-party loggers (faust, aiokafka, apprise) go through the same pipeline so every line on
stderr has one format and the redaction applies to them too.
"""

from __future__ import annotations

import logging
import sys
from typing import Any

import structlog

from signalfire.ops import redaction


def configure(level: str = "info", fmt: str = "auto") -> None:
    """Configure structlog and route stdlib logging through it (idempotent)."""
    use_console = fmt == "console" or (fmt == "auto" and sys.stderr.isatty())
    shared: list[Any] = [
        structlog.contextvars.merge_contextvars,
        structlog.stdlib.add_log_level,
        structlog.stdlib.add_logger_name,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
        structlog.processors.format_exc_info,
        redaction.structlog_processor,
    ]
    renderer: Any = (
        structlog.dev.ConsoleRenderer(colors=True)
        if use_console
        else structlog.processors.JSONRenderer()
    )
    structlog.configure(
        processors=[*shared, structlog.stdlib.ProcessorFormatter.wrap_for_formatter],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=False,
    )
    formatter = structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=shared,
        processors=[structlog.stdlib.ProcessorFormatter.remove_processors_meta, renderer],
    )
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(formatter)
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    # Chatty libraries: their INFO lines are noise for operators.
    for name in ("aiokafka", "kafka", "faust", "mode", "apprise"):
        logging.getLogger(name).setLevel(max(logging.WARNING, root.level))
