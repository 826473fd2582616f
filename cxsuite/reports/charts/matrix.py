"""Value × effort matrix: where each recommendation sits, with the four quadrants named.

Points carry the recommendation's rank so the reader finds it in the roadmap table. A
right-to-left report mirrors the chart: effort grows leftwards, the value axis stands on the
right and quick wins sit top right, where a Persian reader starts.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from cxsuite.reports.charts.svg import MUTED, RULE, ChartStyle, Frame, el, svg, text
from cxsuite.reports.contrast import mix

WIDTH, HEIGHT, LEFT, TOP, PLOT_W, PLOT_H = 560.0, 392.0, 58.0, 30.0, 480.0, 310.0
VALUE_SPLIT, EFFORT_SPLIT = 3.0, 2.5


@dataclass(frozen=True)
class MatrixPoint:
    """A recommendation: its rank label, value (1–5) and effort (1–5)."""

    label: str
    value: float
    effort: float


def _x(effort: float) -> float:
    return LEFT + (effort - 0.5) / 5 * PLOT_W


def _y(value: float) -> float:
    return TOP + PLOT_H - (value - 0.5) / 5 * PLOT_H


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
    placed: list[tuple[float, float]] = []
    dots = []
    for point in points:
        at, y = _x(point.effort), _y(point.value)
        # Points that would overlap step sideways (towards more effort) so each rank stays readable.
        while any(abs(at - px) < 19 and abs(y - py) < 19 for px, py in placed):
            at += 20
        placed.append((at, y))
        x = frame.x(at)
        dots.append(
            el(
                "circle",
                cx=round(x, 1),
                cy=round(y, 1),
                r=9.5,
                fill=style.primary,
                stroke="#ffffff",
                stroke_width=1.5,
            )
        )
        dots.append(
            text(x, y + 3.5, point.label, size=9.5, fill="#ffffff", font_weight="bold", text_anchor="middle")
        )
    body = _quadrants(quadrant_labels, style, frame) + _axes(axis_labels, tick_labels, frame) + "".join(dots)
    return svg(WIDTH, HEIGHT, body, title)
