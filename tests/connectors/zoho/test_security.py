"""Zoho's multi-DC flow hands cxsuite three hosts over the network: ``location`` and
``accounts-server`` in the callback's query string (in the browser's hands) and ``api_domain``
in the token response. The code and the client secret go only to the accounts server the fixed
table gives for ``location``; an unknown location and an ``api_domain`` that is not a Zoho API
origin (or, with a stand-in, not the stand-in's) are refused and nothing is stored.

Real HTTP throughout: the sandbox, a loopback listener that must receive nothing, and a fake
accounts server (for the token responses the sandbox never sends)."""

from __future__ import annotations

import json
import threading
from collections.abc import AsyncIterator, Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

import httpx
import pytest
from cxsuite_zoho.connector import ZohoConnector
from cxsuite_zoho.datacentres import DATA_CENTRES, accounts_url, api_origin, centre

from cxsuite.connections import oauth
from cxsuite.connections.credentials import store_credentials
from cxsuite.connections.runtime import open_connection
from cxsuite.db.migrate import run_migrations
from cxsuite.db.session import Database
from cxsuite.db.sql import execute
from cxsuite.errors import ConnectorAuthError, SsrfBlocked
from cxsuite.testing import Fault, VendorHarness
from cxsuite.testing.environment import Environment, _connection, _tenant_with_workspace, kit_settings
from tests.connectors.zoho.harness import ZohoHarness

pytestmark = pytest.mark.anyio
HOSTILE_API = ("https://attacker.example", "http://www.zohoapis.eu", "https://www.zohoapis.eu.attacker.example",
               "https://www.zohoapis.eu@attacker.example", "https://attacker.example/www.zohoapis.eu",
               "https://www.zohoapis.eu:8443", "https://127.0.0.1", "https://zohoapis.eu", "")


@pytest.mark.parametrize("key", list(DATA_CENTRES))
def test_every_data_centre_has_its_own_accounts_and_api_host(key: str) -> None:
    dc = DATA_CENTRES[key]
    assert accounts_url(key, None) == f"https://{dc.accounts_host}"
    assert accounts_url(key.upper(), "http://stand-in:1/zoho") == f"http://stand-in:1/zoho/accounts/{key}"
    assert api_origin(f"https://{dc.api_host}/", None) == (f"https://{dc.api_host}", key)
    assert dc.accounts_host.startswith("accounts.zoho") and dc.api_host.startswith("www.zohoapis.")


@pytest.mark.parametrize("location", ["xx", "eu.attacker.example", "https://accounts.zoho.eu", "../us"])
def test_an_unknown_location_names_the_known_ones(location: str) -> None:
    with pytest.raises(ConnectorAuthError, match=r"unknown data centre.*us, eu, in, au, jp, ca, sa, uk, cn"):
        centre(location)


@pytest.mark.parametrize("domain", HOSTILE_API)
def test_other_api_domains_are_refused(domain: str) -> None:
    with pytest.raises(SsrfBlocked, match="refused"):
        api_origin(domain, None)


def test_with_a_stand_in_only_its_own_api_urls_are_accepted() -> None:
    base = "http://127.0.0.1:9/zoho"
    assert api_origin(f"{base}/api/eu/", base) == (f"{base}/api/eu", "eu")
    for domain in ("https://www.zohoapis.eu", f"{base}/api/xx", f"{base}/api/eu/../../x", "http://127.0.0.1:9"):
        with pytest.raises(SsrfBlocked, match="stand-in"):
            api_origin(domain, base)


class Server:
    """A loopback HTTP server recording what it receives; ``answer`` shapes its replies."""

    def __init__(self, answer: Callable[[BaseHTTPRequestHandler, str, bytes], None] | None = None) -> None:
        self.requests: list[tuple[str, str, bytes]] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def _handle(self, method: str) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", 0) or 0))
                server.requests.append((method, self.path, body))
                if answer is None:
                    self.send_response(404)
                    self.end_headers()
                else:
                    answer(self, method, body)

            def do_GET(self) -> None:
                self._handle("GET")

            def do_POST(self) -> None:
                self._handle("POST")

            def log_message(self, *args: Any) -> None:
                return None

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base_url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.netloc = urlsplit(self.base_url).netloc
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> Server:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


def fake_accounts(token_body: dict[str, Any]) -> Server:
    """Zoho accounts servers: consent redirects with ``location=eu``; the token call answers
    ``token_body`` with HTTP 200 (Zoho's way, errors included)."""

    def answer(handler: BaseHTTPRequestHandler, method: str, body: bytes) -> None:
        if method == "GET":
            query = dict(parse_qsl(urlsplit(handler.path).query))
            callback = {"code": "1000.fakecode", "state": query["state"], "location": "eu",
                        "accounts-server": "https://accounts.zoho.eu"}
            handler.send_response(302)
            handler.send_header("Location", f"{query['redirect_uri']}?{urlencode(callback)}")
            handler.end_headers()
            return
        reply = json.dumps(token_body).encode()
        handler.send_response(200)
        handler.send_header("Content-Type", "application/json")
        handler.send_header("Content-Length", str(len(reply)))
        handler.end_headers()
        handler.wfile.write(reply)

    return Server(answer)


class FakeHarness(VendorHarness):
    """A connection pointed at the fake accounts server (as a stand-in, or not)."""

    connector = ZohoConnector

    def __init__(self, fake: Server, config: dict[str, Any]) -> None:
        self.allowed_hosts = (fake.netloc,)
        self._config = config

    def config(self) -> dict[str, Any]:
        return self._config

    def oauth_client(self) -> dict[str, str]:
        return {"client_id": "1000.FAKE", "client_secret": "fake-secret"}

    def expected_ids(self, stream: str) -> set[str]:
        return set()

    def inject(self, fault: Fault, count: int = 1) -> None:
        raise NotImplementedError

    def expire_tokens(self) -> None:
        raise NotImplementedError


@pytest.fixture
def listener() -> Iterator[Server]:
    """A loopback server that must never be called (it is even an allowed connector host)."""
    with Server() as server:
        yield server


@pytest.fixture
async def unconnected(tmp_path: Any, cxsuite_kit_database: tuple[str, str] | None) -> AsyncIterator[Any]:
    """``await unconnected(harness)``: a tenant and a connection not yet authorised."""
    databases: list[Database] = []

    async def opener(harness: VendorHarness) -> Environment:
        settings = kit_settings(harness, tmp_path, cxsuite_kit_database)
        await run_migrations(settings)
        db = Database.from_url(settings.database_url)
        await db.start()
        databases.append(db)
        principal = await _tenant_with_workspace(db)
        connection_id = await _connection(db, settings, harness, principal)
        return Environment(settings, db, harness, principal, connection_id)

    yield opener
    for db in databases:
        await db.close()


async def _authorise(env: Environment, **tamper: str) -> oauth.CallbackOutcome:
    """Consent, then the callback with ``tamper`` applied to its query (as an attacker would)."""
    url = await oauth.start(env.db, env.settings, env.principal, ZohoConnector, env.connection_id)
    async with httpx.AsyncClient(timeout=10) as http:
        response = await http.get(url)
    params = {**dict(parse_qsl(urlsplit(response.headers["location"]).query)), **tamper}
    return await oauth.complete(env.db, env.settings, env.connectors, params, "test")


async def _status(env: Environment) -> tuple[str, Any]:
    async with env.db.transaction(env.principal.tenant_id, write=False):
        rows = await execute(env.db.engine, "SELECT status, credentials FROM connection "
                             "WHERE tenant_id = {} AND id = {}", env.principal.tenant_id, env.connection_id)
    return rows[0]["status"], rows[0]["credentials"]


def _token_posts(private_sandbox: Any) -> list[str]:
    return [r.path for r in private_sandbox.sandbox.requests("zoho") if r.method == "POST"]


@pytest.mark.parametrize("where", ["listener", "https://attacker.example", "https://accounts.zoho.com"])
async def test_the_code_goes_to_the_locations_accounts_server_not_accounts_server(
        where, private_sandbox, listener, unconnected):
    harness = ZohoHarness(private_sandbox)
    harness.allowed_hosts = (*harness.allowed_hosts, listener.netloc)
    env = await unconnected(harness)
    outcome = await _authorise(env, **{"accounts-server": listener.base_url if where == "listener" else where})
    assert outcome.ok, outcome.message
    assert listener.requests == []
    assert _token_posts(private_sandbox) == ["/zoho/accounts/eu/oauth/v2/token"]
    assert (await env.credentials())["extra"]["data_centre"] == "eu"


@pytest.mark.parametrize("location", ["xx", "attacker.example", "eu.attacker.example"])
async def test_an_unknown_location_is_refused_and_nothing_is_sent(location, private_sandbox, listener, unconnected):
    harness = ZohoHarness(private_sandbox)
    harness.allowed_hosts = (*harness.allowed_hosts, listener.netloc)
    env = await unconnected(harness)
    outcome = await _authorise(env, location=location, **{"accounts-server": listener.base_url})
    assert not outcome.ok and "unknown data centre" in outcome.message
    assert listener.requests == [] and _token_posts(private_sandbox) == []
    status, credentials = await _status(env)
    assert status != "connected" and not credentials


def _production(monkeypatch: pytest.MonkeyPatch, fake: Server) -> None:
    """Zoho's real rules (no stand-in configured), with the fake playing accounts.zoho.*."""
    monkeypatch.setattr(ZohoConnector, "authorize_endpoint",
                        classmethod(lambda cls, c: f"{fake.base_url}/accounts/us/oauth/v2/auth"))
    monkeypatch.setattr(ZohoConnector, "token_endpoint",
                        classmethod(lambda cls, c, p: f"{fake.base_url}/accounts/{centre(p['location']).key}"
                                    "/oauth/v2/token"))


async def _assert_refused(env: Environment, fake: Server, outcome: oauth.CallbackOutcome, words: str) -> None:
    assert not outcome.ok and words in outcome.message, outcome.message
    assert [(m, urlsplit(p).path) for m, p, _ in fake.requests] == [
        ("GET", "/accounts/us/oauth/v2/auth"), ("POST", "/accounts/eu/oauth/v2/token")]
    status, credentials = await _status(env)
    assert status != "connected" and not credentials


@pytest.mark.parametrize("domain", [d for d in HOSTILE_API if d])
async def test_a_hostile_api_domain_is_refused_at_connect_time(domain, unconnected, monkeypatch):
    with fake_accounts({"access_token": "1000.a", "refresh_token": "1000.r", "api_domain": domain,
                        "token_type": "Bearer", "expires_in": 3600}) as fake:
        _production(monkeypatch, fake)
        env = await unconnected(FakeHarness(fake, {}))
        await _assert_refused(env, fake, await _authorise(env), "refused")


@pytest.mark.parametrize("domain", ["https://attacker.example", "https://www.zohoapis.eu", "{base}/api/xx",
                                    "{base}/api/eu.attacker"])
async def test_with_a_stand_in_only_its_api_domain_is_accepted(domain, unconnected):
    body: dict[str, Any] = {"access_token": "1000.a", "expires_in": 3600}
    with fake_accounts(body) as stand_in:
        body["api_domain"] = domain.format(base=stand_in.base_url)
        env = await unconnected(FakeHarness(stand_in, {"base_url": stand_in.base_url}))
        await _assert_refused(env, stand_in, await _authorise(env), "refused")


async def test_with_a_stand_in_its_own_api_domain_is_stored(unconnected):
    body: dict[str, Any] = {"access_token": "1000.a", "expires_in": 3600}
    with fake_accounts(body) as stand_in:
        body["api_domain"] = f"{stand_in.base_url}/api/eu"
        env = await unconnected(FakeHarness(stand_in, {"base_url": stand_in.base_url}))
        outcome = await _authorise(env)
        assert outcome.ok, outcome.message
        assert (await env.credentials())["extra"] == {"api_domain": body["api_domain"], "data_centre": "eu"}


async def test_a_zoho_api_domain_is_stored_with_its_data_centre(unconnected, monkeypatch):
    with fake_accounts({"access_token": "1000.a", "refresh_token": "1000.r", "api_domain": "https://www.zohoapis.eu",
                        "token_type": "Bearer", "expires_in": 3600}) as fake:
        _production(monkeypatch, fake)
        env = await unconnected(FakeHarness(fake, {}))
        outcome = await _authorise(env)
        assert outcome.ok, outcome.message
        credentials = await env.credentials()
        assert credentials["extra"] == {"api_domain": "https://www.zohoapis.eu", "data_centre": "eu"}
        assert ZohoConnector.base_url(ZohoConnector.config_type(), credentials["extra"]) == (
            "https://www.zohoapis.eu/crm/v8")


async def test_a_token_error_in_a_200_answer_is_a_clear_refusal(unconnected, monkeypatch):
    with fake_accounts({"error": "invalid_code"}) as fake:
        _production(monkeypatch, fake)
        env = await unconnected(FakeHarness(fake, {}))
        await _assert_refused(env, fake, await _authorise(env), "invalid_code")


async def test_a_tampered_stored_api_domain_is_never_called(private_sandbox, open_env):
    """Credentials naming another host (however they got there) stop the sync before a request."""
    async with open_env(ZohoHarness(private_sandbox)) as env:
        credentials = await env.credentials()
        credentials["extra"]["api_domain"] = "https://attacker.example"
        async with env.db.transaction(env.principal.tenant_id):
            await store_credentials(env.settings, env.principal.tenant_id, env.connection_id, credentials,
                                    status="connected")
        private_sandbox.sandbox.clear_requests()
        with pytest.raises(SsrfBlocked, match="api_domain"):
            async with open_connection(env.db, env.settings, env.connectors, env.principal.tenant_id,
                                       env.connection_id):
                pass
        assert private_sandbox.sandbox.requests("zoho") == []
