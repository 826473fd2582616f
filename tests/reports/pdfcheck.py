"""Reading a rendered report as its reader would: words with their boxes, and what must not be
in the text. Shared by the sample-report tests and the demo test."""

from __future__ import annotations

import re
from io import BytesIO

import pdfplumber

from cxsuite.reports.catalogue import required_msgids
from cxsuite.reports.i18n import localiser
from cxsuite.reports.render import TEMPLATES_DIR

from .conftest import squash

# Engineering strings the body must never show a client, in any language.
ENGINEERING = re.compile(r"->|→|←|>=|<=|no band met|\bdefault\b|cx-maturity|strategy-report", re.IGNORECASE)
PLACEHOLDER = re.compile(r"%\([a-z_]+\)s")
LATIN_RUN = re.compile(r"[A-Za-z][A-Za-z0-9 .,&'’()\[\]/:+\-–%]*")


def pages(pdf: bytes) -> list[list[dict]]:
    """Every page's words with their boxes (right-to-left words come in visual order)."""
    with pdfplumber.open(BytesIO(pdf)) as doc:
        return [page.extract_words(keep_blank_chars=False, use_text_flow=False) for page in doc.pages]


def text(pdf: bytes) -> str:
    """The PDF's text, page after page."""
    with pdfplumber.open(BytesIO(pdf)) as doc:
        return "\n".join(page.extract_text() or "" for page in doc.pages)


def english_fragments(language: str) -> list[str]:
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


def untranslated(pdf: bytes, language: str) -> list[str]:
    """English catalogue text found in a report that should be in ``language``."""
    found = squash(text(pdf))
    return [f for f in english_fragments(language) if squash(f) in found]


def engineering(pdf: bytes) -> list[str]:
    """Code-like strings (arrows, comparison operators, "default", versions) in the PDF."""
    return ENGINEERING.findall(text(pdf))


def web_links(pdf: bytes) -> list[tuple[str, str]]:
    """Every web address the PDF links to, with the words its link areas cover (a link broken
    over two lines has an area per line; internal links to the endnotes are left out)."""
    found: dict[str, list[str]] = {}
    with pdfplumber.open(BytesIO(pdf)) as doc:
        for page in doc.pages:
            words = page.extract_words()
            for link in page.hyperlinks:
                uri = link.get("uri") or ""
                if not uri.startswith(("http://", "https://")):
                    continue
                found.setdefault(uri, []).extend(
                    w["text"] for w in words
                    if link["x0"] <= (w["x0"] + w["x1"]) / 2 <= link["x1"]
                    and link["top"] <= (w["top"] + w["bottom"]) / 2 <= link["bottom"])
    return [(uri, " ".join(words)) for uri, words in found.items()]
