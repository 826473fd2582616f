"""Salesforce stand-in over real HTTP: web-server flow, refresh rotation, SOQL, locators, deletes, errors."""

from __future__ import annotations

import httpx
import pytest

from cxsuite.sandbox import RunningSandbox
from cxsuite.sandbox.ids import salesforce_id
from cxsuite.sandbox.soql import SoqlError, parse
from tests.sandbox.conftest import authorize, client_form, count_reads

pytestmark = pytest.mark.anyio
V = "/services/data/v62.0"


async def _connect(http: httpx.AsyncClient) -> dict:
    callback = await authorize(http, "/salesforce/services/oauth2/authorize", "salesforce")
    assert callback["code"].endswith("==")
    response = await http.post("/salesforce/services/oauth2/token",
                               data=client_form("salesforce", grant_type="authorization_code", code=callback["code"]))
    assert response.status_code == 200, response.text
    return response.json()


async def _query_all(http: httpx.AsyncClient, token: dict, soql: str, endpoint: str = "query",
                     batch: str | None = None) -> tuple[list[dict], int]:
    headers = {"Authorization": f"Bearer {token['access_token']}",
               **({"Sforce-Query-Options": f"batchSize={batch}"} if batch else {})}
    base = token["instance_url"]
    page = (await http.get(f"{base}{V}/{endpoint}", params={"q": soql}, headers=headers)).json()
    records, pages = list(page["records"]), 1
    while not page["done"]:
        page = (await http.get(base + page["nextRecordsUrl"], headers=headers)).json()
        records += page["records"]
        pages += 1
    return records, pages


async def test_token_response_and_single_use_code(http, sb: RunningSandbox):
    callback = await authorize(http, "/salesforce/services/oauth2/authorize", "salesforce")
    form = client_form("salesforce", grant_type="authorization_code", code=callback["code"])
    token = (await http.post("/salesforce/services/oauth2/token", data=form)).json()
    assert token["instance_url"] == f"{sb.base_url}/salesforce"
    assert "expires_in" not in token and token["token_type"] == "Bearer" and token["refresh_token"]
    reused = await http.post("/salesforce/services/oauth2/token", data=form)
    assert reused.status_code == 400 and reused.json()["error"] == "invalid_grant"


async def test_refresh_rotates_and_revokes_the_old_refresh_token(http):
    token = await _connect(http)
    form = client_form("salesforce", grant_type="refresh_token", refresh_token=token["refresh_token"])
    rotated = (await http.post("/salesforce/services/oauth2/token", data=form)).json()
    assert rotated["refresh_token"] != token["refresh_token"] and "expires_in" not in rotated
    stale = await http.post("/salesforce/services/oauth2/token", data=form)
    assert stale.json() == {"error": "invalid_grant", "error_description": "expired access/refresh token"}


async def test_query_pages_with_locators_to_the_end(http, sb: RunningSandbox):
    token = await _connect(http)
    records, pages = await _query_all(http, token, "SELECT Id, Email, SystemModstamp FROM Contact ORDER BY Id",
                                      batch="200")
    assert len(records) == len(sb.sandbox.world.contacts) and pages == 1
    sb.sandbox.limits.salesforce_narrow_batch_size = 50  # Task pages are the narrow (1,000) kind
    tasks, task_pages = await _query_all(http, token, "SELECT Id FROM Task")
    assert len(tasks) == len({r["Id"] for r in tasks}) > 50 and task_pages == -(-len(tasks) // 50)
    assert all(len(r["Id"]) == 18 for r in tasks)
    assert records[0]["attributes"]["type"] == "Contact"


async def test_nextrecordsurl_also_works_joined_to_the_host(http, sb: RunningSandbox):
    token = await _connect(http)
    sb.sandbox.limits.salesforce_narrow_batch_size = 50
    headers = {"Authorization": f"Bearer {token['access_token']}"}
    first = (await http.get(f"{token['instance_url']}{V}/query", params={"q": "SELECT Id FROM Task"},
                            headers=headers)).json()
    second = await http.get(first["nextRecordsUrl"], headers=headers)
    assert second.status_code == 200 and second.json()["records"]


async def test_incremental_where_and_queryall_deletes(http, sb: RunningSandbox):
    token = await _connect(http)
    since = sb.sandbox.clock.now().strftime("%Y-%m-%dT%H:%M:%S.000Z")
    modified = sb.sandbox.modify("tickets", 2)
    deleted = sb.sandbox.archive("tickets", 1)
    soql = f"SELECT Id, IsDeleted, SystemModstamp FROM Case WHERE SystemModstamp >= {since} ORDER BY SystemModstamp"
    live, _ = await _query_all(http, token, soql)
    assert {r["Id"] for r in live} == {salesforce_id("Case", r.seq) for r in modified} - {
        salesforce_id("Case", r.seq) for r in deleted}
    everything, _ = await _query_all(http, token, soql, endpoint="queryAll")
    assert [r["Id"] for r in everything if r["IsDeleted"]] == [salesforce_id("Case", deleted[0].seq)]


async def test_malformed_query_invalid_field_and_expired_session(http, sb: RunningSandbox):
    token = await _connect(http)
    headers = {"Authorization": f"Bearer {token['access_token']}"}
    bad = await http.get(f"/salesforce{V}/query", params={"q": "SELECT Id FROM Contact WHERE"}, headers=headers)
    assert bad.status_code == 400 and bad.json()[0]["errorCode"] == "MALFORMED_QUERY"
    field = await http.get(f"/salesforce{V}/query", params={"q": "SELECT Foo FROM Contact"}, headers=headers)
    assert field.json()[0]["errorCode"] == "INVALID_FIELD"
    sb.sandbox.inject("salesforce", "rate_limit")
    limited = await http.get(f"/salesforce{V}/query", params={"q": "SELECT Id FROM Account"}, headers=headers)
    assert limited.status_code == 403 and limited.json()[0]["errorCode"] == "REQUEST_LIMIT_EXCEEDED"
    assert limited.headers["Sforce-Limit-Info"].startswith("api-usage=")
    sb.sandbox.inject("salesforce", "malformed_record")
    page = (await http.get(f"/salesforce{V}/queryAll", params={"q": "SELECT Id, Name FROM Account"},
                           headers=headers)).json()
    assert page["records"][0]["SystemModstamp"] == "31/02/2024 25:61"  # unparseable: the row is rejected
    sb.sandbox.expire_tokens()
    expired = await http.get(f"/salesforce{V}/query", params={"q": "SELECT Id FROM Account"}, headers=headers)
    assert expired.status_code == 401
    assert expired.json() == [{"message": "Session expired or invalid", "errorCode": "INVALID_SESSION_ID"}]


@pytest.mark.parametrize("soql", [
    "SELECT Id FROM Contact WHERE A = 1 AND B = 2 OR C = 3",
    "SELECT Id, FROM Contact", "SELECT Id FROM Contact LIMIT x", "SELECT COUNT() FROM Contact",
    "SELECT Id FROM Contact WHERE SystemModstamp > LAST_N_DAYS:3",
])
def test_soql_subset_rejects_what_it_does_not_understand(soql):
    with pytest.raises(SoqlError) as caught:
        parse(soql)
    assert caught.value.code == "MALFORMED_QUERY" and "ERROR at Row:1:Column:" in str(caught.value)


def test_soql_accepts_the_incremental_shapes():
    query = parse("SELECT Id, SystemModstamp FROM Contact WHERE (SystemModstamp = 2025-01-01T00:00:00Z "
                  "AND Id > '003') OR SystemModstamp > 2025-01-01T00:00:00.000+0000 ORDER BY SystemModstamp ASC, "
                  "Id LIMIT 10")
    assert query.sobject == "Contact" and query.limit == 10 and len(query.order) == 2


async def test_history_by_opportunity_ids_matches_the_full_scan(http):
    """The stand-in answers ``OpportunityId IN (...)`` from an index (a scan per page made a
    sync's time grow with the square of the deals): the same rows as filtering everything."""
    token = await _connect(http)
    every, _ = await _query_all(http, token, "SELECT Id, OpportunityId, StageName FROM OpportunityHistory "
                                             "ORDER BY OpportunityId, CreatedDate, Id")
    wanted = sorted({r["OpportunityId"] for r in every})[1::3][:40]
    missing = salesforce_id("Account", 3)  # an id of another object finds nothing
    in_list = ", ".join(f"'{i}'" for i in [*wanted, missing])
    some, _ = await _query_all(http, token, "SELECT Id, OpportunityId, StageName FROM OpportunityHistory "
                                            f"WHERE OpportunityId IN ({in_list}) ORDER BY OpportunityId, CreatedDate, Id")
    assert wanted and some == [r for r in every if r["OpportunityId"] in set(wanted)]


@pytest.mark.parametrize(("sobject", "link", "kind", "extra"), [
    ("OpportunityHistory", "OpportunityId", "deals", ""),
    ("CaseHistory", "CaseId", "tickets", " AND Field IN ('ownerAssignment', 'ownerAccepted')"),
    ("CampaignMember", "ContactId", "contacts", ""),
])
async def test_child_rows_of_a_page_are_found_by_parent_id_not_by_a_scan(http, sb: RunningSandbox, sobject: str,
                                                                          link: str, kind: str, extra: str):
    """The connector asks for each page's history and memberships by parent id: the stand-in
    looks the parents up (a scan of every parent per page made a sync grow with the square of
    the records) and finds the same rows as filtering everything."""
    token = await _connect(http)
    every, _ = await _query_all(http, token, f"SELECT Id, {link} FROM {sobject} ORDER BY {link}, Id")
    wanted = sorted({r[link] for r in every})[1::3][:40]
    parents = count_reads(sb.sandbox.world, kind)
    in_list = ", ".join(f"'{i}'" for i in wanted)
    some, _ = await _query_all(http, token, f"SELECT Id, {link} FROM {sobject} WHERE {link} IN ({in_list}){extra} "
                                            f"ORDER BY {link}, Id")
    assert wanted and some == [r for r in every if r[link] in set(wanted)]
    assert parents.read < len(parents) // 2  # a sample row names the fields; nothing more is read
    leads = f"'{salesforce_id('Lead', 1)}', '{salesforce_id('Lead', 2)}'"
    assert (await _query_all(http, token, f"SELECT Id FROM CampaignMember WHERE LeadId IN ({leads})"))[0] == []
