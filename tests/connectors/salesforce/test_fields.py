"""The fields the maturity metrics need, read from Salesforce and stored as the world has them:
owners (a queue is nobody yet), campaigns as segments, lifecycle and churn from the org's
Contact fields, leads, case assignment from CaseHistory, automated tasks, and deletions the
recycle bin no longer shows (getDeleted). Synced from the sandbox over real HTTP."""

from __future__ import annotations

from datetime import UTC, datetime, time

import pytest
from cxsuite_salesforce import mapping

from cxsuite.sandbox import RunningSandbox, running
from cxsuite.sandbox import salesforce_objects as sobjects
from cxsuite.sandbox.ids import salesforce_id
from tests.connectors.field_values import as_list, as_time
from tests.connectors.salesforce.harness import SalesforceHarness
from tests.connectors.sandbox_harness import sync

pytestmark = pytest.mark.anyio


@pytest.fixture(scope="module")
def sandbox() -> RunningSandbox:
    with running(seed=37, size=80, auto_approve=True) as handle:
        yield handle


def _user(seq: int | None) -> str | None:
    return None if seq is None else sobjects.user_id(seq)


async def test_contacts_and_leads_carry_owner_campaigns_lifecycle_and_churn(sandbox, open_env):
    world = sandbox.sandbox.world
    async with open_env(SalesforceHarness(sandbox)) as env:
        await sync(env, ["contacts", "leads"])
        stored = await env.stored("contacts")
    for contact in world.live("contacts"):
        row = stored[salesforce_id("Contact", contact.seq)]
        assert row["owner_id"] == sobjects.user_id(contact.owner_seq)
        assert as_list(row["segments"]) == sorted(contact.segments)
        assert row["lifecycle_stage"] == ("former_customer" if contact.churned_at else contact.lifecycle_stage)
        churned = contact.churned_at and datetime.combine(contact.churned_at.date(), time(), UTC)
        assert as_time(row["churned_at"]) == (churned or None)
    assert any(r["churned_at"] for r in stored.values())
    for lead in world.leads:
        row = stored[salesforce_id("Lead", lead.seq)]
        assert row["owner_id"] == _user(lead.owner_seq)
        assert bool(row["archived"]) == (lead.converted_contact_seq is not None)  # lives on as its Contact
        assert row["lifecycle_stage"] in ("lead", "other")
    assert {r["lifecycle_stage"] for i, r in stored.items() if i.startswith("00Q")} == {"lead", "other"}


async def test_cases_say_who_owns_them_since_when_and_whether_a_rule_assigned_them(sandbox, open_env):
    world = sandbox.sandbox.world
    async with open_env(SalesforceHarness(sandbox)) as env:
        await sync(env, ["cases", "opportunities", "tasks"])
        cases, deals, tasks = (await env.stored("cases"), await env.stored("opportunities"),
                               await env.stored("tasks"))
    for ticket in world.live("tickets"):
        row = cases[salesforce_id("Case", ticket.seq)]
        assert row["owner_id"] == _user(ticket.owner_seq)  # a queue-owned case has no owner yet
        assert as_time(row["assigned_at"]) == ticket.assigned_at
        # A case its creator owned from the start has no owner change: who set it is unknown.
        expected = None if ticket.assigned_at == ticket.created_at else ticket.auto_assigned
        assert row["auto_assigned"] in ((expected,) if expected is None else (expected, int(expected)))
    assert any(r["auto_assigned"] for r in cases.values())
    for deal in world.live("deals"):
        assert deals[salesforce_id("Opportunity", deal.seq)]["owner_id"] == sobjects.user_id(deal.owner_seq)
    emails = [a for a in world.live("activities") if a.type == "email"]
    for email in emails:
        row = tasks[salesforce_id("Task", email.seq)]
        assert (bool(row["automated"]), row["type"]) == (email.automated, "email")


async def test_a_deletion_the_recycle_bin_no_longer_shows_is_read_from_get_deleted(sandbox, open_env):
    """queryAll lists deleted rows only while they are in the recycle bin; an emptied bin leaves
    getDeleted as the only trace. Salesforce answers it in whole minutes, so the clock moves on
    before the next sync."""
    harness = SalesforceHarness(sandbox)
    async with open_env(harness) as env:
        await sync(env, ["events"])
        checkpoint = await env.checkpoint("events")
        assert checkpoint["deleted_from"]
        sandbox.sandbox.advance(60)
        gone = sandbox.sandbox.archive("activities", 40)
        for record in gone:
            record.purged = True  # an admin emptied the recycle bin
        events = {salesforce_id("Event", r.seq) for r in gone if r.type in ("meeting", "event")}
        assert events
        sandbox.sandbox.advance(120)
        sandbox.sandbox.clear_requests()
        await sync(env, ["events"])
        stored = await env.stored("events")
    assert {i for i, r in stored.items() if r["archived"]} == events
    paths = {r.path for r in sandbox.sandbox.requests("salesforce")}
    assert any(p.rstrip("/").endswith("/sobjects/Event/deleted") for p in paths)


def test_lead_status_gives_the_lifecycle_stage():
    assert [mapping.lead_stage(s) for s in ("Open - Not Contacted", "Working - Contacted", "Qualified",
                                            "Closed - Not Converted", "Unqualified")] == [
        "lead", "lead", "salesqualifiedlead", "other", "other"]


def test_a_get_deleted_entry_is_an_archived_record_stamped_just_before_its_deletion():
    to_record = mapping.deleted("ticket")
    record = to_record({"id": "500Dn0000000TIuIAM", "deletedDate": "2025-01-24T09:10:04.120+0000"})
    assert record.archived and record.external_id == "500Dn0000000TIuIAM"
    assert record.updated_at.isoformat() == "2025-01-24T09:10:04.119000+00:00"
    with pytest.raises(mapping.MappingError):
        to_record({"id": "nope", "deletedDate": "2025-01-24T09:10:04.120+0000"})
