"""Salesforce syncs against the sandbox over real HTTP, on this run's database: full, incremental
after changes in the org, interrupted and resumed, ties on SystemModstamp, paging that does
not trust page sizes, throttling, session refresh and the configurable API version."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from cxsuite.connectors.engine import SyncCancelled
from cxsuite.errors import ConnectorRateLimited
from cxsuite.sandbox import RunningSandbox
from cxsuite.sandbox.ids import salesforce_id
from cxsuite.testing.environment import Environment
from tests.connectors.salesforce.harness import SOBJECTS, SalesforceHarness
from tests.connectors.sandbox_harness import an_hour_of_changes, sync

pytestmark = pytest.mark.anyio


def _json(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) else value


def _queries(sandbox: RunningSandbox) -> list[str]:
    """The SOQL of every query the stand-in received, in order."""
    return [parse_qs(r.query).get("q", [""])[0] for r in sandbox.sandbox.requests("salesforce")
            if r.path.endswith(("/query", "/queryAll"))]


async def _assert_complete(env: Environment, streams: tuple[str, ...] = tuple(SOBJECTS)) -> None:
    """Each synced stream's records are stored, and nothing else of its kind."""
    for stream in streams:
        assert await env.stored_ids(stream) == env.harness.expected_ids(stream), stream


async def test_full_sync_maps_every_stream_and_keeps_the_payload(private_sandbox, open_env):
    harness = SalesforceHarness(private_sandbox, batch_size=200)
    async with open_env(harness) as env:
        result = await sync(env)
        customers = await env.stored("contacts")  # contacts and leads: both are customers
        assert set(customers) == harness.expected_ids("contacts") | harness.expected_ids("leads")
        contacts = {i: r for i, r in customers.items() if i.startswith("003")}
        assert result.per_stream["contacts"].read == len(contacts) == 300
        row = harness.rows("contacts")[0]
        mine = contacts[row["Id"]]
        assert (mine["email"], mine["name"], mine["company_external_id"]) == (
            row["Email"], row["Name"], row["AccountId"])
        assert _json(mine["raw"])["attributes"]["type"] == "Contact"

        deals = await env.stored("opportunities")
        history = next(r for r in private_sandbox.sandbox.world.deals if len(r.history) > 2)
        deal = deals[salesforce_id("Opportunity", history.seq)]
        stages = [h["stage"] for h in _json(deal["stage_history"])]
        assert len(stages) == len(history.history) and stages[-1] == deal["stage"]

        tickets = await env.stored("cases")
        assert {t["channel"] for t in tickets.values()} <= {"email", "phone", "web", "chat"}
        assert any(t["reopened"] for t in tickets.values())
        interactions = await env.stored("tasks")
        assert {i["type"] for i in interactions.values()} >= {"call", "email", "meeting"}
        assert any(i["journey_stage"] == "usage_service" for i in interactions.values())
        feedback = await env.stored("survey_responses")
        assert set(feedback) == harness.expected_ids("survey_responses")
        assert {(f["metric"], f["scale_min"], f["scale_max"]) for f in feedback.values()} == {
            ("nps", 0, 10), ("csat", 1, 5), ("ces", 1, 7)}
    queries = _queries(private_sandbox)
    assert all("ORDER BY SystemModstamp, Id" in q for q in queries if "FROM Contact" in q)
    paths = [r.path for r in private_sandbox.sandbox.requests("salesforce")]
    assert any("/queryAll/" in p for p in paths)  # contacts took two batches of 200


async def test_incremental_sync_reads_exactly_the_changed_rows(private_sandbox, open_env):
    sandbox = private_sandbox.sandbox
    harness = SalesforceHarness(private_sandbox)
    async with open_env(harness) as env:
        await sync(env)
        changes = an_hour_of_changes(sandbox)
        again = await sync(env)
        changed = {salesforce_id("Contact", r.seq) for r in (*changes.modified, *changes.deleted, *changes.added)}
        assert again.per_stream["contacts"].read == len(changed) == 10
        assert again.per_stream["opportunities"].read == 4
        assert all(again.per_stream[s].read == 0 for s in ("accounts", "cases", "tasks", "events",
                                                          "survey_responses"))
        customers = await env.stored("contacts")  # leads are customers too
        contacts = {i: r for i, r in customers.items() if i.startswith("003")}
        assert set(contacts) == harness.expected_ids("contacts")
        assert {i for i, r in contacts.items() if r["archived"]} == {
            salesforce_id("Contact", r.seq) for r in changes.deleted}
        stored_deals = await env.stored("opportunities")
        for deal in changes.deals:
            mine = stored_deals[salesforce_id("Opportunity", deal.seq)]
            assert len(_json(mine["stage_history"])) == len(deal.history)
        assert (await sync(env)).totals.read == 0
    assert all("SystemModstamp >" in q for q in _queries(private_sandbox) if "FROM Contact" in q)


async def test_an_interrupted_sync_resumes_after_its_last_page(private_sandbox, open_env):
    harness = SalesforceHarness(private_sandbox, batch_size=200)
    async with open_env(harness) as env:
        with pytest.raises(SyncCancelled):
            await sync(env, cancel_after_batches=1)
        assert len(await env.stored("contacts")) == 200
        position = await env.checkpoint("contacts")
        assert position["last_id"] == sorted(harness.rows("contacts"),
                                             key=lambda r: (r["SystemModstamp"], r["Id"]))[199]["Id"]
        resumed = await sync(env)
        assert resumed.per_stream["contacts"].read == 100
        await _assert_complete(env)
        assert (await sync(env)).totals.written == 0


async def test_ties_on_systemmodstamp_are_neither_dropped_nor_repeated(private_sandbox, open_env):
    sandbox = private_sandbox.sandbox
    harness = SalesforceHarness(private_sandbox, batch_size=200)
    async with open_env(harness) as env:
        await sync(env, ["contacts"])
        sandbox.advance(60)
        tied = sandbox.add("contacts", 450)  # one instant, across three batches of 200
        assert len({r.updated_at for r in tied}) == 1
        read = 0
        for _ in range(2):
            with pytest.raises(SyncCancelled):
                await sync(env, ["contacts"], cancel_after_batches=1)
            read += 200
            assert len(await env.stored("contacts")) == 300 + read
        last = await sync(env, ["contacts"])
        assert last.per_stream["contacts"].read == 50
        assert set(await env.stored("contacts")) == harness.expected_ids("contacts")
        assert await env.row_count("contacts") == 750


async def test_short_and_empty_batches_do_not_end_a_query(private_sandbox, open_env):
    sandbox = private_sandbox.sandbox
    harness = SalesforceHarness(private_sandbox, batch_size=200)
    async with open_env(harness) as env:
        sandbox.inject("salesforce", "empty_page", 1)
        sandbox.inject("salesforce", "short_page", 2)
        await sync(env)
        await _assert_complete(env)
        assert not sandbox.pending_faults()


async def test_request_limit_exceeded_is_retried_and_a_spent_day_defers_the_sync(private_sandbox, open_env):
    sandbox = private_sandbox.sandbox
    harness = SalesforceHarness(private_sandbox)
    async with open_env(harness) as env:
        sandbox.inject("salesforce", "rate_limit", 3)
        await sync(env, ["contacts"])
        assert set(await env.stored("contacts")) == harness.expected_ids("contacts")
        sandbox.limits.enforce_rate_limits, sandbox.limits.salesforce_daily = True, 1
        with pytest.raises(ConnectorRateLimited) as refused:
            await sync(env, ["accounts"])
        assert refused.value.retry_after == pytest.approx(3600, abs=5)
        assert refused.value.detail.startswith("Salesforce daily API request limit reached (")


async def test_expired_session_is_refreshed_and_the_rotated_refresh_token_kept(private_sandbox, open_env):
    harness = SalesforceHarness(private_sandbox)
    async with open_env(harness) as env:
        before = await env.credentials()
        assert before["extra"]["instance_url"] == f"{private_sandbox.base_url}/salesforce"
        assert before["expires_at"] is None
        private_sandbox.sandbox.expire_tokens()
        await sync(env, ["accounts"])
        after = await env.credentials()
        assert after["access_token"] != before["access_token"]
        assert after["refresh_token"] != before["refresh_token"]  # the sandbox rotates it
        assert after["extra"]["instance_url"] == before["extra"]["instance_url"]
        private_sandbox.sandbox.expire_tokens()
        await sync(env, ["cases"])  # the rotated refresh token works
        assert set(await env.stored("cases")) == harness.expected_ids("cases")


async def test_api_version_is_configurable(private_sandbox, open_env):
    harness = SalesforceHarness(private_sandbox, api_version="60.0")
    async with open_env(harness) as env:
        await sync(env, ["accounts"])
        assert set(await env.stored("accounts")) == harness.expected_ids("accounts")
    paths = {urlsplit(r.path).path for r in private_sandbox.sandbox.requests("salesforce")}
    assert "/salesforce/services/data/v60.0/queryAll" in paths
    assert not any("v62.0" in p for p in paths)


async def test_an_expired_query_locator_is_replaced_by_the_query_from_the_cursor(private_sandbox, open_env):
    harness = SalesforceHarness(private_sandbox, batch_size=200)
    # The stand-in keeps its query locators in its app state; forgetting them after each page
    # is what Salesforce does to a locator left unused for 15 minutes.
    locators = private_sandbox.state.salesforce_cursors
    async with open_env(harness) as env:
        result = await sync(env, ["contacts", "tasks"], between_commits=locators.clear)
        assert result.per_stream["contacts"].read == 300
        assert result.per_stream["tasks"].read == len(harness.expected_ids("tasks"))
        await _assert_complete(env, ("contacts", "tasks"))
    queries = [q for q in _queries(private_sandbox) if "FROM Contact" in q]
    assert len(queries) == 2 and "Id > '" in queries[1]
