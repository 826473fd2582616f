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


def _dots(svg: str) -> dict[str, tuple[float, float]]:
    """Each rank label of the value/effort chart and the centre of the dot it is printed on."""
    root = ET.fromstring(svg)  # noqa: S314
    circles = [(float(c.get("cx")), float(c.get("cy"))) for c in root.iter(f"{SVG}circle")]
    found = {}
    for node in root.iter(f"{SVG}text"):
        label, x, y = "".join(node.itertext()), float(node.get("x")), float(node.get("y"))
        if label.isdigit():
            found[label] = min(circles, key=lambda c: (c[0] - x) ** 2 + (c[1] - y) ** 2)
    return found


def _matrix(points: list[charts.MatrixPoint], style: charts.ChartStyle = STYLE) -> dict[str, tuple[float, float]]:
    return _dots(charts.matrix(points, ["q"] * 4, ("Effort", "Value"), ("low", "high"), style, "Value and effort"))


def test_tied_recommendations_stay_apart_and_inside_their_quadrant():
    """Twelve quick wins with the same value and effort: twelve separate dots, none covering
    another, none pushed out of the quick-win quadrant (the chart once stepped each tie towards
    more effort, so ties left their quadrant and contradicted the table)."""
    from cxsuite.reports.charts.matrix import DOT_R, EFFORT_SPLIT, VALUE_SPLIT, _x, _y

    ties = [charts.MatrixPoint(str(i), 4.0, 1, "quick_win") for i in range(1, 13)]
    dots = _matrix(ties)
    assert sorted(dots, key=int) == [p.label for p in ties]
    centres = list(dots.values())
    assert len(set(centres)) == 12
    assert all(((a[0] - b[0]) ** 2 + (a[1] - b[1]) ** 2) ** 0.5 >= 2 * DOT_R
               for i, a in enumerate(centres) for b in centres[i + 1:])
    assert all(x < _x(EFFORT_SPLIT) and y < _y(VALUE_SPLIT) for x, y in centres)
    assert dots["1"] == (round(_x(1), 1), round(_y(4.0), 1)), "the best rank sits on its true spot"


def test_a_point_on_a_split_line_is_drawn_in_the_quadrant_the_table_names():
    from cxsuite.reports.charts.matrix import EFFORT_SPLIT, VALUE_SPLIT, _x, _y

    dots = _matrix([charts.MatrixPoint("1", 3.0, 2, "quick_win"), charts.MatrixPoint("2", 2.9, 3, "money_pit")])
    assert dots["1"][0] < _x(EFFORT_SPLIT) and dots["1"][1] < _y(VALUE_SPLIT)
    assert dots["2"][0] > _x(EFFORT_SPLIT) and dots["2"][1] > _y(VALUE_SPLIT)


def test_heights_follow_values_and_rtl_mirrors_the_positions():
    points = [charts.MatrixPoint(str(i), value, 3) for i, value in enumerate((4.5, 3.5, 3.0, 2.5, 1.5), start=1)]
    ltr, rtl = _matrix(points), _matrix(points, RTL)
    heights = [ltr[p.label][1] for p in points]
    assert heights == sorted(heights) and len(set(heights)) == len(heights), "higher value, higher dot"
    from cxsuite.reports.charts.matrix import WIDTH

    assert all(abs(rtl[label][0] - (WIDTH - x)) < 0.11 and rtl[label][1] == y for label, (x, y) in ltr.items())
