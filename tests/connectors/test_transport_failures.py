"""Network failures between cxsuite and a vendor are transient: the client retries them with
backoff, and past its budget raises :class:`ConnectorTransientError`, which the job runner
retries later. Each failure here is produced for real on loopback: a port nobody listens on
(refused), a server that closes the socket in the middle of a body (reset), one that answers
too slowly (read timeout), and a resolver that cannot answer (DNS)."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator, Callable

import httpx
import pytest

from cxsuite.connectors.egress import EgressPolicy, PinnedTransport
from cxsuite.connectors.http import RetryPolicy, VendorClient
from cxsuite.errors import ConnectorRateLimited, ConnectorTransientError, FailureClass
from cxsuite.failures import classify
from tests.connectors.test_http import Script, Vendor, client_for, serve, vendor_app
from tests.support.server import free_port

pytestmark = pytest.mark.anyio
OK_BODY = b'{"ok": true}'


class RawServer:
    """An asyncio TCP server answering each connection with the next scripted behaviour:
    ``"ok"`` (a full JSON answer), ``"reset"`` (headers, half a body, then close),
    ``"slow"`` (answers after two seconds) or ``"503"``; then ``"ok"`` forever."""

    def __init__(self, port: int, script: list[str]) -> None:
        self.port, self.script, self.connections = port, list(script), 0
        self.server: asyncio.AbstractServer | None = None

    async def start(self) -> None:
        self.server = await asyncio.start_server(self._handle, "127.0.0.1", self.port)

    async def stop(self) -> None:
        if self.server is not None:
            self.server.close()
            await self.server.wait_closed()

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        await reader.readuntil(b"\r\n\r\n")
        behaviour = self.script.pop(0) if self.script else "ok"
        if behaviour == "slow":
            await asyncio.sleep(2)
        if behaviour == "reset":
            writer.write(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 400\r\n\r\n{\"ok\"")
            await writer.drain()
            writer.transport.abort()
            return
        status = b"503 Service Unavailable" if behaviour == "503" else b"200 OK"
        writer.write(b"HTTP/1.1 " + status + b"\r\nContent-Type: application/json\r\nConnection: close\r\n"
                     b"Content-Length: " + str(len(OK_BODY)).encode() + b"\r\n\r\n" + OK_BODY)
        await writer.drain()
        writer.close()


def client(port: int, sleeps: list[float], *, on_sleep: Callable[[], object] | None = None,
           resolver=None, read_timeout: float = 5.0, attempts: int = 4) -> VendorClient:
    configured = (f"127.0.0.1:{port}", f"vendor.test:{port}")
    policy = EgressPolicy.for_hosts((), configured, **({"resolver": resolver} if resolver else {}))
    http = httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", transport=PinnedTransport(policy),
                             follow_redirects=False, timeout=httpx.Timeout(5.0, read=read_timeout))

    async def sleep(seconds: float) -> None:
        sleeps.append(seconds)
        if on_sleep is not None:
            result = on_sleep()
            if asyncio.iscoroutine(result):
                await result

    return VendorClient(Vendor, http, None, policy=RetryPolicy(max_attempts=attempts), sleep=sleep)


@pytest.fixture
async def raw() -> AsyncIterator[Callable[[list[str]], RawServer]]:
    servers: list[RawServer] = []

    def make(script: list[str]) -> RawServer:
        server = RawServer(free_port(), script)
        servers.append(server)
        return server

    yield make
    for server in servers:
        await server.stop()


async def test_connection_refused_is_retried_then_raised_as_transient():
    port, sleeps = free_port(), []
    with pytest.raises(ConnectorTransientError) as caught:
        await client(port, sleeps).get("/data")
    failure = classify(caught.value)
    assert failure.failure_class is FailureClass.TRANSIENT
    assert "Vendor could not be reached" in failure.message and "ConnectError" in failure.message
    assert "gave up after 4 attempt(s)" in failure.message
    assert len(sleeps) == 3  # backed off between the four attempts


async def test_a_short_outage_is_ridden_out_inside_the_client(raw):
    """Refused twice (the vendor is down), then the vendor is back: the caller sees one answer."""
    server, sleeps = raw([]), []

    async def vendor_returns() -> None:
        if len(sleeps) == 2:
            await server.start()

    response = await client(server.port, sleeps, on_sleep=vendor_returns).get("/data")
    assert response.status_code == 200 and response.json() == {"ok": True}
    assert len(sleeps) == 2
    assert all(0 <= s <= 30 for s in sleeps)  # full-jitter backoff, no Retry-After to honour


async def test_a_connection_reset_in_the_middle_of_the_body_is_retried(raw):
    server = raw(["reset", "reset"])
    await server.start()
    sleeps: list[float] = []
    response = await client(server.port, sleeps).get("/data")
    assert response.json() == {"ok": True}
    assert server.connections == 3 and len(sleeps) == 2


async def test_a_read_timeout_is_retried(raw):
    server = raw(["slow"])
    await server.start()
    sleeps: list[float] = []
    response = await client(server.port, sleeps, read_timeout=0.5).get("/data")
    assert response.json() == {"ok": True} and len(sleeps) == 1


async def test_a_burst_of_5xx_is_retried_and_its_end_is_transient(raw):
    server = raw(["503"] * 3)
    await server.start()
    response = await client(server.port, []).get("/data")
    assert response.status_code == 200
    endless = raw(["503"] * 10)
    await endless.start()
    with pytest.raises(ConnectorTransientError) as caught:
        await client(endless.port, []).get("/data")
    assert classify(caught.value).failure_class is FailureClass.TRANSIENT


async def test_a_dns_failure_is_transient_not_a_refused_host(raw):
    """A resolver that cannot answer right now (EAI_AGAIN) is a network problem, retried; only a
    name that does not exist is the connection's configuration."""
    server = raw([])
    await server.start()
    calls = {"n": 0}

    async def flaky_resolver(host: str, port: int) -> list[str]:
        calls["n"] += 1
        if calls["n"] <= 2:
            raise socket.gaierror(socket.EAI_AGAIN, "Temporary failure in name resolution")
        return ["127.0.0.1"]

    sleeps: list[float] = []
    vendor = client(server.port, sleeps, resolver=flaky_resolver)
    response = await vendor.get(f"http://vendor.test:{server.port}/data")
    assert response.json() == {"ok": True} and len(sleeps) == 2

    async def down_resolver(host: str, port: int) -> list[str]:
        raise socket.gaierror(socket.EAI_AGAIN, "Temporary failure in name resolution")

    with pytest.raises(ConnectorTransientError) as caught:
        await client(server.port, [], resolver=down_resolver).get(f"http://vendor.test:{server.port}/data")
    assert classify(caught.value).failure_class is FailureClass.TRANSIENT


async def test_a_long_rate_limit_wait_becomes_rate_limited_with_its_resume_time():
    """A 429 whose Retry-After is longer than the client sleeps pauses the job until then."""
    script, port = Script(), free_port()
    script.queue.append((429, {"Retry-After": "3600"}))
    with serve(vendor_app(script, free_port()), port), pytest.raises(ConnectorRateLimited) as caught:
        await client_for(port).get("/data")
    failure = classify(caught.value)
    assert failure.failure_class is FailureClass.RATE_LIMITED
    assert failure.retry_after == pytest.approx(3600, abs=2) and failure.resume_at is not None
    assert "Vendor rate limit reached (answered 429); resumes at" in failure.message
