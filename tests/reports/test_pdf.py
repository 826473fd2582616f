"""Real PDFs in every language: what the client must find in them, page images, fonts, determinism."""

from __future__ import annotations

import re
import shutil
import subprocess
from html import unescape
from io import BytesIO
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont
from pypdf import PdfReader

from cxsuite.reports.i18n import localiser
from cxsuite.reports.render import TEMPLATES_DIR, html_to_pdf
from tests.reports.conftest import ARTIFACTS, Rendered, missing_phrases, squash
from tests.reports.pdfcheck import web_links


def _expected(rendered: Rendered) -> list[str]:
    doc = rendered.document
    l10n = localiser(TEMPLATES_DIR, doc.language)
    names = [doc.client_name, l10n.name(doc.overall.level_name)]
    names += [l10n.name(stage.name) for stage in doc.stages]
    return names + [l10n.name(o.title) for o in doc.opportunities[:5]]


def test_pdf_shows_client_level_stages_and_top_recommendations(rendered: Rendered, tmp_path: Path):
    missing = missing_phrases(rendered.pdf, _expected(rendered), rendered.document.rtl, tmp_path)
    assert not missing, f"not in the PDF: {missing}"


def test_page_images_are_written_for_review(rendered: Rendered, tmp_path: Path):
    tool = shutil.which("pdftoppm")
    if not tool:
        pytest.skip("pdftoppm (poppler-utils) is not installed: no page images to look at")
    out = ARTIFACTS / rendered.document.language
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    (out / "report.pdf").write_bytes(rendered.pdf)
    subprocess.run([tool, "-r", "50", "-png", str(out / "report.pdf"), str(out / "page")], check=True)  # noqa: S603
    pages = sorted(out.glob("page-*.png"))
    assert len(pages) == len(PdfReader(BytesIO(rendered.pdf)).pages) >= 10


def test_only_bundled_fonts_are_embedded(rendered: Rendered):
    fonts = set()
    for page in PdfReader(BytesIO(rendered.pdf)).pages:
        for font in page["/Resources"].get("/Font", {}).values():
            fonts.add(str(font.get_object()["/BaseFont"]).split("+")[-1])
    assert fonts, "no fonts found"
    assert all(name.startswith("CX-") for name in fonts), f"system fallback fonts used: {sorted(fonts)}"


def test_every_character_is_covered_by_the_bundled_fonts(rendered: Rendered):
    covered: set[int] = set()
    for path in (TEMPLATES_DIR / "fonts").glob("*.ttf"):
        covered |= set(TTFont(path).getBestCmap())
    body = re.sub(r"<style>.*?</style>|data:[^\"]+", "", rendered.html, flags=re.S)
    text = unescape(re.sub(r"<[^>]+>", " ", body))
    missing = sorted({c for c in text if ord(c) not in covered and c not in "\n\t "})
    assert not missing, f"no glyph for {[hex(ord(c)) for c in missing]}"


def test_direction_follows_the_language(rendered: Rendered):
    expected = "rtl" if rendered.document.language == "fa" else "ltr"
    assert f'<html lang="{rendered.document.language}" dir="{expected}">' in rendered.html


def test_the_sample_needs_nothing_the_fetcher_refuses(rendered: Rendered):
    assert rendered.refused == ()


@pytest.mark.parametrize("rendered", ["en"], indirect=True)
def test_same_input_gives_the_same_pdf_with_the_documents_dates(rendered: Rendered):
    again = html_to_pdf(rendered.html, source_date=rendered.document.generated_at)
    assert again.pdf == rendered.pdf
    info = PdfReader(BytesIO(rendered.pdf)).metadata
    assert info.creation_date.replace(tzinfo=None) == rendered.document.generated_at.replace(tzinfo=None)


def test_the_evidence_workbook_is_linked_in_the_readers_words(rendered: Rendered):
    """One web link in the PDF: the workbook's address, on translated words, not a bare URL."""
    wording = localiser(TEMPLATES_DIR, rendered.document.language).gettext("Download the evidence workbook")
    [(url, words)] = web_links(rendered.pdf)
    assert url == rendered.document.evidence_link
    if rendered.document.rtl:  # extracted in visual order: letters reversed, the hamza after its letter
        words, wording = words[::-1].replace("\u0654", ""), wording.replace("\u0654", "")
    assert squash(wording) == squash(words) and "http" not in words
