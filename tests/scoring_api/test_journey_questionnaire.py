"""Journey versions with optimistic concurrency, and questionnaire validation, over HTTP."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.anyio


async def test_default_journey_then_versioned_edits_and_stale_409(eng, client):
    h = eng.owner.headers
    first = (await client.get(f"{eng.base}/journey", headers=h)).json()
    assert first["version"] == 1 and first["model_version"] == "1.0.0"
    assert [s["key"] for s in first["stages"]] == ["awareness", "consideration", "purchase", "onboarding",
                                                   "usage_service", "retention", "advocacy"]
    stages = first["stages"][::-1][:-1]  # reorder and remove awareness
    stages[0] = {**stages[0], "name": "Champions"}  # rename
    stages.append({"key": "renewal", "name": "Renewal", "applicability": {"D1": 2, "D7": 0},
                   "targets": {"D4": 4}, "touchpoints": [{"name": "Renewal call", "channel": "phone"}]})
    saved = await client.put(f"{eng.base}/journey", headers=h, json={"version": 1, "stages": stages})
    assert saved.status_code == 200, saved.text
    assert saved.json()["version"] == 2 and saved.json()["stages"] == stages
    stale = await client.put(f"{eng.base}/journey", headers=h, json={"version": 1, "stages": stages})
    assert stale.status_code == 409 and "version 2" in stale.json()["detail"]
    assert (await client.get(f"{eng.base}/journey", headers=h)).json()["version"] == 2


async def test_journey_validation_names_the_field(eng, client):
    bad = [{"key": "a", "name": "A", "applicability": {"D9": 1}}, {"key": "a", "name": "A2",
                                                                   "targets": {"D1": 7}}]
    response = await client.put(f"{eng.base}/journey", headers=eng.owner.headers,
                                json={"version": 0, "stages": bad})
    assert response.status_code == 422
    fields = {e["field"] for e in response.json()["errors"]}
    assert fields == {"body.stages[0].applicability.D9", "body.stages[1].key", "body.stages[1].targets.D1"}


async def test_questionnaire_answers_recorded_with_who_and_when(eng, client):
    h = eng.owner.headers
    items = (await client.get(f"{eng.base}/questionnaire", headers=h)).json()["items"]
    assert items and all(item["answers"] == [] for item in items)
    response = await client.put(f"{eng.base}/questionnaire/answers", headers=h, json={"answers": [
        {"item_id": items[0]["item_id"], "stage": "awareness", "answer": 4},
        {"item_id": items[0]["item_id"], "stage": "purchase", "answer": None}]})
    assert response.status_code == 200, response.text
    given = response.json()["items"][0]["answers"]
    assert [(a["stage"], a["answer"]) for a in given] == [("awareness", 4), ("purchase", None)]
    assert given[0]["answered_by"] == eng.owner.user_id and given[0]["answered_at"]


async def test_unknown_item_or_stage_is_422_and_writes_nothing(eng, client):
    h = eng.owner.headers
    items = (await client.get(f"{eng.base}/questionnaire", headers=h)).json()["items"]
    response = await client.put(f"{eng.base}/questionnaire/answers", headers=h, json={"answers": [
        {"item_id": items[0]["item_id"], "stage": "awareness", "answer": 3},
        {"item_id": "no_such_item", "stage": "awareness", "answer": 3},
        {"item_id": items[0]["item_id"], "stage": "moon", "answer": 3}]})
    assert response.status_code == 422
    reasons = {e["field"]: e["reason"] for e in response.json()["errors"]}
    assert "no_such_item" in reasons["body.answers[1].item_id"] and "moon" in reasons["body.answers[2].stage"]
    items = (await client.get(f"{eng.base}/questionnaire", headers=h)).json()["items"]
    assert items[0]["answers"] == []
    out_of_range = await client.put(f"{eng.base}/questionnaire/answers", headers=h, json={"answers": [
        {"item_id": items[0]["item_id"], "stage": "awareness", "answer": 6}]})
    assert out_of_range.status_code == 400


async def test_other_tenants_project_is_404(eng, other, client):
    for path in ("journey", "questionnaire", "score-runs"):
        assert (await client.get(f"{eng.base}/{path}", headers=other.owner.headers)).status_code == 404


async def test_the_client_admin_answers_the_questionnaire_and_a_viewer_may_not(eng, client):
    """The client knows its own processes: its admin reads and answers the questionnaire over
    the API (recorded as theirs); a viewer can read nothing of it and answer nothing."""
    admin, viewer = await eng.client_admin(), await eng.client_viewer()
    read = await client.get(f"{eng.base}/questionnaire", headers=admin)
    assert read.status_code == 200, read.text
    item = read.json()["items"][0]["item_id"]
    answered = await client.put(f"{eng.base}/questionnaire/answers", headers=admin, json={"answers": [
        {"item_id": item, "stage": "awareness", "answer": 3}]})
    assert answered.status_code == 200, answered.text
    given = answered.json()["items"][0]["answers"][0]
    me = (await client.get("/api/v1/me", headers=admin)).json()
    assert (given["answer"], given["answered_by"]) == (3, me["user"]["id"])
    assert (await client.get(f"{eng.base}/questionnaire", headers=viewer)).status_code == 403
    refused = await client.put(f"{eng.base}/questionnaire/answers", headers=viewer, json={"answers": [
        {"item_id": item, "stage": "awareness", "answer": 1}]})
    assert refused.status_code == 403
    owner_view = (await client.get(f"{eng.base}/questionnaire", headers=eng.owner.headers)).json()
    assert owner_view["items"][0]["answers"][0]["answer"] == 3
