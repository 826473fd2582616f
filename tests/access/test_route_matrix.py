"""Authorisation over every route the app serves, generated from the app itself, so a route
added later is covered without anyone remembering to add it here:

- no token → 401 on every non-public route;
- tenant A's owner with tenant B's real ids → 404 on every route with ids, and B's objects
  are unchanged afterwards;
- a client viewer → 403 on every route whose action the matrix denies viewers;
- a client user with ids from another workspace of their own tenant → 404.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any
from uuid import uuid4

import pytest
from litestar.routes import HTTPRoute

from cxsuite.access.permissions import MATRIX, Action
from cxsuite.access.principal import Role
from tests.support.jobs import finished_job

pytestmark = pytest.mark.anyio
METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")


@dataclass(frozen=True)
class Operation:
    method: str
    path: str  # OpenAPI style: /api/v1/workspaces/{workspace_id}
    public: bool
    action: Action | None


def operations(app: Any) -> list[Operation]:
    """Every operation under /api/v1 with its public flag and guarded action."""
    found = []
    for route in app.routes:
        if not isinstance(route, HTTPRoute) or not route.path.startswith("/api/v1"):
            continue
        path = re.sub(r"\{(\w+):\w+\}", r"{\1}", route.path)
        for method in METHODS:
            if method not in route.route_handler_map:
                continue
            handler, _ = route.route_handler_map[method]
            names = [getattr(g, "func", g).__name__ for g in handler.resolve_guards()]
            guarded = {n.removeprefix("requires_") for n in names if n.startswith("requires_")}
            action = next((a for a in Action if a.value.replace(".", "_") in guarded), None)
            found.append(Operation(method, path, bool(handler.opt.get("exclude_from_auth")), action))
    return found


def payload(op: Operation, schema: dict | None = None) -> dict[str, Any]:
    """httpx keyword arguments carrying a valid body: a file for multipart routes, else JSON."""
    if op.method in ("POST", "PUT", "PATCH") and schema is not None:
        content = schema["paths"][op.path][op.method.lower()].get("requestBody", {}).get("content", {})
        if "multipart/form-data" in content:
            return {"files": {"file": ("export.csv", b"score\n9\n", "text/csv")}}
    return {"json": body_for(op, schema)}


def body_for(op: Operation, schema: dict | None = None) -> Any:
    """A valid body where one is needed, so an object check (not validation) answers: a hand-
    picked one where a rule beyond the schema applies, else the minimal one the schema allows."""
    if op.method not in ("POST", "PUT", "PATCH"):
        return None
    if (op.method, op.path) in BODIES or schema is None:
        return BODIES.get((op.method, op.path), {})
    operation = schema["paths"][op.path][op.method.lower()]
    content = operation.get("requestBody", {}).get("content", {}).get("application/json")
    return minimal(content["schema"], schema) if content else None


def minimal(node: dict, schema: dict) -> Any:
    """The smallest value a JSON schema accepts (required fields only)."""
    if "$ref" in node:
        return minimal(schema["components"]["schemas"][node["$ref"].rsplit("/", 1)[1]], schema)
    for key in ("oneOf", "anyOf"):
        if key in node:
            options = [o for o in node[key] if o.get("type") != "null"]
            return minimal(options[0], schema)
    if "enum" in node:
        return node["enum"][0]
    kind = node.get("type")
    if kind == "object":
        return {k: minimal(v, schema) for k, v in node.get("properties", {}).items()
                if k in node.get("required", [])}
    if kind == "array":
        return [minimal(node["items"], schema)] * node.get("minItems", 0)
    if kind in ("integer", "number"):
        return node.get("minimum", 1)
    if kind == "boolean":
        return False
    return {"uuid": "00000000-0000-4000-8000-000000000000", "date": "2026-01-01",
            "date-time": "2026-01-01T00:00:00Z", "email": "x@example.test"}.get(
        node.get("format", ""), "x" * max(1, node.get("minLength", 1)))


BODIES = {
    ("POST", "/api/v1/workspaces/{workspace_id}/members"): {"email": "x@example.test", "role": "client_viewer"},
    ("PATCH", "/api/v1/workspaces/{workspace_id}/members/{member_id}"): {"role": "client_admin"},
    ("PATCH", "/api/v1/tenant/members/{member_id}"): {"role": "consultant"},
    ("POST", "/api/v1/workspaces/{workspace_id}/projects"): {"name": "Hijack"},
    ("PATCH", "/api/v1/projects/{project_id}"): {"name": "Hijack"},
    ("PATCH", "/api/v1/workspaces/{workspace_id}"): {"name": "Hijack"},
    ("PATCH", "/api/v1/connections/{connection_id}"): {"name": "Hijack"},
    ("POST", "/api/v1/workspaces/{workspace_id}/connections"): {"connector": "hubspot"},
}


def fill(path: str, ids: dict[str, str]) -> str:
    names = re.findall(r"\{(\w+)\}", path)
    missing = [n for n in names if n not in ids]
    assert not missing, (f"{path}: no fixture object for path parameter(s) {missing}; add the other "
                         "tenant's object to `objects_of` in tests/access/test_route_matrix.py")
    return re.sub(r"\{(\w+)\}", lambda m: ids[m.group(1)], path)


async def objects_of(client, parties, owner) -> dict[str, str]:
    """One real object of every kind a path can name, owned by ``owner``'s tenant."""
    workspace = await parties.workspace(owner)
    project = await parties.project(owner, workspace)
    viewer = await parties.client_user(owner, workspace, "client_viewer")
    token = (await client.post("/api/v1/tokens", headers=owner.headers, json={"name": "script"})).json()
    members = (await client.get("/api/v1/tenant/members", headers=owner.headers)).json()["items"]
    connection = (await client.post(f"/api/v1/workspaces/{workspace}/connections", headers=owner.headers,
                                    json={"connector": "hubspot"})).json()["connection"]
    job = (await client.post(f"/api/v1/connections/{connection['id']}/sync", headers=owner.headers)).json()
    return {"workspace_id": workspace, "project_id": project, "member_id": viewer.member_id,
            "token_id": token["id"], "connection_id": connection["id"], "job_id": job["id"],
            "tenant_member_id": members[0]["id"], "kind": "customers",
            **await _extra_objects(client, owner, project)}


async def _extra_objects(client, owner, project_id: str) -> dict[str, str]:
    """Objects of later domains (score runs, reports), made through their own API."""
    base = f"/api/v1/projects/{project_id}"
    items = (await client.get(f"{base}/questionnaire", headers=owner.headers)).json()["items"]
    answers = [{"item_id": i["item_id"], "stage": s, "answer": 2} for i in items[:3] for s in i["stages"]]
    saved = await client.put(f"{base}/questionnaire/answers", headers=owner.headers, json={"answers": answers})
    assert saved.status_code == 200, saved.text
    started = await client.post(f"{base}/score-runs", headers=owner.headers, json={})
    assert started.status_code == 202, started.text
    await finished(client, owner, started.json()["job"]["id"])
    report = await client.post(f"{base}/reports", headers=owner.headers, json={})
    assert report.status_code == 202, report.text
    await finished(client, owner, report.json()["job"]["id"])
    run_id = started.json()["run"]["id"]
    # A resolved customer exists only once records are imported; the workspace in the path is
    # what a caller of another tenant or workspace must not reach, and it is a real one.
    return {"run_id": run_id, "other_run_id": run_id, "report_id": report.json()["report"]["id"],
            "customer_id": str(uuid4())}


async def finished(client, owner, job_id: str) -> None:
    """Wait for a job, so no render is still writing when the test's database is cleaned."""
    job = await finished_job(client, owner.headers, job_id, seconds=30, poll_s=0.05)
    assert job["status"] == "succeeded", job


async def snapshot(client, party, ids: dict[str, str]) -> list[Any]:
    reads = ["/api/v1/workspaces/{workspace_id}", "/api/v1/projects/{project_id}",
             "/api/v1/workspaces/{workspace_id}/members", "/api/v1/connections/{connection_id}",
             "/api/v1/tokens", "/api/v1/tenant/members", "/api/v1/tenant"]
    return [(await client.get(fill(p, ids), headers=party.headers)).json() for p in reads]


async def test_every_private_route_needs_a_token(client, server):
    for op in operations(server.app):
        if op.public:
            continue
        ids = {n: "00000000-0000-4000-8000-000000000000" for n in re.findall(r"\{(\w+)\}", op.path)}
        response = await client.request(op.method, fill(op.path, ids), json=body_for(op))
        assert response.status_code == 401, f"{op.method} {op.path} answered {response.status_code}"


async def test_another_tenants_ids_answer_404_and_change_nothing(client, server, parties):
    alice, bob = await parties.owner(), await parties.owner()
    bobs = await objects_of(client, parties, bob)
    bobs_member = {**bobs, "member_id": bobs["tenant_member_id"]}
    before = await snapshot(client, bob, bobs)
    schema = (await client.get("/schema/openapi.json")).json()
    for op in operations(server.app):
        if op.public or "{" not in op.path:
            continue
        ids = bobs_member if op.path.startswith("/api/v1/tenant/") else bobs
        response = await client.request(op.method, fill(op.path, ids), headers=alice.headers,
                                        **payload(op, schema))
        assert response.status_code == 404, f"{op.method} {op.path}: {response.status_code} {response.text[:200]}"
    assert await snapshot(client, bob, bobs) == before


async def test_a_viewer_is_refused_what_the_matrix_denies_viewers(client, server, parties):
    owner = await parties.owner()
    ids = await objects_of(client, parties, owner)
    viewer = await parties.client_user(owner, ids["workspace_id"], "client_viewer")
    ids_for_tenant_routes = {**ids, "member_id": ids["tenant_member_id"]}
    schema = (await client.get("/schema/openapi.json")).json()
    denied = [op for op in operations(server.app)
              if op.action is not None and Role.CLIENT_VIEWER not in MATRIX[op.action]]
    assert denied, "the matrix denies viewers something"
    for op in denied:
        path = fill(op.path, ids_for_tenant_routes if op.path.startswith("/api/v1/tenant/") else ids)
        response = await client.request(op.method, path, headers=viewer.headers, **payload(op, schema))
        assert response.status_code == 403, f"{op.method} {op.path}: {response.status_code}"


async def test_client_users_get_404_for_another_workspace_of_their_tenant(client, server, parties):
    owner = await parties.owner()
    theirs = await objects_of(client, parties, owner)
    other = await objects_of(client, parties, owner)
    admin = await parties.client_user(owner, theirs["workspace_id"], "client_admin")
    schema = (await client.get("/schema/openapi.json")).json()
    allowed = [op for op in operations(server.app) if op.action is not None
               and Role.CLIENT_ADMIN in MATRIX[op.action] and "{" in op.path
               and not op.path.startswith("/api/v1/tokens")]
    assert allowed
    for op in allowed:
        response = await client.request(op.method, fill(op.path, other), headers=admin.headers,
                                        **payload(op, schema))
        assert response.status_code == 404, f"{op.method} {op.path}: {response.status_code}"
