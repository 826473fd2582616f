"""Every list searches (``q``), sorts (``sort``, ``-`` for descending, whitelisted fields) and
answers in the same envelope; every route refuses query parameters it does not know (400
naming the parameter) instead of silently ignoring a typo such as ``?limt=5``."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.anyio

ENVELOPE = {"items", "limit", "offset", "total"}


async def list_paths(parties) -> tuple[object, list[str]]:
    """Every paginated list endpoint, with ids an owner can read."""
    owner = await parties.owner()
    workspace = await parties.workspace(owner)
    project = await parties.project(owner, workspace)
    return owner, [
        "/api/v1/tokens", "/api/v1/tenant/members", "/api/v1/workspaces",
        f"/api/v1/workspaces/{workspace}/members", f"/api/v1/workspaces/{workspace}/projects",
        "/api/v1/audit-events", f"/api/v1/workspaces/{workspace}/jobs",
        f"/api/v1/projects/{project}/score-runs", "/api/v1/scoring/models",
        f"/api/v1/workspaces/{workspace}/connections", f"/api/v1/projects/{project}/reports",
    ]


def assert_400_naming(response, field: str) -> None:
    assert response.status_code == 400, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert field in [e["field"] for e in response.json()["errors"]], response.json()


async def test_unknown_query_parameters_are_refused_on_every_kind_of_route(client, parties):
    owner, lists = await list_paths(parties)
    workspace = lists[3].split("/")[4]
    for path in (*lists, "/api/v1/me", f"/api/v1/workspaces/{workspace}", "/api/v1/connectors",
                 "/health"):
        assert_400_naming(await client.get(f"{path}?limt=5", headers=owner.headers), "query.limt")
    created = await client.post("/api/v1/workspaces?dry_run=1", headers=owner.headers, json={"name": "x"})
    assert_400_naming(created, "query.dry_run")
    assert (await client.get("/api/v1/workspaces?limit=5", headers=owner.headers)).status_code == 200


async def test_every_list_takes_q_and_sort_and_answers_in_one_envelope(client, parties):
    owner, lists = await list_paths(parties)
    for path in lists:
        when = "occurred_at" if "audit" in path else "created_at"
        for query in ("q=a", f"sort=-{when}", f"sort={when}&q=zz&limit=3"):
            answer = await client.get(f"{path}?{query}", headers=owner.headers)
            assert answer.status_code == 200, (path, query, answer.text)
            assert set(answer.json()) == ENVELOPE, (path, answer.json())
        assert_400_naming(await client.get(f"{path}?sort=password_hash", headers=owner.headers), "query.sort")


async def test_workspaces_search_and_sort(client, parties):
    owner = await parties.owner()
    for name in ("Beta Bank", "alpha air", "Gamma Gas", "Alphabet"):
        await parties.workspace(owner, name)

    async def names(query: str) -> tuple[list[str], int]:
        page = (await client.get(f"/api/v1/workspaces?{query}", headers=owner.headers)).json()
        return [w["name"] for w in page["items"]], page["total"]

    assert await names("sort=name") == (["Alphabet", "Beta Bank", "Gamma Gas", "alpha air"], 4) or \
        await names("sort=name") == (["alpha air", "Alphabet", "Beta Bank", "Gamma Gas"], 4)
    assert (await names("sort=-created_at"))[0] == ["Alphabet", "Gamma Gas", "alpha air", "Beta Bank"]
    assert sorted((await names("q=ALPHA"))[0]) == ["Alphabet", "alpha air"]
    assert (await names("q=ALPHA"))[1] == 2
    assert await names("q=%25") == ([], 0)  # a literal '%', not a wildcard
    assert await names("q=a_a") == ([], 0)  # a literal '_'


async def test_keyset_paging_follows_the_chosen_sort(client, parties):
    owner = await parties.owner()
    for name in ("d", "b", "e", "a", "c"):
        await parties.workspace(owner, name)
    seen, after = [], None
    for _ in range(5):
        query = "sort=-name&limit=2" + (f"&after={after}" if after else "")
        page = (await client.get(f"/api/v1/workspaces?{query}", headers=owner.headers)).json()
        assert page["total"] == 5
        if not page["items"]:
            break
        seen += [w["name"] for w in page["items"]]
        after = page["items"][-1]["id"]
    assert seen == ["e", "d", "c", "b", "a"]


async def test_the_schema_documents_q_and_sort_on_every_list(client):
    schema = (await client.get("/schema/openapi.json")).json()
    lists = [(path, op) for path, ops in schema["paths"].items() for method, op in ops.items()
             if method == "get" and any(p["name"] == "offset" for p in op.get("parameters", []))]
    assert len(lists) >= 11
    for path, op in lists:
        params = {p["name"]: p for p in op["parameters"]}
        assert {"q", "sort", "limit", "offset"} <= set(params), path
        assert params["q"].get("description") and params["sort"].get("description"), path
        assert "_at" in str(params["sort"]["schema"]), (path, params["sort"])
