"""Value × effort matrix: where each recommendation sits, with the four quadrants named.

Points carry the recommendation's rank so the reader finds it in the roadmap table. A
right-to-left report mirrors the chart: effort grows leftwards, the value axis stands on the
right and quick wins sit top right, where a Persian reader starts.

Recommendations often share a value and an effort. Drawn where their figures put them they would
cover one another, and pushed along the effort axis (as this chart once did) a tied point landed
in the next quadrant, contradicting the table. :func:`place` instead sets each point, best rank
first, at the nearest free spot to its true position inside its own quadrant, spreading ties
sideways before up or down (a move up or down reads as a different value); no randomness, so a
render is reproducible. A thin line joins a moved point to where its figures put it.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from cxsuite.reports.charts.svg import MUTED, RULE, ChartStyle, Frame, el, svg, text
from cxsuite.reports.contrast import mix

WIDTH, HEIGHT, LEFT, TOP, PLOT_W, PLOT_H = 560.0, 392.0, 58.0, 30.0, 480.0, 310.0
VALUE_SPLIT, EFFORT_SPLIT = 3.0, 2.5
HIGH_VALUE, LOW_EFFORT = frozenset({"quick_win", "big_bet"}), frozenset({"quick_win", "fill_in"})


DOT_R = 9.5
SPACING = 2 * DOT_R + 1  # centres closer than this overlap
# Offsets from a point's true position, nearest first; a step up or down counts double, so ties
# spread along a row and a point's height keeps telling its value.
OFFSETS = sorted(((dx * SPACING, dy * SPACING) for dx in range(-12, 13) for dy in range(-8, 9)),
                 key=lambda o: (o[0] ** 2 + (2 * o[1]) ** 2, abs(o[1]), o[0], o[1]))


@dataclass(frozen=True)
class MatrixPoint:
    """A recommendation: its rank label, value (1–5), effort (1–5) and, when known, the quadrant
    the table names (else the one the chart's split lines give)."""

    label: str
    value: float
    effort: float
    quadrant: str | None = None


def _x(effort: float) -> float:
    return LEFT + (effort - 0.5) / 5 * PLOT_W


def _y(value: float) -> float:
    return TOP + PLOT_H - (value - 0.5) / 5 * PLOT_H


def _box(point: MatrixPoint) -> tuple[float, float, float, float]:
    """The drawing area of the point's quadrant (left, top, right, bottom), inset by a dot."""
    if point.quadrant is None:
        high_value, low_effort = point.value >= VALUE_SPLIT, point.effort <= EFFORT_SPLIT
    else:
        high_value, low_effort = point.quadrant in HIGH_VALUE, point.quadrant in LOW_EFFORT
    split_x, split_y, inset = _x(EFFORT_SPLIT), _y(VALUE_SPLIT), DOT_R + 1
    left, right = (LEFT, split_x) if low_effort else (split_x, LEFT + PLOT_W)
    top, bottom = (TOP, split_y) if high_value else (split_y, TOP + PLOT_H)
    return left + inset, top + inset, right - inset, bottom - inset


def place(points: Sequence[MatrixPoint]) -> list[tuple[tuple[float, float], tuple[float, float]]]:
    """Each point's true position (clamped into its quadrant) and where its dot is drawn, in
    left-to-right coordinates: the nearest spot of :data:`OFFSETS` inside the quadrant that no
    dot placed before it (a better rank) covers; a full quadrant leaves it on its true spot."""
    drawn: list[tuple[float, float]] = []
    found = []
    for point in points:
        left, top, right, bottom = _box(point)
        true = (min(max(_x(point.effort), left), right), min(max(_y(point.value), top), bottom))
        spot = next(((true[0] + dx, true[1] + dy) for dx, dy in OFFSETS
                     if left <= true[0] + dx <= right and top <= true[1] + dy <= bottom
                     and all(math.dist((true[0] + dx, true[1] + dy), d) >= SPACING for d in drawn)), true)
        drawn.append(spot)
        found.append((true, spot))
    return found


def _quadrants(labels: Sequence[str], style: ChartStyle, frame: Frame) -> str:
    """Quick wins (high value, low effort) at the reading start, tinted with the accent."""
    split_x, split_y = _x(EFFORT_SPLIT), _y(VALUE_SPLIT)
    boxes = (
        (LEFT, TOP, split_x - LEFT, split_y - TOP, mix(style.accent, "#ffffff", 0.82)),
        (split_x, TOP, LEFT + PLOT_W - split_x, split_y - TOP, mix(style.primary, "#ffffff", 0.9)),
        (LEFT, split_y, split_x - LEFT, TOP + PLOT_H - split_y, "#f7f8fa"),
        (split_x, split_y, LEFT + PLOT_W - split_x, TOP + PLOT_H - split_y, "#f1f2f4"),
    )
    parts = [
        el("rect", x=round(frame.left(x, w), 1), y=round(y, 1), width=round(w, 1), height=round(h, 1),
           fill=fill)
        for x, y, w, h, fill in boxes
    ]
    # Capitals and tracking only where the script has them (Arabic script is cursive and caseless).
    parts += [
        text(frame.x(x + 8), y + 16, label if frame.rtl else label.upper(), size=8.5, fill=MUTED,
             letter_spacing=None if frame.rtl else 0.8, font_weight="bold", text_anchor=frame.anchor("start"))
        for (x, y, *_), label in zip(boxes, labels, strict=True)
    ]
    return "".join(parts)


def _axes(axis_labels: tuple[str, str], tick_labels: tuple[str, str], frame: Frame) -> str:
    """Effort under the plot, value over its start edge: both set horizontally (a rotated label
    drifts off the chart in WeasyPrint's right-to-left layout)."""
    bottom = TOP + PLOT_H
    return (
        el("rect", x=frame.left(LEFT, PLOT_W), y=TOP, width=PLOT_W, height=PLOT_H, fill="none", stroke=RULE)
        + text(frame.x(LEFT + PLOT_W / 2), bottom + 30, axis_labels[0], size=10, fill=MUTED,
               text_anchor="middle")
        + text(frame.x(LEFT), bottom + 14, tick_labels[0], size=8, fill=MUTED,
               text_anchor=frame.anchor("start"))
        + text(frame.x(LEFT + PLOT_W), bottom + 14, tick_labels[1], size=8, fill=MUTED,
               text_anchor=frame.anchor("end"))
        + text(frame.x(LEFT), TOP - 5, f"{axis_labels[1]} ({tick_labels[0]}–{tick_labels[1]})", size=10,
               fill=MUTED, text_anchor=frame.anchor("start"))
    )


def matrix(
    points: Sequence[MatrixPoint],
    quadrant_labels: Sequence[str],
    axis_labels: tuple[str, str],
    tick_labels: tuple[str, str],
    style: ChartStyle,
    title: str,
) -> str:
    """The matrix as inline SVG; ``quadrant_labels`` are quick win, big bet, fill-in, money pit;
    ``axis_labels`` are effort (x) and value (y); ``tick_labels`` are "low" and "high"."""
    frame = Frame(WIDTH, style.rtl)
    leaders, dots = [], []
    for point, ((true_x, true_y), (at, y)) in zip(points, place(points), strict=True):
        x = frame.x(at)
        if (true_x, true_y) != (at, y):
            leaders.append(el("line", x1=round(frame.x(true_x), 1), y1=round(true_y, 1), x2=round(x, 1),
                              y2=round(y, 1), stroke=MUTED, stroke_width=0.8))
        dots.append(el("circle", cx=round(x, 1), cy=round(y, 1), r=DOT_R, fill=style.primary,
                       stroke="#ffffff", stroke_width=1.5))
        dots.append(
            text(x, y + 3.5, point.label, size=9.5, fill="#ffffff", font_weight="bold", text_anchor="middle")
        )
    body = (_quadrants(quadrant_labels, style, frame) + _axes(axis_labels, tick_labels, frame)
            + "".join(leaders) + "".join(dots))
    return svg(WIDTH, HEIGHT, body, title)
