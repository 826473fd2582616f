"""Sync jobs over HTTP (in-process queue): 202 with the job, one sync per connection at a
time, progress as server-sent events, and another tenant kept out."""

from __future__ import annotations

import json

import httpx
import pytest

from tests.support.jobs import finished_job
from tests.support.rows import add_workspace

pytestmark = pytest.mark.anyio


async def connected_hubspot(client, parties, settings, sandbox) -> tuple:
    owner = await parties.owner()
    owner.workspace_id = await add_workspace(settings, owner.tenant_id)
    created = (await client.post(f"/api/v1/workspaces/{owner.workspace_id}/connections", headers=owner.headers,
                                 json={"connector": "hubspot",
                                       "config": {"base_url": f"{sandbox.base_url}/hubspot"}})).json()
    async with httpx.AsyncClient() as browser:
        callback = (await browser.get(created["authorize_url"])).headers["location"]
    assert (await client.get(callback)).status_code == 200
    return owner, created["connection"]["id"]


async def test_sync_job_imports_and_a_second_request_returns_the_same_job(client, parties, settings,
                                                                          cxsuite_sandbox):
    owner, connection_id = await connected_hubspot(client, parties, settings, cxsuite_sandbox)
    first = await client.post(f"/api/v1/connections/{connection_id}/sync", headers=owner.headers)
    second = await client.post(f"/api/v1/connections/{connection_id}/sync", headers=owner.headers)
    assert first.status_code == second.status_code == 202
    assert first.headers["location"] == f"/api/v1/jobs/{first.json()['id']}"
    job = await finished_job(client, owner.headers, first.json()["id"])
    if second.json()["id"] != first.json()["id"]:  # the first had already finished
        await finished_job(client, owner.headers, second.json()["id"])
    assert job["status"] == "succeeded", job
    assert job["progress"] == 1.0
    assert job["counts"]["written"] > 0
    listed = (await client.get(f"/api/v1/workspaces/{owner.workspace_id}/jobs?kind=sync&status=succeeded",
                               headers=owner.headers)).json()
    assert first.json()["id"] in [j["id"] for j in listed["items"]]


async def test_progress_streams_as_server_sent_events_until_the_end(client, parties, settings, cxsuite_sandbox):
    owner, connection_id = await connected_hubspot(client, parties, settings, cxsuite_sandbox)
    job = (await client.post(f"/api/v1/connections/{connection_id}/sync", headers=owner.headers)).json()
    events = []
    async with client.stream("GET", f"/api/v1/jobs/{job['id']}/events", headers=owner.headers) as stream:
        assert stream.headers["content-type"].startswith("text/event-stream")
        event = None
        async for line in stream.aiter_lines():
            if line.startswith("event:"):
                event = line.split(":", 1)[1].strip()
            elif line.startswith("data:"):
                events.append((event, json.loads(line.split(":", 1)[1])))
    assert events[-1][0] == "end"
    assert events[-1][1]["status"] == "succeeded"
    assert {e for e, _ in events} == {"progress", "end"}


async def test_a_sync_of_an_unauthorised_connection_fails_with_an_actionable_message(client, parties, settings,
                                                                                    cxsuite_sandbox):
    owner = await parties.owner()
    owner.workspace_id = await add_workspace(settings, owner.tenant_id)
    pending = (await client.post(f"/api/v1/workspaces/{owner.workspace_id}/connections", headers=owner.headers,
                                 json={"connector": "hubspot"})).json()["connection"]
    job = (await client.post(f"/api/v1/connections/{pending['id']}/sync", headers=owner.headers)).json()
    finished = await finished_job(client, owner.headers, job["id"])
    assert finished["status"] == "failed"
    assert "not authorised yet" in finished["error"]


async def test_another_tenant_cannot_read_cancel_or_stream_a_job(client, parties, settings, cxsuite_sandbox):
    owner, connection_id = await connected_hubspot(client, parties, settings, cxsuite_sandbox)
    job = (await client.post(f"/api/v1/connections/{connection_id}/sync", headers=owner.headers)).json()
    stranger = await parties.owner()
    for method, suffix in (("GET", ""), ("POST", "/cancel"), ("GET", "/events")):
        response = await client.request(method, f"/api/v1/jobs/{job['id']}{suffix}", headers=stranger.headers)
        assert response.status_code == 404, suffix
    await finished_job(client, owner.headers, job["id"])
