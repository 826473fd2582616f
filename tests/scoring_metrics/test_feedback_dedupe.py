"""Feedback is counted once per source and response id (issue 15): the same survey export
uploaded through two connections of one workspace, or the same response delivered twice, is
one answer; answers of different sources that happen to share an id are not."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from cxsuite.connectors.records import Feedback
from cxsuite.connectors.upsert import RecordScope, upsert_records

pytestmark = pytest.mark.anyio

T0 = datetime(2025, 5, 1, 12, 0, tzinfo=UTC)


def nps(scores: list[int], prefix: str = "R") -> list[Feedback]:
    return [Feedback(external_id=f"{prefix}{i}", metric="nps", score=s, scale_min=0, scale_max=10,
                     submitted_at=T0 + timedelta(hours=i)) for i, s in enumerate(scores)]


async def write(ws, connection_id, source: str, records: list[Feedback]) -> None:
    scope = RecordScope(ws.tenant_id, ws.workspace_id, connection_id, source)
    async with ws.db.transaction(ws.tenant_id):
        await upsert_records(ws.db.engine, scope, "feedback", records, T0)


async def test_the_same_responses_through_two_connections_count_once(ws):
    second = await ws.add_connection()
    await write(ws, ws.connection_id, "survey_import", nps([10, 9, 3, 0]))
    await write(ws, second, "survey_import", nps([10, 9, 3, 0]))
    value = await ws.metric("nps")
    assert (value.n, value.value) == (4, 0.0)


async def test_answers_of_different_sources_sharing_an_id_are_not_merged(ws):
    second = await ws.add_connection()
    await write(ws, ws.connection_id, "hubspot", nps([10, 9]))
    await write(ws, second, "zoho", nps([0, 0]))
    assert (await ws.metric("nps")).n == 4
