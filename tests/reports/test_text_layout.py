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

from cxsuite.reports.catalogue import required_msgids
from cxsuite.reports.i18n import localiser
from cxsuite.reports.render import TEMPLATES_DIR

from .conftest import Rendered, squash

# Engineering strings the body must never show a client, in any language.
ENGINEERING = re.compile(r"->|→|←|>=|<=|no band met|\bdefault\b|cx-maturity|strategy-report", re.IGNORECASE)
PLACEHOLDER = re.compile(r"%\([a-z_]+\)s")
LATIN_RUN = re.compile(r"[A-Za-z][A-Za-z0-9 .,&'’()\[\]/:+\-–%]*")


def _pages(pdf: bytes) -> list[list[dict]]:
    with pdfplumber.open(BytesIO(pdf)) as doc:
        return [page.extract_words(keep_blank_chars=False, use_text_flow=False) for page in doc.pages]


def _text(pdf: bytes) -> str:
    with pdfplumber.open(BytesIO(pdf)) as doc:
        return "\n".join(page.extract_text() or "" for page in doc.pages)


def _english_fragments(language: str) -> list[str]:
    """Catalogue sentences (three words or more between placeholders) that the language translates
    differently: finding one of them in the PDF means a string escaped translation."""
    l10n = localiser(TEMPLATES_DIR, language)
    fragments = []
    for msgid in required_msgids():
        if l10n.gettext(msgid) == msgid:
            continue
        for piece in PLACEHOLDER.split(msgid.replace("%%", "%")):
            if len(piece.split()) >= 3:
                fragments.append(piece.strip(" .,:;"))
    return fragments


def test_no_english_catalogue_text_in_a_translated_report(rendered: Rendered):
    if rendered.document.language == "en":
        pytest.skip("the msgids are the English text")
    found = squash(_text(rendered.pdf))
    leaked = [f for f in _english_fragments(rendered.document.language) if squash(f) in found]
    assert not leaked, f"untranslated in {rendered.document.language}: {leaked[:5]}"


def test_no_engineering_strings_reach_the_client(rendered: Rendered):
    text = _text(rendered.pdf)
    assert ENGINEERING.findall(text) == []


def test_persian_uses_persian_digits_outside_latin_names(rendered: Rendered):
    if rendered.document.language != "fa":
        pytest.skip("Persian only")
    stray = [line for line in _text(rendered.pdf).splitlines() if re.search(r"[0-9]", LATIN_RUN.sub("", line))]
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
    collisions = {n: pairs for n, words in enumerate(_pages(rendered.pdf), start=1) if (pairs := _overlaps(words))}
    assert collisions == {}


def _find(words: list[dict], text: str) -> dict:
    """A word on the page; pdfplumber gives right-to-left words in visual (reversed) order."""
    return next(w for w in words if text.upper() in w["text"].upper() or text[::-1] in w["text"])


def _has(words: list[dict], text: str) -> bool:
    return any(text.upper() in w["text"].upper() or text[::-1] in w["text"] for w in words)


def _x_of(words: list[dict], text: str) -> float:
    return _find(words, text)["x0"]


def test_right_to_left_reading_order(rendered: Rendered):
    """Section numbers stand right of their headings and the value/effort chart is mirrored in
    Persian; the same checks in English prove they can tell the two apart."""
    l10n = localiser(TEMPLATES_DIR, rendered.document.language)
    pages = _pages(rendered.pdf)
    heading = l10n.gettext("Executive summary").split()[0]
    page = next(p for p in pages[2:] if _has(p, heading))
    number_x = _x_of(page, l10n.number(1))
    quick, pit = (l10n.gettext(q).split()[-1] for q in ("Quick win", "Money pit"))
    chart = next(p for p in pages if _has(p, quick) and _has(p, pit))
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
