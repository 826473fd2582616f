"""The roadmap says once where its effort, KPI movements and confidence come from, and marks per
row only the figures the consultant set for this client. It used to print "Estimate from the
recommendation library" on every row (fifteen times a report)."""

from __future__ import annotations

import pytest

from tests.reports.conftest import squash
from tests.reports.pdfcheck import text
from tests.reports_api.test_reports import render, scored

pytestmark = pytest.mark.anyio

BASIS = ("Effort and the expected movement of each KPI are estimates from our recommendation library, unless a "
         "row cites a source; confidence reflects the evidence behind the gap. Where the consultant set a value, "
         "an effort or a confidence for this client, the row says so.")
MARK = "set by the consultant"


async def test_the_roadmap_states_its_basis_once_and_marks_what_the_consultant_set(eng, client):
    run = await scored(eng, client)
    url = f"/api/v1/score-runs/{run['id']}/priorities"
    before = (await client.get(url, headers=eng.owner.headers)).json()["priorities"]
    effort_for, confidence_for = before[1], before[2]
    inputs = {"stages": [{"stage": effort_for["stage"], "judgement": 4, "reason": "agreed with the client's COO"}],
              "opportunities": [
                  {"recommendation_id": effort_for["recommendation_id"], "effort": 1, "reason": "module owned"},
                  {"recommendation_id": confidence_for["recommendation_id"], "confidence": 0.9,
                   "reason": "seen in the interviews"}]}
    response = await client.put(f"{eng.base}/value-inputs", headers=eng.owner.headers, json=inputs)
    assert response.status_code == 200, response.text
    shown = (await client.get(url, headers=eng.owner.headers)).json()["priorities"][:15]
    marks = sum((p["value_basis"] != "estimate") + (p["effort_basis"] == "consultant")
                + (p["confidence_basis"] == "consultant") for p in shown)
    assert 3 <= marks < 3 * len(shown), "some figures set by the consultant, most not"

    report = await render(eng, client, language="en")
    pdf = (await client.get(f"/api/v1/reports/{report['id']}/download", headers=eng.owner.headers)).content
    body = squash(text(pdf))
    start = body.index(squash("Opportunities and roadmap"), body.index(squash("Five priorities")))
    roadmap = body[start:body.index(squash("Data sources"), start)]
    assert squash("Estimate from the recommendation library") not in body
    assert body.count(squash(BASIS)) == 1 and squash(BASIS) in roadmap
    assert roadmap.count(squash(MARK)) == marks
