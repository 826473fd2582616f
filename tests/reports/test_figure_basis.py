"""No figure without its n, period and source: read from the printed sample report, in every
language, the way a client reads it (pdftotext in logical order, pdfplumber for words and sizes).

- every page of the KPI scorecard names the period its figures cover (the table header, which
  WeasyPrint repeats on a continued page, carries it);
- every pain point prints the number of records behind it;
- the evidence workbook's file name stays whole on one line (it broke at a hyphen in Persian).
"""

from __future__ import annotations

import re
from io import BytesIO
from pathlib import Path

import pdfplumber

from cxsuite.reports.i18n import localiser
from cxsuite.reports.render import TEMPLATES_DIR

from .conftest import Rendered, pdf_text, squash

H1_SIZE = 18  # section headings are 21 pt, nothing else on a page is above 18 pt
# Embedding and isolate marks pdftotext leaves around right-to-left and mixed runs.
BIDI_MARKS = re.compile("[\u202a-\u202e\u2066-\u2069]")


def _page_texts(rendered: Rendered, tmp_path: Path) -> list[str]:
    """Each page's text in logical order, whitespace and direction marks removed."""
    return [squash(BIDI_MARKS.sub("", page)) for page in pdf_text(rendered.pdf, tmp_path).split("\f")]


def _has(words: list[dict], needle: str) -> bool:
    """pdfplumber gives right-to-left words in visual (reversed) order."""
    return any(needle in w["text"] or needle[::-1] in w["text"] for w in words)


def _section_pages(rendered: Rendered, title: str) -> list[int]:
    """Indexes of the pages of the section whose heading holds ``title``'s longest word, up to
    the page where the next section starts."""
    word = max(localiser(TEMPLATES_DIR, rendered.document.language).gettext(title).split(), key=len)
    with pdfplumber.open(BytesIO(rendered.pdf)) as doc:
        headings = [[w for w in page.extract_words(extra_attrs=["size"]) if w["size"] > H1_SIZE]
                    for page in doc.pages]
    start = next(i for i, h1 in enumerate(headings) if _has(h1, word))
    end = next((i for i in range(start + 1, len(headings)) if headings[i]), len(headings))
    return list(range(start, end))


def test_every_scorecard_page_names_the_period(rendered: Rendered, tmp_path: Path):
    l10n = localiser(TEMPLATES_DIR, rendered.document.language)
    period = rendered.document.period
    dates = [squash(l10n.date(day, "medium")) for day in (period.start, period.end)]
    texts = _page_texts(rendered, tmp_path)
    pages = _section_pages(rendered, "KPI scorecard")
    assert [i + 1 for i in pages if not all(d in texts[i] for d in dates)] == []


def test_every_pain_point_prints_its_records(rendered: Rendered, tmp_path: Path):
    points = rendered.document.journey.pain_points
    assert points, "the sample shows pain points"
    assert [p.n for p in points if not p.n] == [], "a pain point without its number of records"
    l10n = localiser(TEMPLATES_DIR, rendered.document.language)
    texts = _page_texts(rendered, tmp_path)
    shown = next(t for t in texts if squash(l10n.gettext("Pain points")) in t)
    assert [p.n for p in points if squash(l10n.number(p.n)) not in shown] == []


def test_the_workbook_name_stays_on_one_line(rendered: Rendered):
    name = rendered.document.evidence_file
    with pdfplumber.open(BytesIO(rendered.pdf)) as doc:
        lines = [line["text"] for page in doc.pages for line in page.extract_text_lines()]
    assert any(name in line for line in lines), [line for line in lines if "xlsx" in line or "cx-" in line]
