"""Chart text as positioned HTML over the SVG drawing, so every script is shaped correctly.

WeasyPrint lays out SVG ``<text>`` one character at a time: Latin and Cyrillic survive, but
Arabic-script labels come out unjoined and in reverse order. HTML text goes through Pango's full
shaping and bidi, so each chart keeps its shapes in SVG and its words in absolutely positioned
spans at the same coordinates, scaled to the printed width.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from cxsuite.reports.charts.svg import esc

SVG = "{http://www.w3.org/2000/svg}"
SHIFT = {"start": "0", "middle": "-50%", "end": "-100%"}
ALIGN = {"start": "left", "middle": "center", "end": "right"}
ASCENT = 0.93  # baseline to top of the line box, in ems, for the bundled Noto fonts


def _label(node: ET.Element, scale: float) -> str:
    """One ``<text>`` as a span whose baseline sits where the SVG put it."""
    size = float(node.get("font-size", "11"))
    spans = node.findall(f"{SVG}tspan")
    lines = [s.text or "" for s in spans] if spans else [node.text or ""]
    step = float(spans[1].get("dy", size)) if len(spans) > 1 else size * 1.25
    anchor = node.get("text-anchor", "start")
    x, y = float(node.get("x", "0")), float(node.get("y", "0"))
    top = y - size * ASCENT - (step - size) / 2
    turn = " rotate(-90deg)" if "rotate" in node.get("transform", "") else ""
    shift_y = " translateY(-50%)" if turn else ""
    style = {
        "left": f"{x * scale:.2f}mm",
        "top": f"{(y if turn else top) * scale:.2f}mm",
        "font-size": f"{size * scale:.2f}mm",
        "line-height": f"{step * scale:.2f}mm",
        "color": node.get("fill", "#1f2933"),
        "font-weight": "700" if node.get("font-weight") == "bold" else "400",
        "text-align": ALIGN[anchor],
        "transform": f"translateX({SHIFT[anchor]}){shift_y}{turn}",
    }
    if node.get("letter-spacing"):
        style["letter-spacing"] = f"{float(node.get('letter-spacing', '0')) * scale:.2f}mm"
    css = "; ".join(f"{k}: {v}" for k, v in style.items())
    return f'<span class="chart-label" style="{esc(css)}">{"<br>".join(esc(line) for line in lines)}</span>'


def html_chart(svg_markup: str, width_mm: float) -> str:
    """The chart at ``width_mm`` wide: shapes as SVG, every text node as an HTML label on top."""
    root = ET.fromstring(svg_markup)  # noqa: S314 - trusted, self-built markup without DTD or entities
    _, _, vb_width, vb_height = (float(v) for v in re.split(r"[ ,]+", root.get("viewBox", "0 0 1 1")))
    scale = width_mm / vb_width
    labels = []
    for parent in list(root.iter()):
        for child in [c for c in parent if c.tag == f"{SVG}text"]:
            labels.append(_label(child, scale))
            parent.remove(child)
    height_mm = vb_height * scale
    root.set("width", f"{width_mm:.2f}mm")
    root.set("height", f"{height_mm:.2f}mm")
    ET.register_namespace("", SVG[1:-1])
    drawing = ET.tostring(root, encoding="unicode")
    box = f"width: {width_mm:.2f}mm; height: {height_mm:.2f}mm"
    return f'<div class="chart-box" style="{box}">{drawing}{"".join(labels)}</div>'
