"""HubSpot stand-in over real HTTP: OAuth, list paging, search window, faults, incremental search."""

from __future__ import annotations

import httpx
import pytest

from cxsuite.sandbox import RunningSandbox
from cxsuite.sandbox.ids import hubspot_id
from tests.sandbox.conftest import authorize, client_form, count_reads

pytestmark = pytest.mark.anyio


async def _token(http: httpx.AsyncClient) -> dict:
    callback = await authorize(http, "/hubspot/oauth/authorize", "hubspot", scope="crm.objects.contacts.read")
    assert callback["state"] == "s1"
    response = await http.post("/hubspot/oauth/v1/token",
                               data=client_form("hubspot", grant_type="authorization_code", code=callback["code"]))
    assert response.status_code == 200, response.text
    return response.json()


async def _list_all(http: httpx.AsyncClient, token: str, object_type: str, **params: str) -> list[dict]:
    results, after = [], None
    while True:
        query = {"limit": "25", **params, **({"after": after} if after else {})}
        page = (await http.get(f"/hubspot/crm/v3/objects/{object_type}", params=query,
                               headers={"Authorization": f"Bearer {token}"})).json()
        results += page["results"]
        after = page.get("paging", {}).get("next", {}).get("after")
        if after is None:
            return results


async def test_code_flow_single_use_code_and_refresh(http):
    callback = await authorize(http, "/hubspot/oauth/authorize", "hubspot", scope="crm.objects.contacts.read")
    form = client_form("hubspot", grant_type="authorization_code", code=callback["code"])
    first = await http.post("/hubspot/oauth/v1/token", data=form)
    assert first.status_code == 200
    body = first.json()
    assert body["expires_in"] == 1800 and body["token_type"] == "bearer" and body["refresh_token"]
    again = await http.post("/hubspot/oauth/v1/token", data=form)
    assert again.status_code == 400 and again.json()["status"] == "BAD_AUTH_CODE"
    refreshed = await http.post("/hubspot/oauth/v1/token",
                                data=client_form("hubspot", grant_type="refresh_token", refresh_token=body["refresh_token"]))
    assert refreshed.json()["refresh_token"] == body["refresh_token"]


async def test_consent_page_when_not_auto_approved(http, sb: RunningSandbox):
    sb.sandbox.auto_approve = False
    page = await http.get("/hubspot/oauth/authorize", params={"client_id": client_form("hubspot")["client_id"],
                                                              "redirect_uri": "http://localhost:9/cb"})
    assert page.status_code == 200 and "Approve" in page.text
    approved = await http.post(str(page.url), data={"decision": "approve"})
    assert approved.status_code == 302 and "code=" in approved.headers["location"]


async def test_paging_to_the_end_returns_every_contact_with_rate_headers(http, sb: RunningSandbox):
    token = (await _token(http))["access_token"]
    contacts = await _list_all(http, token, "contacts")
    assert len(contacts) == len(sb.sandbox.world.contacts)
    assert len({c["id"] for c in contacts}) == len(contacts)
    response = await http.get("/hubspot/crm/v3/objects/contacts", headers={"Authorization": f"Bearer {token}"})
    assert response.headers["X-HubSpot-RateLimit-Max"] == "110"
    assert set(response.json()["results"][0]["properties"]) >= {"email", "lastmodifieddate", "hs_object_id"}


async def test_short_and_empty_pages_still_carry_a_cursor(http, sb: RunningSandbox):
    token = (await _token(http))["access_token"]
    sb.sandbox.inject("hubspot", "empty_page")
    sb.sandbox.inject("hubspot", "short_page")
    headers = {"Authorization": f"Bearer {token}"}
    empty = (await http.get("/hubspot/crm/v3/objects/contacts", params={"limit": "20"}, headers=headers)).json()
    assert empty["results"] == [] and empty["paging"]["next"]["after"]
    short = (await http.get("/hubspot/crm/v3/objects/contacts", params={"limit": "20"}, headers=headers)).json()
    assert 0 < len(short["results"]) < 20 and short["paging"]["next"]["after"]
    assert len(await _list_all(http, token, "contacts")) == len(sb.sandbox.world.contacts)


async def test_search_sorts_ids_as_text_and_400s_past_the_window(http, sb: RunningSandbox):
    token = (await _token(http))["access_token"]
    headers = {"Authorization": f"Bearer {token}"}
    body = {"limit": 20, "properties": ["email"]}
    first = (await http.post("/hubspot/crm/v3/objects/contacts/search", json=body, headers=headers)).json()
    ids = [r["id"] for r in first["results"]]
    assert ids == sorted(ids) and ids != sorted(ids, key=int)
    assert first["total"] == 60
    second = (await http.post("/hubspot/crm/v3/objects/contacts/search", json={**body, "after": "20"},
                              headers=headers)).json()
    assert second["paging"]["next"]["after"] == "40"
    past = await http.post("/hubspot/crm/v3/objects/contacts/search", json={**body, "after": "40"}, headers=headers)
    assert past.status_code == 400 and past.json()["category"] == "VALIDATION_ERROR"


async def test_incremental_search_and_archived_list_see_mutations(http, sb: RunningSandbox):
    token = (await _token(http))["access_token"]
    headers = {"Authorization": f"Bearer {token}"}
    since = sb.sandbox.clock.now()
    modified = sb.sandbox.modify("contacts", 3)
    archived = sb.sandbox.archive("contacts", 2)
    added = sb.sandbox.add("contacts", 4)
    body = {"filterGroups": [{"filters": [{"propertyName": "lastmodifieddate", "operator": "GTE",
                                           "value": str(int(since.timestamp() * 1000))}]}],
            "sorts": [{"propertyName": "lastmodifieddate", "direction": "ASCENDING"}], "limit": 100}
    found = (await http.post("/hubspot/crm/v3/objects/contacts/search", json=body, headers=headers)).json()
    expected = {hubspot_id("contacts", r.seq) for r in (*modified, *added)} - {
        hubspot_id("contacts", r.seq) for r in archived}
    assert {r["id"] for r in found["results"]} == expected
    gone = await _list_all(http, token, "contacts", archived="true")
    assert {r["id"] for r in gone} == {hubspot_id("contacts", r.seq) for r in archived}
    assert all(r["archived"] for r in gone)


async def test_expired_token_rate_limit_and_server_error_bodies(http, sb: RunningSandbox):
    token = (await _token(http))["access_token"]
    headers = {"Authorization": f"Bearer {token}"}
    sb.sandbox.inject("hubspot", "rate_limit", retry_after=None)
    sb.sandbox.inject("hubspot", "rate_limit", retry_after=3)
    sb.sandbox.inject("hubspot", "server_error", status=502)
    limited = await http.get("/hubspot/crm/v3/objects/deals", headers=headers)
    assert limited.status_code == 429 and "Retry-After" not in limited.headers
    assert limited.json()["policyName"] == "TEN_SECONDLY_ROLLING" and limited.json()["errorType"] == "RATE_LIMIT"
    assert (await http.get("/hubspot/crm/v3/objects/deals", headers=headers)).headers["Retry-After"] == "3"
    assert (await http.get("/hubspot/crm/v3/objects/deals", headers=headers)).status_code == 502
    sb.sandbox.advance(1801)
    expired = await http.get("/hubspot/crm/v3/objects/deals", headers=headers)
    assert expired.status_code == 401
    assert expired.json()["category"] == "EXPIRED_AUTHENTICATION" and "expire time" in expired.json()["context"]


async def test_malformed_record_and_414(http, sb: RunningSandbox):
    token = (await _token(http))["access_token"]
    headers = {"Authorization": f"Bearer {token}"}
    sb.sandbox.inject("hubspot", "malformed_record")
    page = (await http.get("/hubspot/crm/v3/objects/contacts", headers=headers)).json()
    assert page["results"][0]["properties"]["lastmodifieddate"] == "31/02/2024 25:61"
    long = await http.get("/hubspot/crm/v3/objects/contacts", params={"properties": "x" * 9000}, headers=headers)
    assert long.status_code == 414


async def test_deal_pipelines_and_stage_history(http):
    token = (await _token(http))["access_token"]
    headers = {"Authorization": f"Bearer {token}"}
    pipelines = (await http.get("/hubspot/crm/v3/pipelines/deals", headers=headers)).json()
    assert {s["id"] for s in pipelines["results"][0]["stages"]} >= {"closedwon", "closedlost"}
    deals = (await http.get("/hubspot/crm/v3/objects/deals", params={"propertiesWithHistory": "dealstage",
                                                                      "associations": "contacts"},
                            headers=headers)).json()["results"]
    assert deals[0]["propertiesWithHistory"]["dealstage"][-1]["value"] == "appointmentscheduled"
    assert deals[0]["associations"]["contacts"]["results"]


async def test_lists_search_and_memberships_batch_read(http, sb: RunningSandbox):
    headers = {"Authorization": f"Bearer {(await _token(http))['access_token']}"}
    first = (await http.post("/hubspot/crm/v3/lists/search", json={"offset": 0, "count": 4}, headers=headers)).json()
    rest = (await http.post("/hubspot/crm/v3/lists/search", json={"offset": first["offset"], "count": 4},
                            headers=headers)).json()
    assert first["hasMore"] and not rest["hasMore"] and first["total"] == 6
    names = {item["listId"]: item["name"] for item in first["lists"] + rest["lists"]}
    member = next(c for c in sb.sandbox.world.contacts if c.segments and c.deleted_at is None)
    inputs = [{"objectTypeId": "0-1", "recordId": hubspot_id("contacts", member.seq)}]
    found = (await http.post("/hubspot/crm/v3/lists/records/memberships/batch/read", json={"inputs": inputs},
                             headers=headers)).json()
    listed = found["results"][0]["recordListMemberships"]
    assert sorted(names[m["listId"]] for m in listed) == sorted(member.segments)
    too_many = await http.post("/hubspot/crm/v3/lists/records/memberships/batch/read",
                               json={"inputs": inputs * 101}, headers=headers)
    assert too_many.status_code == 400 and too_many.json()["category"] == "VALIDATION_ERROR"


async def test_a_listing_continues_from_its_cursor_without_reading_the_world_again(http, sb: RunningSandbox):
    """The first page of a listing gathers the records; the next pages find their place by
    the cursor (a sort and a scan per page made a sync grow with the square of the records),
    and a mutation between pages is still seen."""
    token = (await _token(http))["access_token"]
    headers = {"Authorization": f"Bearer {token}"}
    first = (await http.get("/hubspot/crm/v3/objects/contacts", params={"limit": "10"}, headers=headers)).json()
    contacts = count_reads(sb.sandbox.world, "contacts")
    after = first["paging"]["next"]["after"]
    second = (await http.get("/hubspot/crm/v3/objects/contacts", params={"limit": "10", "after": after},
                             headers=headers)).json()
    assert contacts.read == 0 and second["results"][0]["id"] == after
    gone = sb.sandbox.archive("contacts", len(sb.sandbox.world.contacts))
    third = (await http.get("/hubspot/crm/v3/objects/contacts", params={"limit": "10", "after": after},
                            headers=headers)).json()
    assert gone and third["results"] == []
