"""The small SVG vocabulary every chart shares: escaping, elements, wrapping, colours, mirroring.

Charts are strings built from these helpers so that every text node and attribute goes through
one escaping function: chart labels include tenant text (renamed stages, touchpoints).
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from cxsuite.reports.contrast import ink_for, with_luminance

# WeasyPrint's SVG text splits this on commas and strips quotes but not spaces: keep it bare.
FONT_STACK = "CX Sans,CX Sans Arabic,CX Symbols,CX Shapes,sans-serif"
INK, MUTED, RULE, GREY = "#1f2933", "#616e7c", "#d5dae1", "#e4e7eb"


def esc(value: object) -> str:
    """Text or attribute content with ``& < > " '`` escaped (the only way text enters a chart)."""
    return escape(str(value), quote=True)


def _attrs(attrs: dict[str, object]) -> str:
    return "".join(
        f' {k.rstrip("_").replace("_", "-")}="{esc(v)}"' for k, v in attrs.items() if v is not None
    )


def el(tag: str, content: str = "", **attrs: object) -> str:
    """An element; ``content`` must already be markup built by these helpers."""
    return f"<{tag}{_attrs(attrs)}>{content}</{tag}>" if content else f"<{tag}{_attrs(attrs)}/>"


def text(
    x: float,
    y: float,
    value: str,
    *,
    lines: list[str] | None = None,
    size: float = 11,
    line_height: float = 1.25,
    **attrs: object,
) -> str:
    """A text node, on several lines (``tspan``) when ``lines`` is given; ``value`` is escaped."""
    parts = lines or [value]
    if len(parts) == 1:
        return el("text", esc(parts[0]), x=round(x, 1), y=round(y, 1), font_size=size, **attrs)
    spans = "".join(
        el("tspan", esc(line), x=round(x, 1), dy=0 if i == 0 else round(size * line_height, 1))
        for i, line in enumerate(parts)
    )
    return el("text", spans, x=round(x, 1), y=round(y, 1), font_size=size, **attrs)


def wrap(value: str, width: int, max_lines: int = 3) -> list[str]:
    """Greedy word wrap at ``width`` characters; the last line is cut with an ellipsis."""
    lines: list[str] = []
    for word in value.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    if len(lines) > max_lines:
        lines = [*lines[: max_lines - 1], lines[max_lines - 1][: width - 1] + "…"]
    return lines or [""]


def svg(width: float, height: float, body: str, label: str) -> str:
    """The root element: scalable (``viewBox``), in the report font, and labelled: WeasyPrint's
    tagged PDF takes a chart's alternative text from its ``<title>`` (``aria-label`` is ignored)."""
    return el(
        "svg",
        el("title", esc(label)) + body,
        xmlns="http://www.w3.org/2000/svg",
        viewBox=f"0 0 {width} {height}",
        width=width,
        height=height,
        role="img",
        aria_label=label,
        font_family=FONT_STACK,
        fill=INK,
        class_="chart",
    )


# Luminance of levels 1–5: steps at least 0.15 apart (told apart in greyscale and by colour-blind
# readers, lighter than the grey of "insufficient evidence" at ~0.80 by as much), and none in the
# 0.18–0.27 band where neither dark nor white labels reach 4.5 : 1.
LEVEL_LUMINANCE = (0.62, 0.45, 0.30, 0.15, 0.05)


def level_colour(level: int, primary: str) -> str:
    """The brand hue at the luminance of ``level``: a pale tint (1) to a deep shade (5)."""
    return with_luminance(primary, LEVEL_LUMINANCE[level - 1])


def ink_on(fill: str) -> str:
    """Text colour readable on ``fill`` (the report's ink or white, whichever contrasts more)."""
    return ink_for(fill, INK)


@dataclass(frozen=True)
class ChartStyle:
    """Brand colours and direction; colours arrive validated from :class:`Branding`."""

    primary: str
    accent: str
    rtl: bool = False


@dataclass(frozen=True)
class Frame:
    """Horizontal mirroring for right-to-left reports: positions and anchors flip, shapes stay."""

    width: float
    rtl: bool

    def x(self, value: float) -> float:
        """``value`` measured from the reading start edge."""
        return self.width - value if self.rtl else value

    def left(self, value: float, span: float) -> float:
        """The left edge of a box that starts ``value`` from the start edge and is ``span`` wide."""
        return self.width - value - span if self.rtl else value

    def anchor(self, side: str) -> str:
        """``start``/``end`` in physical terms, swapped in RTL (SVG anchors are left-to-right)."""
        if not self.rtl or side == "middle":
            return side
        return "end" if side == "start" else "start"


def legend(items: list[tuple[str, str, str]], x: float, y: float, frame: Frame, step: float = 150) -> str:
    """A row of legend entries ``(shape, colour, label)``; shape is ``box``, ``line`` or ``dash``."""
    parts = []
    for i, (shape, colour, label) in enumerate(items):
        at = x + i * step
        left = frame.left(at, 14)
        if shape == "box":
            parts.append(el("rect", x=left, y=y - 9, width=14, height=10, fill=colour, stroke=RULE))
        else:
            parts.append(
                el(
                    "line",
                    x1=left,
                    y1=y - 4,
                    x2=left + 14,
                    y2=y - 4,
                    stroke=colour,
                    stroke_width=2.5,
                    stroke_dasharray="4 3" if shape == "dash" else None,
                )
            )
        parts.append(
            text(frame.x(at + 19), y, label, size=9.5, fill=MUTED, text_anchor=frame.anchor("start"))
        )
    return "".join(parts)
