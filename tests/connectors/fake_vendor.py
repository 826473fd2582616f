"""A vendor's authorisation server played by a real HTTP server on loopback, for the token
answers a sandbox never gives (a hostile ``instance_url`` or ``api_domain``, an error in an
HTTP 200), and the steps of the OAuth flow a security test drives itself."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

import httpx

from cxsuite.connections import oauth
from cxsuite.connections.credentials import store_credentials
from cxsuite.connections.runtime import open_connection
from cxsuite.connectors import BaseConnector
from cxsuite.db.sql import execute
from cxsuite.testing import Fault, VendorHarness
from cxsuite.testing.environment import Environment

Answer = Callable[[BaseHTTPRequestHandler, str, bytes], None]


class Server:
    """A loopback HTTP server recording ``(method, path with query, body)`` of every request;
    ``answer`` shapes its replies (none: 404)."""

    def __init__(self, answer: Answer | None = None) -> None:
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

    @property
    def paths(self) -> list[tuple[str, str]]:
        """``(method, path)`` of every request, without query strings."""
        return [(method, urlsplit(path).path) for method, path, _ in self.requests]

    def __enter__(self) -> Server:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


def authorisation_server(token_body: dict[str, Any], callback: dict[str, str] | None = None) -> Server:
    """Consent (any GET) redirects to the ``redirect_uri`` with a code, the ``state`` and
    ``callback``'s parameters; the token call (any POST) answers ``token_body`` with HTTP 200,
    the body read when the call arrives (a test may fill it in after the server starts)."""

    def answer(handler: BaseHTTPRequestHandler, method: str, body: bytes) -> None:
        if method == "GET":
            query = dict(parse_qsl(urlsplit(handler.path).query))
            params = {"code": "fake-code", "state": query["state"], **(callback or {})}
            handler.send_response(302)
            handler.send_header("Location", f"{query['redirect_uri']}?{urlencode(params)}")
            handler.end_headers()
            return
        reply = json.dumps(token_body).encode()
        handler.send_response(200)
        handler.send_header("Content-Type", "application/json")
        handler.send_header("Content-Length", str(len(reply)))
        handler.end_headers()
        handler.wfile.write(reply)

    return Server(answer)


class FakeHostHarness(VendorHarness):
    """A connection of ``connector`` whose only allowed host is the fake server; ``config``
    with a ``base_url`` makes the fake the connection's stand-in, without one the vendor's
    production rules apply."""

    def __init__(self, connector: type[BaseConnector], fake: Server, config: dict[str, Any]) -> None:
        self.connector = connector
        self.allowed_hosts = (fake.netloc,)
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


async def authorise(env: Environment, **tamper: str) -> oauth.CallbackOutcome:
    """Consent, then the callback with ``tamper`` applied to its query (as an attacker would)."""
    url = await oauth.start(env.db, env.settings, env.principal, env.harness.connector, env.connection_id)
    async with httpx.AsyncClient(timeout=10) as http:
        response = await http.get(url)
    params = {**dict(parse_qsl(urlsplit(response.headers["location"]).query)), **tamper}
    return await oauth.complete(env.db, env.settings, env.connectors, params, "test")


async def open_with_tampered_credentials(env: Environment, **extra: str) -> None:
    """Overwrite entries of the stored credentials' ``extra`` (as a bug or an intruder in the
    database might), then open the connection the way every sync does."""
    credentials = await env.credentials()
    credentials["extra"].update(extra)
    async with env.db.transaction(env.principal.tenant_id):
        await store_credentials(env.settings, env.principal.tenant_id, env.connection_id, credentials,
                                status="connected")
    async with open_connection(env.db, env.settings, env.connectors, env.principal.tenant_id, env.connection_id):
        pass


async def connection_status(env: Environment) -> tuple[str, Any]:
    """The connection's status and its stored (encrypted) credentials, if any."""
    async with env.db.transaction(env.principal.tenant_id, write=False):
        rows = await execute(env.db.engine, "SELECT status, credentials FROM connection "
                             "WHERE tenant_id = {} AND id = {}", env.principal.tenant_id, env.connection_id)
    return rows[0]["status"], rows[0]["credentials"]
