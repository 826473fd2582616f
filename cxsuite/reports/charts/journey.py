"""Journey map: stages in reading order, touchpoints per channel, the satisfaction curve, pain points.

The curve is drawn only through stages with feedback (n ≥ 30 is the caller's rule); a stage
without it leaves a gap rather than an invented point.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass

from cxsuite.reports.charts.svg import GREY, MUTED, RULE, ChartStyle, Frame, el, legend, svg, text, wrap
from cxsuite.reports.contrast import mix

WIDTH, LABEL_W, HEAD_H, ROW_H, CURVE_H = 600.0, 62.0, 40.0, 30.0, 120.0


@dataclass(frozen=True)
class JourneyStage:
    """One column: its name, touchpoint names per channel row, satisfaction (−2…+2) and pains."""

    name: str
    touchpoints: Sequence[Sequence[str]]
    satisfaction: float | None
    pain_points: int = 0


BOLD_EM = 0.62  # average advance of a bold Noto Sans letter, in ems (a little over, to be safe)


def _fitting(lines: Sequence[str], room: float, size: float) -> float:
    """``size``, or smaller so the longest line fits ``room``: a word that cannot wrap (the
    Lithuanian "Rekomendavimas") ran past its chevron and the page margin."""
    longest = max((len(line) for line in lines), default=0)
    return round(min(size, room / (longest * BOLD_EM)), 1) if longest else size


def _header(stages: Sequence[JourneyStage], col: float, frame: Frame, style: ChartStyle) -> str:
    """Chevrons pointing in reading direction, drawn from the start edge and mirrored by ``frame``."""
    parts = []
    for i, stage in enumerate(stages):
        start, tip = LABEL_W + i * col, 8 if i < len(stages) - 1 else 0
        notch = 8 if i else 0
        outline = (
            (start, 0),
            (start + col - 1, 0),
            (start + col - 1 + tip, HEAD_H / 2),
            (start + col - 1, HEAD_H),
            (start, HEAD_H),
            (start + notch, HEAD_H / 2),
        )
        points = " ".join(f"{frame.x(x):.1f},{y:.1f}" for x, y in outline)
        parts.append(el("polygon", points=points, fill=mix(style.primary, "#ffffff", 0.14 * (i % 2))))
        lines = wrap(stage.name, 14, 2)
        parts.append(
            text(
                frame.x(start + col / 2 + notch / 2),
                HEAD_H / 2 + (-2 if len(lines) > 1 else 4),
                "",
                lines=lines,
                size=_fitting(lines, col - notch - 6, 9),
                fill="#ffffff",
                font_weight="bold",
                text_anchor="middle",
            )
        )
    return "".join(parts)


def _touchpoints(stages: Sequence[JourneyStage], channels: Sequence[str], col: float, frame: Frame) -> str:
    parts = []
    for r, channel in enumerate(channels):
        top = HEAD_H + 6 + r * ROW_H
        parts.append(
            el("line", x1=0, y1=top + ROW_H, x2=WIDTH, y2=top + ROW_H, stroke=RULE, stroke_width=0.6)
        )
        parts.append(
            text(
                frame.x(2),
                top + ROW_H / 2 + 3,
                channel,
                size=9,
                fill=MUTED,
                text_anchor=frame.anchor("start"),
            )
        )
        for i, stage in enumerate(stages):
            names = stage.touchpoints[r]
            if names:
                left = frame.left(LABEL_W + i * col, col)
                parts.append(
                    el("rect", x=left + 3, y=top + 3, width=col - 6, height=ROW_H - 6, rx=3, fill=GREY)
                )
                label = wrap(" · ".join(names), 14, 2)
                parts.append(
                    text(
                        left + col / 2,
                        top + ROW_H / 2 + (-1.5 if len(label) > 1 else 3),
                        "",
                        lines=label,
                        size=8,
                        line_height=1.15,
                        text_anchor="middle",
                    )
                )
    return "".join(parts)


def _curve(
    stages: Sequence[JourneyStage],
    top: float,
    col: float,
    frame: Frame,
    style: ChartStyle,
    marks: Sequence[str],
) -> str:
    mid = top + CURVE_H / 2

    def y_of(value: float) -> float:
        return mid - value / 2 * (CURVE_H / 2 - 10)

    parts = [
        el(
            "line",
            x1=frame.x(LABEL_W),
            y1=mid,
            x2=frame.x(WIDTH),
            y2=mid,
            stroke=RULE,
            stroke_dasharray="3 3",
        )
    ]
    for value, mark in zip((2, 0, -2), marks, strict=True):
        parts.append(
            text(frame.x(2), y_of(value) + 3, mark, size=8, fill=MUTED, text_anchor=frame.anchor("start"))
        )
    points = [
        (frame.x(LABEL_W + (i + 0.5) * col), y_of(s.satisfaction)) if s.satisfaction is not None else None
        for i, s in enumerate(stages)
    ]
    for a, b in itertools.pairwise(points):
        if a and b:
            parts.append(
                el(
                    "line",
                    x1=round(a[0], 1),
                    y1=round(a[1], 1),
                    x2=round(b[0], 1),
                    y2=round(b[1], 1),
                    stroke=style.primary,
                    stroke_width=2.2,
                )
            )
    for point, stage in zip(points, stages, strict=True):
        if point:
            parts.append(
                el(
                    "circle",
                    cx=round(point[0], 1),
                    cy=round(point[1], 1),
                    r=4,
                    fill="#ffffff",
                    stroke=style.primary,
                    stroke_width=2,
                )
            )
            if stage.pain_points:
                parts.append(_pain_mark(point[0], point[1] + 16, stage.pain_points, style))
    return "".join(parts)


def _pain_mark(x: float, y: float, count: int, style: ChartStyle) -> str:
    return el("circle", cx=round(x, 1), cy=round(y, 1), r=6.5, fill=style.accent) + text(
        x, y + 3.5, "!" * min(count, 3), size=9, fill="#ffffff", font_weight="bold", text_anchor="middle"
    )


def journey_map(
    stages: Sequence[JourneyStage],
    channels: Sequence[str],
    curve_marks: Sequence[str],
    legend_labels: tuple[str, str],
    style: ChartStyle,
    title: str,
) -> str:
    """The map as inline SVG. ``curve_marks`` label +2, 0 and −2; ``legend_labels`` name the
    curve and the pain point marker."""
    frame = Frame(WIDTH, style.rtl)
    col = (WIDTH - LABEL_W) / max(len(stages), 1)
    curve_top = HEAD_H + 14 + ROW_H * len(channels)
    height = curve_top + CURVE_H + 26
    body = (
        _header(stages, col, frame, style)
        + _touchpoints(stages, channels, col, frame)
        + _curve(stages, curve_top, col, frame, style, curve_marks)
        + legend(
            [("line", style.primary, legend_labels[0]), ("box", style.accent, legend_labels[1])],
            LABEL_W,
            height - 6,
            frame,
            step=200,
        )
    )
    return svg(WIDTH, height, body, title)
