"""Prioritisation from the consultant's inputs over HTTP: business value per stage (figures or
a judgement), effort and confidence per recommendation, THE order, and that the inputs survive
re-scoring. Before issue 16 no input reached scoring, so every value was the neutral 3."""

from __future__ import annotations

from uuid import UUID

import pytest

from cxsuite.scoring.priorities import lines, tenant_priorities
from tests.support.engagement import answer_all, seed, start

pytestmark = pytest.mark.anyio

JUDGED = {"awareness": 1, "consideration": 2, "purchase": 5, "onboarding": 3, "usage_service": 4,
          "retention": 5, "advocacy": 2}


async def _scored(eng, client) -> str:
    await seed(eng, reply_hours=30)
    await answer_all(eng, client, 2)
    return (await start(eng, client))["run"]["id"]


async def _priorities(eng, client, run_id: str) -> dict:
    response = await client.get(f"/api/v1/score-runs/{run_id}/priorities", headers=eng.owner.headers)
    assert response.status_code == 200, response.text
    return response.json()


async def test_without_inputs_values_are_labelled_estimates(eng, client):
    run_id = await _scored(eng, client)
    body = await _priorities(eng, client, run_id)
    assert body["priorities"] and "evidence gap" in body["formula"] and body["tie_break"]
    assert {p["value_basis"] for p in body["priorities"]} == {"estimate"}
    inputs = (await client.get(f"{eng.base}/value-inputs", headers=eng.owner.headers)).json()
    assert {s["basis"] for s in inputs["stages"]} == {"estimate"}
    assert "estimate" in inputs["stages"][0]["note"]


async def test_judgements_and_figures_spread_values_and_set_the_order(eng, client):
    run_id = await _scored(eng, client)
    flat = await _priorities(eng, client, run_id)
    assert len({p["business_value"] for p in flat["priorities"]}) == 1, "no input: one neutral value"
    stages = [{"stage": s, "judgement": v, "reason": f"{s} judged in the kick-off workshop"}
              for s, v in JUDGED.items() if s != "purchase"]
    stages.append({"stage": "purchase", "customers": 1200, "average_order_value": 80.0, "margin": 0.3})
    response = await client.put(f"{eng.base}/value-inputs", headers=eng.owner.headers,
                                json={"currency": "eur", "stages": stages})
    assert response.status_code == 200, response.text
    assert response.json()["inputs"]["currency"] == "EUR"
    basis = {s["stage"]: s["basis"] for s in response.json()["stages"]}
    assert basis["purchase"] == "figures" and basis["retention"] == "judgement"

    ranked = (await _priorities(eng, client, run_id))["priorities"]
    assert len({p["value"] for p in ranked}) > 1, "values now differ"
    for p in ranked:
        if p["stage"] != "purchase":
            assert (p["business_value"], p["value_basis"]) == (JUDGED[p["stage"]], "judgement")
    keys = [(-p["priority"], -p["value"], p["effort"], -p["confidence"]) for p in ranked]
    assert keys == sorted(keys), "priority, then value, lower effort, higher confidence"
    assert [p["rank"] for p in ranked] == list(range(1, len(ranked) + 1))
    assert len({p["recommendation_id"] for p in ranked}) == len(ranked), "each action once"
    for p in ranked:  # the documented formula, by hand
        gap = round(1 - p["confidence"], 2)
        assert p["evidence_gap"] == gap
        assert p["priority"] == pytest.approx(round(p["value"] * (6 - p["effort"]) / 5 * (1 - gap / 2), 2), abs=0.006)


async def test_effort_and_confidence_overrides_survive_rescoring(eng, client, settings):
    run_id = await _scored(eng, client)
    last = (await _priorities(eng, client, run_id))["priorities"][-1]
    override = {"recommendation_id": last["recommendation_id"], "effort": 1, "confidence": 1.0,
                "reason": "the client already owns the tool"}
    response = await client.put(f"{eng.base}/value-inputs", headers=eng.owner.headers,
                                json={"opportunities": [override]})
    assert response.status_code == 200, response.text
    moved = next(p for p in (await _priorities(eng, client, run_id))["priorities"]
                 if p["recommendation_id"] == last["recommendation_id"])
    assert (moved["effort"], moved["effort_basis"], moved["confidence"], moved["confidence_basis"]) == (
        1, "consultant", 1.0, "consultant")
    assert moved["rank"] < last["rank"]

    second = (await start(eng, client))["run"]["id"]
    again = next(p for p in (await _priorities(eng, client, second))["priorities"]
                 if p["recommendation_id"] == last["recommendation_id"])
    assert (again["effort"], again["effort_basis"], again["rank"]) == (1, "consultant", moved["rank"])
    stored = (await client.get(f"/api/v1/score-runs/{second}", headers=eng.owner.headers)).json()
    assert {o["effort"] for o in stored["opportunities"] if o["recommendation_id"] == last["recommendation_id"]} == {1}

    # the command line lists the same order as the API
    api = [p["title"] for p in (await _priorities(eng, client, second))["priorities"]]
    cli = [line.split(". ", 1)[1].split(" (")[0]
           for line in lines(await tenant_priorities(eng.db, eng.tenant_id, UUID(second)), {})]
    assert cli == api


async def test_invalid_inputs_name_each_field_and_bound(eng, client):
    response = await client.put(f"{eng.base}/value-inputs", headers=eng.owner.headers, json={
        "stages": [{"stage": "moon"}, {"stage": "purchase", "margin": 1.5, "judgement": 9},
                   {"stage": "retention", "revenue": -1, "reason": "x" * 501}],
        "opportunities": [{"recommendation_id": "nope", "effort": 7}, {"recommendation_id": "d1_dedupe"}]})
    assert response.status_code == 422, response.text
    problems = {(p["field"], p.get("limit")) for p in response.json()["errors"]}
    assert ("body.stages[0].stage", None) in problems
    assert ("body.stages[1].margin", 1) in problems and ("body.stages[1].judgement", 5) in problems
    assert ("body.stages[1].reason", None) in problems, "a judgement needs its reason"
    assert ("body.stages[2].revenue", 0) in problems and ("body.stages[2].reason", 500) in problems
    assert ("body.opportunities[0].recommendation_id", None) in problems
    assert ("body.opportunities[0].effort", 5) in problems and ("body.opportunities[1]", None) in problems


async def test_viewers_cannot_edit_and_other_tenants_see_nothing(eng, other, client):
    run_id = await _scored(eng, client)
    viewer = await eng.client_viewer()
    response = await client.put(f"{eng.base}/value-inputs", headers=viewer, json={})
    assert response.status_code == 403
    assert (await client.get(f"{eng.base}/value-inputs", headers=other.owner.headers)).status_code == 404
    assert (await client.get(f"/api/v1/score-runs/{run_id}/priorities",
                             headers=other.owner.headers)).status_code == 404
