"""KPI trend between two score runs: each dimension's previous score beside the current one."""

from __future__ import annotations

from collections.abc import Sequence

from cxsuite.reports.charts.svg import MUTED, RULE, ChartStyle, Frame, el, legend, svg, text, wrap

WIDTH, LABEL_W, ROW_H, BAR_H, VALUE_W = 560.0, 170.0, 34.0, 11.0, 44.0


def _row(
    index: int,
    label: str,
    before: float | None,
    after: float | None,
    texts: tuple[str, str],
    frame: Frame,
    style: ChartStyle,
) -> str:
    top = 10 + index * ROW_H
    scale = (WIDTH - LABEL_W - VALUE_W) / 5
    parts = [text(frame.x(0), top + 15, wrap(label, 30, 1)[0], size=9.5, text_anchor=frame.anchor("start"))]
    for offset, value, fill, value_text in (
        (0, before, "#b8c2cc", texts[0]),
        (BAR_H + 2, after, style.primary, texts[1]),
    ):
        if value is None:
            continue
        width = max(value, 0) * scale
        parts.append(
            el(
                "rect",
                x=round(frame.left(LABEL_W, width), 1),
                y=top + offset + 2,
                width=round(width, 1),
                height=BAR_H,
                fill=fill,
                rx=1.5,
            )
        )
        parts.append(
            text(
                frame.x(LABEL_W + width + 4),
                top + offset + 11,
                value_text,
                size=8.5,
                fill=MUTED,
                text_anchor=frame.anchor("start"),
            )
        )
    return "".join(parts)


def trend(
    labels: Sequence[str],
    previous: Sequence[float | None],
    current: Sequence[float | None],
    value_texts: Sequence[tuple[str, str]],
    scale_labels: Sequence[str],
    legend_labels: tuple[str, str],
    style: ChartStyle,
    title: str,
) -> str:
    """Paired bars on a 0–5 scale, previous run in grey, current run in the brand colour;
    ``scale_labels`` are the six tick labels 0…5 in the report's digits."""
    frame = Frame(WIDTH, style.rtl)
    height = 10 + ROW_H * len(labels) + 34
    scale = (WIDTH - LABEL_W - VALUE_W) / 5
    grid = "".join(
        el(
            "line",
            x1=round(frame.x(LABEL_W + n * scale), 1),
            y1=6,
            x2=round(frame.x(LABEL_W + n * scale), 1),
            y2=height - 34,
            stroke=RULE,
            stroke_width=0.6,
        )
        + text(
            frame.x(LABEL_W + n * scale),
            height - 22,
            scale_labels[n],
            size=7.5,
            fill=MUTED,
            text_anchor="middle",
        )
        for n in range(6)
    )
    rows = "".join(
        _row(i, label, before, after, texts, frame, style)
        for i, (label, before, after, texts) in enumerate(
            zip(labels, previous, current, value_texts, strict=True)
        )
    )
    keys = legend(
        [("box", "#b8c2cc", legend_labels[0]), ("box", style.primary, legend_labels[1])],
        LABEL_W,
        height - 4,
        frame,
        step=180,
    )
    return svg(WIDTH, height, grid + rows + keys, title)
