"""What a deployment writes to its logs at DEBUG: a real `cxsuite serve` and `cxsuite worker`
(JSON logs, DEBUG) go through sign-up, a failed and a good login, the OAuth connection of a
sandbox HubSpot account, a sync in the worker that must first refresh the expired access
token, and a personal token; then every line both processes wrote is searched for every
secret the scenario used or the server made."""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass
from urllib.parse import parse_qsl, quote, urlsplit
from uuid import UUID

import httpx
import pytest

from cxsuite.db.session import Database
from cxsuite.db.sql import execute
from cxsuite.identity.tokens import hash_token
from cxsuite.sandbox import CLIENTS
from tests.ops.served import Deployment, deployed, deployment_env
from tests.support.db import run_in_thread
from tests.support.jobs import finished_job
from tests.support.workers import RedisServer

pytestmark = pytest.mark.slow


@dataclass
class Scenario:
    """What the processes wrote, the secrets to look for (name → value), and who acted."""

    lines: list[str]
    secrets: dict[str, str]
    tenant_id: str
    user_id: str
    request_id: str


@pytest.fixture(scope="module")
def scenario(settings, cxsuite_sandbox, tmp_path_factory) -> Scenario:
    # A Redis of its own: the shared one keeps other runs' login counters for 127.0.0.1.
    with RedisServer() as redis_server:
        env = deployment_env(settings, cxsuite_sandbox, CXSUITE_LOG_LEVEL="DEBUG", CXSUITE_LOG_JSON="1",
                             CXSUITE_REDIS_URL=redis_server.url)
        with deployed(env, tmp_path_factory.mktemp("logs"), worker=True) as deployment:
            found = run_in_thread(lambda: _drive(deployment, settings, cxsuite_sandbox))
            lines = deployment.lines()
    oauth = cxsuite_sandbox.sandbox.oauth
    issued = {f"vendor token {n}": t for n, t in enumerate([*oauth._access, *oauth._refresh])}
    assert issued, "the sandbox should have issued tokens"
    client = CLIENTS["hubspot"]
    found.secrets.update(issued, client_secret=client.client_secret, secret_key=settings.secret_key,
                         **{f"encryption key {n}": k for n, k in enumerate(settings.encryption_keys)})
    if settings.is_postgres:
        found.secrets["database password"] = ":" + urlsplit(settings.database_url).password + "@"
    found.lines = lines
    return found


async def _drive(deployment: Deployment, settings, sandbox) -> Scenario:
    password, wrong = "Pw-" + secrets.token_urlsafe(18), "Wrong-" + secrets.token_urlsafe(18)
    email = f"leaks-{secrets.token_hex(4)}@example.test"
    request_id = "scenario-" + secrets.token_hex(8)
    async with httpx.AsyncClient(base_url=deployment.base_url, timeout=60,
                                 headers={"X-Request-ID": request_id}) as http:
        signup = await http.post("/api/v1/signup", json={"tenant_name": "Leak Check", "email": email,
                                                          "password": password})
        assert signup.status_code == 201, signup.text
        tenant_id, user_id = signup.json()["tenant"]["id"], signup.json()["user"]["id"]
        refused = await http.post("/api/v1/auth/token", json={"email": email, "password": wrong})
        assert refused.status_code == 401, refused.text
        login = await http.post("/api/v1/auth/token", json={"email": email, "password": password})
        assert login.status_code == 200, login.text
        session = login.json()["access_token"]
        auth = {"Authorization": f"Bearer {session}"}
        workspace = (await http.post("/api/v1/workspaces", headers=auth, json={"name": "Client"})).json()["id"]
        created = await http.post(f"/api/v1/workspaces/{workspace}/connections", headers=auth, json={
            "connector": "hubspot", "config": {"base_url": f"{sandbox.base_url}/hubspot"}})
        assert created.status_code == 201, created.text
        async with httpx.AsyncClient() as browser:
            callback = (await browser.get(created.json()["authorize_url"])).headers["location"]
        landed = await http.get(callback)
        assert landed.status_code == 200, landed.text
        connection = created.json()["connection"]["id"]
        oauth = sandbox.sandbox.oauth
        issued = len(oauth._access)
        oauth.expire_all()  # the sync starts with a 401, so the worker refreshes the tokens
        job = (await http.post(f"/api/v1/connections/{connection}/sync", headers=auth)).json()
        assert (await finished_job(http, auth, job["id"]))["status"] == "succeeded"
        assert len(oauth._access) > issued, "the worker should have refreshed the access token"
        personal = await http.post("/api/v1/tokens", headers=auth, json={"name": "ci"})
        assert personal.status_code == 201, personal.text
        token = personal.json()["token"]
        mistaken = secrets.token_urlsafe(24)  # a client that puts its token in the query string
        refused = await http.get(f"/api/v1/me?access_token={mistaken}", headers={"Authorization": f"Bearer {token}"})
        # an undeclared query parameter is refused by name; its value still must not reach a log line
        assert refused.status_code == 400 and refused.json()["errors"][0]["field"] == "query.access_token"
        await http.post("/api/v1/auth/revoke", headers=auth)
    query = dict(parse_qsl(urlsplit(callback).query))
    found = {"password": password, "mistyped password": wrong, "oauth code": query["code"],
             "oauth state": query["state"], "token in a query string": mistaken}
    for name, value in (("signup token", signup.json()["access_token"]), ("session token", session),
                        ("personal token", token)):
        found[name] = value.split("_", 2)[2]  # cxs_<tenant>_<secret>: the tenant id is not secret
        found[name + " hash"] = hash_token(value)
    found["password hash"] = await _password_hash(settings, email)
    return Scenario([], found, tenant_id, user_id, request_id)


async def _password_hash(settings, email: str) -> str:
    db = Database.from_url(settings.database_url)
    await db.start()
    try:
        async with db.transaction(None):
            rows = await execute(db.engine, "SELECT password_hash FROM app_user WHERE email = {}", email)
    finally:
        await db.close()
    assert rows[0]["password_hash"].startswith("$argon2id$")
    return rows[0]["password_hash"]


def test_no_secret_appears_in_any_line_at_debug(scenario):
    assert min(len(value) for value in scenario.secrets.values()) >= 9, "a short needle finds anything"
    assert len(scenario.lines) > 30, "the processes should have logged the scenario"
    leaks = {f"{name} in a line of {_source(line)}: {line[:200]}" for line in scenario.lines
             for name, value in scenario.secrets.items()
             if value in line or quote(value, safe="") in line}
    assert not leaks, "\n".join(sorted(leaks))


def _source(line: str) -> str:
    try:
        return json.loads(line)["logger"]
    except (ValueError, KeyError, TypeError):
        return "an unstructured writer"


def test_every_line_is_one_json_object_and_each_request_has_its_context(scenario):
    entries = [json.loads(line) for line in scenario.lines]
    assert all(isinstance(e, dict) and {"time", "level", "logger", "message"} <= e.keys() for e in entries)
    assert any(e["level"] == "DEBUG" and e["logger"].startswith("cxsuite") for e in entries), "DEBUG was on"
    requests = [e for e in entries if e["logger"] == "cxsuite.request"]
    ours = [e for e in requests if e.get("request_id") == scenario.request_id]
    me = [e for e in ours if e["route"] == "/api/v1/me"]
    assert len(me) == 1
    assert me[0] | {"duration_ms": 0} == me[0] | {
        "method": "GET", "status": 400, "tenant_id": scenario.tenant_id, "user_id": scenario.user_id,
        "query": "access_token=[redacted]", "duration_ms": 0}
    callback = next(e for e in ours if e["route"] == "/api/v1/oauth/callback")
    assert set(dict(parse_qsl(callback["query"])).values()) == {"[redacted]"}
    sync = next(e for e in ours if e["route"] == "/api/v1/connections/{connection_id}/sync")
    assert sync["status"] == 202
    assert UUID(sync["tenant_id"]) == UUID(scenario.tenant_id)
    # The sync itself ran in the worker; its lines carry the job's context.
    assert any(e.get("job_id") and e.get("tenant_id") == scenario.tenant_id for e in entries)
