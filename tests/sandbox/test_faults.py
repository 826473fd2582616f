"""Fault injection: outages that really refuse connections, resets before and in the middle of
a body, slow responses, a spent daily quota, a revoked grant; over the control API, in-process
and from ``cxsuite sandbox --fault``."""

from __future__ import annotations

import time

import anyio
import httpx
import pytest
from click.testing import CliRunner

from cxsuite.cli import main
from cxsuite.sandbox import Limits, RunningSandbox, running
from cxsuite.sandbox.server import parse_fault
from tests.sandbox.conftest import client_form

pytestmark = pytest.mark.anyio
TICKETS = "/hubspot/crm/v3/objects/tickets"


def bearer(sb: RunningSandbox, vendor: str = "hubspot") -> dict[str, str]:
    return {"Authorization": f"Bearer {sb.sandbox.issue_token(vendor)[0]}"}


async def poll(check, seconds: float, what: str):
    """``check()`` until it returns something truthy; fails after ``seconds``."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if value := await check():
            return value
        await anyio.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


async def test_an_outage_closes_the_port_for_its_window_and_state_survives(sb: RunningSandbox):
    headers = bearer(sb)
    async with httpx.AsyncClient(base_url=sb.base_url, timeout=5) as http:
        queued = await http.post("/_sandbox/faults", json={"vendor": "*", "kind": "outage", "seconds": 1.5})
        assert queued.status_code == 200, queued.text
        assert queued.json()["until"]

    async def refused() -> bool:
        try:  # a new client each time: a pooled connection would hide the closed listener
            async with httpx.AsyncClient(base_url=sb.base_url, timeout=5) as fresh:
                await fresh.get(TICKETS, headers=headers)
        except httpx.ConnectError:
            return True
        except httpx.TransportError:  # accepted just before the listener closed
            return False
        return False

    async def served() -> httpx.Response | None:
        try:
            async with httpx.AsyncClient(base_url=sb.base_url, timeout=5) as fresh:
                return await fresh.get(TICKETS, headers=headers)
        except httpx.TransportError:
            return None

    started = time.monotonic()
    await poll(refused, 5, "connection refused")
    back = await poll(served, 10, "the sandbox to listen again")
    assert time.monotonic() - started >= 1.0
    assert back.status_code == 200  # the token issued before the outage still works
    assert sb.outages == 1


async def test_reset_before_the_response_and_in_the_middle_of_the_body(http, sb: RunningSandbox):
    headers = bearer(sb)
    sb.sandbox.inject("hubspot", "reset")
    with pytest.raises((httpx.ReadError, httpx.RemoteProtocolError)):
        await http.get(TICKETS, headers=headers)
    sb.sandbox.inject("hubspot", "reset_mid_body")
    with pytest.raises(httpx.RemoteProtocolError, match=r"incomplete|closed"):
        await http.get(TICKETS, headers=headers)
    assert (await http.get(TICKETS, headers=headers)).status_code == 200
    assert sb.sandbox.pending_faults() == []


async def test_an_outage_in_reset_mode_hits_one_vendor_for_its_window(http, sb: RunningSandbox):
    sb.sandbox.inject("hubspot", "outage", seconds=30, mode="reset")
    for _ in range(3):
        with pytest.raises((httpx.ReadError, httpx.RemoteProtocolError)):
            await http.get(TICKETS, headers=bearer(sb))
    zoho = sb.sandbox.info(sb.base_url)["vendors"]["zoho"]["api"]  # type: ignore[index]
    answered = await http.get(f"{zoho}/crm/v8/Contacts", headers={"Authorization": "Zoho-oauthtoken x"})
    assert answered.status_code == 401  # Zoho answers (and refuses the made-up token)
    sb.sandbox.clear_faults()
    assert (await http.get(TICKETS, headers=bearer(sb))).status_code == 200


async def test_a_slow_response_is_late_but_complete_and_does_not_hold_up_others(http, sb: RunningSandbox):
    headers = bearer(sb)
    sb.sandbox.inject("hubspot", "slow", seconds=30, delay=1.0)
    async with httpx.AsyncClient(base_url=sb.base_url, timeout=10) as other:
        timings: dict[str, float] = {}

        async def timed(name: str, client: httpx.AsyncClient, path: str) -> None:
            started = time.monotonic()
            response = await client.get(path)
            timings[name] = time.monotonic() - started
            assert response.status_code in (200, 401)

        async with anyio.create_task_group() as group:
            group.start_soon(lambda: _slow_get(http, headers, timings))
            group.start_soon(timed, "control", other, "/_sandbox/info")
    assert timings["slow"] >= 1.0
    assert timings["control"] < 0.9


async def _slow_get(http: httpx.AsyncClient, headers: dict[str, str], timings: dict[str, float]) -> None:
    started = time.monotonic()
    response = await http.get(TICKETS, headers=headers)
    timings["slow"] = time.monotonic() - started
    assert response.status_code == 200 and response.json()["results"]


async def test_a_spent_daily_quota_answers_in_the_vendors_words_until_the_next_day():
    limits = Limits(enforce_rate_limits=True)
    with running(seed=11, size=60, limits=limits, auto_approve=True) as sb:
        async with httpx.AsyncClient(base_url=sb.base_url, timeout=10) as http:
            added = await http.post("/_sandbox/faults", json={"vendor": "salesforce", "kind": "daily_limit"})
            assert added.status_code == 200, added.text
            token = sb.sandbox.issue_token("salesforce")[0]
            url = "/salesforce/services/data/v62.0/query?q=SELECT+Id+FROM+Account"
            refused = await http.get(url, headers={"Authorization": f"Bearer {token}"})
            assert refused.status_code == 403
            assert refused.json()[0]["errorCode"] == "REQUEST_LIMIT_EXCEEDED"
            await http.post("/_sandbox/clock/advance", json={"seconds": 86_400})  # past midnight UTC
            fresh = sb.sandbox.issue_token("salesforce")[0]
            served = await http.get(url, headers={"Authorization": f"Bearer {fresh}"})
            assert served.status_code == 200, served.text


async def test_an_expired_grant_refuses_calls_and_refreshes(http, sb: RunningSandbox):
    access, refresh = sb.sandbox.issue_token("hubspot")
    added = await http.post("/_sandbox/faults", json={"vendor": "hubspot", "kind": "expired_grant"})
    assert added.status_code == 200
    assert (await http.get(TICKETS, headers={"Authorization": f"Bearer {access}"})).status_code == 401
    refreshed = await http.post("/hubspot/oauth/v1/token",
                                data=client_form("hubspot", grant_type="refresh_token", refresh_token=refresh))
    assert refreshed.status_code == 400
    salesforce = sb.sandbox.issue_token("salesforce")[0]  # other vendors' grants are untouched
    assert sb.sandbox.oauth.check("salesforce", salesforce)[0].value == "valid"


@pytest.mark.parametrize(("body", "words"), [
    ({"vendor": "hubspot", "kind": "melt"}, "unknown fault kind"),
    ({"vendor": "hubspot", "kind": "outage", "seconds": 5}, "every vendor"),
    ({"vendor": "*", "kind": "outage"}, "length in seconds"),
    ({"vendor": "hubspot", "kind": "slow", "count": 2}, "delay"),
    ({"vendor": "*", "kind": "daily_limit"}, "name the vendor"),
    ({"vendor": "hubspot", "kind": "reset", "seconds": -1}, "negative"),
    ({"kind": "reset"}, "vendor"),
])
async def test_the_control_api_refuses_faults_it_cannot_apply(http, body, words):
    response = await http.post("/_sandbox/faults", json=body)
    assert response.status_code == 400
    assert words in response.json()["error"]


async def test_pending_faults_are_listed_and_cleared(http, sb: RunningSandbox):
    await http.post("/_sandbox/faults", json={"vendor": "*", "kind": "server_error", "count": 2, "status": 503})
    await http.post("/_sandbox/faults", json={"vendor": "zoho", "kind": "slow", "delay": 2, "seconds": 60})
    listed = (await http.get("/_sandbox/faults")).json()
    assert [(f["kind"], f["vendor"]) for f in listed] == [("server_error", "*"), ("slow", "zoho")]
    assert (await http.get(TICKETS, headers=bearer(sb))).status_code == 503  # "*" hits every vendor
    await http.delete("/_sandbox/faults")
    assert (await http.get("/_sandbox/faults")).json() == []


def test_cli_faults_parse_and_a_bad_one_is_refused_before_serving():
    assert parse_fault("outage:*,seconds=60") == {"kind": "outage", "vendor": "*", "seconds": 60.0}
    assert parse_fault("server_error:hubspot,count=5,status=503") == {
        "kind": "server_error", "vendor": "hubspot", "count": 5, "status": 503}
    result = CliRunner().invoke(main, ["sandbox", "--fault", "slow:zoho,speed=3"])
    assert result.exit_code == 2
    assert "key one of" in result.output
