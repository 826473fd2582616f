"""Bad input on every write endpoint: 4xx problem details naming the field, never a 500."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.anyio

HTML = "<script>alert('x')</script>"


async def write_targets(client, parties) -> tuple[dict, list[tuple[str, str, dict]]]:
    owner = await parties.owner()
    workspace = await parties.workspace(owner)
    project = await parties.project(owner, workspace)
    return owner, [
        ("POST", "/api/v1/workspaces", {"name": "ok"}),
        ("PATCH", f"/api/v1/workspaces/{workspace}", {"name": "ok"}),
        ("POST", f"/api/v1/workspaces/{workspace}/projects", {"name": "ok"}),
        ("PATCH", f"/api/v1/projects/{project}", {"name": "ok"}),
        ("PATCH", "/api/v1/tenant", {"name": "ok"}),
        ("POST", "/api/v1/tokens", {"name": "ok"}),
    ]


def assert_problem(response, field_prefix: str | None = None):
    assert 400 <= response.status_code < 500, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body = response.json()
    assert body["status"] == response.status_code
    if field_prefix:
        assert any(e["field"].startswith(field_prefix) for e in body["errors"]), body


@pytest.mark.parametrize(("case", "body", "field"), [
    ("missing field", {}, "body"),
    ("wrong type", {"name": 42}, "body.name"),
    ("oversized", {"name": "x" * 201}, "body.name"),
    ("html", {"name": HTML}, "body.name"),
    ("control characters", {"name": "a\x00b"}, "body.name"),
    ("blank", {"name": "   "}, "body.name"),
    ("unknown field", {"name": "ok", "tenant_id": "00000000-0000-4000-8000-000000000000"}, "body.tenant_id"),
])
async def test_bad_bodies_are_refused_with_the_field(client, parties, case, body, field):
    owner, targets = await write_targets(client, parties)
    for method, path, _ in targets:
        if method == "PATCH" and case == "missing field":
            continue  # patches have no required field
        response = await client.request(method, path, headers=owner.headers, json=body)
        assert_problem(response, field)


async def test_not_json_and_invalid_uuids_are_4xx(client, parties):
    owner, _ = await write_targets(client, parties)
    garbled = await client.post("/api/v1/workspaces", headers={**owner.headers, "content-type": "application/json"},
                                content=b"{not json")
    assert_problem(garbled)
    for path in ("/api/v1/workspaces/not-a-uuid", "/api/v1/projects/123", "/api/v1/connections/%00"):
        assert_problem(await client.get(path, headers=owner.headers))


async def test_signup_validation_names_each_field(client):
    response = await client.post("/api/v1/signup", json={"tenant_name": HTML, "email": "not-an-email",
                                                         "password": "short"})
    assert_problem(response, "body.")
    for field, value in (("email", "nobody"), ("password", "short"), ("tenant_name", "")):
        body = {"tenant_name": "Ok", "email": "a@example.test", "password": "long enough pw", field: value}
        assert_problem(await client.post("/api/v1/signup", json=body), f"body.{field}")


async def test_oversized_bodies_are_413_problems(client, parties):
    owner, _ = await write_targets(client, parties)
    response = await client.post("/api/v1/workspaces", headers=owner.headers,
                                 json={"name": "ok", "description": "x" * 2_000_000})
    assert response.status_code == 413
    assert response.headers["content-type"].startswith("application/problem+json")


async def test_limits_outside_the_range_are_refused(client, parties):
    owner, _ = await write_targets(client, parties)
    for query in ("limit=0", "limit=201", "offset=-1", "limit=abc"):
        assert_problem(await client.get(f"/api/v1/workspaces?{query}", headers=owner.headers), "query.")
