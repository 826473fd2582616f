"""Network failures for the conformance suite: a transport layer under the connector's HTTP
client that fails the first requests the way a vendor outage does, before any byte is sent.

A plugin author's stand-in cannot refuse connections on cue, so the kit does it itself, one
layer below cxsuite's client (under the egress policy's pinned transport), by raising the very
exception httpx raises for a refused connection. What is checked is everything above it: that
the connector and the client treat it as transient and retry."""

from __future__ import annotations

import httpx


class FailingTransport(httpx.AsyncBaseTransport):
    """Refuses the first ``failures`` requests (``httpx.ConnectError``), then passes them on."""

    def __init__(self, inner: httpx.AsyncBaseTransport, failures: int) -> None:
        self.inner, self.remaining, self.refused = inner, failures, 0

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        """Fail while failures remain, else send."""
        if self.remaining > 0:
            self.remaining -= 1
            self.refused += 1
            raise httpx.ConnectError("[Errno 111] Connection refused (conformance suite)", request=request)
        return await self.inner.handle_async_request(request)

    async def aclose(self) -> None:
        """Close the real transport."""
        await self.inner.aclose()
