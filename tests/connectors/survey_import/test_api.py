"""The whole path over HTTP: create a survey-import connection, upload an export, sync it as
a job, and read the feedback and the reported rows."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from cxsuite.db.session import Database
from cxsuite.db.sql import execute
from tests.connectors.survey_import.files import csv_bytes, nps_export, xlsx_bytes
from tests.support.jobs import finished_job
from tests.support.parties import Party

pytestmark = pytest.mark.anyio


async def feedback_rows(settings: Any, owner: Party, connection_id: str) -> list[dict[str, Any]]:
    """The feedback the connection imported, read as the app reads it (row-level security on)."""
    db = Database.from_url(settings.database_url)
    await db.start()
    try:
        async with db.transaction(owner.tenant_id, write=False):
            return await execute(db.engine, "SELECT external_id, metric, score, scale_min, scale_max, question, "
                                 "comment, touchpoint, journey_stage, customer_external_id FROM record_feedback "
                                 "WHERE tenant_id = {} AND connection_id = {} ORDER BY external_id",
                                 owner.tenant_id, connection_id)
    finally:
        await db.close()


async def upload_and_sync(client: httpx.AsyncClient, owner: Party, connection_id: str, name: str,
                          content: bytes) -> dict[str, Any]:
    uploaded = await client.post(f"/api/v1/connections/{connection_id}/upload", headers=owner.headers,
                                 files={"file": (name, content, "application/octet-stream")})
    assert uploaded.status_code == 200, uploaded.text
    assert uploaded.json()["status"] == "connected"
    started = await client.post(f"/api/v1/connections/{connection_id}/sync", headers=owner.headers)
    assert started.status_code == 202, started.text
    return await finished_job(client, owner.headers, started.json()["id"], seconds=30)


async def survey_connection(client: httpx.AsyncClient, parties: Any, config: dict[str, Any]) -> tuple[Party, str]:
    owner = await parties.owner()
    workspace_id = await parties.workspace(owner)
    created = await client.post(f"/api/v1/workspaces/{workspace_id}/connections", headers=owner.headers,
                                json={"connector": "survey_import", "config": config})
    assert created.status_code == 201, created.text
    assert created.json()["authorize_url"] is None
    return owner, created.json()["connection"]["id"]


async def test_an_uploaded_export_is_imported_with_its_bad_rows_reported(client, parties, settings):
    owner, connection_id = await survey_connection(client, parties, {"touchpoint": "checkout",
                                                                     "journey_stage": "purchase"})
    job = await upload_and_sync(client, owner, connection_id, "nps.csv", csv_bytes(nps_export(40, bad=2)))
    assert job["status"] == "succeeded", job
    assert job["counts"]["written"] == 40 and job["counts"]["failed"] == 2
    issues = (await client.get(f"/api/v1/connections/{connection_id}/issues", headers=owner.headers)).json()
    assert sorted((i["external_id"], i["reason"]) for i in issues["items"]) == [
        ("BAD0", "line 43: score 11 outside 0-10"), ("BAD1", "line 44: score 11 outside 0-10")]
    stored = await feedback_rows(settings, owner, connection_id)
    assert [r["external_id"] for r in stored] == [f"R{n:05d}" for n in range(40)]
    assert {(r["metric"], r["scale_min"], r["scale_max"], r["touchpoint"], r["journey_stage"]) for r in stored} == {
        ("nps", 0, 10, "checkout", "purchase")}
    assert [float(r["score"]) for r in stored[:3]] == [0, 1, 2]
    assert stored[1]["question"].startswith("How likely are you to recommend")
    assert stored[1]["comment"] == "great service"
    assert stored[1]["customer_external_id"] == "person1@example.test"

    again = await upload_and_sync(client, owner, connection_id, "nps.csv", csv_bytes(nps_export(40, bad=2)))
    assert again["status"] == "succeeded" and again["counts"]["written"] == 0  # the same file: nothing new
    xlsx = await upload_and_sync(client, owner, connection_id, "nps.xlsx", xlsx_bytes(nps_export(41)))
    assert xlsx["status"] == "succeeded" and xlsx["counts"]["written"] == 1  # only respondent R00040 is new
    assert len(await feedback_rows(settings, owner, connection_id)) == 41


async def test_a_file_mixing_scales_fails_the_job_with_the_reason(client, parties, settings):
    owner, connection_id = await survey_connection(client, parties, {})
    content = csv_bytes([["Respondent ID", "How likely are you to recommend us?", "How satisfied are you?"],
                         ["r1", "9", "4"]])
    job = await upload_and_sync(client, owner, connection_id, "mixed.csv", content)
    assert job["status"] == "failed"
    assert "mixes scales" in job["error"] and "columns.score" in job["error"]


async def test_a_declared_scale_no_metric_uses_is_refused_at_creation(client, parties, settings):
    owner = await parties.owner()
    workspace_id = await parties.workspace(owner)
    refused = await client.post(f"/api/v1/workspaces/{workspace_id}/connections", headers=owner.headers,
                                json={"connector": "survey_import",
                                      "config": {"metric": "csat", "scale_min": 0, "scale_max": 10}})
    assert refused.status_code == 422
    assert "csat is asked on 1-5 or 1-7" in refused.text
