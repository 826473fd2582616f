"""Maturity radar: each dimension's current level against its target on the 1–5 scale."""

from __future__ import annotations

import math
from collections.abc import Sequence

from cxsuite.reports.charts.svg import MUTED, RULE, ChartStyle, Frame, el, legend, svg, text, wrap

WIDTH, HEIGHT, CX, CY, RADIUS = 560.0, 410.0, 280.0, 196.0, 140.0


def _point(index: int, count: int, value: float) -> tuple[float, float]:
    """Axis ``index`` starts at twelve o'clock and runs clockwise; ``value`` is 0–5."""
    angle = -math.pi / 2 + 2 * math.pi * index / count
    distance = RADIUS * max(value, 0) / 5
    return CX + distance * math.cos(angle), CY + distance * math.sin(angle)


def _polygon(values: Sequence[float], **attrs: object) -> str:
    points = " ".join(
        f"{x:.1f},{y:.1f}" for x, y in (_point(i, len(values), v) for i, v in enumerate(values))
    )
    return el("polygon", points=points, **attrs)


def _grid(count: int, level_labels: Sequence[str]) -> str:
    rings = "".join(
        _polygon([ring] * count, fill="none", stroke=RULE, stroke_width=0.8) for ring in range(1, 6)
    )
    spokes = "".join(
        el("line", x1=CX, y1=CY, x2=x, y2=y, stroke=RULE, stroke_width=0.8)
        for x, y in (_point(i, count, 5) for i in range(count))
    )
    ticks = "".join(
        text(CX + 3, CY - RADIUS * n / 5 + 3, label, size=7.5, fill=MUTED)
        for n, label in enumerate(level_labels, start=1)
    )
    return rings + spokes + ticks


def _labels(labels: Sequence[str], values: Sequence[str]) -> str:
    parts = []
    for i, (label, value) in enumerate(zip(labels, values, strict=True)):
        x, y = _point(i, len(labels), 5.75)
        dx = x - CX
        anchor = "middle" if abs(dx) < 8 else "start" if dx > 0 else "end"
        lines = wrap(label, 20, 2)
        top = y - (len(lines) * 11 if y < CY - 8 else 0) + 3
        parts.append(text(x, top, label, lines=[*lines, value], size=10.5, text_anchor=anchor))
    return "".join(parts)


def radar(
    labels: Sequence[str],
    current: Sequence[float | None],
    target: Sequence[float],
    value_labels: Sequence[str],
    level_labels: Sequence[str],
    legend_labels: tuple[str, str],
    style: ChartStyle,
    title: str,
) -> str:
    """The radar as inline SVG; a dimension without a score sits at the centre, never at 1."""
    scores = [v or 0.0 for v in current]
    body = (
        _grid(len(labels), level_labels)
        + _polygon(target, fill="none", stroke=style.accent, stroke_width=2, stroke_dasharray="5 4")
        + _polygon(scores, fill=style.primary, fill_opacity=0.18, stroke=style.primary, stroke_width=2.2)
        + "".join(
            el("circle", cx=round(x, 1), cy=round(y, 1), r=3, fill=style.primary)
            for x, y in (_point(i, len(scores), v) for i, v in enumerate(scores))
        )
        + _labels(labels, value_labels)
        + legend(
            [("box", style.primary, legend_labels[0]), ("dash", style.accent, legend_labels[1])],
            WIDTH / 2 - 130,
            HEIGHT - 8,
            Frame(WIDTH, style.rtl),
            step=150,
        )
    )
    return svg(WIDTH, HEIGHT, body, title)
