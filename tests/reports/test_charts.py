"""Charts are pure functions: escaped text, grey gaps, mirrored sequences, labels moved to HTML."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET  # the charts' own output, no DTDs or entities

from cxsuite.reports import charts
from cxsuite.reports.charts.svg import GREY

STYLE = charts.ChartStyle("#12355b", "#e0a526")
RTL = charts.ChartStyle("#12355b", "#e0a526", rtl=True)
NASTY = "<b>&\"'{{ 7*7 }}</b>"
SVG = "{http://www.w3.org/2000/svg}"


def _texts(svg: str) -> list[str]:
    root = ET.fromstring(svg)  # noqa: S314
    return ["".join(node.itertext()) for node in root.iter(f"{SVG}text")]


def _all_charts(label: str, style: charts.ChartStyle) -> list[str]:
    cells = [
        [
            charts.HeatCell(2, "2.1"),
            charts.HeatCell(None, "No data"),
            charts.HeatCell(None, "–", applicable=False),
        ]
    ]
    stage = charts.JourneyStage(label, [[label], []], 0.5, 1)
    return [
        charts.radar(
            [label] * 3,
            [2.0, None, 3.0],
            [3, 3, 3],
            ["2", "–", "3"],
            list("12345"),
            (label, "T"),
            style,
            label,
        ),
        charts.heatmap([label], [label] * 3, cells, [label] * 8, style, label),
        charts.journey_map([stage, stage], [label, "Phone"], ("+", "0", "-"), (label, "P"), style, label),
        charts.matrix([charts.MatrixPoint("1", 4, 1)], [label] * 4, (label, label), ("l", "h"), style, label),
        charts.trend([label], [1.5], [2.0], [("1.5", "2.0")], list("012345"), (label, "now"), style, label),
    ]


def test_every_text_node_is_escaped_and_parses():
    for svg in _all_charts(NASTY, STYLE):
        assert "<b>" not in svg
        assert NASTY in _texts(svg)


def test_insufficient_evidence_is_grey_not_level_one():
    svg = _all_charts("x", STYLE)[1]
    assert f'fill="{GREY}"' in svg and "No data" in _texts(svg)


def test_stages_run_right_to_left_in_rtl():
    stages = [charts.JourneyStage(name, [[]], None) for name in ("first", "last")]

    def x_of(svg: str, name: str) -> float:
        node = next(
            n
            for n in ET.fromstring(svg).iter(  # noqa: S314
                f"{SVG}text"
            )
            if "".join(n.itertext()) == name
        )
        return float(node.get("x") or next(iter(node)).get("x"))

    ltr = charts.journey_map(stages, ["Web"], ("+", "0", "-"), ("s", "p"), STYLE, "t")
    rtl = charts.journey_map(stages, ["Web"], ("+", "0", "-"), ("s", "p"), RTL, "t")
    assert x_of(ltr, "first") < x_of(ltr, "last")
    assert x_of(rtl, "first") > x_of(rtl, "last")


def test_html_chart_moves_every_label_out_of_the_svg():
    for svg in _all_charts("یکپارچگی داده", RTL):
        html = charts.html_chart(svg, 150)
        assert "<text" not in html
        assert "یکپارچگی داده" in html
        assert re.search(r'<div class="chart-box" style="width: 150.00mm; height: [\d.]+mm">', html)
    assert "&lt;b&gt;" in charts.html_chart(_all_charts(NASTY, STYLE)[0], 150)
