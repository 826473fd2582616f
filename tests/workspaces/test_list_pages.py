"""Workspaces page by offset (the fixed envelope) or after a workspace (keyset), with the same
order, the same exact total, and no way to probe items the caller cannot see."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.anyio


async def _walk_after(client, headers, limit: int) -> list[dict]:
    seen, after = [], None
    for _ in range(10):  # bounded: a server ignoring 'after' would serve the first page forever
        query = f"limit={limit}" + (f"&after={after}" if after else "")
        page = (await client.get(f"/api/v1/workspaces?{query}", headers=headers)).json()
        assert page["offset"] == 0
        seen.append(page)
        if not page["items"]:
            return seen
        after = page["items"][-1]["id"]
    raise AssertionError("paging after items never reached the end")


async def test_paging_after_an_item_matches_paging_by_offset(client, parties):
    owner = await parties.owner()
    for n in range(7):
        await parties.workspace(owner, f"Client {n}")
    by_offset = [(await client.get(f"/api/v1/workspaces?limit=3&offset={o}", headers=owner.headers)).json()
                 for o in (0, 3, 6)]
    by_key = await _walk_after(client, owner.headers, 3)
    assert [w["id"] for p in by_key for w in p["items"]] == [w["id"] for p in by_offset for w in p["items"]]
    assert [len(p["items"]) for p in by_key] == [3, 3, 1, 0]
    assert {p["total"] for p in by_key} == {7}


async def test_after_and_offset_together_are_refused(client, parties):
    owner = await parties.owner()
    workspace = await parties.workspace(owner)
    answer = await client.get(f"/api/v1/workspaces?after={workspace}&offset=1", headers=owner.headers)
    assert answer.status_code == 422
    assert answer.headers["content-type"].startswith("application/problem+json")
    assert answer.json()["errors"][0]["field"] == "query.offset"


async def test_after_an_item_the_caller_cannot_see_looks_like_a_missing_one(client, parties):
    owner, stranger = await parties.owner(), await parties.owner()
    theirs = await parties.workspace(stranger)
    mine, other = await parties.workspace(owner), await parties.workspace(owner)
    viewer = await parties.client_user(owner, mine, "client_viewer")
    answers = [await client.get(f"/api/v1/workspaces?after={theirs}", headers=owner.headers),
               await client.get(f"/api/v1/workspaces?after={other}", headers=viewer.headers),
               await client.get(f"/api/v1/workspaces?after={'0' * 8}-0000-4000-8000-{'0' * 12}",
                                headers=owner.headers)]
    assert {a.status_code for a in answers} == {422}
    assert len({a.text for a in answers}) == 1


async def test_total_is_exact_on_short_last_pages_and_past_the_end(client, parties):
    owner = await parties.owner()
    for n in range(7):
        await parties.workspace(owner, f"Client {n}")
    for offset, items in ((0, 3), (5, 2), (7, 0), (50, 0)):
        page = (await client.get(f"/api/v1/workspaces?limit=3&offset={offset}", headers=owner.headers)).json()
        assert (len(page["items"]), page["total"]) == (items, 7)
    everything = (await client.get("/api/v1/workspaces?limit=50", headers=owner.headers)).json()
    assert (len(everything["items"]), everything["total"]) == (7, 7)


async def test_total_follows_creates_and_deletes_through_the_tenant_counter(client, parties):
    owner, other = await parties.owner(), await parties.owner()
    made = [await parties.workspace(owner, f"Client {n}") for n in range(5)]
    await parties.workspace(other)
    await client.delete(f"/api/v1/workspaces/{made[0]}", headers=owner.headers)

    async def total(party, query: str) -> int:
        return (await client.get(f"/api/v1/workspaces?{query}", headers=party.headers)).json()["total"]

    # limit=2 leaves a full page, so the total comes from the counter, not from the page
    assert await total(owner, "limit=2") == 4
    assert await total(owner, f"limit=2&after={made[1]}") == 4
    assert await total(owner, "limit=1&q=Client 3") == 1
    assert await total(other, "limit=1") == 1
