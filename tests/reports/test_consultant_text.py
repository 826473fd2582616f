"""The consultant's text and the journey evidence in every language: placed where a reader looks
(summary first, commentary in its stage's row, notes under their recommendation), escaped, with
paragraphs kept, and no English left from the strings issue 16 added."""

from __future__ import annotations

from dataclasses import replace

import pytest

from cxsuite.reports import document as doc
from cxsuite.reports.document import SUPPORTED_LANGUAGES, Term
from cxsuite.reports.render import render_html
from cxsuite.reports.sample import sample_document

NEW_STRINGS = ("Evidence by stage", "Touchpoints", "Maturity", "Comment with a low rating", "estimate",
               "Customer support", "Pain points are ranked by the number of records behind them.")


def _document(language: str) -> doc.ReportDocument:
    base = sample_document(language)
    stage = base.stages[4].key
    first = replace(base.opportunities[0], value_estimated=True, confidence=0.75,
                    note=("Use the licence the client already has.",))
    journey = replace(base.journey, pain_points=(
        doc.PainPoint(stage, "Order arrived damaged", Term("Reason for contacting support"), 3, n=40,
                      quote="Order arrived damaged"),
        doc.PainPoint(stage, "Nobody called me back […]", Term("Comment with a low rating"), 2, n=12,
                      quote="Nobody called me back […]")),
        stages=tuple(doc.StageEvidence(s.key, records=10 * i, touchpoints=((Term("Customer support"), 7),),
                                       csat=80.0 if i else None, csat_n=40, level=2, level_name=Term("Emerging"),
                                       commentary=("Slow <first> reply.", "Second paragraph.") if s.key == stage
                                       else ()) for i, s in enumerate(base.stages)),
        unattributed=5)
    return replace(base, executive_summary=("Summary <b>one</b>.", "Summary two."), journey=journey,
                   opportunities=(first, *base.opportunities[1:]))


def _section(html: str, key: str) -> str:
    return html.split(f'id="sec-{key}"', 1)[1].split('<section class="report-section', 1)[0]


def test_text_is_placed_escaped_and_in_paragraphs():
    html = render_html(_document("en"))
    summary = _section(html, "executive_summary")
    assert summary.index("<p>Summary &lt;b&gt;one&lt;/b&gt;.</p><p>Summary two.</p>") < summary.index("headline")
    journey = _section(html, "journey_map")
    row = journey.split('class="commentary"', 1)[1].split("</tr>", 1)[0]
    assert "<p>Slow &lt;first&gt; reply.</p><p>Second paragraph.</p>" in row
    roadmap = _section(html, "opportunities")
    assert roadmap.index("Use the licence the client already has.") > roadmap.index(
        _document("en").opportunities[0].title.msgid)
    assert "(estimate)" in roadmap and "75%" in roadmap
    assert journey.index("Order arrived damaged") < journey.index("Nobody called me back")


@pytest.mark.parametrize("language", [lang for lang in SUPPORTED_LANGUAGES if lang != "en"])
def test_new_strings_are_translated(language):
    html = render_html(_document(language))
    left = [s for s in NEW_STRINGS if s in html]
    assert not left, f"{language} shows English: {left}"
