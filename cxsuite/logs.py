"""Logging set-up: plain lines for people, one JSON object per line for machines.

Context such as the job id, tenant and workspace is bound in a context variable with
:func:`bind` and added to every line emitted while it is bound.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any

_context: ContextVar[dict[str, Any]] = ContextVar("cxsuite_log_context", default={})  # noqa: B039


@contextmanager
def bind(**values: Any) -> Iterator[None]:
    """Add ``values`` to every log line emitted inside the block."""
    token = _context.set({**_context.get(), **{k: str(v) for k, v in values.items()}})
    try:
        yield
    finally:
        _context.reset(token)


class _ContextFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.context = _context.get()
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line with the bound context."""

    def format(self, record: logging.LogRecord) -> str:
        """Serialise the record, its context and any exception."""
        entry = {"time": datetime.fromtimestamp(record.created, UTC).isoformat(),
                 "level": record.levelname, "logger": record.name,
                 "message": record.getMessage(), **getattr(record, "context", {})}
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str)


class TextFormatter(logging.Formatter):
    """Readable lines with the bound context appended as ``key=value``."""

    def format(self, record: logging.LogRecord) -> str:
        """The standard line plus context."""
        line = super().format(record)
        context = getattr(record, "context", {})
        return line + ("".join(f" {k}={v}" for k, v in context.items()) if context else "")


def configure_logging(level: str, as_json: bool) -> None:
    """Install one handler on the root logger (idempotent)."""
    handler = logging.StreamHandler()
    handler.addFilter(_ContextFilter())
    handler.setFormatter(JsonFormatter() if as_json else TextFormatter(
        "%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.handlers = [handler]
    root.setLevel(level)
    # httpx logs every request URL at INFO; vendor URLs can carry codes or tokens in queries.
    for noisy in ("httpx", "httpcore"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
