"""GA4 stand-in over real HTTP: Google OAuth, runReport strings, rowCount/offset, quota, errors."""

from __future__ import annotations

import httpx
import pytest

from cxsuite.sandbox import RunningSandbox
from tests.sandbox.conftest import authorize, client_form

pytestmark = pytest.mark.anyio
REPORT = {"dateRanges": [{"startDate": "2025-01-01", "endDate": "2025-01-31"}],
          "dimensions": [{"name": "date"}, {"name": "deviceCategory"}],
          "metrics": [{"name": "sessions"}, {"name": "totalRevenue"}]}


async def _connect(http: httpx.AsyncClient) -> dict:
    callback = await authorize(http, "/google/o/oauth2/auth", "ga4", access_type="offline", prompt="consent",
                               scope="https://www.googleapis.com/auth/analytics.readonly")
    token = await http.post("/google/token", data=client_form("ga4", grant_type="authorization_code",
                                                              code=callback["code"]))
    return token.json()


def _url(sb: RunningSandbox) -> str:
    return f"/ga4/v1beta/properties/{sb.sandbox.ga4_property_id}:runReport"


async def test_oauth_refresh_has_no_new_refresh_token(http):
    token = await _connect(http)
    assert token["refresh_token"].startswith("1//") and token["expires_in"] == 3599
    refreshed = (await http.post("/google/token", data=client_form(
        "ga4", grant_type="refresh_token", refresh_token=token["refresh_token"]))).json()
    assert "refresh_token" not in refreshed


async def test_run_report_values_are_strings_and_offset_pages(http, sb: RunningSandbox):
    token = await _connect(http)
    headers = {"Authorization": f"Bearer {token['access_token']}"}
    full = (await http.post(_url(sb), json=REPORT, headers=headers)).json()
    assert full["rowCount"] == 31 * 3 and len(full["rows"]) == 93
    assert full["metricHeaders"] == [{"name": "sessions", "type": "TYPE_INTEGER"},
                                     {"name": "totalRevenue", "type": "TYPE_CURRENCY"}]
    first = full["rows"][0]
    assert first["dimensionValues"][0]["value"] == "20250101"
    assert all(isinstance(v["value"], str) for v in first["metricValues"])
    paged, offset = [], 0
    while offset < full["rowCount"]:
        page = (await http.post(_url(sb), json={**REPORT, "limit": 40, "offset": offset, "returnPropertyQuota": True},
                                headers=headers)).json()
        assert page["rowCount"] == 93 and "tokensPerHour" in page["propertyQuota"]
        paged += page["rows"]
        offset += 40
    assert paged == full["rows"]


async def test_weekly_seasonality(http, sb: RunningSandbox):
    token = await _connect(http)
    body = {"dateRanges": [{"startDate": "2024-03-04", "endDate": "2024-12-29"}],
            "dimensions": [{"name": "date"}], "metrics": [{"name": "sessions"}]}
    rows = (await http.post(_url(sb), json=body, headers={"Authorization": f"Bearer {token['access_token']}"})).json()
    from datetime import date
    by_weekday = [0] * 7
    for row in rows["rows"]:
        value = row["dimensionValues"][0]["value"]
        by_weekday[date(int(value[:4]), int(value[4:6]), int(value[6:])).weekday()] += int(row["metricValues"][0]["value"])
    assert min(by_weekday[:5]) > max(by_weekday[5:])


async def test_errors_use_google_envelopes(http, sb: RunningSandbox):
    token = await _connect(http)
    headers = {"Authorization": f"Bearer {token['access_token']}"}
    bad = await http.post(_url(sb), json={**REPORT, "dimensions": [{"name": "nope"}]}, headers=headers)
    assert bad.status_code == 400 and bad.json()["error"]["status"] == "INVALID_ARGUMENT"
    sb.sandbox.inject("ga4", "rate_limit")
    limited = await http.post(_url(sb), json=REPORT, headers=headers)
    assert limited.status_code == 429 and limited.json()["error"]["status"] == "RESOURCE_EXHAUSTED"
    sb.sandbox.inject("ga4", "server_error", status=503)
    assert (await http.post(_url(sb), json=REPORT, headers=headers)).json()["error"]["status"] == "UNAVAILABLE"
    sb.sandbox.expire_tokens()
    expired = await http.post(_url(sb), json=REPORT, headers=headers)
    assert expired.status_code == 401 and expired.json()["error"]["status"] == "UNAUTHENTICATED"


async def test_new_vs_returning_and_answer_quirks_steered_over_the_control_api(http, sb: RunningSandbox):
    """``newVsReturning`` splits the same traffic; ``POST /_sandbox/ga4/quirks`` makes the
    stand-in answer as GA4 sometimes does (reversed headers, a metric left out, quality
    metadata, an "(other)" row), and an empty body restores plain answers."""
    token = await _connect(http)
    headers = {"Authorization": f"Bearer {token['access_token']}"}
    split = {**REPORT, "dimensions": [{"name": "newVsReturning"}]}
    total = (await http.post(_url(sb), json={**REPORT, "dimensions": []}, headers=headers)).json()
    by_visitor = (await http.post(_url(sb), json=split, headers=headers)).json()
    assert {r["dimensionValues"][0]["value"] for r in by_visitor["rows"]} == {"new", "returning"}
    assert sum(int(r["metricValues"][0]["value"]) for r in by_visitor["rows"]) == int(
        total["rows"][0]["metricValues"][0]["value"])
    try:
        quirks = await http.post("/_sandbox/ga4/quirks", json={
            "header_order": "reversed", "omit_metrics": ["totalRevenue"], "sampled": True,
            "thresholded": True, "landing_page_limit": 2})
        assert quirks.status_code == 200
        body = {**REPORT, "dimensions": [{"name": "date"}, {"name": "landingPage"}]}
        odd = (await http.post(_url(sb), json=body, headers=headers)).json()
        assert [h["name"] for h in odd["dimensionHeaders"]] == ["landingPage", "date"]
        assert [h["name"] for h in odd["metricHeaders"]] == ["sessions"]
        assert odd["metadata"]["subjectToThresholding"] and odd["metadata"]["samplingMetadatas"]
        assert odd["metadata"]["dataLossFromOtherRow"]
        assert len({r["dimensionValues"][0]["value"] for r in odd["rows"]}) == 3  # two pages and "(other)"
        bad = await http.post("/_sandbox/ga4/quirks", json={"header_order": "sideways"})
        assert bad.status_code == 400
    finally:
        assert (await http.post("/_sandbox/ga4/quirks", json={})).status_code == 200
    plain = (await http.post(_url(sb), json=REPORT, headers=headers)).json()
    assert [h["name"] for h in plain["metricHeaders"]] == ["sessions", "totalRevenue"]
    assert set(plain["metadata"]) == {"currencyCode", "timeZone"}
