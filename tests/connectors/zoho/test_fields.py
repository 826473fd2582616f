"""The fields the maturity metrics need, read from Zoho CRM and stored as the world has them:
owners, tags as segments, lifecycle and churn from the org's Contact fields, leads, deal stage
history from the ``Stage_History`` related list, and the case service times and CSAT the org
keeps in custom fields. Synced from the sandbox over real HTTP, on this run's database."""

from __future__ import annotations

from datetime import UTC, datetime, time

import pytest
from cxsuite_zoho import mapping

from cxsuite.sandbox import RunningSandbox, running
from cxsuite.sandbox import zoho_objects as modules
from cxsuite.sandbox.ids import zoho_id
from tests.connectors.field_values import as_list, as_time
from tests.connectors.sandbox_harness import sync
from tests.connectors.zoho.harness import ZohoHarness, in_module

pytestmark = pytest.mark.anyio


@pytest.fixture(scope="module")
def sandbox() -> RunningSandbox:
    with running(seed=41, size=60, auto_approve=True) as handle:
        yield handle


async def test_contacts_and_leads_carry_owner_tags_lifecycle_and_churn(sandbox, open_env):
    world = sandbox.sandbox.world
    async with open_env(ZohoHarness(sandbox)) as env:
        await sync(env, ["contacts", "leads"])
        stored = await env.stored("contacts")
    for contact in world.live("contacts"):
        row = stored[zoho_id("Contacts", contact.seq)]
        assert row["owner_id"] == modules.owner(world, contact.owner_seq)["id"]
        assert as_list(row["segments"]) == sorted(contact.segments)
        assert row["lifecycle_stage"] == ("former_customer" if contact.churned_at else contact.lifecycle_stage)
        churned = contact.churned_at and datetime.combine(contact.churned_at.date(), time(), UTC)
        assert as_time(row["churned_at"]) == (churned or None)
    leads = {i: r for i, r in stored.items() if in_module(i, "Leads")}
    open_leads = [lead for lead in world.leads if lead.converted_contact_seq is None]
    assert set(leads) == {zoho_id("Leads", lead.seq) for lead in open_leads}  # converted ones left the module
    assert {r["lifecycle_stage"] for r in leads.values()} == {"lead", "salesqualifiedlead", "other"}
    assert all(r["owner_id"] for r in leads.values())


async def test_deals_carry_their_stage_history_and_cases_their_service_times(sandbox, open_env):
    world = sandbox.sandbox.world
    async with open_env(ZohoHarness(sandbox)) as env:
        await sync(env, ["deals", "cases", "calls"])
        deals, cases, calls = await env.stored("deals"), await env.stored("cases"), await env.stored("calls")
    for deal in world.live("deals"):
        row = deals[zoho_id("Deals", deal.seq)]
        history = as_list(row["stage_history"])
        assert [h["stage"] for h in history] == [modules._STAGES[c.stage] for c in deal.history]
        assert [datetime.fromisoformat(h["at"]) for h in history] == [c.at for c in deal.history]
        assert row["owner_id"] == modules.owner(world, deal.owner_seq)["id"]
    for ticket in world.live("tickets"):
        row = cases[zoho_id("Cases", ticket.seq)]
        assert as_time(row["first_response_at"]) == ticket.first_response_at
        assert as_time(row["resolved_at"]) == ticket.resolved_at
        assert row["satisfaction"] == ticket.satisfaction
        assert row["owner_id"] == modules.owner(world, ticket.owner_seq)["id"]
    assert any(r["satisfaction"] for r in cases.values())
    assert all(r["owner_id"] for r in calls.values())
    paths = [r.path for r in sandbox.sandbox.requests("zoho")]
    assert any(p.endswith("/Stage_History") for p in paths)


def test_stage_history_is_oldest_first_and_an_amount_change_is_not_a_stage_change():
    entries = [{"Stage": "Closed Won", "Last_Modified_Time": "2025-03-10T10:00:00+05:30"},
               {"Stage": "Negotiation/Review", "Last_Modified_Time": "2025-03-05T10:00:00+00:00"},
               {"Stage": "Negotiation/Review", "Last_Modified_Time": "2025-03-07T10:00:00+00:00"}]
    assert mapping.stage_history(entries) == [
        {"stage": "Negotiation/Review", "at": "2025-03-05T10:00:00+00:00"},
        {"stage": "Closed Won", "at": "2025-03-10T04:30:00+00:00"}]


def test_lead_status_gives_the_lifecycle_stage():
    assert [mapping.lead_stage(s) for s in ("Not Contacted", "Contacted", "Pre-Qualified", "Junk Lead",
                                            "Not Qualified", None)] == [
        "lead", "lead", "salesqualifiedlead", "other", "other", "lead"]


def test_a_case_csat_outside_its_scale_is_reported_not_stored():
    row = {"id": "5725767000040400001", "Modified_Time": "2025-03-01T10:00:00+00:00", "Customer_Satisfaction": 9}
    with pytest.raises(mapping.MappingError, match="outside 1-5"):
        mapping.case(row, mapping.Custom(case_csat="Customer_Satisfaction"))
