"""Sections: default order, a tenant's reordering and switches, plugin sections."""

from __future__ import annotations

import dataclasses
import re

import pytest

from cxsuite.errors import ValidationFailed
from cxsuite.reports.render import render_html
from cxsuite.reports.sample import sample_document
from cxsuite.reports.sections import DEFAULT_SECTIONS, Section, registry, resolve_sections


def _order(html: str) -> list[str]:
    return re.findall(r'<section class="report-section[^"]*" id="sec-([a-z_]+)"', html)


def test_default_order_follows_reports_md():
    assert _order(render_html(sample_document("en"))) == [s.key for s in DEFAULT_SECTIONS]


def test_a_tenant_reorders_and_turns_sections_off():
    doc = dataclasses.replace(
        sample_document("en"),
        section_order=("cover", "opportunities", "executive_summary"),
        disabled_sections=frozenset({"journey_map", "contents"}),
    )
    html = render_html(doc)
    assert _order(html) == [
        "cover",
        "opportunities",
        "executive_summary",
        "maturity_profile",
        "kpi_table",
        "customer_view",
        "appendix",
    ]
    assert "sec-journey_map" not in html


def test_the_contents_page_lists_enabled_sections_with_page_counters():
    doc = dataclasses.replace(sample_document("en"), disabled_sections=frozenset({"kpi_table"}))
    html = render_html(doc)
    toc = html.split('<ol class="toc">')[1].split("</ol>")[0]
    assert re.findall(r'href="#sec-([a-z_]+)"', toc) == [
        "executive_summary",
        "maturity_profile",
        "journey_map",
        "customer_view",
        "opportunities",
        "appendix",
    ]
    assert "target-counter(attr(href), page" in html


def test_unknown_keys_and_empty_reports_are_refused():
    doc = sample_document("en")
    with pytest.raises(ValidationFailed):
        resolve_sections(dataclasses.replace(doc, section_order=("nope",)))
    with pytest.raises(ValidationFailed):
        resolve_sections(
            dataclasses.replace(doc, disabled_sections=frozenset(s.key for s in DEFAULT_SECTIONS))
        )


def test_a_plugin_section_is_placed_translated_and_autoescaped():
    extra = Section(
        key="nps_drivers",
        title="KPI scorecard",
        template='<section class="report-section" id="sec-{{ section.key }}"><h1>{{ _(section.title) }}</h1>'
        "<p>{{ doc.client_name }}</p></section>",
        inline=True,
        position="after:kpi_table",
    )
    doc = dataclasses.replace(sample_document("lt"), client_name="<b>ACME</b>")
    html = render_html(doc, extra_sections=[extra])
    order = _order(html)
    assert order.index("nps_drivers") == order.index("kpi_table") + 1
    assert "<h1>KPI suvestinė</h1><p>&lt;b&gt;ACME&lt;/b&gt;</p>" in html


@pytest.mark.parametrize(
    ("position", "expected"), [("start", 0), ("end", -1), ("before:cover", 0), ("after:appendix", -1)]
)
def test_plugin_positions(position: str, expected: int):
    sections = registry([Section("x", "X", "x.html.j2", position=position)])
    assert sections[expected].key == "x"


@pytest.mark.parametrize(
    "extra", [Section("cover", "Twice", "x.j2"), Section("y", "Y", "y.j2", position="after:nope")]
)
def test_bad_plugin_sections_are_refused(extra: Section):
    with pytest.raises(ValidationFailed):
        registry([extra])
