"""Server-side SVG charts, embedded inline so WeasyPrint draws them as vectors.

One module per chart, each a pure function from already-translated labels and numbers to an SVG
string; no JavaScript, no browser, no fetched resources.
"""

from cxsuite.reports.charts.heatmap import HeatCell, heatmap
from cxsuite.reports.charts.journey import JourneyStage, journey_map
from cxsuite.reports.charts.matrix import MatrixPoint, matrix
from cxsuite.reports.charts.overlay import html_chart
from cxsuite.reports.charts.radar import radar
from cxsuite.reports.charts.svg import ChartStyle
from cxsuite.reports.charts.trend import trend

__all__ = [
    "ChartStyle",
    "HeatCell",
    "JourneyStage",
    "MatrixPoint",
    "heatmap",
    "html_chart",
    "journey_map",
    "matrix",
    "radar",
    "trend",
]
