"""A report every reader can use: a tagged PDF with its language and alternative text for each
chart, text at 4.5 : 1 contrast whatever the brand colours, and a heat map whose levels are
told apart without colour."""

from __future__ import annotations

import re
from dataclasses import replace
from io import BytesIO
from itertools import pairwise

import pikepdf
import pytest

from cxsuite.reports.charts.svg import GREY, INK, LEVEL_LUMINANCE, ink_on, level_colour
from cxsuite.reports.contrast import MINIMUM, WHITE, contrast, luminance
from cxsuite.reports.render import TEMPLATES_DIR, TINT, brand_css
from cxsuite.reports.sample import sample_document

from .conftest import Rendered

# The sample's brand, the demo's, and a pale pair no text could be printed in as chosen.
BRANDS = [("#12355b", "#e0a526"), ("#1f3a5f", "#e07a1f"), ("#7fb3ff", "#ffd400"), ("#000000", "#ffffff")]
CSS = (TEMPLATES_DIR / "css" / "report.css").read_text()


def _figures(node: pikepdf.Object, found: list) -> list:
    if isinstance(node, pikepdf.Dictionary):
        if node.get("/S") == "/Figure":
            found.append(str(node.get("/Alt", "")))
        kids = node.get("/K")
        for kid in kids if isinstance(kids, pikepdf.Array) else [kids] if kids is not None else []:
            _figures(kid, found)
    return found


def test_the_pdf_is_tagged_with_its_language_and_every_chart_has_alt_text(rendered: Rendered):
    with pikepdf.open(BytesIO(rendered.pdf)) as pdf:
        assert str(pdf.Root.Lang) == rendered.document.language
        assert pdf.Root.MarkInfo.Marked
        alts = _figures(pdf.Root.StructTreeRoot, [])
    # the logo on the cover, then radar, heat map, trend, journey map and value/effort matrix
    assert len(alts) >= 6
    assert all(alt.strip() for alt in alts), alts
    assert any(":" in alt and len(alt) > 80 for alt in alts), "charts describe what they show"


def _variables(primary: str, accent: str) -> dict[str, str]:
    document = sample_document("en")
    branded = replace(document, branding=replace(document.branding, primary_colour=primary, accent_colour=accent))
    return dict(re.findall(r"(--[a-z-]+): (#[0-9a-f]{6});", str(brand_css(branded))))


@pytest.mark.parametrize(("primary", "accent"), BRANDS)
def test_brand_colours_used_for_text_reach_the_minimum_contrast(primary: str, accent: str):
    colours = _variables(primary, accent)
    pairs = [
        (colours["--brand-primary"], TINT),  # headings, table headers on the tint
        (WHITE, colours["--brand-primary"]),  # cover, headline box, rank and level badges
        (colours["--brand-accent"], TINT),  # section numbers, flags, pain marks
        (colours["--accent-on-primary"], colours["--brand-primary"]),  # cover kicker, headline label
    ]
    assert [round(contrast(a, b), 2) for a, b in pairs if contrast(a, b) < MINIMUM] == []


def test_fixed_colours_of_the_stylesheet_reach_the_minimum_contrast():
    variables = dict(re.findall(r"(--[a-z]+): (#[0-9a-f]{6});", CSS))
    badges = re.findall(r"\.level\.l\d \{ background: (#[0-9a-f]{6});(?: color: var\(--(ink)\);)?", CSS)
    assert len(badges) == 4
    for background, ink in badges:
        assert contrast(background, variables["--ink"] if ink else WHITE) >= MINIMUM, background
    assert contrast(variables["--muted"], variables["--tint"]) >= MINIMUM


def _lightness(colour: str) -> float:
    """CIE L* (0–100), perceived lightness, from relative luminance."""
    y = luminance(colour)
    return 116 * y ** (1 / 3) - 16 if y > 0.008856 else 903.3 * y


@pytest.mark.parametrize(("primary", "accent"), BRANDS[:3])
def test_heat_map_levels_differ_in_lightness_and_carry_readable_labels(primary: str, accent: str):
    fills = [level_colour(n, primary) for n in range(1, 6)]
    lightness = [_lightness(GREY)] + [_lightness(f) for f in fills]
    # Lightness alone (what greyscale print and every kind of colour blindness keep) separates them:
    # at least 8 units of CIE L* between neighbours, "insufficient evidence" grey included.
    assert all(a - b >= 8 for a, b in pairwise(lightness)), lightness
    assert [round(luminance(f), 2) for f in fills] == [round(v, 2) for v in LEVEL_LUMINANCE]
    assert all(contrast(ink_on(f), f) >= MINIMUM for f in fills)
    assert contrast(INK, GREY) >= MINIMUM
