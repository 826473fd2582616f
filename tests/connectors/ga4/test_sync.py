"""GA4 syncs against the sandbox over real HTTP, on this run's database: full, incremental with
the trailing re-read window, interrupted and resumed inside a window, a property the account
cannot read, and a spent quota."""

from __future__ import annotations

import dataclasses
import json
import math
from datetime import timedelta

import pytest
from cxsuite_ga4.connector import GA4Connector

from cxsuite.connections.service import parse_config
from cxsuite.connectors.engine import SyncCancelled
from cxsuite.errors import ConnectorConfigError, ConnectorRateLimited, ValidationFailed
from cxsuite.sandbox.web import CHANNEL_GROUPS, DEVICES, LANDING_PAGES
from tests.connectors.ga4.harness import STREAM, GA4Harness, ids_of, row_id

pytestmark = pytest.mark.anyio


def _run_reports(sb) -> int:
    return sum(1 for r in sb.sandbox.requests("ga4") if r.path.endswith(":runReport"))


async def test_full_sync_casts_every_value_and_pages_over_row_count(cxsuite_fresh_sandbox, open_env):
    """Every row of the window lands once, typed; one request per page of ``rowCount``."""
    sb = cxsuite_fresh_sandbox
    harness = GA4Harness(sb, page_size=37)
    harness.today = harness.world_end
    expected = harness.rows()
    async with open_env(harness) as env:
        sb.sandbox.clear_requests()
        result = await env.sync()
        rows = await env.stored(STREAM)
    assert set(rows) == ids_of(expected) and result.per_stream[STREAM].read == len(expected)
    assert _run_reports(sb) == math.ceil(len(expected) / 37) > 1
    for world in expected:
        row = rows[row_id(world)]
        assert str(row["date"])[:10] == world.day.isoformat()
        assert (row["channel_group"], row["device"], row["landing_page"]) == (
            world.channel_group, world.device, world.landing_page)
        assert (row["sessions"], row["engaged_sessions"]) == (world.sessions, world.engaged_sessions)
        assert row["conversions"] == world.key_events
        assert row["revenue"] == pytest.approx(world.revenue, abs=0.005)
    raw = rows[row_id(expected[0])]["raw"]
    raw = json.loads(raw) if isinstance(raw, str) else raw
    assert raw["currencyCode"] == "EUR" and raw["propertyId"] == sb.sandbox.ga4_property_id
    assert raw["sessions"] == str(expected[0].sessions)  # GA4's own strings, for audit


async def test_incremental_sync_rereads_the_trailing_window(cxsuite_fresh_sandbox, open_env, world_web):
    """Two days later, a sync re-reads the last synced days (changes there land), reads the
    new days, and leaves days older than the look-back window alone."""
    sb = cxsuite_fresh_sandbox
    harness = GA4Harness(sb)
    end = harness.world_end
    harness.today = end - timedelta(days=2)
    async with open_env(harness) as env:
        await env.sync()
        assert set(await env.stored(STREAM)) == ids_of(harness.rows())
        assert (await env.checkpoint(STREAM)).get("synced_through") == harness.today.isoformat()

        inside = _bump(world_web, harness.today - timedelta(days=2))   # within the 3-day look-back
        outside = _bump(world_web, harness.today - timedelta(days=5))  # final: not read again
        late = _late_row(world_web, harness.today - timedelta(days=1))
        harness.today = end
        result = await env.sync()
        rows = await env.stored(STREAM)

    reread = harness.rows(end - timedelta(days=2 + 3), end)
    assert result.per_stream[STREAM].read == len(reread)
    new_days = harness.rows(end - timedelta(days=1), end)
    assert result.per_stream[STREAM].written == len(new_days) + 2  # the changed row and the late one
    assert set(rows) == ids_of(harness.rows())
    assert rows[row_id(inside)]["sessions"] == inside.sessions
    assert rows[row_id(outside)]["sessions"] == outside.sessions - 100
    assert rows[row_id(late)]["sessions"] == late.sessions


def _bump(web: list, day) -> object:
    """Late hits: a row of ``day`` gains 100 sessions in the stand-in."""
    index = next(i for i, r in enumerate(web) if r.day == day)
    web[index] = dataclasses.replace(web[index], sessions=web[index].sessions + 100)
    return web[index]


def _late_row(web: list, day) -> object:
    """A channel/device/page combination that had no sessions on ``day`` gets some."""
    seen = {(r.channel_group, r.device, r.landing_page) for r in web if r.day == day}
    combo = next((c, d, p) for c in CHANNEL_GROUPS for d in DEVICES for p in LANDING_PAGES
                 if (c, d, p) not in seen)
    template = next(r for r in web if r.day == day)
    row = dataclasses.replace(template, channel_group=combo[0], device=combo[1], landing_page=combo[2],
                              sessions=3, engaged_sessions=2, key_events=1, revenue=42.5)
    web.append(row)
    return row


async def test_interrupted_sync_resumes_inside_its_window(cxsuite_fresh_sandbox, open_env):
    """Cancelled after three pages of the first window, the next sync reads exactly the rest."""
    sb = cxsuite_fresh_sandbox
    harness = GA4Harness(sb, page_size=50, window_days=4)
    harness.today = harness.world_end
    expected = ids_of(harness.rows())
    async with open_env(harness) as env:
        with pytest.raises(SyncCancelled):
            await env.sync(commit_rows=1, cancel_after_batches=3)
        position = await env.checkpoint(STREAM)
        committed = set(await env.stored(STREAM))
        resumed = await env.sync()
        rows = await env.stored(STREAM)
    assert position["offset"] == 150 and position["start"] == harness.config()["start_date"]
    assert len(committed) == 150
    assert resumed.per_stream[STREAM].read == len(expected) - 150
    assert set(rows) == expected


async def test_a_property_the_account_cannot_read_is_a_clear_config_error(cxsuite_fresh_sandbox, open_env):
    """Another account's property: GA4 answers 403 PERMISSION_DENIED; the admin reads which
    property and how to find the right id."""
    harness = GA4Harness(cxsuite_fresh_sandbox, property_id="398765432")
    async with open_env(harness) as env:
        with pytest.raises(ConnectorConfigError) as raised:
            await env.sync()
        assert await env.stored(STREAM) == {}
    detail = raised.value.detail
    assert "property 398765432" in detail and "PERMISSION_DENIED" in detail
    assert "Admin → Property settings → Property ID" in detail


@pytest.mark.parametrize("value", ["G-1A2B3C4D5E", "UA-12345-1", "", "4123 45678"])
def test_a_property_id_that_is_not_numeric_says_where_to_find_it(value):
    with pytest.raises(ValidationFailed) as raised:
        parse_config(GA4Connector, {"property_id": value})
    assert "Admin → Property settings → Property ID" in raised.value.problems[0].reason


def test_a_property_resource_name_is_accepted():
    assert parse_config(GA4Connector, {"property_id": "properties/412345678"}).property_id == "412345678"


async def test_a_spent_quota_defers_the_sync_and_the_next_one_resumes(cxsuite_fresh_sandbox, open_env,
                                                                      sandbox_limits):
    """Once the property's hourly tokens are spent every request is refused: the sync stops at
    the first 429 (no hammering) and pauses for the hour the bucket needs; the next one resumes."""
    sb = cxsuite_fresh_sandbox
    harness = GA4Harness(sb, page_size=100)
    harness.today = harness.world_end
    expected = ids_of(harness.rows())
    async with open_env(harness) as env:
        sb.sandbox.clear_requests()
        sandbox_limits.enforce_rate_limits = True
        spent = sb.sandbox.usage.meters.used_in_window("ga4:hour", sb.sandbox.clock.now(), 3600)
        sandbox_limits.ga4_tokens_per_hour = spent + 3 * 10
        with pytest.raises(ConnectorRateLimited) as raised:
            await env.sync(commit_rows=1)
        assert _run_reports(sb) == 4
        assert len(await env.stored(STREAM)) == 300
        sandbox_limits.enforce_rate_limits = False
        resumed = await env.sync()
        rows = await env.stored(STREAM)
    assert raised.value.retry_after == pytest.approx(3600, abs=5)
    assert raised.value.detail.startswith("Google Analytics tokensPerHour quota of the property is spent; "
                                          "resumes at ")
    assert resumed.per_stream[STREAM].read == len(expected) - 300
    assert set(rows) == expected


async def test_headers_in_another_order_and_a_left_out_metric_are_read_by_name(
        cxsuite_fresh_sandbox, open_env, ga4_quirks):
    """GA4 answers with its headers (and every row's values) in the reverse of the requested
    order and without ``totalRevenue``: every value still lands in its own field, and the
    revenue it did not report is stored absent (NULL), not 0."""
    sb = cxsuite_fresh_sandbox
    ga4_quirks.header_order, ga4_quirks.omit_metrics = "reversed", ("totalRevenue",)
    harness = GA4Harness(sb)
    harness.today = harness.world_end
    expected = harness.rows()
    async with open_env(harness) as env:
        await env.sync()
        rows = await env.stored(STREAM)
    assert set(rows) == ids_of(expected)
    for world in expected:
        row = rows[row_id(world)]
        assert (row["landing_page"], row["device"], row["new_vs_returning"]) == (
            world.landing_page, world.device, world.visitor)
        assert (row["sessions"], row["engaged_sessions"], row["conversions"]) == (
            world.sessions, world.engaged_sessions, world.key_events)
        assert row["revenue"] is None
    assert {row["new_vs_returning"] for row in rows.values()} == {"new", "returning"}


async def test_sampling_thresholding_and_other_rows_are_flagged_on_the_records(
        cxsuite_fresh_sandbox, open_env, ga4_quirks):
    """A sampled, thresholded report whose rarer landing pages GA4 rolled into "(other)":
    every stored row carries the flags scoring caveats with."""
    sb = cxsuite_fresh_sandbox
    ga4_quirks.sampled, ga4_quirks.thresholded, ga4_quirks.landing_page_limit = True, True, 3
    harness = GA4Harness(sb)
    harness.today = harness.world_end
    async with open_env(harness) as env:
        await env.sync()
        rows = await env.stored(STREAM)
    flags = [json.loads(r["quality_flags"]) if isinstance(r["quality_flags"], str) else r["quality_flags"]
             for r in rows.values()]
    assert flags and all(f == ["other_row", "sampled", "thresholded"] for f in flags)
    other = [r for r in rows.values() if r["raw"] and "(other)" in str(r["raw"])]
    assert other and all(r["landing_page"] == "(other)" for r in other)
    assert len({r["landing_page"] for r in rows.values()}) == 4  # three kept pages and "(other)"
