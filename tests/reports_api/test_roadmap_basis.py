"""The roadmap says once where its effort, KPI movements and confidence come from, and marks per
row only the figures the consultant set for this client. It used to print "Estimate from the
recommendation library" on every row (fifteen times a report)."""

from __future__ import annotations

import re
from io import BytesIO

import pdfplumber
import pytest

from tests.reports.conftest import squash
from tests.reports.pdfcheck import text
from tests.reports_api.test_reports import render, scored

pytestmark = pytest.mark.anyio

BASIS = ("Effort and the expected movement of each KPI are estimates from our recommendation library, unless a "
         "row cites a source; confidence reflects the evidence behind the gap. Where the consultant set a value, "
         "an effort or a confidence for this client, the row says so.")


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
    assert squash("Estimate from the recommendation library") not in body
    assert body.count(squash(BASIS)) == 1
    # The marks, word by word on the roadmap's pages: a mark in the narrow effort column wraps,
    # and extracted lines interleave the columns. "consultant" stands once in the basis note.
    with pdfplumber.open(BytesIO(pdf)) as document:
        pages = [(squash(page.extract_text() or ""), [w["text"] for w in page.extract_words()])
                 for page in document.pages]
    first = next(i for i, (page, _) in enumerate(pages) if squash("Every cell below its target") in page)
    last = next(i for i, (page, _) in enumerate(pages) if squash(BASIS) in page)
    words = [w for _, page_words in pages[first:last + 1] for w in page_words]
    assert sum(re.fullmatch(r"consultant\W*", w) is not None for w in words) - 1 == marks
