"""Zoho stand-in over real HTTP: multi-DC OAuth with HTTP-200 errors, fields rule, page limit, page_token, 304."""

from __future__ import annotations

import httpx
import pytest

from cxsuite.sandbox import RunningSandbox
from cxsuite.sandbox.ids import zoho_id
from tests.sandbox.conftest import authorize, client_form, count_reads

pytestmark = pytest.mark.anyio


async def _connect(http: httpx.AsyncClient) -> dict:
    callback = await authorize(http, "/zoho/accounts/us/oauth/v2/auth", "zoho", scope="ZohoCRM.modules.READ",
                               access_type="offline", prompt="consent")
    assert callback["location"] == "eu" and callback["accounts-server"].endswith("/zoho/accounts/eu")
    token = await http.post(callback["accounts-server"] + "/oauth/v2/token",
                            params=client_form("zoho", grant_type="authorization_code", code=callback["code"]))
    return token.json()


def _auth(token: dict) -> dict[str, str]:
    return {"Authorization": f"Zoho-oauthtoken {token['access_token']}"}


async def test_multi_dc_code_flow_and_http_200_errors(http):
    callback = await authorize(http, "/zoho/accounts/us/oauth/v2/auth", "zoho", scope="ZohoCRM.modules.READ")
    wrong_dc = await http.post("/zoho/accounts/us/oauth/v2/token",
                               data=client_form("zoho", grant_type="authorization_code", code=callback["code"]))
    assert wrong_dc.status_code == 200 and wrong_dc.json() == {"error": "invalid_code"}
    bad_client = await http.post("/zoho/accounts/eu/oauth/v2/token", data={"client_id": "x", "client_secret": "y"})
    assert bad_client.status_code == 200 and bad_client.json() == {"error": "invalid_client"}
    token = await _connect(http)
    assert token["api_domain"].endswith("/zoho/api/eu") and token["expires_in"] == 3600
    refreshed = (await http.post("/zoho/accounts/eu/oauth/v2/token", params=client_form(
        "zoho", grant_type="refresh_token", refresh_token=token["refresh_token"]))).json()
    assert "refresh_token" not in refreshed and refreshed["api_domain"] == token["api_domain"]
    other_dc = await http.get(token["api_domain"].replace("/eu", "/us") + "/crm/v8/Contacts",
                              params={"fields": "Email"}, headers=_auth(token))
    assert other_dc.status_code == 401 and other_dc.json()["code"] == "INVALID_TOKEN"


async def test_fields_are_mandatory_and_capped(http):
    token = await _connect(http)
    url = token["api_domain"] + "/crm/v8/Contacts"
    missing = await http.get(url, headers=_auth(token))
    assert missing.status_code == 400 and missing.json()["code"] == "REQUIRED_PARAM_MISSING"
    many = await http.get(url, params={"fields": ",".join(f"f{i}" for i in range(51))}, headers=_auth(token))
    assert many.json()["details"] == {"limit": 50, "param_name": "fields"}


async def test_page_limit_then_page_token_to_the_end(http, sb: RunningSandbox):
    token = await _connect(http)
    url = token["api_domain"] + "/crm/v8/Contacts"
    query = {"fields": "Email,Modified_Time", "per_page": "20"}
    beyond = await http.get(url, params={**query, "page": "3"}, headers=_auth(token))
    assert beyond.status_code == 400 and beyond.json()["code"] == "DISCRETE_PAGINATION_LIMIT_EXCEEDED"
    seen, params = [], dict(query)
    while True:
        body = (await http.get(url, params=params, headers=_auth(token))).json()
        seen += body["data"]
        if not body["info"]["more_records"]:
            break
        params = {**query, "page_token": body["info"]["next_page_token"]}
    assert len({r["id"] for r in seen}) == len(sb.sandbox.world.contacts)
    assert set(seen[0]) == {"id", "Email", "Modified_Time"}
    mismatch = await http.get(url, params={**params, "per_page": "10"}, headers=_auth(token))
    assert mismatch.status_code in (400, 200)


async def test_if_modified_since_and_deleted(http, sb: RunningSandbox):
    token = await _connect(http)
    url = token["api_domain"] + "/crm/v8/Deals"
    since = {"If-Modified-Since": sb.sandbox.clock.now().strftime("%Y-%m-%dT%H:%M:%S+00:00"), **_auth(token)}
    unchanged = await http.get(url, params={"fields": "Stage"}, headers=since)
    assert unchanged.status_code == 304 and unchanged.content == b""
    sb.sandbox.advance(5)
    sb.sandbox.modify("deals", 2)
    sb.sandbox.archive("deals", 1)
    changed = (await http.get(url, params={"fields": "Stage"}, headers=since)).json()
    assert len(changed["data"]) in (1, 2)
    deleted = (await http.get(url + "/deleted", params={"type": "all"}, headers=_auth(token))).json()
    assert deleted["data"][0]["type"] == "recycle" and deleted["info"]["count"] == 1


async def test_injected_throttle_and_expired_token(http, sb: RunningSandbox):
    token = await _connect(http)
    url = token["api_domain"] + "/crm/v8/Cases"
    sb.sandbox.inject("zoho", "rate_limit", retry_after=7)
    limited = await http.get(url, params={"fields": "Subject"}, headers=_auth(token))
    assert limited.status_code == 429 and limited.json()["code"] == "TOO_MANY_REQUESTS"
    sb.sandbox.advance(3601)
    expired = await http.get(url, params={"fields": "Subject"}, headers=_auth(token))
    assert expired.json() == {"code": "INVALID_TOKEN", "details": {}, "message": "invalid oauth token",
                              "status": "error"}


async def test_deal_stage_history_is_a_related_list_newest_first(http, sb: RunningSandbox):
    token = await _connect(http)
    deal = next(d for d in sb.sandbox.world.deals if len(d.history) > 2 and d.deleted_at is None)
    deals = count_reads(sb.sandbox.world, "deals")  # the deal is found by its id, not by a scan
    url = f"{token['api_domain']}/crm/v8/Deals/{zoho_id('Deals', deal.seq)}/Stage_History"
    body = (await http.get(url, params={"fields": "Stage,Last_Modified_Time"}, headers=_auth(token))).json()
    assert len(body["data"]) == len(deal.history) and body["info"]["more_records"] is False
    assert body["data"][0]["Last_Modified_Time"] > body["data"][-1]["Last_Modified_Time"]
    assert set(body["data"][0]) == {"id", "Stage", "Last_Modified_Time"} and deals.read == 0
    no_fields = await http.get(url, headers=_auth(token))
    assert no_fields.status_code == 400 and no_fields.json()["code"] == "REQUIRED_PARAM_MISSING"
