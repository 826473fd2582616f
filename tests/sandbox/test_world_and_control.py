"""The world's determinism and realism, the control API, the request log and the runner."""

from __future__ import annotations

import statistics

import pytest

from cxsuite.sandbox import CLIENTS, RunningSandbox
from cxsuite.sandbox.generate import generate_world
from cxsuite.sandbox.ids import salesforce_id, with_checksum
from cxsuite.sandbox.server import describe

pytestmark = pytest.mark.anyio


def _fingerprint(seed: int) -> list:
    world = generate_world(seed, 80)
    return [(c.email, c.created_at) for c in world.contacts] + [(d.amount, d.stage) for d in world.deals] + \
        [(w.day, w.sessions) for w in world.web[:500]]


def test_same_seed_same_world_and_other_seed_differs():
    assert _fingerprint(3) == _fingerprint(3)
    assert _fingerprint(3) != _fingerprint(4)


def test_world_distributions_make_scoring_meaningful():
    world = generate_world(7, "small")
    email = [(t.first_response_at - t.created_at).total_seconds() / 3600 for t in world.tickets
             if t.channel == "email" and t.first_response_at]
    assert 1 < statistics.median(email) < 12
    resolved = [t for t in world.tickets if t.resolved_at]
    fcr = sum(t.agent_replies == 1 and not t.reopened for t in resolved) / len(resolved)
    assert 0.6 < fcr < 0.8
    nps = [f.score for f in world.feedback if f.metric == "NPS"]
    assert 10 < (sum(s >= 9 for s in nps) - sum(s <= 6 for s in nps)) * 100 / len(nps) < 45
    assert len({c.email.lower() for c in world.contacts}) < len(world.contacts)
    assert {t.channel for t in world.tickets} == {"email", "chat", "phone", "web"}
    assert any(t.auto_ack_at and t.first_response_at and t.auto_ack_at < t.first_response_at for t in world.tickets)
    assert (world.now - min(c.created_at for c in world.contacts)).days > 600


def test_salesforce_ids_are_18_char_case_safe():
    assert with_checksum("001A0000006Vm9r") == "001A0000006Vm9rIAC"
    assert salesforce_id("Contact", 5).startswith("003") and len(salesforce_id("Contact", 5)) == 18


async def test_control_api_faults_mutations_and_request_log(http, sb: RunningSandbox):
    token, _ = sb.sandbox.issue_token("hubspot")
    headers = {"Authorization": f"Bearer {token}"}
    queued = await http.post("/_sandbox/faults", json={"vendor": "hubspot", "kind": "server_error", "count": 2,
                                                      "status": 503})
    assert queued.status_code == 200
    assert (await http.get("/hubspot/crm/v3/objects/tickets", headers=headers)).status_code == 503
    assert (await http.get("/hubspot/crm/v3/objects/tickets", headers=headers)).status_code == 503
    assert (await http.get("/hubspot/crm/v3/objects/tickets", headers=headers)).status_code == 200
    added = (await http.post("/_sandbox/mutations", json={"action": "add", "kind": "tickets", "count": 2})).json()
    assert len(added["seqs"]) == 2
    assert (await http.post("/_sandbox/tokens/expire")).json()["expired"] >= 1
    assert (await http.get("/hubspot/crm/v3/objects/tickets", headers=headers)).status_code == 401
    log = (await http.get("/_sandbox/requests", params={"vendor": "hubspot"})).json()
    assert [entry["path"] for entry in log] == ["/hubspot/crm/v3/objects/tickets"] * 4
    assert sb.sandbox.requests("zoho") == []
    info = (await http.get("/_sandbox/info")).json()
    assert info["counts"]["tickets"] == len(sb.sandbox.world.tickets)
    assert info["clients"]["zoho"]["client_id"].startswith("1000.")


def test_describe_lists_every_vendor_and_client(sb: RunningSandbox):
    text = describe(sb.base_url, sb.sandbox)
    for vendor in ("hubspot", "salesforce", "zoho", "ga4"):
        assert f"\n{vendor}\n" in text
    assert "client_secret" in text and sb.base_url in text


def test_people_fields_are_realistic():
    world = generate_world(7, "small")
    owned = sum(c.owner_seq is not None for c in world.contacts) / len(world.contacts)
    assert 0.75 < owned < 0.95  # key-field completeness has gaps to find
    routed = [t for t in world.tickets if t.channel == "chat" and t.owner_seq is not None]
    assert 0.6 < sum(bool(t.auto_assigned) for t in routed) / len(routed) < 0.95
    assert all(t.assigned_at >= t.created_at for t in world.tickets if t.assigned_at)
    assert all(t.assigned_at <= t.first_response_at for t in world.tickets
               if t.assigned_at and t.first_response_at and not t.auto_assigned and t.channel != "phone")
    outbound = [a for a in world.activities if a.type == "email" and a.direction == "outbound"]
    assert 0.15 < sum(a.automated for a in outbound) / len(outbound) < 0.6
    customers = [c for c in world.contacts if c.lifecycle_stage in ("customer", "evangelist")]
    assert 0.03 < sum(c.churned_at is not None for c in customers) / len(customers) < 0.3
    assert all(c.churned_at > c.created_at for c in customers if c.churned_at)
    assert len({s for c in world.contacts for s in c.segments}) >= 5
    assert any(lead.converted_contact_seq is not None for lead in world.leads)
    assert any(lead.converted_contact_seq is None for lead in world.leads)


@pytest.mark.parametrize(("vendor", "path", "status", "says"), [
    ("hubspot", "/hubspot/oauth/authorize", 400, "unknown client_id or missing redirect_uri"),
    ("salesforce", "/salesforce/services/oauth2/authorize", 400, "error=invalid_client_id"),
    ("zoho", "/zoho/accounts/us/oauth/v2/auth", 400, "Invalid Client"),
    ("ga4", "/google/o/oauth2/v2/auth", 401, "invalid_client"),
])
async def test_every_stand_in_refuses_consent_to_an_unknown_client_or_without_a_redirect(
        http, vendor: str, path: str, status: int, says: str):
    known = CLIENTS[vendor].client_id
    for query in ({"client_id": "not-a-client", "redirect_uri": "http://localhost:9/cb"}, {"client_id": known}):
        response = await http.get(path, params={"response_type": "code", "state": "s1", **query})
        assert response.status_code == status, (query, response.text)
        assert response.headers["content-type"].startswith("text/plain")
        assert says in response.text
    response = await http.get(path, params={"client_id": known, "redirect_uri": "http://localhost:9/cb"})
    assert response.status_code == 302
