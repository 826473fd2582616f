"""The audit log filters by who, what, which object and when, each filter narrowing the rest."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

pytestmark = pytest.mark.anyio


async def test_audit_log_filters_by_actor_object_and_time(client, parties) -> None:
    owner = await parties.owner()
    before = datetime.now(UTC) - timedelta(seconds=1)
    workspace = await parties.workspace(owner)
    admin = await parties.client_user(owner, workspace, "client_admin")
    url = "/api/v1/audit-events"

    async def events(**params: str) -> list[dict]:
        answer = await client.get(url, headers=owner.headers, params={"limit": "200", **params})
        assert answer.status_code == 200, answer.text
        return answer.json()["items"]

    mine = await events(actor=owner.user_id)
    assert mine and {e["actor_user_id"] for e in mine} == {owner.user_id}
    theirs = await events(actor=admin.user_id)
    assert theirs and {e["actor_user_id"] for e in theirs} == {admin.user_id}
    on_workspace = await events(object_type="workspace", object_id=workspace)
    assert on_workspace and all(e["object_id"] == workspace for e in on_workspace)
    assert {e["object_type"] for e in await events(object_type="workspace")} == {"workspace"}
    everything = await events()
    assert len(await events(since=before.isoformat())) == len(everything)
    assert await events(until=before.isoformat()) == []
    assert await events(since=(datetime.now(UTC) + timedelta(minutes=1)).isoformat()) == []
    naive = before.replace(tzinfo=None).isoformat()  # read as UTC
    assert len(await events(since=naive)) == len(everything)
    both = await events(actor=owner.user_id, action="workspace.created")
    assert all(e["action"] == "workspace.created" and e["actor_user_id"] == owner.user_id for e in both)
    for bad in ({"actor": "not-a-uuid"}, {"since": "yesterday"}):
        refused = await client.get(url, headers=owner.headers, params=bad)
        assert refused.status_code == 400, refused.text
        assert refused.json()["errors"][0]["field"].endswith(next(iter(bad)))


async def test_the_filters_are_described_in_openapi(client) -> None:
    schema = (await client.get("/schema/openapi.json")).json()
    params = {p["name"]: p for p in schema["paths"]["/api/v1/audit-events"]["get"]["parameters"]}
    for name in ("actor", "object_type", "object_id", "since", "until"):
        assert params[name].get("description"), name
