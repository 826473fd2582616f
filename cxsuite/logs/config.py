"""One logging set-up for every process (web, worker, CLI): structlog renders our events and,
through :class:`structlog.stdlib.ProcessorFormatter`, every standard-library record too, with
the same context, redaction and format."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import structlog

from cxsuite.logs.redaction import redact_event

# Libraries that print secrets (or floods) below some level, and the lowest level they may log
# at whatever CXSUITE_LOG_LEVEL says; found by reading their logging calls and by running a
# deployment at DEBUG (tests/ops/test_log_secrets.py). hpack comes with httpx[http2], which is
# not installed today; the floor is there for the day it is.
FLOORS = {
    "aiosqlite": logging.INFO,        # DEBUG: every statement with its parameters (hashes, tokens)
    "httpx": logging.WARNING,         # INFO: every request URL, query strings included
    "httpcore": logging.WARNING,      # DEBUG: response headers (vendor cookies)
    "hpack": logging.WARNING,         # DEBUG: decoded HTTP/2 headers (Authorization)
    "uvicorn.asgi": logging.INFO,     # TRACE: every ASGI scope with its headers
    "faker": logging.INFO,            # DEBUG: dozens of locale lines (noise, not secrets)
}
# uvicorn's access line carries the raw query string (OAuth codes); the request log replaces it.
SILENCED = ("uvicorn.access",)
# Loggers that come with handlers of their own (uvicorn's default config): ours takes over.
ADOPTED = ("uvicorn", "uvicorn.error")


@contextmanager
def bind(**values: Any) -> Iterator[None]:
    """Add ``values`` (as text) to every log line emitted inside the block."""
    with structlog.contextvars.bound_contextvars(**{k: str(v) for k, v in values.items()}):
        yield


def add_context(**values: Any) -> None:
    """Add ``values`` to the lines of the rest of the current request (whose log context
    :class:`cxsuite.api.request_log.RequestLog` opens and clears)."""
    structlog.contextvars.bind_contextvars(**{k: str(v) for k, v in values.items()})


def get_logger(name: str) -> Any:
    """A structlog logger for key-value events (``log.info("request", status=200)``)."""
    return structlog.stdlib.get_logger(name)


def configure_logging(level: str, as_json: bool) -> None:
    """Install one handler on the root logger and configure structlog (idempotent)."""
    structlog.configure(
        processors=[structlog.stdlib.filter_by_level, structlog.processors.StackInfoRenderer(),
                    structlog.stdlib.ProcessorFormatter.wrap_for_formatter],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=True,
    )
    handler = logging.StreamHandler()
    handler.setFormatter(structlog.stdlib.ProcessorFormatter(
        processors=[
            structlog.contextvars.merge_contextvars,  # formatting runs in the caller's context
            structlog.stdlib.add_log_level,
            structlog.stdlib.add_logger_name,
            structlog.stdlib.ProcessorFormatter.remove_processors_meta,
            structlog.processors.TimeStamper(fmt="iso", utc=True, key="time"),
            structlog.processors.format_exc_info,
            structlog.processors.EventRenamer("message"),
            _standard_fields,
            redact_event,
            structlog.processors.JSONRenderer() if as_json else structlog.dev.ConsoleRenderer(
                colors=False, event_key="message", timestamp_key="time"),
        ]))
    root = logging.getLogger()
    root.handlers = [handler]
    root.setLevel(level)
    for name, floor in FLOORS.items():
        logging.getLogger(name).setLevel(max(root.level, floor))
    for name in ADOPTED:
        logging.getLogger(name).handlers = []
        logging.getLogger(name).propagate = True
        logging.getLogger(name).setLevel(logging.NOTSET)
    for name in SILENCED:
        logging.getLogger(name).handlers = []
        logging.getLogger(name).propagate = False
        logging.getLogger(name).disabled = True


def _standard_fields(_logger: Any, _method: str, event: dict[str, Any]) -> dict[str, Any]:
    """``time, level, logger, message`` first, in the shape the JSON lines have always had."""
    head = {"time": event.pop("time", None), "level": str(event.pop("level", "")).upper(),
            "logger": event.pop("logger", ""), "message": event.pop("message", "")}
    return {**head, **event}
