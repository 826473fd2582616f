"""Salesforce's ``instance_url`` comes from the network: a token response naming a host that is
not a Salesforce origin (or not the configured stand-in) is refused before anything is sent
there, and the connection is not stored as connected. A fake login host (a real HTTP server
on loopback) plays the vendor that hands out the hostile URL."""

from __future__ import annotations

import json
import threading
from collections.abc import AsyncIterator, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

import httpx
import msgspec
import pytest
from cxsuite_salesforce.config import SalesforceConfig, salesforce_origin
from cxsuite_salesforce.connector import SalesforceConnector

from cxsuite.connections import oauth
from cxsuite.connections.credentials import store_credentials
from cxsuite.connections.runtime import open_connection
from cxsuite.db.migrate import run_migrations
from cxsuite.db.session import Database
from cxsuite.db.sql import execute
from cxsuite.errors import ConnectorAuthError, SsrfBlocked
from cxsuite.testing import Fault, VendorHarness
from cxsuite.testing.environment import Environment, _connection, _tenant_with_workspace, kit_settings
from tests.connectors.salesforce.harness import SalesforceHarness, sync

pytestmark = pytest.mark.anyio

HOSTILE = ("https://x.salesforce.com.attacker.example", "https://127.0.0.1", "http://acme.my.salesforce.com")


@pytest.mark.parametrize("url", [
    "https://acme.my.salesforce.com", "https://na139.salesforce.com/", "https://acme.lightning.force.com",
    "https://ACME.my.salesforce.com.", "https://acme--uat.sandbox.my.salesforce.com:443"])
def test_salesforce_origins_are_accepted(url: str) -> None:
    assert salesforce_origin(url) == "https://" + urlsplit(url).hostname.rstrip(".").lower()


@pytest.mark.parametrize("url", [
    *HOSTILE, "https://salesforce.com.attacker.example", "https://notsalesforce.com",
    "https://attacker.example/acme.my.salesforce.com", "https://acme.my.salesforce.com@attacker.example",
    "https://user@acme.my.salesforce.com", "https://acme.my.salesforce.com:8443",
    "https://acme.my.salesforce.com/services/data", "https://2130706433", "https://[::1]",
    "ftp://acme.my.salesforce.com", "javascript:alert(1)", ""])
def test_other_urls_are_refused(url: str) -> None:
    with pytest.raises(SsrfBlocked):
        salesforce_origin(url)


def test_login_url_and_api_version_are_checked_in_the_config() -> None:
    with pytest.raises(msgspec.ValidationError, match="login_url"):
        msgspec.convert({"login_url": "https://login.salesforce.com.attacker.example"}, SalesforceConfig)
    with pytest.raises(msgspec.ValidationError, match="api_version"):
        msgspec.convert({"api_version": "latest"}, SalesforceConfig)
    with pytest.raises(msgspec.ValidationError, match="case_csat_field"):
        msgspec.convert({"case_csat_field": "CSAT__c FROM User"}, SalesforceConfig)


@pytest.mark.parametrize("url", HOSTILE)
def test_a_stored_instance_url_is_checked_again_before_use(url: str) -> None:
    with pytest.raises(SsrfBlocked):
        SalesforceConnector.base_url(SalesforceConfig(), {"instance_url": url})


class FakeLogin:
    """A Salesforce login host on loopback whose token response names ``instance_url``."""

    def __init__(self, instance_url: str) -> None:
        self.instance_url = instance_url
        self.requests: list[tuple[str, str]] = []
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                fake.requests.append(("GET", urlsplit(self.path).path))
                query = dict(parse_qsl(urlsplit(self.path).query))
                target = f"{query['redirect_uri']}?{urlencode({'code': 'aPrx==', 'state': query['state']})}"
                self.send_response(302)
                self.send_header("Location", target)
                self.end_headers()

            def do_POST(self) -> None:
                fake.requests.append(("POST", urlsplit(self.path).path))
                self.rfile.read(int(self.headers.get("Content-Length", 0)))
                body = json.dumps({"access_token": "00Dx!fake", "refresh_token": "5Aep-fake",
                                   "instance_url": fake.instance_url, "token_type": "Bearer",
                                   "issued_at": "1700000000000"}).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: Any) -> None:
                return None

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base_url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> FakeLogin:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


class FakeHarness(VendorHarness):
    """The connection under test: pointed at the fake login host (as a stand-in, or not)."""

    connector = SalesforceConnector

    def __init__(self, fake: FakeLogin, config: dict[str, Any]) -> None:
        self.allowed_hosts = (urlsplit(fake.base_url).netloc,)
        self._config = config

    def config(self) -> dict[str, Any]:
        return self._config

    def oauth_client(self) -> dict[str, str]:
        return {"client_id": "fake-client", "client_secret": "fake-secret"}

    def expected_ids(self, stream: str) -> set[str]:
        return set()

    def inject(self, fault: Fault, count: int = 1) -> None:
        raise NotImplementedError

    def expire_tokens(self) -> None:
        raise NotImplementedError


@pytest.fixture
def fake_login(request: pytest.FixtureRequest) -> Iterator[FakeLogin]:
    with FakeLogin(request.param) as fake:
        yield fake


@pytest.fixture
async def unconnected(tmp_path: Any, cxsuite_kit_database: tuple[str, str] | None,
                      ) -> AsyncIterator[Any]:
    """``await unconnected(harness)``: a tenant and a connection not yet authorised."""
    databases: list[Database] = []

    async def opener(harness: FakeHarness) -> Environment:
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


async def _authorise(env: Environment) -> oauth.CallbackOutcome:
    url = await oauth.start(env.db, env.settings, env.principal, SalesforceConnector, env.connection_id)
    async with httpx.AsyncClient(timeout=10) as http:
        response = await http.get(url)
    params = dict(parse_qsl(urlsplit(response.headers["location"]).query))
    return await oauth.complete(env.db, env.settings, env.connectors, params, "test")


async def _connection_row(env: Environment) -> dict[str, Any]:
    async with env.db.transaction(env.principal.tenant_id, write=False):
        rows = await execute(env.db.engine, "SELECT status, credentials FROM connection "
                             "WHERE tenant_id = {} AND id = {}", env.principal.tenant_id, env.connection_id)
    return rows[0]


async def _assert_refused(env: Environment, fake: FakeLogin, outcome: oauth.CallbackOutcome) -> None:
    assert not outcome.ok
    assert "refused" in outcome.message or "not stored" in outcome.message
    row = await _connection_row(env)
    assert row["status"] != "connected" and not row["credentials"]
    assert fake.requests == [("GET", "/services/oauth2/authorize"), ("POST", "/services/oauth2/token")]
    with pytest.raises(ConnectorAuthError, match="not authorised"):
        await sync(env, ["contacts"])


@pytest.mark.parametrize("fake_login", HOSTILE, indirect=True)
async def test_a_hostile_instance_url_is_refused_at_connect_time(fake_login, unconnected, monkeypatch):
    """Production rules (no stand-in): the login host is Salesforce's, the instance must be too."""
    login = fake_login.base_url + "/services/oauth2"
    monkeypatch.setattr(SalesforceConnector, "authorize_endpoint", classmethod(lambda cls, c: f"{login}/authorize"))
    monkeypatch.setattr(SalesforceConnector, "token_endpoint", classmethod(lambda cls, c, p: f"{login}/token"))
    env = await unconnected(FakeHarness(fake_login, {}))
    await _assert_refused(env, fake_login, await _authorise(env))


@pytest.mark.parametrize("fake_login", [*HOSTILE, "https://acme.my.salesforce.com"], indirect=True)
async def test_with_a_stand_in_only_its_own_url_is_accepted(fake_login, unconnected):
    """A configured ``base_url`` is the trusted instance: any other instance_url is refused."""
    env = await unconnected(FakeHarness(fake_login, {"base_url": fake_login.base_url}))
    await _assert_refused(env, fake_login, await _authorise(env))


@pytest.mark.parametrize("fake_login", ["https://acme.my.salesforce.com"], indirect=True)
async def test_a_salesforce_instance_url_is_stored(fake_login, unconnected, monkeypatch):
    login = fake_login.base_url + "/services/oauth2"
    monkeypatch.setattr(SalesforceConnector, "authorize_endpoint", classmethod(lambda cls, c: f"{login}/authorize"))
    monkeypatch.setattr(SalesforceConnector, "token_endpoint", classmethod(lambda cls, c, p: f"{login}/token"))
    env = await unconnected(FakeHarness(fake_login, {}))
    outcome = await _authorise(env)
    assert outcome.ok, outcome.message
    credentials = await env.credentials()
    assert credentials["extra"]["instance_url"] == "https://acme.my.salesforce.com"
    assert credentials["expires_at"] is None and credentials["refresh_token"] == "5Aep-fake"


async def test_tampered_stored_instance_url_is_never_called(private_sandbox, open_env):
    """Credentials naming another host (however they got there) stop the sync before a request."""
    async with open_env(SalesforceHarness(private_sandbox)) as env:
        credentials = await env.credentials()
        credentials["extra"]["instance_url"] = "https://x.salesforce.com.attacker.example"
        async with env.db.transaction(env.principal.tenant_id):
            await store_credentials(env.settings, env.principal.tenant_id, env.connection_id, credentials,
                                    status="connected")
        private_sandbox.sandbox.clear_requests()
        with pytest.raises(ConnectorAuthError, match="instance_url"):
            async with open_connection(env.db, env.settings, env.connectors, env.principal.tenant_id,
                                       env.connection_id):
                pass
        assert private_sandbox.sandbox.requests("salesforce") == []
