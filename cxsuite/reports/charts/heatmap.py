"""Stage × dimension heat map: where in the journey each capability is strong or missing.

Cells without enough evidence are grey and say so; they are never coloured as level 1. A
contested cell (data and questionnaire disagree by two levels or more) carries an accent corner.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from cxsuite.reports.charts.svg import (
    GREY,
    INK,
    MUTED,
    RULE,
    ChartStyle,
    Frame,
    el,
    ink_on,
    legend,
    level_colour,
    svg,
    text,
    wrap,
)

LABEL_W, CELL_W, CELL_H, HEAD_H = 132.0, 68.0, 30.0, 50.0


@dataclass(frozen=True)
class HeatCell:
    """What one square shows: a level (None when not scored), its text and the contested flag."""

    level: int | None
    label: str
    contested: bool = False
    applicable: bool = True


def _cell(cell: HeatCell, left: float, top: float, style: ChartStyle) -> str:
    if not cell.applicable:
        fill, ink = "#ffffff", MUTED
    elif cell.level is None:
        fill, ink = GREY, INK
    else:
        fill = level_colour(cell.level, style.primary)
        ink = ink_on(fill)
    parts = [
        el(
            "rect",
            x=left + 1,
            y=top + 1,
            width=CELL_W - 2,
            height=CELL_H - 2,
            rx=2,
            fill=fill,
            stroke=RULE if not cell.applicable else None,
        )
    ]
    parts.append(
        text(
            left + CELL_W / 2,
            top + CELL_H / 2 + 4,
            cell.label,
            size=10,
            fill=ink,
            text_anchor="middle",
            font_weight="bold" if cell.level else None,
        )
    )
    if cell.contested:
        right = left + CELL_W - 1
        corner = f"{right - 12:.1f},{top + 1} {right:.1f},{top + 1} {right:.1f},{top + 13}"
        parts.append(el("polygon", points=corner, fill=style.accent))
    return "".join(parts)


def heatmap(
    stages: Sequence[str],
    dimensions: Sequence[str],
    grid: Sequence[Sequence[HeatCell]],
    legend_labels: Sequence[str],
    style: ChartStyle,
    title: str,
) -> str:
    """Rows are stages, columns dimensions; ``legend_labels`` are the five numbered level names, then
    "insufficient evidence", "not applicable" and "contested"."""
    width = LABEL_W + CELL_W * len(dimensions) + 4
    height = HEAD_H + CELL_H * len(stages) + 58
    frame = Frame(width, style.rtl)
    parts = []
    for j, name in enumerate(dimensions):
        left = frame.left(LABEL_W + j * CELL_W, CELL_W)
        parts.append(
            text(
                left + CELL_W / 2, 12, name, lines=wrap(name, 13, 3), size=8.5, fill=INK, text_anchor="middle"
            )
        )
    for i, (stage, row) in enumerate(zip(stages, grid, strict=True)):
        top = HEAD_H + i * CELL_H
        parts.append(
            text(
                frame.x(4),
                top + CELL_H / 2 + 4,
                wrap(stage, 24, 1)[0],
                size=9.5,
                text_anchor=frame.anchor("start"),
            )
        )
        parts.extend(
            _cell(cell, frame.left(LABEL_W + j * CELL_W, CELL_W), top, style) for j, cell in enumerate(row)
        )
    parts.append(_legend(legend_labels, HEAD_H + CELL_H * len(stages) + 22, frame, style))
    return svg(width, height, "".join(parts), title)


def _legend(labels: Sequence[str], y: float, frame: Frame, style: ChartStyle) -> str:
    levels = [("box", level_colour(n, style.primary), labels[n - 1]) for n in range(1, 6)]
    extra = [("box", GREY, labels[5]), ("box", "#ffffff", labels[6]), ("box", style.accent, labels[7])]
    return legend(levels, 4, y, frame, step=(frame.width - 8) / 5) + legend(
        extra, 4, y + 20, frame, step=(frame.width - 8) / 3
    )
