"""The stand-ins enforce each vendor's published limits in the vendor's own words, with windows
a test can shrink: HubSpot per 10 s and per day and its batch-read maximum, Salesforce's daily
requests, Zoho's credits, GA4's tokens per hour and per day."""

from __future__ import annotations

import asyncio
import time

import httpx
import pytest

from cxsuite.sandbox import Limits, RunningSandbox, running

pytestmark = pytest.mark.anyio
CONTACTS = "/hubspot/crm/v3/objects/contacts"
REPORT = {"dateRanges": [{"startDate": "2025-01-01", "endDate": "2025-01-02"}],
          "dimensions": [{"name": "date"}], "metrics": [{"name": "sessions"}], "returnPropertyQuota": True}


def _bearer(sb: RunningSandbox, vendor: str, scheme: str = "Bearer") -> dict[str, str]:
    return {"Authorization": f"{scheme} {sb.sandbox.issue_token(vendor)[0]}"}


async def test_hubspot_refuses_more_than_100_ids_in_a_batch_read_with_its_validation_error(http, sb):
    headers = _bearer(sb, "hubspot")
    ids = [{"id": str(i)} for i in range(101)]
    refused = await http.post("/hubspot/crm/v3/objects/contacts/batch/read", json={"inputs": ids},
                              headers=headers)
    assert refused.status_code == 400
    body = refused.json()
    assert (body["status"], body["category"]) == ("error", "VALIDATION_ERROR")
    assert body["message"] == ("The maximum number of inputs supported in a batch request is 100. "
                               "Please reduce the number of items and try again")
    history = await http.post("/hubspot/crm/v3/objects/deals/batch/read", headers=headers,
                              json={"inputs": ids[:51], "propertiesWithHistory": ["dealstage"]})
    assert history.status_code == 400 and "for property histories is 50" in history.json()["message"]
    ok = await http.post("/hubspot/crm/v3/objects/contacts/batch/read", json={"inputs": ids[:100]},
                         headers=headers)
    assert ok.status_code == 200
    associations = await http.post("/hubspot/crm/v4/associations/deals/contacts/batch/read",
                                   json={"inputs": ids}, headers=headers)
    assert associations.status_code == 400


async def test_hubspot_burst_window_and_daily_limit():
    limits = Limits(enforce_rate_limits=True, hubspot_per_10s=3, hubspot_window_s=0.5, hubspot_daily=5)
    with running(seed=3, size=40, limits=limits) as sb:
        async with httpx.AsyncClient(base_url=sb.base_url) as http:
            headers = _bearer(sb, "hubspot")
            answers = [await http.get(CONTACTS, headers=headers) for _ in range(4)]
            assert [a.status_code for a in answers] == [200, 200, 200, 429]
            burst = answers[3].json()
            assert (burst["policyName"], burst["errorType"]) == ("TEN_SECONDLY_ROLLING", "RATE_LIMIT")
            assert answers[2].headers["X-HubSpot-RateLimit-Remaining"] == "0"
            assert answers[2].headers["X-HubSpot-RateLimit-Interval-Milliseconds"] == "500"
            await asyncio.sleep(0.55)  # the window slides: room again
            more = [await http.get(CONTACTS, headers=headers) for _ in range(3)]
            assert [a.status_code for a in more] == [200, 200, 429]
            daily = more[2].json()
            assert daily["policyName"] == "DAILY" and daily["message"] == "You have reached your daily limit."
            assert more[1].headers["X-HubSpot-RateLimit-Daily-Remaining"] == "0"
            assert sb.sandbox.usage.refused["hubspot"] == 2
            sb.sandbox.advance(86_400)  # the next day (sandbox clock, UTC)
            assert (await http.get(CONTACTS, headers=_bearer(sb, "hubspot"))).status_code == 200


async def test_salesforce_daily_requests_zoho_credits_and_ga4_tokens():
    limits = Limits(enforce_rate_limits=True, salesforce_daily=2, zoho_credits=2, zoho_window_s=60,
                    ga4_tokens_per_hour=20, ga4_tokens_per_day=30)
    with running(seed=3, size=40, limits=limits) as sb:
        async with httpx.AsyncClient(base_url=sb.base_url) as http:
            soql = {"q": "SELECT Id FROM Account"}
            sf = [await http.get("/salesforce/services/data/v62.0/query", params=soql,
                                 headers=_bearer(sb, "salesforce")) for _ in range(3)]
            assert [a.status_code for a in sf] == [200, 200, 403]
            assert sf[2].json() == [{"message": "TotalRequests Limit exceeded.",
                                     "errorCode": "REQUEST_LIMIT_EXCEEDED"}]
            assert sf[2].headers["Sforce-Limit-Info"] == "api-usage=2/2"

            zoho = [await http.get("/zoho/api/eu/crm/v8/Contacts", params={"fields": "Email"},
                                   headers=_bearer(sb, "zoho", "Zoho-oauthtoken")) for _ in range(3)]
            assert [a.status_code for a in zoho] == [200, 200, 429]
            assert zoho[2].json()["code"] == "TOO_MANY_REQUESTS"
            reset_in = int(zoho[2].headers["X-RATELIMIT-RESET"]) / 1000 - time.time()
            assert 50 < reset_in <= 61  # when the first credit leaves the 60 s window

            url = f"/ga4/v1beta/properties/{sb.sandbox.ga4_property_id}:runReport"
            ga4 = [await http.post(url, json=REPORT, headers=_bearer(sb, "ga4")) for _ in range(3)]
            assert [a.status_code for a in ga4] == [200, 200, 429]
            assert ga4[2].json()["error"]["message"].startswith("Exhausted property tokens per hour.")
            assert ga4[1].json()["propertyQuota"]["tokensPerHour"]["remaining"] == 0
            sb.sandbox.advance(3_601)  # the hour is over; the day is not: 30 tokens, 20 spent
            day = [await http.post(url, json=REPORT, headers=_bearer(sb, "ga4")) for _ in range(2)]
            assert [a.status_code for a in day] == [200, 429]
            assert day[1].json()["error"]["message"] == (
                "Exhausted property tokens per day. These quota tokens will return in under 24 hours.")


@pytest.mark.parametrize(("vendor", "status"), [("hubspot", 429), ("salesforce", 403), ("zoho", 429),
                                                ("ga4", 429)])
async def test_a_daily_limit_fault_answers_with_the_vendors_daily_refusal(http, sb, vendor, status):
    sb.sandbox.inject(vendor, "daily_limit")
    if vendor == "hubspot":
        answer = await http.get(CONTACTS, headers=_bearer(sb, vendor))
        assert answer.json()["policyName"] == "DAILY"
    elif vendor == "salesforce":
        answer = await http.get("/salesforce/services/data/v62.0/query", params={"q": "SELECT Id FROM Account"},
                                headers=_bearer(sb, vendor))
        assert answer.json()[0]["message"] == "TotalRequests Limit exceeded."
    elif vendor == "zoho":
        answer = await http.get("/zoho/api/eu/crm/v8/Contacts", params={"fields": "Email"},
                                headers=_bearer(sb, vendor, "Zoho-oauthtoken"))
        assert int(answer.headers["X-RATELIMIT-RESET"]) / 1000 > time.time() + 80_000
    else:
        answer = await http.post(f"/ga4/v1beta/properties/{sb.sandbox.ga4_property_id}:runReport", json=REPORT,
                                 headers=_bearer(sb, vendor))
        assert "tokens per day" in answer.json()["error"]["message"]
    assert answer.status_code == status
