"""One order of priorities everywhere, read from what each reader sees: the value/effort chart's
labels (its SVG), the five priorities and the roadmap (the PDF's text), and the command line —
with the consultant's value inputs and text applied and placed where a reader expects them.
Before issue 16 every value was 3, and the CLI and the PDF listed different orders."""

from __future__ import annotations

import re
from html import unescape
from uuid import UUID

import pytest

from cxsuite.reports.builder import build_document, load_inputs
from cxsuite.reports.i18n import localiser
from cxsuite.reports.render import TEMPLATES_DIR, render_html
from cxsuite.scoring.priorities import lines, tenant_priorities
from tests.reports.conftest import squash
from tests.reports.pdfcheck import text
from tests.reports_api.test_reports import render, scored

pytestmark = pytest.mark.anyio

JUDGED = {"awareness": 1, "consideration": 2, "purchase": 5, "onboarding": 3, "usage_service": 4,
          "retention": 5, "advocacy": 2}
SUMMARY = "Aurora's service team answers slowly <b>today</b>.\n\nFixing the first reply comes first."


def _by_rank(haystack: str, titles: list[str]) -> list[str]:
    """``titles`` sorted by the rank number printed right before each (the roadmap groups rows by
    horizon, so its reading order is not the rank order; each row starts with its rank)."""
    ranks = {}
    for title in titles:
        found = re.search(r"(\d+)" + re.escape(squash(title)[:14]), haystack)
        if found:
            ranks[title] = int(found.group(1))
    return sorted(ranks, key=ranks.__getitem__)


def _chart_dots(html: str) -> dict[int, tuple[float, float]]:
    """The value/effort chart as printed: each rank number and the centre of the dot under it
    (chart units; the labels are HTML over the drawing, placed in millimetres)."""
    box = re.search(r'<div class="chart-box"[^>]*>(<svg[^>]*>)<title>Value and effort.*?</div>', html, re.S)
    width = re.search(r'width="([\d.]+)mm"', box.group(1)).group(1)
    view = re.search(r'viewBox="0 0 ([\d.]+) ', box.group(1)).group(1)
    scale = float(width) / float(view)
    circles = [(float(x), float(y)) for x, y in re.findall(r'<circle cx="([\d.]+)" cy="([\d.]+)"', box.group(0))]
    dots = {}
    for left, top, label in re.findall(r'left: ([\d.]+)mm; top: ([\d.]+)mm[^>]*>(\d+)</span>', box.group(0)):
        x, y = float(left) / scale, float(top) / scale
        dots[int(label)] = min(circles, key=lambda c: (c[0] - x) ** 2 + (c[1] - y) ** 2)
    assert len(dots) == len(circles), "one rank on every dot"
    return dots


def _ordered(haystack: str, titles: list[str]) -> list[str]:
    """``titles`` in the order they first appear in ``haystack`` (squashed text), missing ones left out."""
    found = [(haystack.find(squash(t)), t) for t in titles]
    return [t for at, t in sorted(found) if at >= 0]


async def test_chart_table_roadmap_and_cli_agree_and_consultant_text_is_placed(eng, client):
    run = await scored(eng, client)
    stages = [{"stage": s, "judgement": v, "reason": "agreed with the client's COO"} for s, v in JUDGED.items()]
    response = await client.put(f"{eng.base}/value-inputs", headers=eng.owner.headers, json={"stages": stages})
    assert response.status_code == 200, response.text
    ranked = (await client.get(f"/api/v1/score-runs/{run['id']}/priorities", headers=eng.owner.headers)).json()
    expected = [p["title"] for p in ranked["priorities"]]
    top = ranked["priorities"][0]
    text_in = {"executive_summary": SUMMARY,
               "stage_commentary": {"usage_service": "Most complaints start with a slow first reply."},
               "opportunity_notes": {top["recommendation_id"]: "The client's CRM already has this module."}}
    response = await client.put(f"{eng.base}/report-text", headers=eng.owner.headers, json=text_in)
    assert response.status_code == 200, response.text

    report = await render(eng, client, language="en")
    pdf = (await client.get(f"/api/v1/reports/{report['id']}/download", headers=eng.owner.headers)).content
    body = squash(text(pdf))
    summary_at = body.index(squash("Aurora's service team answers slowly <b>today</b>."))
    assert summary_at < body.index(squash("Strongest areas")), "summary at the start, escaped"
    assert squash("Fixing the first reply comes first.") in body
    five_at = body.index(squash("Five priorities"))
    roadmap_at = body.index(squash("Opportunities and roadmap"), five_at)
    journey_at = body.index(squash("Evidence by stage"))
    commentary_at = body.index(squash("Most complaints start with a slow first reply."))
    assert journey_at < commentary_at < body.index(squash("KPI scorecard"), journey_at), "in the stage section"
    note_at = body.index(squash("The client's CRM already has this module."), roadmap_at)
    assert body.rfind(squash(top["title"]), 0, note_at) > roadmap_at, "the note beside its recommendation"

    summary = _ordered(body[five_at:roadmap_at], expected[:5])
    roadmap = _by_rank(body[roadmap_at + 1:], expected[:15])

    async with eng.db.transaction(eng.tenant_id, write=False):
        inputs = await load_inputs(eng.tenant_id, report["score_run_id"], {})
    html = render_html(build_document(inputs, "en", localiser(TEMPLATES_DIR, "en")))
    alt = unescape(re.search(r"<title>(Value and effort: .*?)</title>", html).group(1))
    chart = [re.sub(r"^\d+\. ", "", item).split(": Value")[0] for item in alt.split(": ", 1)[1].split("; ")]

    # Where the chart draws each rank agrees with the table: its quadrant, and a clearly higher
    # value is drawn higher; no dot covers another (ties once piled up or left their quadrant).
    from cxsuite.reports.charts.matrix import DOT_R, EFFORT_SPLIT, VALUE_SPLIT, _x, _y

    dots = _chart_dots(html)
    shown = ranked["priorities"][:15]
    assert sorted(dots) == list(range(1, len(shown) + 1))
    for rank, p in enumerate(shown, start=1):
        x, y = dots[rank]
        drawn = ("quick_win" if x < _x(EFFORT_SPLIT) else "big_bet") if y < _y(VALUE_SPLIT) else (
            "fill_in" if x < _x(EFFORT_SPLIT) else "money_pit")
        assert drawn == p["quadrant"], (rank, p)
    for a, pa in enumerate(shown, start=1):
        for b, pb in enumerate(shown, start=1):
            if pa["value"] >= pb["value"] + 1:
                assert dots[a][1] < dots[b][1], (pa, pb)
            if a < b:
                assert (dots[a][0] - dots[b][0]) ** 2 + (dots[a][1] - dots[b][1]) ** 2 >= (2 * DOT_R) ** 2

    # what `cxsuite priorities` prints (command_lines = tenant_priorities + lines on its own database)
    cli = [line.split(". ", 1)[1].split(" (")[0]
           for line in lines(await tenant_priorities(eng.db, eng.tenant_id, UUID(run["id"])), {})]

    assert summary == expected[:5]
    assert roadmap == chart == expected[:15]
    assert cli == expected
