"""The journey map's evidence over HTTP: feedback, tickets and interactions attributed to stages
(record first, then the consultant's mapping, then defaults), touchpoints and volume per stage,
CSAT where answers exist, and pain points that are distinct, ranked by evidence and quoted
without personal details. Before issue 16 the pain-point table repeated one row per stage."""

from __future__ import annotations

from datetime import timedelta

import pytest

from cxsuite.connectors.records import Customer, Feedback, Interaction, Ticket
from cxsuite.reports.builder import build_document, load_inputs
from cxsuite.reports.i18n import localiser
from cxsuite.reports.render import TEMPLATES_DIR
from tests.support.engagement import T0, Engagement, answer_all, start

pytestmark = pytest.mark.anyio
SUBJECTS = (("Order arrived damaged", 40), ("Cannot log in", 25), ("Refund status", 5))


async def _records(eng: Engagement) -> None:
    await eng.write("customer", [Customer(external_id=f"c{i}", lifecycle_stage="lead" if i < 10 else "customer")
                                 for i in range(20)])
    tickets, i = [], 0
    for subject, count in SUBJECTS:
        for _ in range(count):
            tickets.append(Ticket(external_id=f"t{i}", subject=subject if i % 3 else subject.upper() + "  ",
                                  channel="email", created_at=T0 + timedelta(hours=i),
                                  customer_external_id=f"c{10 + i % 10}"))
            i += 1
    await eng.write("ticket", tickets)
    await eng.write("interaction", [
        *(Interaction(external_id=f"i{i}", type="call", channel="phone", occurred_at=T0 + timedelta(hours=i),
                      customer_external_id=f"c{i % 10}") for i in range(30)),
        *(Interaction(external_id=f"j{i}", type="meeting", channel="meeting", journey_stage="purchase",
                      occurred_at=T0 + timedelta(hours=i), customer_external_id=f"c{i % 10}") for i in range(10))])
    comments = ["Took far too long to get an answer. Call me on +44 20 7946 0958",
                "Nobody called me back - Anna", "Great, quick delivery"]
    await eng.write("feedback", [Feedback(
        external_id=f"f{i}", metric="csat", score=1 if i % 3 < 2 else 5, scale_min=1, scale_max=5,
        touchpoint="checkout", comment=comments[i % 3] if i < 45 else None, submitted_at=T0 + timedelta(hours=i))
        for i in range(60)])


async def _run(eng: Engagement, client) -> str:
    await _records(eng)
    await answer_all(eng, client, 2)
    return (await start(eng, client))["run"]["id"]


async def test_records_are_attributed_and_pain_points_are_distinct_and_ranked(eng, client):
    run_id = await _run(eng, client)
    response = await client.get(f"/api/v1/score-runs/{run_id}/journey-evidence", headers=eng.owner.headers)
    assert response.status_code == 200, response.text
    stages = {s["stage"]: s for s in response.json()["stages"]}
    service = stages["usage_service"]
    assert service["volume"] == {"ticket": 70}
    assert [(p["quote"], p["n"]) for p in service["pain_points"]] == [
        ("Order arrived damaged", 40), ("Cannot log in", 25), ("Refund status", 5)], "one row per theme, by n"
    purchase = stages["purchase"]
    assert purchase["volume"] == {"feedback": 60, "interaction": 10}, "record stage wins; checkout → purchase"
    assert purchase["csat"] == pytest.approx(100 * 20 / 60, abs=0.1) and purchase["csat_n"] == 60
    quotes = [p["quote"] for p in purchase["pain_points"]]
    assert quotes == ["Nobody called me back […]", "Took far too long to get an answer. Call me on […]"]
    assert stages["consideration"]["volume"] == {"interaction": 30}, "lead lifecycle → consideration"

    rule = {"rules": [{"source": "ticket", "stage": "onboarding", "touchpoint_name": "support"}]}
    response = await client.put(f"{eng.base}/journey-mapping", headers=eng.owner.headers, json=rule)
    assert response.status_code == 200, response.text
    moved = {s["stage"]: s for s in (await client.get(f"/api/v1/score-runs/{run_id}/journey-evidence",
                                                      headers=eng.owner.headers)).json()["stages"]}
    assert moved["onboarding"]["volume"] == {"ticket": 70} and moved["usage_service"]["volume"] == {}

    async with eng.db.transaction(eng.tenant_id, write=False):
        inputs = await load_inputs(eng.tenant_id, run_id, {})
    document = build_document(inputs, "en", localiser(TEMPLATES_DIR, "en"))
    rows = [(p.stage, p.quote) for p in document.journey.pain_points]
    assert len(rows) == len(set(rows)) >= 5, "distinct pain points"
    assert [p.n for p in document.journey.pain_points] == sorted((p.n for p in document.journey.pain_points),
                                                                 reverse=True)
    onboarding = next(s for s in document.journey.stages if s.stage == "onboarding")
    assert onboarding.records == 70 and onboarding.level is not None


async def test_mapping_is_validated_and_guarded(eng, other, client):
    bad = {"rules": [{"stage": "moon", "source": "ticket"}, {"stage": "purchase"},
                     {"stage": "purchase", "channel": "x" * 101}]}
    response = await client.put(f"{eng.base}/journey-mapping", headers=eng.owner.headers, json=bad)
    assert response.status_code == 422
    problems = {(p["field"], p.get("limit")) for p in response.json()["errors"]}
    assert problems == {("body.rules[0].stage", None), ("body.rules[1]", None), ("body.rules[2].channel", 100)}
    got = (await client.get(f"{eng.base}/journey-mapping", headers=eng.owner.headers)).json()
    assert got["rules"] == [] and got["defaults"]
    viewer = await eng.client_viewer()
    assert (await client.put(f"{eng.base}/journey-mapping", headers=viewer, json={"rules": []})).status_code == 403
    assert (await client.get(f"{eng.base}/journey-mapping", headers=other.owner.headers)).status_code == 404
