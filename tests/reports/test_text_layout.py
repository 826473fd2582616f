"""What a reader of each language sees: no English left over, one digit system, right-to-left
reading order, and no text drawn over other text.

Each test reads the real PDF of the sample report (rendered once per language by the
``rendered`` fixture) with pdfplumber, which gives every word with its box on the page.
"""

from __future__ import annotations

import re
from io import BytesIO

import pdfplumber
import pytest

from cxsuite.reports.i18n import localiser
from cxsuite.reports.render import TEMPLATES_DIR

from .conftest import Rendered
from .pdfcheck import LATIN_RUN, engineering, pages, text, untranslated


def test_no_english_catalogue_text_in_a_translated_report(rendered: Rendered):
    if rendered.document.language == "en":
        pytest.skip("the msgids are the English text")
    leaked = untranslated(rendered.pdf, rendered.document.language)
    assert not leaked, f"untranslated in {rendered.document.language}: {leaked[:5]}"


def test_no_engineering_strings_reach_the_client(rendered: Rendered):
    assert engineering(rendered.pdf) == []


def test_persian_uses_persian_digits_outside_latin_names(rendered: Rendered):
    if rendered.document.language != "fa":
        pytest.skip("Persian only")
    stray = [line for line in text(rendered.pdf).splitlines() if re.search(r"[0-9]", LATIN_RUN.sub("", line))]
    assert stray == []


@pytest.mark.parametrize(("language", "share", "kpi"), [
    ("en", "95.6%", "95.6%"), ("lt", "95,6\u00a0%", "95,6\u00a0%"), ("lv", "95,6%", "95,6%"),
    ("ru", "95,6\u00a0%", "95,6\u00a0%"), ("fa", "۹۵٫۶٪", "۹۵٫۶٪"),
])
def test_percentages_have_one_format(language: str, share: str, kpi: str):
    """Babel's percent pattern of the locale for every percentage, whichever path prints it."""
    l10n = localiser(TEMPLATES_DIR, language)
    assert l10n.percent(95.6, 1) == share
    assert l10n.measure(95.6, "%") == kpi


def _overlaps(words: list[dict]) -> list[tuple[str, str]]:
    """Pairs of words whose boxes share more than a third of the smaller box."""
    found = []
    for i, a in enumerate(words):
        for b in words[i + 1:]:
            w = min(a["x1"], b["x1"]) - max(a["x0"], b["x0"])
            h = min(a["bottom"], b["bottom"]) - max(a["top"], b["top"])
            if w <= 0 or h <= 0:
                continue
            smaller = min((a["x1"] - a["x0"]) * (a["bottom"] - a["top"]), (b["x1"] - b["x0"]) * (b["bottom"] - b["top"]))
            if w * h > smaller / 3:
                found.append((a["text"], b["text"]))
    return found


def test_no_text_is_drawn_over_other_text(rendered: Rendered):
    collisions = {n: pairs for n, words in enumerate(pages(rendered.pdf), start=1) if (pairs := _overlaps(words))}
    assert collisions == {}


def _find(words: list[dict], needle: str) -> dict:
    """A word on the page; pdfplumber gives right-to-left words in visual (reversed) order."""
    return next(w for w in words if needle.upper() in w["text"].upper() or needle[::-1] in w["text"])


def _has(words: list[dict], needle: str) -> bool:
    return any(needle.upper() in w["text"].upper() or needle[::-1] in w["text"] for w in words)


def _x_of(words: list[dict], needle: str) -> float:
    return _find(words, needle)["x0"]


def test_right_to_left_reading_order(rendered: Rendered):
    """Section numbers stand right of their headings and the value/effort chart is mirrored in
    Persian; the same checks in English prove they can tell the two apart."""
    l10n = localiser(TEMPLATES_DIR, rendered.document.language)
    every = pages(rendered.pdf)
    heading = l10n.gettext("Executive summary").split()[0]
    page = next(p for p in every[2:] if _has(p, heading))
    number_x = _x_of(page, l10n.number(1))
    quick, pit = (l10n.gettext(q).split()[-1] for q in ("Quick win", "Money pit"))
    chart = next(p for p in every if _has(p, quick) and _has(p, pit))
    quick_x, pit_x = _x_of(chart, quick), _x_of(chart, pit)
    if rendered.document.rtl:
        assert number_x > _x_of(page, heading)
        assert quick_x > pit_x
    else:
        assert number_x < _x_of(page, heading)
        assert quick_x < pit_x


def test_no_letter_spacing_on_arabic_script(rendered: Rendered):
    """WeasyPrint tracks Arabic glyph by glyph, breaking the joins: no tracking in Persian."""
    if not rendered.document.rtl:
        pytest.skip("right-to-left only")
    styles = re.findall(r'style="([^"]*)"', rendered.html)
    assert not [s for s in styles if "letter-spacing" in s]
    assert re.search(r'\[dir="rtl"\][^{]*\{[^}]*letter-spacing: 0 !important', rendered.html)


MM = 72 / 25.4
TOP_MARGIN, BOTTOM_MARGIN = 26 * MM, 24 * MM  # base.html.j2 @page margins


def test_no_page_is_left_almost_empty(rendered: Rendered):
    """A page that continues a section holds at least a fifth of a page of text, unless it opens
    with a sub-heading (the section's last part starts there): a section that spills a line or
    two of running text onto a page of its own is an orphan page (the last page excepted)."""
    with pdfplumber.open(BytesIO(rendered.pdf)) as doc:
        layout = [(page.height, page.extract_words(extra_attrs=["size"])) for page in doc.pages]
    orphans = []
    for number, (height, words) in enumerate(layout[1:-1], start=2):
        starts_section = any(w["size"] > 18 for w in words)  # an h1 (21 pt) opens every section
        body = [w for w in words if w["top"] >= TOP_MARGIN - 2 and w["bottom"] <= height - BOTTOM_MARGIN + 2]
        filled = (max(w["bottom"] for w in body) - TOP_MARGIN) / (height - TOP_MARGIN - BOTTOM_MARGIN) if body else 0
        opens_part = bool(body) and min(body, key=lambda w: w["top"])["size"] >= 12  # h2 is 12.5 pt
        if not starts_section and not opens_part and filled < 0.2:
            orphans.append((number, round(filled, 2)))
    assert orphans == []
