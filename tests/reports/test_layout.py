"""The page as a client sees it, in every language: a short evidence appendix, nothing outside the
margins, cover labels apart from their values, table headers on every page a table continues
onto, and numbers aligned in their columns.

Each test reads the real PDF of the sample report (rendered once per language by the
``rendered`` fixture) with pdfplumber, which gives every word with its box and font size.
"""

from __future__ import annotations

import re
from io import BytesIO

import pdfplumber

from cxsuite.reports.i18n import FSI, LRI, PDI, localiser
from cxsuite.reports.render import TEMPLATES_DIR

from .conftest import Rendered, squash

MM = 72 / 25.4
SIDE, TOP, BOTTOM = 20 * MM, 26 * MM, 24 * MM  # base.html.j2 @page margins
COVER_SIDE = 22 * MM  # report.css .cover paddings
H1_SIZE = 18  # h1 is 21 pt; nothing else is set above 15 pt outside the cover


def _layout(rendered: Rendered) -> list[tuple[float, float, list[dict]]]:
    """Each page's width, height and words (with font size); cached on the fixture object."""
    if not hasattr(rendered, "_layout"):
        with pdfplumber.open(BytesIO(rendered.pdf)) as doc:
            rendered._layout = [(p.width, p.height, p.extract_words(extra_attrs=["size"])) for p in doc.pages]
    return rendered._layout


def _matches(word: dict, needle: str) -> bool:
    """``needle`` is the word, read either way (pdfplumber gives right-to-left words reversed)."""
    text = squash(word["text"])
    return squash(needle) in (text, text[::-1])


def _section_page(rendered: Rendered, title: str) -> int:
    """Index of the page whose section heading (an h1) starts with ``title``'s words."""
    first = localiser(TEMPLATES_DIR, rendered.document.language).gettext(title).split()[0]
    return next(i for i, (_, _, words) in enumerate(_layout(rendered))
                if any(w["size"] > H1_SIZE and _matches(w, first) for w in words))


def test_the_evidence_appendix_is_at_most_a_fifth_of_the_report(rendered: Rendered):
    pages = _layout(rendered)
    appendix = len(pages) - _section_page(rendered, "Appendix")
    assert appendix / len(pages) <= 0.2, f"{appendix} of {len(pages)} pages"


def test_nothing_is_printed_outside_the_margins(rendered: Rendered):
    """No word beyond the side margins or the page's outer 8 mm, none in the running header's band.

    Persian chart labels (5.7–7.6 pt, absolutely positioned) are left out: pdfplumber and pdfium both
    place their glyphs up to 15 mm right of where the page image shows them, inside the margin."""
    outside = []
    for number, (width, height, words) in enumerate(_layout(rendered), start=1):
        side = COVER_SIDE if number == 1 else SIDE
        for w in words:
            if rendered.document.rtl and w["size"] < 7.7:
                continue
            if w["x0"] < side - 1 or w["x1"] > width - side + 1 or w["top"] < 8 * MM or w["bottom"] > height - 8 * MM:
                outside.append((number, w["text"], round(w["x0"] / MM), round(w["x1"] / MM)))
            elif number > 1 and TOP + 2 > w["top"] > TOP - 6 * MM and w["size"] > 8:
                outside.append((number, w["text"], "in the header band"))
    assert outside == []


def test_cover_labels_stand_apart_from_their_values(rendered: Rendered):
    """Each cover label comes out as whole words: a label run into its value (the Persian cover's
    padding sat on the wrong side) extracts as one merged word."""
    l10n = localiser(TEMPLATES_DIR, rendered.document.language)
    _, _, words = _layout(rendered)[0]
    labels = ("Prepared by", "Date", "Period covered", "Language")
    merged = [word for label in labels for word in l10n.gettext(label).split()
              if not any(_matches(w, word) for w in words)]
    assert merged == []


def test_a_table_continued_on_a_new_page_repeats_its_header(rendered: Rendered):
    """Every page of the roadmap (a table that runs over several pages) shows the column header."""
    l10n = localiser(TEMPLATES_DIR, rendered.document.language)
    header = l10n.gettext("Recommendation")
    pages = _layout(rendered)
    roadmap = range(_section_page(rendered, "Opportunities and roadmap"), _section_page(rendered, "Appendix"))
    assert len(roadmap) > 1
    missing = [i + 1 for i in roadmap if not any(_matches(w, header) for w in pages[i][2])]
    assert missing == []
    # Every table but the cover's label/value list has a header group to repeat.
    assert rendered.html.count("<table") - rendered.html.count('<table class="meta"') == rendered.html.count("<thead>")


def test_numbers_line_up_in_their_column(rendered: Rendered):
    """The evidence summary's record counts share one edge with their header: the end edge
    (right in left-to-right languages, left in Persian)."""
    l10n = localiser(TEMPLATES_DIR, rendered.document.language)
    heading = l10n.gettext("Records")
    digits = re.compile(r"^[\d۰-۹][\d۰-۹,.\u00a0\u202f\u066c\s]*$")
    edge = "x0" if rendered.document.rtl else "x1"
    for _, _, words in _layout(rendered)[_section_page(rendered, "Appendix"):]:
        headers = [w for w in words if _matches(w, heading) and w["size"] < 9]
        if not headers:
            continue
        head = max(headers, key=lambda w: w["top"])  # the data sources table has one above it
        column = [w for w in words if w["top"] > head["bottom"] and digits.match(w["text"]) and w["size"] < 8.5
                  and w["x0"] < head["x1"] and w["x1"] > head["x0"]]
        # A number with a space as thousands separator comes out as two words: one edge per line.
        lines: dict[int, list[float]] = {}
        for w in column:
            lines.setdefault(round(w["top"]), []).append(w[edge])
        edges = [round(min(e) if rendered.document.rtl else max(e), 1) for e in lines.values()]
        assert len(edges) >= 3 and max(edges) - min(edges) <= 1.5, edges
        return
    raise AssertionError("no evidence summary found")


def test_fractions_and_latin_names_are_isolated_in_persian():
    fa, en = localiser(TEMPLATES_DIR, "fa"), localiser(TEMPLATES_DIR, "en")
    assert fa.measure(2, "/ 5") == f"{LRI}۲\u00a0/ ۵{PDI}"
    assert en.measure(2, "/ 5") == "2\u00a0/ 5"
    assert fa.isolate("cx-evidence-fa-1.xlsx") == f"{FSI}cx-evidence-fa-1.xlsx{PDI}"
