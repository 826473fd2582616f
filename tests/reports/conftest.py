"""Fixtures for the report tests: real PDFs rendered once per language and shared by the tests."""

from __future__ import annotations

import re
import shutil
import subprocess
import warnings
from io import BytesIO
from pathlib import Path

import pytest

with warnings.catch_warnings():
    # WeasyPrint warns at import when the system lacks libharfbuzz-subset (the CI script installs
    # it); the fetcher tests import WeasyPrint in-process, so that notice must not fail collection.
    warnings.simplefilter("ignore", DeprecationWarning)
    import weasyprint  # noqa: F401

import pdfplumber
from pypdf import PdfReader

from cxsuite.reports.document import SUPPORTED_LANGUAGES, ReportDocument
from cxsuite.reports.render import html_to_pdf, render_html
from cxsuite.reports.sample import sample_document

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts" / "reports"


class Rendered:
    """One language's sample report: the document, its HTML, its PDF and the fetcher's refusals."""

    def __init__(self, language: str) -> None:
        self.document: ReportDocument = sample_document(language)
        self.html = render_html(self.document)
        result = html_to_pdf(self.html, source_date=self.document.generated_at)
        self.pdf, self.refused = result.pdf, result.refused


@pytest.fixture(scope="session", params=SUPPORTED_LANGUAGES)
def rendered(request: pytest.FixtureRequest) -> Rendered:
    """The sample report rendered for real, in each supported language."""
    return Rendered(request.param)


def pdf_text(pdf: bytes, tmp_path: Path) -> str:
    """Text of a PDF: pdftotext when poppler is installed (it keeps RTL words whole), else pypdf."""
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf)
    if tool := shutil.which("pdftotext"):
        run = subprocess.run([tool, "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True)  # noqa: S603
        return run.stdout.decode()
    return "\n".join(page.extract_text() or "" for page in PdfReader(path).pages)


def squash(text: str) -> str:
    """Whitespace and zero-width joiners removed: PDF extraction re-wraps lines and drops ZWNJ."""
    return re.sub(r"[\s\u200c\u200f\u200e]+", "", text)


def missing_phrases(pdf: bytes, phrases: list[str], rtl: bool, tmp_path: Path) -> list[str]:
    """The phrases the PDF's text does not contain (every extractor is consulted).

    Extraction reorders mixed-direction runs (Persian next to "KPI" or digits), so an RTL
    phrase is checked word by word.
    """
    pypdf_text = "".join(page.extract_text() or "" for page in PdfReader(BytesIO(pdf)).pages)
    with pdfplumber.open(BytesIO(pdf)) as document:
        plumber_text = "".join(page.extract_text() or "" for page in document.pages)
    found = "\n".join(squash(text) for text in (pdf_text(pdf, tmp_path), pypdf_text, plumber_text))
    if rtl:
        return [word for phrase in phrases for word in phrase.split() if squash(word) not in found]
    return [phrase for phrase in phrases if squash(phrase) not in found]
