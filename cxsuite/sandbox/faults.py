"""Network faults: what a vendor's network does to a client, below HTTP status codes.

The fault queue lives in :class:`~cxsuite.sandbox.state.Sandbox` (``inject``); vendors answer
the HTTP-level kinds themselves (429, 5xx, odd pages). The kinds here never reach a vendor
handler, so a connector sees exactly what a broken network gives it:

- ``reset``: the connection is reset (TCP RST) before any byte of the response;
- ``reset_mid_body``: the status line, headers and half the body arrive, then the connection
  closes, so the declared ``Content-Length`` is never met;
- ``slow``: the response is held back ``delay`` seconds (without blocking other requests);
- ``outage`` in ``reset`` mode: every request of the vendor is reset until the window ends.

An ``outage`` in ``refuse`` mode is not handled here: the server closes its listening socket
for the window (``server.py``), so new connections are refused by the kernel.

Every request to a vendor prefix counts, OAuth endpoints included: a network does not know
which endpoint it carries. Control API calls (``/_sandbox/``) are never faulted.
"""

from __future__ import annotations

import asyncio
import socket
import struct
from typing import Any

from cxsuite.sandbox.state import Sandbox

ASGIApp = Any
_VENDOR_OF_PREFIX = {
    "hubspot": "hubspot",
    "salesforce": "salesforce",
    "services": "salesforce",
    "zoho": "zoho",
    "google": "ga4",
    "ga4": "ga4",
}
NETWORK_KINDS = ("reset", "reset_mid_body", "slow", "outage")


def vendor_of(path: str) -> str | None:
    """The vendor a request path belongs to, or ``None`` (control API, unknown paths)."""
    return _VENDOR_OF_PREFIX.get(path.lstrip("/").split("/", 1)[0])


class NetworkFaults:
    """ASGI wrapper in front of the sandbox app that applies the network fault kinds.

    It must sit directly on the server's ``send`` (uvicorn's), because a reset needs the
    connection's transport, which uvicorn's ``send`` carries as ``send.__self__.transport``."""

    def __init__(self, app: ASGIApp, sandbox: Sandbox) -> None:
        self.app, self.sandbox = app, sandbox

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        vendor = vendor_of(scope.get("path", "")) if scope["type"] == "http" else None
        fault = self.sandbox.take_fault(vendor, *NETWORK_KINDS) if vendor else None
        if fault is None:
            await self.app(scope, receive, send)
        elif fault.kind == "slow":
            await asyncio.sleep(fault.delay)
            await self.app(scope, receive, send)
        elif fault.kind == "reset_mid_body":
            await self.app(scope, receive, _cut_after_half(send))
        else:  # reset, or an outage in reset mode
            await _reset(send)


async def _reset(send: Any) -> None:
    """Abort the connection with a TCP RST (SO_LINGER 0), then let the server notice."""
    transport = _transport(send)
    sock = transport.get_extra_info("socket")
    if sock is not None:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    transport.abort()
    await _until_disconnected()


def _cut_after_half(send: Any) -> Any:
    """A ``send`` that passes the response start and half the first body chunk, then closes
    the connection and drops whatever the app sends after that."""
    closed = False

    async def cut(message: dict[str, Any]) -> None:
        nonlocal closed
        if closed:
            return
        if message["type"] != "http.response.body":
            await send(message)
            return
        body = message.get("body", b"")
        await send({"type": "http.response.body", "body": body[: len(body) // 2], "more_body": True})
        closed = True
        _transport(send).close()
        await _until_disconnected()

    return cut


async def _until_disconnected() -> None:
    """Yield so the server's ``connection_lost`` runs before the handler returns (it then writes
    nothing more and logs nothing)."""
    for _ in range(3):
        await asyncio.sleep(0)


def _transport(send: Any) -> asyncio.Transport:
    transport = getattr(getattr(send, "__self__", None), "transport", None)
    if transport is None:
        raise RuntimeError("network faults need the sandbox served by uvicorn (cxsuite.sandbox.server)")
    return transport
