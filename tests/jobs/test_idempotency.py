"""``Idempotency-Key`` on the POSTs that start work: a repeated request (a client retry after a
timeout, or several at once) gets the first response byte for byte and starts nothing new; the
same key with another request is 422; keys belong to one tenant and user and last 24 hours."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest

from cxsuite.jobs.tables import IdempotencyKey
from tests.support.engagement import start

pytestmark = pytest.mark.anyio


def keyed(headers: dict[str, str], key: str) -> dict[str, str]:
    return {**headers, "Idempotency-Key": key}


async def settled(*engagements) -> None:
    """Wait until the score runs the test started have ended (the next test empties the tables)."""
    for e in engagements:
        for _ in range(600):
            listed = (await e.client.get(f"/api/v1/workspaces/{e.workspace_id}/jobs",
                                         headers=e.owner.headers)).json()["items"]
            if all(j["status"] in ("succeeded", "failed", "cancelled") for j in listed):
                break
            await asyncio.sleep(0.05)


async def runs(eng, client) -> int:
    return (await client.get(f"{eng.base}/score-runs", headers=eng.owner.headers)).json()["total"]


async def test_a_repeated_score_request_returns_the_first_response_and_starts_nothing(eng, client, db):
    first = await client.post(f"{eng.base}/score-runs", headers=keyed(eng.owner.headers, "retry-1"))
    again = await client.post(f"{eng.base}/score-runs", headers=keyed(eng.owner.headers, "retry-1"))
    assert first.status_code == again.status_code == 202
    assert again.content == first.content
    assert again.headers["idempotent-replayed"] == "true"
    assert await runs(eng, client) == 1
    async with db.transaction(eng.tenant_id, write=False):
        stored = await IdempotencyKey.select().where(IdempotencyKey.tenant_id == eng.tenant_id).run()
    assert [(r["request_key"], r["status_code"]) for r in stored] == [("retry-1", 202)]
    without = await client.post(f"{eng.base}/score-runs", headers=eng.owner.headers)
    assert without.status_code == 202 and await runs(eng, client) == 2  # no key: every POST starts work
    await settled(eng)


async def test_concurrent_duplicates_start_the_work_once(eng, client):
    responses = await asyncio.gather(*(client.post(f"{eng.base}/score-runs",
                                                   headers=keyed(eng.owner.headers, "burst")) for _ in range(5)))
    assert {r.status_code for r in responses} == {202}
    assert len({r.content for r in responses}) == 1
    assert await runs(eng, client) == 1
    await settled(eng)


async def test_the_same_key_with_another_request_is_refused(eng, client):
    await start(eng, client)
    report = f"{eng.base}/reports"
    first = await client.post(report, headers=keyed(eng.owner.headers, "k"), json={"language": "en"})
    assert first.status_code == 202, first.text
    other_body = await client.post(report, headers=keyed(eng.owner.headers, "k"), json={})
    assert other_body.status_code == 422
    assert other_body.headers["content-type"].startswith("application/problem+json")
    assert other_body.json()["errors"][0]["field"] == "header.Idempotency-Key"
    other_endpoint = await client.post(f"{eng.base}/score-runs", headers=keyed(eng.owner.headers, "k"))
    assert other_endpoint.status_code == 422
    replay = await client.post(report, headers=keyed(eng.owner.headers, "k"), json={"language": "en"})
    assert (replay.status_code, replay.content) == (202, first.content)
    assert replay.headers["location"] == first.headers["location"]
    await settled(eng)


async def test_keys_belong_to_one_tenant_and_last_24_hours(eng, other, client, db):
    mine = await client.post(f"{eng.base}/score-runs", headers=keyed(eng.owner.headers, "shared-key"))
    theirs = await client.post(f"{other.base}/score-runs", headers=keyed(other.owner.headers, "shared-key"))
    assert mine.status_code == theirs.status_code == 202
    assert mine.json()["job"]["id"] != theirs.json()["job"]["id"]
    async with db.transaction(eng.tenant_id):
        await IdempotencyKey.update({IdempotencyKey.created_at: datetime.now(UTC) - timedelta(hours=25)}).where(
            IdempotencyKey.tenant_id == eng.tenant_id).run()
    later = await client.post(f"{eng.base}/score-runs", headers=keyed(eng.owner.headers, "shared-key"))
    assert later.status_code == 202 and later.json()["job"]["id"] != mine.json()["job"]["id"]
    assert await runs(eng, client) == 2
    await settled(eng, other)


async def test_an_overlong_key_is_a_problem_not_a_500(eng, client):
    response = await client.post(f"{eng.base}/score-runs", headers=keyed(eng.owner.headers, "x" * 300))
    assert response.status_code == 400
    assert response.headers["content-type"].startswith("application/problem+json")
