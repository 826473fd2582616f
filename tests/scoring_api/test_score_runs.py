"""Score runs over HTTP (start, read, list, compare, tenant models, access) and the
determinism of stored results."""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import UUID

import msgspec
import pytest

from cxsuite.access.principal import Principal, Role
from cxsuite.scoring import shipped_model
from cxsuite.scoring.service import RunInputs, rescore, run_score, start_run
from cxsuite.scoring.tables import ScoreRunRow
from tests.support.engagement import answer_all, seed, start

pytestmark = pytest.mark.anyio


async def test_run_read_list_compare(eng, client):
    await seed(eng, reply_hours=30)
    await answer_all(eng, client, 2)
    first = await start(eng, client)
    assert first["job"]["kind"] == "score" and first["job"]["status"] == "succeeded"
    assert first["run"]["status"] == "succeeded" and first["run"]["journey_version"] == 1
    run = (await client.get(f"/api/v1/score-runs/{first['run']['id']}", headers=eng.owner.headers)).json()
    result = run["result"]
    assert len(result["cells"]) == 49 and len(result["dimensions"]) == 7
    d4 = next(c for c in result["cells"] if c["stage"] == "usage_service" and c["dimension"] == "D4")
    refs = {e["ref"]: e for e in d4["evidence"]}
    assert refs["ticket_first_response_median_hours_email"]["level"] == 1
    assert refs["ticket_first_response_median_hours_email"]["records"][0].startswith("record_ticket: 200 tickets")
    assert refs["csat"]["stage"] == "usage_service"
    assert run["opportunities"] and run["inputs"]["period_start"] == "2025-01-01"
    assert run["run"]["model_hash"] == run["result"]["model_hash"]

    await seed(eng, reply_hours=0.5)
    await answer_all(eng, client, 4)
    second = await start(eng, client)
    listed = (await client.get(f"{eng.base}/score-runs?limit=1", headers=eng.owner.headers)).json()
    assert listed["total"] == 2 and listed["items"][0]["id"] == second["run"]["id"]
    trend = (await client.get(f"/api/v1/score-runs/{second['run']['id']}/compare/{first['run']['id']}",
                              headers=eng.owner.headers)).json()
    assert trend["overall_delta"] > 0
    assert trend["overall_delta"] == round(trend["overall_after"] - trend["overall_before"], 2)
    d4_change = next(c for c in trend["changed_cells"] if (c["stage"], c["dimension"]) == ("usage_service", "D4"))
    assert d4_change["level_after"] > d4_change["level_before"]


async def test_client_viewer_403_and_other_tenant_404(eng, other, client):
    run = await start(eng, client)
    viewer = await eng.client_viewer()
    run_url = f"/api/v1/score-runs/{run['run']['id']}"
    assert (await client.get(run_url, headers=viewer)).status_code == 403
    assert (await client.get(f"{eng.base}/score-runs", headers=viewer)).status_code == 403
    assert (await client.post(f"{eng.base}/score-runs", headers=viewer)).status_code == 403
    assert (await client.get(f"{eng.base}/journey", headers=viewer)).status_code == 200
    assert (await client.get(run_url, headers=other.owner.headers)).status_code == 404
    mine = await start(other, client)
    compare = f"{run_url}/compare/{mine['run']['id']}"
    assert (await client.get(compare, headers=eng.owner.headers)).status_code == 404


async def test_tenant_model_chosen_by_the_journey(eng, client):
    overrides = {"thresholds": {"ticket_first_response_median_hours_email": {
        "bands": [{"level": 5, "bound": 48}], "source": "Our SLA"}}}
    created = await client.post("/api/v1/scoring/models", headers=eng.owner.headers,
                                json={"name": "Lenient email", "overrides": overrides})
    assert created.status_code == 201, created.text
    model = created.json()
    assert model["version"].startswith("1.0.0+tenant.")
    again = await client.post("/api/v1/scoring/models", headers=eng.owner.headers,
                              json={"name": "Same", "overrides": overrides})
    assert again.status_code == 409
    bad = await client.post("/api/v1/scoring/models", headers=eng.owner.headers,
                            json={"name": "Bad", "overrides": {"thresholds": {"nope": {"bands": []}}}})
    assert bad.status_code == 422
    journey = (await client.get(f"{eng.base}/journey", headers=eng.owner.headers)).json()
    saved = await client.put(f"{eng.base}/journey", headers=eng.owner.headers,
                             json={"version": 1, "stages": journey["stages"], "model_id": model["id"]})
    assert saved.json()["model_version"] == model["version"]
    await seed(eng, reply_hours=30)
    run = await start(eng, client)
    assert run["run"]["model_version"] == model["version"] and run["run"]["journey_version"] == 2
    stored = (await client.get(f"/api/v1/score-runs/{run['run']['id']}", headers=eng.owner.headers)).json()
    d4 = next(c for c in stored["result"]["cells"] if (c["stage"], c["dimension"]) == ("usage_service", "D4"))
    email = next(e for e in d4["evidence"] if e["ref"] == "ticket_first_response_median_hours_email")
    assert email["level"] == 5 and email["source"] == "Our SLA"


def principal_of(eng) -> Principal:
    return Principal(user_id=UUID(eng.owner.user_id), tenant_id=eng.tenant_id, token_id=UUID(int=0),
                     email=eng.owner.email, tenant_role=Role.OWNER)


async def stored_run(eng, settings, as_of: datetime) -> dict:
    summary = await start_run(eng.db, principal_of(eng), eng.project_id, as_of=as_of)
    await run_score(eng.db, settings, eng.tenant_id, eng.project_id, summary.id)
    async with eng.db.transaction(eng.tenant_id, write=False):
        return await ScoreRunRow.select().where(
            (ScoreRunRow.tenant_id == eng.tenant_id) & (ScoreRunRow.id == summary.id)).first().run()


async def test_same_data_and_model_give_identical_stored_bytes(eng, other, settings):
    for engagement in (eng, other):  # two tenants, same records, same answers-less journey
        await seed(engagement, reply_hours=3)
    as_of = datetime(2026, 1, 2, tzinfo=UTC)
    mine, theirs = await stored_run(eng, settings, as_of), await stored_run(other, settings, as_of)
    assert mine["result"] == theirs["result"] and mine["opportunities"] == theirs["opportunities"]
    inputs = msgspec.json.decode(mine["inputs"], type=RunInputs)
    assert rescore(shipped_model(), inputs).encode().decode() == mine["result"]
    again = await run_score(eng.db, settings, eng.tenant_id, eng.project_id, mine["id"])  # a retried job
    assert again.result is not None and again.result.encode().decode() == mine["result"]


async def test_a_second_run_on_unchanged_data_stores_byte_identical_scores_and_evidence(eng, settings):
    """Run metadata (how many runs came before) never feeds a maturity cell."""
    await seed(eng, reply_hours=3)
    as_of = datetime(2026, 1, 2, tzinfo=UTC)
    first = await stored_run(eng, settings, as_of)
    second = await stored_run(eng, settings, as_of)
    assert first["id"] != second["id"]
    assert second["result"] == first["result"]
    assert second["opportunities"] == first["opportunities"]
