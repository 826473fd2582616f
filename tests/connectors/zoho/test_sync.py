"""Zoho CRM syncs against the sandbox over real HTTP, on this run's database: the full mapping,
incremental syncs after changes in the CRM (If-Modified-Since, ties on Modified_Time,
deletions), interrupted and resumed syncs, paging past 2,000 records with page_token and past
the page_token reach, throttling, and the data centre the calls go to."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from typing import Any
from urllib.parse import parse_qs

import pytest

from cxsuite.connectors.engine import SyncCancelled
from cxsuite.sandbox import RunningSandbox, running
from cxsuite.sandbox.ids import zoho_id
from cxsuite.testing.environment import Environment
from tests.connectors.sandbox_harness import an_hour_of_changes, sync
from tests.connectors.zoho.harness import MODULES, ZohoHarness, stored_contacts

pytestmark = pytest.mark.anyio
_ZOHO_STAGES = {"qualification": "Qualification", "discovery": "Needs Analysis",
                "proposal": "Proposal/Price Quote", "negotiation": "Negotiation/Review",
                "won": "Closed Won", "lost": "Closed Lost"}


def _json(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) else value


def _at(value: Any) -> datetime:
    """A stored timestamp (text on SQLite, a datetime on PostgreSQL) as aware UTC."""
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _lists(running_sandbox: RunningSandbox, module: str) -> list[dict[str, list[str]]]:
    """Query parameters of every live-pass request for ``module``, in order."""
    return [parse_qs(r.query) for r in running_sandbox.sandbox.requests("zoho")
            if r.method == "GET" and r.path.endswith(f"/crm/v8/{module}")]


async def _assert_complete(env: Environment, streams: tuple[str, ...] = tuple(MODULES)) -> None:
    """Each synced stream's records are stored, and nothing else of its kind."""
    for stream in streams:
        assert await env.stored_ids(stream) == env.harness.expected_ids(stream), stream


async def test_full_sync_maps_every_module_from_the_users_data_centre(private_sandbox, open_env):
    sandbox = private_sandbox.sandbox
    harness = ZohoHarness(private_sandbox)
    gone = sandbox.archive("contacts", 2)
    async with open_env(harness) as env:
        result = await sync(env)
        await _assert_complete(env)
        assert result.per_stream["contacts"].read == 300 and result.totals.failed == 0

        contacts = await stored_contacts(env)
        person = next(c for c in sandbox.world.live("contacts") if c.company_seq is not None)
        mine = contacts[zoho_id("Contacts", person.seq)]
        assert (mine["name"], mine["email"], mine["phone"], mine["company_external_id"]) == (
            f"{person.first_name} {person.last_name}", person.email, person.phone,
            zoho_id("Accounts", person.company_seq))
        assert _at(mine["updated_at"]) == person.updated_at and _at(mine["created_at"]) == person.created_at
        assert _json(mine["raw"])["Full_Name"] == mine["name"] and not mine["archived"]
        for record in gone:
            tombstone = contacts[zoho_id("Contacts", record.seq)]
            assert tombstone["archived"] and _json(tombstone["raw"])["type"] == "recycle"
            assert tombstone["name"] == record.last_name

        companies = await env.stored("accounts")
        company = sandbox.world.companies[0]
        assert (companies[zoho_id("Accounts", company.seq)]["domain"],
                companies[zoho_id("Accounts", company.seq)]["name"]) == (company.domain, company.name)

        deals = await env.stored("deals")
        for world_deal in sandbox.world.deals:
            row = deals[zoho_id("Deals", world_deal.seq)]
            assert row["won"] == {"won": True, "lost": False}.get(world_deal.stage)
            assert row["customer_external_id"] == zoho_id("Contacts", world_deal.contact_seq)
            if world_deal.stage == "won":
                assert _at(row["closed_at"]).date() == world_deal.close_date
        assert {r["stage"] for r in deals.values()} >= {"Closed Won", "Needs Analysis"}

        tickets = await env.stored("cases")
        for ticket in sandbox.world.tickets:
            row = tickets[zoho_id("Cases", ticket.seq)]
            assert (row["channel"], row["customer_external_id"]) == (
                ticket.channel, zoho_id("Contacts", ticket.contact_seq))

        touchpoints = await env.stored("calls")
        calls = [a for a in sandbox.world.activities if a.type == "call"]
        for activity in calls:
            row = touchpoints[zoho_id("Calls", activity.seq)]
            assert (row["type"], row["channel"], row["direction"]) == ("call", "phone", activity.direction)
            assert _at(row["occurred_at"]) == activity.occurred_at
        meeting = next(a for a in sandbox.world.activities if a.type == "meeting")
        assert touchpoints[zoho_id("Events", meeting.seq)]["channel"] == "meeting"
        task = next(a for a in sandbox.world.activities if a.type == "task")
        assert _at(touchpoints[zoho_id("Tasks", task.seq)]["occurred_at"]).date() == task.occurred_at.date()

    paths = {r.path for r in sandbox.requests("zoho")}
    assert "/zoho/accounts/us/oauth/v2/auth" in paths and "/zoho/accounts/eu/oauth/v2/token" in paths
    api = {p for p in paths if "/api/" in p}
    assert api and all(p.startswith("/zoho/api/eu/crm/v8/") for p in api)
    contact_pages = _lists(private_sandbox, "Contacts")
    assert [q["page"] for q in contact_pages] == [["1"], ["2"]]
    assert all(q["sort_by"] == ["Modified_Time"] and q["sort_order"] == ["asc"] for q in contact_pages)


async def test_incremental_sync_reads_changes_since_the_cursor_and_deletions(private_sandbox, open_env):
    sandbox = private_sandbox.sandbox
    harness = ZohoHarness(private_sandbox)
    async with open_env(harness) as env:
        await sync(env)
        boundary = max(c.updated_at for c in sandbox.world.contacts).replace(microsecond=0)
        tied = {zoho_id("Contacts", c.seq) for c in sandbox.world.contacts
                if c.updated_at.replace(microsecond=0) == boundary}
        changes = an_hour_of_changes(sandbox)
        modified, deleted, added = changes.modified, changes.deleted, changes.added
        again = await sync(env)

        changed = {zoho_id("Contacts", r.seq) for r in (*modified, *deleted, *added)}
        live_changed = {zoho_id("Contacts", r.seq) for r in (*modified, *added)}
        assert again.per_stream["contacts"].written == len(changed) == 10
        # the boundary second of the previous sync is read again (and skipped as unchanged)
        assert again.per_stream["contacts"].read == len(live_changed | (tied - changed)) + len(deleted)
        assert again.per_stream["deals"].written == 4
        assert all(again.per_stream[s].written == 0 for s in ("accounts", "cases", "tasks", "events", "calls"))
        contacts = await stored_contacts(env)
        assert set(contacts) == harness.expected_ids("contacts")
        assert {i for i, r in contacts.items() if r["archived"]} == {zoho_id("Contacts", r.seq) for r in deleted}
        for record in modified:
            assert _at(contacts[zoho_id("Contacts", record.seq)]["updated_at"]) == record.updated_at.replace(
                microsecond=0)
        stored_deals = await env.stored("deals")
        for deal in changes.deals:
            assert stored_deals[zoho_id("Deals", deal.seq)]["stage"] == _ZOHO_STAGES[deal.stage]

        position = await env.checkpoint("contacts")
        newest = max(r.updated_at for r in (*modified, *added)).replace(microsecond=0)
        assert position["phase"] == "idle" and datetime.fromisoformat(position["cursor"]) == newest
        assert (await sync(env)).totals.written == 0


async def test_nothing_modified_answers_304_and_only_deletions_are_read(private_sandbox, open_env):
    """Every account of the newest second goes to the recycle bin: no live account is newer than
    the cursor's second, Zoho answers 304, and the deleted pass still archives them."""
    sandbox = private_sandbox.sandbox
    async with open_env(ZohoHarness(private_sandbox)) as env:
        await sync(env, ["accounts"])
        newest = max(c.updated_at for c in sandbox.world.companies).replace(microsecond=0)
        sandbox.advance(60)
        binned = [c for c in sandbox.world.companies if c.updated_at.replace(microsecond=0) == newest]
        for company in binned:
            company.deleted_at = company.updated_at = sandbox.clock.now()
        again = await sync(env, ["accounts"])
        assert again.per_stream["accounts"].read == again.per_stream["accounts"].written == len(binned)
        accounts = await env.stored("accounts")
        assert all(accounts[zoho_id("Accounts", c.seq)]["archived"] for c in binned)


async def test_changes_in_the_cursors_second_are_not_lost(private_sandbox, open_env):
    """Records saved in the same second as the cursor, after the sync read it, come next time."""
    sandbox = private_sandbox.sandbox
    harness = ZohoHarness(private_sandbox)
    async with open_env(harness) as env:
        await sync(env, ["contacts"])
        sandbox.advance(60)
        first = sandbox.modify("contacts", 3)
        moment = first[0].updated_at.replace(microsecond=0)  # Zoho's Modified_Time has whole seconds
        for contact in first:
            contact.updated_at = moment
        await sync(env, ["contacts"])
        later = [c for c in sandbox.world.live("contacts") if c not in first][:4]
        for contact in later:  # saved after the sync, in the same second as the cursor
            contact.email, contact.updated_at = f"tied-{contact.seq}@example.test", moment
        result = await sync(env, ["contacts"])
        assert result.per_stream["contacts"].written == 4
        contacts = await stored_contacts(env)
        assert {contacts[zoho_id("Contacts", c.seq)]["email"] for c in later} == {
            f"tied-{c.seq}@example.test" for c in later}
        assert len(await stored_contacts(env)) == 300


async def test_an_interrupted_sync_resumes_after_its_last_page(private_sandbox, open_env):
    harness = ZohoHarness(private_sandbox, per_page=50)
    sandbox = private_sandbox.sandbox
    sandbox.archive("contacts", 3)
    async with open_env(harness) as env:
        with pytest.raises(SyncCancelled):
            await sync(env, cancel_after_batches=2)
        assert len(await stored_contacts(env)) == 100
        position = await env.checkpoint("contacts")
        assert (position["phase"], position["page"]) == ("live", 3)
        sandbox.clear_requests()
        resumed = await sync(env)
        assert resumed.per_stream["contacts"].read == 297 - 100 + 3
        assert [q["page"] for q in _lists(private_sandbox, "Contacts")] == [["3"], ["4"], ["5"], ["6"]]
        await _assert_complete(env)
        assert len(await stored_contacts(env)) == 300
        assert (await sync(env)).totals.written == 0


async def test_more_than_2000_records_are_read_through_page_token(open_env):
    with running(seed=5, size=2150, auto_approve=True) as big:
        harness = ZohoHarness(big)
        async with open_env(harness) as env:
            result = await sync(env, ["contacts"])
            assert result.per_stream["contacts"].read == 2150
            assert set(await stored_contacts(env)) == harness.expected_ids("contacts")
        pages = _lists(big, "Contacts")
        assert [q.get("page") for q in pages[:10]] == [[str(n)] for n in range(1, 11)]
        assert "page" not in pages[10] and pages[10]["page_token"]
        assert len(pages) == 11


async def test_a_lower_page_limit_and_the_page_token_reach_are_handled(private_sandbox, open_env):
    """Zoho's DISCRETE_PAGINATION_LIMIT_EXCEEDED moves paging to page_token; past the page_token
    reach (PAGINATION_LIMIT_EXCEEDED) the pass goes on from the newest Modified_Time read."""
    sandbox = private_sandbox.sandbox
    sandbox.limits.zoho_discrete_limit = 100
    sandbox.limits.zoho_page_token_limit = 150
    harness = ZohoHarness(private_sandbox, per_page=50)
    async with open_env(harness) as env:
        await sync(env, ["contacts"])
        assert set(await stored_contacts(env)) == harness.expected_ids("contacts")
        assert len(await stored_contacts(env)) == 300
    pages = _lists(private_sandbox, "Contacts")
    assert [q.get("page") for q in pages[:3]] == [["1"], ["2"], ["3"]]  # the third is refused
    assert "page_token" in pages[3]
    assert sum("page_token" in q for q in pages) >= 2 and pages[-1].get("page", ["1"]) != ["3"]


async def test_throttling_is_retried(private_sandbox, open_env):
    harness = ZohoHarness(private_sandbox)
    async with open_env(harness) as env:
        private_sandbox.sandbox.inject("zoho", "rate_limit", 2, retry_after=1)
        private_sandbox.sandbox.inject("zoho", "server_error", 1)
        await sync(env, ["cases"])
        assert set(await env.stored("cases")) == harness.expected_ids("cases")
        assert not private_sandbox.sandbox.pending_faults()


async def test_a_refresh_stays_in_the_users_data_centre(private_sandbox, open_env):
    sandbox = private_sandbox.sandbox
    async with open_env(ZohoHarness(private_sandbox)) as env:
        before = await env.credentials()
        assert before["extra"] == {"api_domain": f"{private_sandbox.base_url}/zoho/api/eu", "data_centre": "eu"}
        sandbox.expire_tokens()
        sandbox.clear_requests()
        await sync(env, ["accounts"])
        after = await env.credentials()
        assert after["access_token"] != before["access_token"]
        assert after["refresh_token"] == before["refresh_token"]  # Zoho never sends a new one
        assert after["extra"] == before["extra"]
        posts = [r.path for r in sandbox.requests("zoho") if r.method == "POST"]
        assert posts == ["/zoho/accounts/eu/oauth/v2/token"]
        assert date.fromisoformat(after["expires_at"][:10]) >= date.today()


async def test_a_resume_after_its_page_token_expired_goes_on_from_the_cursor(private_sandbox, open_env):
    """A page_token lives 24 hours: a sync resumed later restarts the pass from the newest
    Modified_Time it stored (EXPIRED_VALUE), without a gap."""
    sandbox = private_sandbox.sandbox
    sandbox.limits.zoho_discrete_limit = 100
    harness = ZohoHarness(private_sandbox, per_page=50)
    async with open_env(harness) as env:
        with pytest.raises(SyncCancelled):
            await sync(env, ["contacts"], cancel_after_batches=3)
        position = await env.checkpoint("contacts")
        assert position["page_token"] and position["page_limit"] == 100 and len(await stored_contacts(env)) == 150
        sandbox.advance(25 * 3600)
        sandbox.clear_requests()
        await sync(env, ["contacts"])
        assert set(await stored_contacts(env)) == harness.expected_ids("contacts")
        assert len(await stored_contacts(env)) == 300
    pages = _lists(private_sandbox, "Contacts")
    restart = next(q for q in pages if "page_token" not in q)
    assert "page_token" in pages[0] and restart["page"] == ["1"]  # refused, then a new window
