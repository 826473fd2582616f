"""Input limits at the edge: nesting depth, string length, NUL and body size, on every route.

Each case sends the hostile request for real to the served app and expects a problem naming
the field, the reason and the configured limit, never a 500 (or, on SQLite, a silent store).
"""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.anyio


def nested(depth: int) -> bytes:
    return b"[" * depth + b"]" * depth


def assert_limit_problem(response, status: int, field: str, limit: int | None = None):
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    errors = response.json()["errors"]
    assert [e["field"] for e in errors] == [field], errors
    if limit is not None:
        assert errors[0]["limit"] == limit and f"{limit:,}" in errors[0]["reason"], errors
    return errors[0]


async def test_a_body_nested_a_thousand_deep_is_400_naming_the_limit(client, parties, settings):
    owner = await parties.owner()
    for body in (b'{"name": "ok", "description": ' + nested(1000) + b"}",
                 b'{"a":' * 1000 + b"1" + b"}" * 1000):
        response = await client.post("/api/v1/workspaces", content=body,
                                     headers={**owner.headers, "content-type": "application/json"})
        error = assert_limit_problem(response, 400, "body", settings.json_max_depth)
        assert "CXSUITE_JSON_MAX_DEPTH" in error["reason"]
    unauthenticated = await client.post("/api/v1/signup", content=nested(5000),
                                         headers={"content-type": "application/json"})
    assert_limit_problem(unauthenticated, 400, "body", settings.json_max_depth)


async def test_brackets_inside_strings_do_not_count_as_nesting(client, parties):
    owner = await parties.owner()
    response = await client.post("/api/v1/workspaces", headers=owner.headers,
                                 json={"name": "ok", "description": "[{" * 2000})
    assert response.status_code == 201, response.text


@pytest.mark.parametrize(("method", "path", "body", "field"), [
    ("POST", "/api/v1/workspaces", {"name": "ok", "description": "a\x00b"}, "body.description"),
    ("POST", "/api/v1/tokens", {"name": "ok\x00"}, "body.name"),
    ("POST", "/api/v1/auth/token", {"email": "x@example.test", "password": "long enough\x00pw"},
     "body.password"),
    ("POST", "/api/v1/workspaces/{workspace}/connections",
     {"connector": "survey_import", "config": {"question": "Q\x00"}}, "body.config.question"),
    ("POST", "/api/v1/workspaces/{workspace}/connections",
     {"connector": "survey_import", "config": {"columns": {"score\x00": "x"}}}, "body.config.columns.score\\u0000"),
])
async def test_a_nul_character_anywhere_in_a_body_is_422_naming_the_field(client, parties, method, path,
                                                                        body, field):
    owner = await parties.owner()
    workspace = await parties.workspace(owner)
    response = await client.request(method, path.format(workspace=workspace), headers=owner.headers, json=body)
    error = assert_limit_problem(response, 422, field)
    assert "NUL" in error["reason"]
    listed = await client.get("/api/v1/workspaces", headers=owner.headers)
    assert all("\x00" not in w.get("description", "") for w in listed.json()["items"])


async def test_a_nul_character_in_a_query_parameter_is_422_naming_it(client, parties):
    owner = await parties.owner()
    response = await client.get("/api/v1/audit-events?action=a%00b", headers=owner.headers)
    assert_limit_problem(response, 422, "query.action")
    callback = await client.get("/api/v1/oauth/callback?code=x%00&state=y")
    assert_limit_problem(callback, 422, "query.code")


async def test_a_string_longer_than_the_limit_is_400_naming_the_field(client, parties, settings):
    owner = await parties.owner()
    workspace = await parties.workspace(owner)
    too_long = "x" * (settings.json_max_string_chars + 1)
    response = await client.post(f"/api/v1/workspaces/{workspace}/connections", headers=owner.headers,
                                 json={"connector": "survey_import", "config": {"question": too_long}})
    error = assert_limit_problem(response, 400, "body.config.question", settings.json_max_string_chars)
    assert "CXSUITE_JSON_MAX_STRING_CHARS" in error["reason"]


async def test_a_body_over_the_size_limit_is_413_naming_the_limit(client, parties, settings):
    owner = await parties.owner()
    response = await client.post("/api/v1/workspaces", headers=owner.headers,
                                 json={"name": "ok", "description": "x" * (settings.request_max_body_bytes + 1)})
    assert_limit_problem(response, 413, "body", settings.request_max_body_bytes)
