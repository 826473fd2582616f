"""Issue 15 over HTTP: explicit audit periods, X-metrics from a feedback file that agree with an
independent computation, and insufficient / flagged metrics stated in the score run."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from cxsuite.connectors.records import Customer, Deal, Ticket, WebMetric
from tests.support.engagement import seed, start
from tests.support.jobs import finished_job
from tests.support.parties import Party

pytestmark = pytest.mark.anyio


def survey_file(metric: str, scores: list[int], first: datetime) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["Response ID", "Submitted At", "Score"])
    for i, score in enumerate(scores):
        writer.writerow([f"{metric}-{i}", (first + timedelta(days=3 * i)).strftime("%Y-%m-%d %H:%M:%S"), score])
    return out.getvalue().encode()


async def import_survey(client, owner: Party, workspace_id: str, metric: str, scale: tuple[int, int],
                        content: bytes) -> None:
    created = await client.post(f"/api/v1/workspaces/{workspace_id}/connections", headers=owner.headers, json={
        "connector": "survey_import",
        "config": {"metric": metric, "scale_min": scale[0], "scale_max": scale[1]}})
    assert created.status_code == 201, created.text
    connection_id = created.json()["connection"]["id"]
    uploaded = await client.post(f"/api/v1/connections/{connection_id}/upload", headers=owner.headers,
                                 files={"file": (f"{metric}.csv", content, "text/csv")})
    assert uploaded.status_code == 200, uploaded.text
    sync = await client.post(f"/api/v1/connections/{connection_id}/sync", headers=owner.headers)
    job = await finished_job(client, owner.headers, sync.json()["id"], seconds=30)
    assert job["status"] == "succeeded", job


def independent(content: bytes, period: tuple[date, date]) -> list[float]:
    """The answers of a survey file inside the audit period, read with nothing but csv."""
    rows = csv.DictReader(io.StringIO(content.decode()))
    return [float(r["Score"]) for r in rows
            if period[0] <= datetime.strptime(r["Submitted At"], "%Y-%m-%d %H:%M:%S").date() <= period[1]]


async def score_project(client, owner: Party, project_id: str) -> dict[str, Any]:
    started = await client.post(f"/api/v1/projects/{project_id}/score-runs", headers=owner.headers)
    assert started.status_code == 202, started.text
    job = await finished_job(client, owner.headers, started.json()["job"]["id"], seconds=30)
    assert job["status"] == "succeeded", job
    return (await client.get(f"/api/v1/score-runs/{started.json()['run']['id']}", headers=owner.headers)).json()


async def test_csat_nps_ces_from_files_agree_with_an_independent_computation(client, parties):
    owner = await parties.owner()
    workspace_id = await parties.workspace(owner)
    first = datetime(2024, 9, 2, 12, 0)  # 150 answers every 3 days: 2024-09-02 .. 2025-11-23
    files = {
        ("nps", (0, 10)): survey_file("nps", [(i * 7) % 11 for i in range(150)], first),
        ("csat", (1, 5)): survey_file("csat", [1 + (i * 3) % 5 for i in range(150)], first),
        ("ces", (1, 7)): survey_file("ces", [1 + (i * 5) % 7 for i in range(150)], first),
    }
    for (metric, scale), content in files.items():
        await import_survey(client, owner, workspace_id, metric, scale, content)
    project = await client.post(f"/api/v1/workspaces/{workspace_id}/projects", headers=owner.headers,
                                json={"name": "From files"})
    body = project.json()
    # No period given: 12 months up to the newest answer, stored at creation.
    period = (date.fromisoformat(body["period_start"]), date.fromisoformat(body["period_end"]))
    assert period == (date(2024, 11, 24), date(2025, 11, 23))
    run = await score_project(client, owner, body["id"])
    assert (run["inputs"]["period_start"], run["inputs"]["period_end"]) == (body["period_start"], body["period_end"])
    got = {m["key"]: m for m in run["inputs"]["metrics"] if m["stage"] is None}

    nps = independent(files[("nps", (0, 10))], period)
    promoters, detractors = sum(s >= 9 for s in nps), sum(s <= 6 for s in nps)
    assert got["nps"]["n"] == len(nps) and len(nps) < 150
    assert got["nps"]["value"] == pytest.approx(100 * (promoters - detractors) / len(nps), abs=1e-9)
    csat = independent(files[("csat", (1, 5))], period)
    assert got["csat"]["n"] == len(csat)
    assert got["csat"]["value"] == pytest.approx(100 * sum(s >= 4 for s in csat) / len(csat), abs=1e-9)
    ces = independent(files[("ces", (1, 7))], period)
    assert got["ces_v2_agree_rate"]["n"] == len(ces)
    assert got["ces_v2_agree_rate"]["value"] == pytest.approx(100 * sum(s >= 5 for s in ces) / len(ces), abs=1e-9)
    assert got["ces_v1_mean"]["status"] == "insufficient" and got["ces_v1_mean"]["value"] is None


async def test_a_project_gets_an_explicit_period_at_creation_that_data_never_moves(eng, client, parties):
    owner = eng.owner
    made = await client.post(f"/api/v1/workspaces/{eng.workspace_id}/projects", headers=owner.headers,
                             json={"name": "No data yet"})
    today = datetime.now(UTC).date()
    assert (made.json()["period_start"], made.json()["period_end"]) == (
        (today - timedelta(days=364)).isoformat(), today.isoformat())
    given = await client.post(f"/api/v1/workspaces/{eng.workspace_id}/projects", headers=owner.headers,
                              json={"name": "Given", "period_start": "2025-03-01", "period_end": "2025-05-31"})
    assert (given.json()["period_start"], given.json()["period_end"]) == ("2025-03-01", "2025-05-31")
    await seed(eng, reply_hours=2)  # data up to 2025-08-19
    again = await client.get(f"/api/v1/projects/{made.json()['id']}", headers=owner.headers)
    assert again.json()["period_end"] == today.isoformat()  # unchanged by the newer data
    from_data = await client.post(f"/api/v1/workspaces/{eng.workspace_id}/projects", headers=owner.headers,
                                  json={"name": "From data"})
    assert (from_data.json()["period_start"], from_data.json()["period_end"]) == ("2024-08-20", "2025-08-19")


async def test_a_record_dated_after_today_does_not_set_the_period(eng, client):
    """A deal "closed" next year (a forecast typed into the close date) is not data the audit
    has: anchoring the 12 months on it would push every real record out of the period."""
    await seed(eng, reply_hours=2)  # data up to 2025-08-19
    future = datetime.now(UTC) + timedelta(days=400)
    await eng.write("deal", [Deal(external_id="forecast", name="Next year's renewal", amount=1000.0,
                                  created_at=datetime(2025, 8, 1, tzinfo=UTC), closed_at=future, won=True)])
    made = await client.post(f"/api/v1/workspaces/{eng.workspace_id}/projects", headers=eng.owner.headers,
                             json={"name": "From data"})
    assert (made.json()["period_start"], made.json()["period_end"]) == ("2024-08-20", "2025-08-19")


async def test_insufficient_and_flagged_metrics_are_stated_in_the_run(eng, client):
    await seed(eng, reply_hours=2)
    base = datetime(2025, 3, 1, tzinfo=UTC)
    await eng.write("customer", [Customer(external_id=f"c{i}", email="info@client.example", created_at=base)
                                 for i in range(8)])
    await eng.write("ticket", [
        Ticket(external_id="skew-resolved", channel="email", created_at=base, resolved_at=base - timedelta(days=2),
               first_response_at=base + timedelta(hours=1)),
        Ticket(external_id="skew-future", channel="email", created_at=datetime(2025, 12, 30, tzinfo=UTC))])
    await eng.write("web_metric", [
        WebMetric(external_id="ga-1", date=date(2025, 4, 1), sessions=900, conversions=9, engaged_sessions=500,
                  quality_flags=["sampled"]),
        WebMetric(external_id="ga-2", date=date(2025, 4, 2), sessions=100, conversions=1, engaged_sessions=50)])
    started = await start(eng, client)
    run = (await client.get(f"/api/v1/score-runs/{started['run']['id']}", headers=eng.owner.headers)).json()
    metrics = {m["key"]: m for m in run["inputs"]["metrics"] if m["stage"] is None}
    states = {s["key"]: s for s in run["result"]["metric_states"] if s["stage"] is None}

    # Never 0 without inputs: every figure-less metric says insufficient, with a reason.
    for key, m in metrics.items():
        assert m["status"] in ("measured", "insufficient", "flagged"), key
        if m["value"] is None:
            assert m["status"] == "insufficient" and m["reason"], key
            assert states[key]["status"] == "insufficient", key
    assert metrics["workflow_touch_share"]["status"] == "insufficient"
    assert metrics["inner_loop_follow_up_rate"]["value"] is None

    # Flagged: 100 % duplicates (placeholder email) and GA4 sampled web figures.
    duplicates = metrics["duplicate_customer_rate"]
    assert (duplicates["status"], duplicates["value"]) == ("flagged", 100.0)
    notes = {n["check"]: n for n in run["quality_notes"]}
    assert notes["duplicate_share"]["records"] == [f"c{i}" for i in range(8)]
    assert notes["web_sampled"]["records"] == ["ga-1"]
    assert metrics["ecommerce_conversion_rate"]["status"] == "flagged"
    skewed = {r for n in run["quality_notes"] if n["check"] == "clock_skew" for r in n["records"]}
    assert {"skew-resolved"} <= skewed
    # Flagged and insufficient metrics are evidence in no cell.
    used = {e["ref"] for c in run["result"]["cells"] for e in c["evidence"]}
    assert "duplicate_customer_rate" not in used and "workflow_touch_share" not in used
    assert "ticket_first_response_median_hours_email" in used


async def test_an_import_reports_clock_skew_in_the_sync_jobs_result(client, parties):
    owner = await parties.owner()
    workspace_id = await parties.workspace(owner)
    created = await client.post(f"/api/v1/workspaces/{workspace_id}/connections", headers=owner.headers, json={
        "connector": "survey_import", "config": {"metric": "csat", "scale_min": 1, "scale_max": 5}})
    connection_id = created.json()["connection"]["id"]
    content = survey_file("csat", [5, 4, 2], datetime(2098, 1, 1, 12, 0))  # dated decades ahead
    await client.post(f"/api/v1/connections/{connection_id}/upload", headers=owner.headers,
                      files={"file": ("csat.csv", content, "text/csv")})
    sync = await client.post(f"/api/v1/connections/{connection_id}/sync", headers=owner.headers)
    job = await finished_job(client, owner.headers, sync.json()["id"], seconds=30)
    assert job["status"] == "succeeded" and job["counts"]["written"] == 3
    (note,) = job["counts"]["quality_notes"]
    assert (note["check"], note["table"], note["count"]) == ("clock_skew", "record_feedback", 3)
    assert note["records"] == ["csat-0", "csat-1", "csat-2"]
