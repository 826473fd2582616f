"""The fields the maturity metrics need, read from HubSpot and stored as the world has them:
owners, list memberships as segments, churn, ticket assignment (when and by what), automated
engagements. Synced from the sandbox over real HTTP, on this run's database."""

from __future__ import annotations

import pytest
from cxsuite_hubspot import mapping

from cxsuite.sandbox import RunningSandbox, running
from cxsuite.sandbox import hubspot_objects as objects
from cxsuite.sandbox.ids import hubspot_id
from tests.connectors.field_values import as_list, as_time
from tests.connectors.hubspot.harness import HubSpotHarness

pytestmark = pytest.mark.anyio


@pytest.fixture(scope="module")
def sandbox() -> RunningSandbox:
    with running(seed=31, size=60, auto_approve=True) as handle:
        yield handle


async def test_contacts_carry_owner_segments_and_churn(sandbox, open_env):
    world = sandbox.sandbox.world
    async with open_env(HubSpotHarness(sandbox)) as env:
        await env.sync(["contacts"])
        stored = await env.stored("contacts")
    assert stored
    for contact in world.live("contacts"):
        row = stored[hubspot_id("contacts", contact.seq)]
        assert row["owner_id"] == objects.owner_id(contact.owner_seq)
        assert as_list(row["segments"]) == sorted(contact.segments)
        assert as_time(row["churned_at"]) == contact.churned_at
        assert row["lifecycle_stage"] == ("other" if contact.churned_at else contact.lifecycle_stage)
    assert any(as_list(r["segments"]) for r in stored.values())
    assert any(r["churned_at"] for r in stored.values())
    calls = {r.path for r in sandbox.sandbox.requests("hubspot")}
    assert {"/hubspot/crm/v3/lists/search", "/hubspot/crm/v3/lists/records/memberships/batch/read"} <= calls


async def test_tickets_carry_owner_assignment_time_and_rule_or_person(sandbox, open_env):
    world = sandbox.sandbox.world
    async with open_env(HubSpotHarness(sandbox)) as env:
        await env.sync(["tickets", "deals"])
        tickets, deals = await env.stored("tickets"), await env.stored("deals")
    for ticket in world.live("tickets"):
        row = tickets[hubspot_id("tickets", ticket.seq)]
        assert row["owner_id"] == objects.owner_id(ticket.owner_seq)
        assert as_time(row["assigned_at"]) == ticket.assigned_at
        assert bool(row["auto_assigned"]) == bool(ticket.auto_assigned)
    assert {bool(r["auto_assigned"]) for r in tickets.values() if r["owner_id"]} == {True, False}
    for deal in world.live("deals"):
        assert deals[hubspot_id("deals", deal.seq)]["owner_id"] == objects.owner_id(deal.owner_seq)


async def test_engagements_say_who_owns_them_and_which_a_workflow_or_sequence_sent(sandbox, open_env):
    world = sandbox.sandbox.world
    async with open_env(HubSpotHarness(sandbox)) as env:
        await env.sync(["emails"])
        stored = await env.stored("emails")
    emails = [a for a in world.live("activities") if a.type == "email"]
    for email in emails:
        row = stored[hubspot_id("emails", email.seq)]
        assert bool(row["automated"]) == email.automated
        assert row["owner_id"] == objects.owner_id(email.owner_seq)
    assert any(bool(r["automated"]) for r in stored.values())
    assert not all(bool(r["automated"]) for r in stored.values())


def _ticket(**props: str | None) -> dict:
    base = {"createdate": "2025-03-01T10:00:00Z", "hs_lastmodifieddate": "2025-03-02T10:00:00Z"}
    return {"id": "77", "properties": {**base, **props}}


def test_first_response_falls_back_to_the_time_to_first_agent_reply():
    record = mapping.ticket(_ticket(hs_time_to_first_agent_reply="5400000"))
    assert record.first_response_at.isoformat() == "2025-03-01T11:30:00+00:00"


def test_auto_assignment_is_read_from_who_set_the_first_owner():
    history = [{"value": "9", "timestamp": "2025-03-01T12:00:00Z", "sourceType": "CRM_UI"},
               {"value": "7", "timestamp": "2025-03-01T10:00:20Z", "sourceType": "AUTOMATION_PLATFORM"}]
    obj = {**_ticket(hubspot_owner_id="9"), "propertiesWithHistory": {"hubspot_owner_id": history}}
    assert mapping.ticket(obj).auto_assigned is True
    assert mapping.ticket(_ticket(hubspot_owner_id="9")).auto_assigned is None
    assert mapping.ticket(_ticket()).owner_id is None


def test_a_customer_who_left_the_customer_stage_has_churned_and_one_who_came_back_has_not():
    contact = {"id": "5", "properties": {"lastmodifieddate": "2025-03-02T10:00:00Z", "lifecyclestage": "other",
                                         "hs_date_exited_customer": "2025-02-01T00:00:00Z"}}
    assert mapping.contact(contact).churned_at.isoformat() == "2025-02-01T00:00:00+00:00"
    contact["properties"]["lifecyclestage"] = "evangelist"
    assert mapping.contact(contact).churned_at is None
