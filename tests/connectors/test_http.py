"""The vendor HTTP client against a real local server: retries, Retry-After, refresh on 401,
redirects refused, rate budget, and no secret in errors or logs."""

from __future__ import annotations

import logging
import threading
from collections import deque
from contextlib import contextmanager

import httpx
import pytest
import uvicorn
from litestar import Litestar, Request, Response, get

from cxsuite.connectors import BaseConnector, StreamSpec
from cxsuite.connectors.egress import EgressPolicy, PinnedTransport
from cxsuite.connectors.http import RetryPolicy, VendorClient, retry_after_seconds
from cxsuite.errors import ConnectorAuthError, ConnectorTransientError, SsrfBlocked
from tests.support.server import free_port

pytestmark = pytest.mark.anyio
SECRET = "tok_super_secret_value"


class Vendor(BaseConnector):
    key = "vendor"
    display_name = "Vendor"
    streams = (StreamSpec("x", "customer"),)


class Script:
    """Responses the fake vendor gives, in order; then 200s."""

    def __init__(self) -> None:
        self.queue: deque[tuple[int, dict[str, str]]] = deque()
        self.seen_auth: list[str] = []
        self.hits = 0


def vendor_app(script: Script, other_port: int) -> Litestar:
    @get("/data")
    async def data(request: Request) -> Response:
        script.hits += 1
        script.seen_auth.append(request.headers.get("authorization", ""))
        status, headers = script.queue.popleft() if script.queue else (200, {})
        return Response({"ok": status == 200}, status_code=status, headers=headers)

    @get("/redirect")
    async def redirect() -> Response:
        return Response("", status_code=302, headers={"Location": f"http://127.0.0.1:{other_port}/secret"})

    @get("/unchanged")
    async def unchanged() -> Response:
        return Response(b"", status_code=304)

    return Litestar([data, redirect, unchanged], openapi_config=None)


@contextmanager
def serve(app: Litestar, port: int):
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        pass
    try:
        yield
    finally:
        server.should_exit = True
        thread.join(5)


@pytest.fixture
def vendor():
    script, port, other = Script(), free_port(), free_port()
    bystander = Script()
    with serve(vendor_app(script, other), port), serve(vendor_app(bystander, port), other):
        yield script, port, bystander


class Auth:
    def __init__(self, tokens: list[str]) -> None:
        self.tokens, self.refreshes = tokens, 0

    async def apply(self, request: httpx.Request) -> None:
        request.headers["Authorization"] = f"Bearer {self.tokens[0]}"

    async def refresh(self) -> None:
        self.refreshes += 1
        self.tokens.pop(0)
        if not self.tokens:
            raise ConnectorAuthError("refresh refused; reconnect")


def client_for(port: int, auth=None, sleeps: list | None = None) -> VendorClient:
    policy = EgressPolicy.for_hosts((), (f"127.0.0.1:{port}",))
    http = httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", transport=PinnedTransport(policy),
                             follow_redirects=False)

    async def fake_sleep(seconds: float) -> None:
        (sleeps if sleeps is not None else []).append(seconds)

    return VendorClient(Vendor, http, auth, policy=RetryPolicy(max_attempts=4, max_wait=120),
                        sleep=fake_sleep)


async def test_429_with_and_without_retry_after_then_success(vendor):
    script, port, _ = vendor
    script.queue.extend([(429, {"Retry-After": "7"}), (429, {}), (503, {})])
    sleeps: list[float] = []
    response = await client_for(port, sleeps=sleeps).get("/data")
    assert response.status_code == 200
    assert script.hits == 4
    assert sleeps[0] == 7  # honoured
    assert all(0 <= s <= 30 for s in sleeps[1:])  # backoff without the header


async def test_always_failing_vendor_gives_up_with_a_transient_error(vendor):
    script, port, _ = vendor
    script.queue.extend([(500, {})] * 10)
    with pytest.raises(ConnectorTransientError, match="gave up after 4"):
        await client_for(port).get("/data")
    assert script.hits == 4


async def test_a_wait_longer_than_the_client_sleeps_defers_the_job(vendor):
    script, port, _ = vendor
    script.queue.append((429, {"Retry-After": "3600"}))
    with pytest.raises(ConnectorTransientError) as caught:
        await client_for(port).get("/data")
    assert caught.value.retry_after == 3600


async def test_401_refreshes_once_and_retries(vendor):
    script, port, _ = vendor
    script.queue.append((401, {}))
    auth = Auth(["old-token", "new-token"])
    response = await client_for(port, auth).get("/data")
    assert response.status_code == 200
    assert auth.refreshes == 1
    assert script.seen_auth == ["Bearer old-token", "Bearer new-token"]


async def test_401_after_refresh_means_reconnect_and_never_shows_the_token(vendor, caplog):
    script, port, _ = vendor
    script.queue.extend([(401, {}), (401, {})])
    caplog.set_level(logging.DEBUG, logger="cxsuite")
    with pytest.raises(ConnectorAuthError) as caught:
        await client_for(port, Auth([SECRET, SECRET + "2", SECRET + "3"])).get("/data?code=abc")
    assert SECRET not in str(caught.value)
    ours = "\n".join(r.getMessage() for r in caplog.records if r.name.startswith("cxsuite"))
    assert ours  # the client did log the attempts
    assert SECRET not in ours
    assert "code=abc" not in ours


def test_production_logging_silences_httpx_request_lines():
    from cxsuite.logs import configure_logging

    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    try:
        configure_logging("DEBUG", as_json=True)
        assert logging.getLogger("httpx").getEffectiveLevel() == logging.WARNING
    finally:
        root.handlers, root.level = handlers, level


async def test_a_redirect_to_loopback_is_refused_and_nothing_reaches_it(vendor):
    _, port, bystander = vendor
    with pytest.raises(SsrfBlocked, match="redirects are not followed"):
        await client_for(port).get("/redirect")
    assert bystander.hits == 0


async def test_a_304_without_a_location_is_an_answer_not_a_redirect(vendor):
    """Conditional reads (Zoho's If-Modified-Since) answer 304 Not Modified: the caller decides."""
    _, port, _ = vendor
    response = await client_for(port).get("/unchanged")
    assert response.status_code == 304


def test_retry_after_reads_seconds_dates_and_reset_headers():
    assert retry_after_seconds(httpx.Headers({"Retry-After": "12"})) == 12
    assert retry_after_seconds(httpx.Headers({"Retry-After": "Wed, 21 Oct 2015 07:28:00 GMT"})) == 0
    assert retry_after_seconds(httpx.Headers({"RateLimit-Reset": "3"})) == 3
    assert retry_after_seconds(httpx.Headers({})) is None
