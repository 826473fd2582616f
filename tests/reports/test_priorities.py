"""One order of priorities: the value/effort chart, the five priorities, the roadmap and the
CLI list the same actions under the same ranks, ties included."""

from __future__ import annotations

import re
from dataclasses import replace
from html import unescape

from cxsuite.reports.builder import _opportunities
from cxsuite.reports.render import render_html
from cxsuite.reports.sample import sample_document
from cxsuite.scoring import shipped_model
from cxsuite.scoring.opportunities import Opportunity, ranked
from cxsuite.scoring.priorities import lines

RANKED_ROW = re.compile(r'class="rank">(\d+)</span></td>\s*<td><strong>([^<]+)</strong>')


def _found() -> list[Opportunity]:
    """Scorer output with ties: several actions at priority 3.0, one action at two gaps."""
    model = shipped_model()
    stages = [s.key for s in model.stages]
    found = []
    for i, rec in enumerate(model.recommendations[:9]):
        value = 3.0 if i < 6 else 4.0 - i * 0.2
        for stage in stages[: 1 + i % 2]:
            found.append(Opportunity(
                stage=stage, dimension=rec.dimension, level=2, target=3, recommendation_id=rec.id,
                title=rec.title, owner_role=rec.owner_role, needs_integrated_data=rec.needs_integrated_data,
                customer_value=value, business_value=3.0, value=value, effort=3, effort_raised=False,
                priority=round(value * 3 / 5, 2), quadrant="big_bet", horizon="3-6", expected_kpi=rec.expected_kpi))
    return found


def _section(html: str, key: str) -> str:
    return html.split(f'id="sec-{key}"', 1)[1].split('<section class="report-section', 1)[0]


def test_chart_tables_roadmap_and_cli_show_one_order():
    model = shipped_model()
    found = _found()
    expected = [o.title for o in ranked(found)]
    document = replace(sample_document("en"), opportunities=_opportunities(model, found))
    html = render_html(document)

    def order(rows: list[tuple[str, str]]) -> list[str]:
        return [unescape(title) for _, title in sorted(rows, key=lambda row: int(row[0]))]

    summary = order(RANKED_ROW.findall(_section(html, "executive_summary")))
    roadmap = order(RANKED_ROW.findall(_section(html, "opportunities")))
    chart_alt = unescape(re.search(r"<title>(Value and effort: .*?)</title>", html).group(1))
    chart = [re.sub(r"^\d+\. ", "", item).split(": Value")[0] for item in chart_alt.split(": ", 1)[1].split("; ")]
    dimensions = {d.key: d.name for d in model.dimensions}
    cli = [line.split(". ", 1)[1].split(" (")[0] for line in lines(ranked(found, 5), dimensions)]

    assert roadmap == chart == expected
    assert summary == expected[:5] == cli
    assert len(set(expected)) == len(expected) == 9, "each action once"
