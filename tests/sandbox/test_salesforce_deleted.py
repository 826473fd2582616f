"""Salesforce stand-in's getDeleted (``/sobjects/{type}/deleted/``) over real HTTP: whole
minutes, the 15-day log, and Salesforce's error codes."""

from __future__ import annotations

from datetime import timedelta

import pytest

from cxsuite.sandbox import RunningSandbox
from cxsuite.sandbox.ids import salesforce_id
from tests.sandbox.test_salesforce import V, _connect

pytestmark = pytest.mark.anyio


async def test_get_deleted_lists_deletions_in_whole_minutes_within_the_log(http, sb: RunningSandbox):
    token = await _connect(http)
    headers = {"Authorization": f"Bearer {token['access_token']}"}
    base = f"{token['instance_url']}{V}/sobjects/Contact/deleted/"
    sb.sandbox.advance(60)
    gone = sb.sandbox.archive("contacts", 2)
    sb.sandbox.advance(120)
    now = sb.sandbox.clock.now()
    window = {"start": (now - timedelta(minutes=10)).isoformat(), "end": now.isoformat()}
    body = (await http.get(base, params=window, headers=headers)).json()
    assert {d["id"] for d in body["deletedRecords"]} == {salesforce_id("Contact", r.seq) for r in gone}
    assert body["latestDateCovered"].endswith(":00.000+0000")
    old = {"start": (now - timedelta(days=20)).isoformat(), "end": now.isoformat()}
    refused = await http.get(base, params=old, headers=headers)
    assert refused.status_code == 400 and refused.json()[0]["errorCode"] == "INVALID_REPLICATION_DATE"
    missing = await http.get(base, headers=headers)
    assert missing.status_code == 400 and missing.json()[0]["errorCode"] == "MISSING_ARGUMENT"
