"""One log line per HTTP request, and the request id that ties it to every other line.

It wraps Litestar's whole ASGI handler (router and exception handling included), so unknown
routes, refused tokens and crashes are logged like any other request. The line names the
route *template* (``/api/v1/connections/{connection_id:uuid}``), never the raw path, and the
query string only with the values of sensitive keys (``code``, ``state``, ``token``...) replaced;
bodies are never logged. uvicorn's own access log is switched off (``cxsuite.logs``).
"""

from __future__ import annotations

import re
import time
import uuid
from typing import Any

import structlog
from litestar.types import ASGIApp, Message, Receive, Scope, Send

from cxsuite.logs import get_logger
from cxsuite.logs.redaction import redact_query

HEADER = "x-request-id"
# A proxy's or client's id is kept when it is short and plain; anything else is replaced.
_SANE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:=+/-]{0,127}")

log = get_logger("cxsuite.request")


def request_id(scope: Scope) -> str:
    """The caller's ``X-Request-ID`` when it is sane, else a fresh one."""
    for name, value in scope["headers"]:
        if name == HEADER.encode():
            text = value.decode("latin-1")
            if _SANE_ID.fullmatch(text):
                return text
            break
    return uuid.uuid4().hex


class RequestLog:
    """ASGI middleware: binds ``request_id``, returns it as ``X-Request-ID``, logs the outcome."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Serve the request inside its logging context and log one line when it ends."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        rid = request_id(scope)
        outcome: dict[str, Any] = {"status": 500}
        started = time.perf_counter()

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                outcome["status"] = message["status"]
                message["headers"] = [*message.get("headers", []), (HEADER.encode(), rid.encode())]
            await send(message)

        structlog.contextvars.clear_contextvars()  # each request starts from no context
        structlog.contextvars.bind_contextvars(request_id=rid)
        try:
            await self.app(scope, receive, send_with_id)
        finally:
            log.info(_message(scope, outcome["status"]), **_fields(scope, outcome["status"], started))
            structlog.contextvars.clear_contextvars()


def _message(scope: Scope, status: int) -> str:
    return f"{scope['method']} {scope.get('path_template') or '(no route)'} {status}"


def _fields(scope: Scope, status: int, started: float) -> dict[str, Any]:
    user = scope.get("user")
    fields: dict[str, Any] = {
        "method": scope["method"], "route": scope.get("path_template"), "status": status,
        "duration_ms": round((time.perf_counter() - started) * 1000, 1),
        "tenant_id": str(user.tenant_id) if hasattr(user, "tenant_id") else None,
        "user_id": str(user.user_id) if hasattr(user, "user_id") else None,
        "client": scope["client"][0] if scope.get("client") else None,
    }
    query = scope.get("query_string", b"").decode("latin-1")
    if query:
        fields["query"] = redact_query(query)
    return fields
