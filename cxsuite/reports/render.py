"""Document → HTML (for the preview) → PDF (in a bounded child process).

Safety rests on three rules. Templates are ours and tenant text is only ever *data* in the
context of an autoescaping, sandboxed Jinja environment. WeasyPrint may load nothing but bundled
assets and ``data:`` images (:mod:`cxsuite.reports.fetcher`). The PDF step runs in a child
process with a wall-clock timeout and address-space and CPU limits, so a render bomb costs one
failed job (:class:`RenderFailed`) instead of the worker.
"""

from __future__ import annotations

import base64
import hashlib
import json
import logging
import multiprocessing
import multiprocessing.context
import re
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path

from jinja2 import FileSystemLoader, StrictUndefined
from jinja2.sandbox import SandboxedEnvironment
from markupsafe import Markup

from cxsuite.errors import CxsuiteError
from cxsuite.reports.contrast import readable
from cxsuite.reports.document import ReportDocument
from cxsuite.reports.evidence import OWN_ESTIMATE, confidence_word, endnotes, metric_rows
from cxsuite.reports.figures import EVIDENCE_KINDS, HORIZONS, QUADRANTS, Figures
from cxsuite.reports.i18n import Localiser, load_translations, localiser
from cxsuite.reports.pdfworker import PRELOAD, forked
from cxsuite.reports.sections import Section, resolve_sections

TEMPLATES_DIR = Path(__file__).resolve().parents[2] / "report_templates"
FONT_STACKS = {
    "Noto Sans": "'CX Sans', 'CX Sans Arabic', 'CX Symbols', 'CX Shapes', sans-serif",
    "Noto Serif": "'CX Serif', 'CX Serif Arabic', 'CX Symbols', 'CX Shapes', serif",
}
EPOCH = datetime(2026, 1, 1, tzinfo=UTC)
TINT = "#f3f5f8"  # report.css --tint: table headers and call-outs, the lightest text background
log = logging.getLogger(__name__)


class RenderFailed(CxsuiteError):
    """The PDF could not be produced within its bounds (time, memory) or WeasyPrint failed."""

    title = "Report rendering failed"


@dataclass(frozen=True)
class RenderLimits:
    """Bounds of one PDF render; the timeout must stay below the job's own timeout."""

    timeout_s: float = 90.0
    memory_bytes: int = 2 * 1024**3
    cpu_s: int = 120


@dataclass(frozen=True)
class RenderedPdf:
    """A PDF, what the fetcher refused while making it (kept for the audit trail) and what the
    render cost its process (``peak_mb``, ``cpu_s``)."""

    pdf: bytes
    refused: tuple[str, ...]
    usage: dict[str, float] = field(default_factory=dict)


def css_string(value: str) -> Markup:
    """A CSS string literal no text can break out of: all but ASCII letters and digits hex-escaped.

    Six-digit escapes need no terminating space, so spaces are escaped too (a literal space after
    an escape would be swallowed by it).
    """
    body = "".join(c if c.isascii() and c.isalnum() else f"\\{ord(c):06x}" for c in value)
    return Markup(f'"{body}"')  # noqa: S704 - nothing but [A-Za-z0-9] and hex escapes


@lru_cache(maxsize=16)
def environment(templates_dir: Path, language: str) -> SandboxedEnvironment:
    """One sandboxed, autoescaping environment per language, with the catalogue installed."""
    env = SandboxedEnvironment(
        loader=FileSystemLoader(templates_dir),
        autoescape=True,
        undefined=StrictUndefined,
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.install_gettext_translations(load_translations(templates_dir, language), newstyle=True)
    l10n = localiser(templates_dir, language)
    env.filters.update(
        t=l10n.name,
        num=l10n.number,
        measure=l10n.measure,
        date=l10n.date,
        datetime=l10n.datetime,
        css_string=css_string,
        b64=lambda data: base64.b64encode(data).decode("ascii"),
    )
    return env


def brand_css(document: ReportDocument) -> Markup:
    """Brand colours and fonts as CSS variables; every value was validated or comes from a fixed map.

    The report prints text in the brand colours and white text on the primary colour, so both are
    adjusted (hue kept) to reach 4.5 : 1 on the lightest background they meet (the table tint);
    the accent printed on the primary colour (cover kicker, headline label) gets its own variant.
    """
    brand = document.branding
    primary = readable(brand.primary_colour, TINT)
    rules = {
        "--brand-primary": primary,
        "--brand-accent": readable(brand.accent_colour, TINT),
        "--accent-on-primary": readable(brand.accent_colour, primary),
        "--font-heading": FONT_STACKS[brand.heading_font],
        "--font-body": FONT_STACKS[brand.body_font],
    }
    return Markup(":root { " + " ".join(f"{k}: {v};" for k, v in rules.items()) + " }")  # noqa: S704


def page_counter(l10n: Localiser) -> Markup:
    """The footer's "Page x of y" as a CSS ``content`` value in the report's language and digits."""
    style = "persian" if l10n.language == "fa" else "decimal"
    counters = {"%(page)s": f"counter(page, {style})", "%(pages)s": f"counter(pages, {style})"}
    tokens = re.split(r"(%\(pages?\)s)", l10n.gettext("Page %(page)s of %(pages)s"))
    parts = [counters.get(token) or css_string(token) for token in tokens if token]
    return Markup(" ".join(parts))  # noqa: S704 - css_string pieces and counters


def _confidentiality(document: ReportDocument, l10n: Localiser) -> str:
    """The tenant's confidentiality line, or the catalogue's in the report's language."""
    if document.branding.confidentiality:
        return l10n.isolate(document.branding.confidentiality)
    line = l10n.gettext("Confidential: prepared for %(client)s")
    return line % {"client": l10n.isolate(document.client_name)}


def _context(document: ReportDocument, sections: list[Section], templates_dir: Path) -> dict[str, object]:
    l10n = localiser(templates_dir, document.language)
    numbered = [s for s in sections if s.in_toc]
    return {
        "doc": document,
        "brand": document.branding,
        "l10n": l10n,
        "figures": Figures(document, l10n),
        "sections": sections,
        "numbers": {s.key: l10n.number(i) for i, s in enumerate(numbered, start=1)},
        "rtl": document.rtl,
        "dir": "rtl" if document.rtl else "ltr",
        "start": "right" if document.rtl else "left",
        "end": "left" if document.rtl else "right",
        "brand_css": brand_css(document),
        "page_counter": page_counter(l10n),
        # Page margin boxes do not see :root variables, so they get the validated stack directly.
        "body_font": Markup(FONT_STACKS[document.branding.body_font]),  # noqa: S704 - fixed map value
        "stylesheet": Markup((templates_dir / "css" / "report.css").read_text()),  # noqa: S704 - bundled asset
        "quadrants": QUADRANTS,
        "horizons": HORIZONS,
        "evidence_kinds": EVIDENCE_KINDS,
        "language_name": l10n.locale.get_display_name().capitalize(),
        "evidence_rows": metric_rows(document),
        "endnotes": endnotes(document),
        "own_estimate": OWN_ESTIMATE,
        "confidence_word": confidence_word,
        "confidentiality": _confidentiality(document, l10n),
        "created": document.generated_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
    }


def render_html(
    document: ReportDocument, *, extra_sections: Iterable[Section] = (), templates_dir: Path = TEMPLATES_DIR
) -> str:
    """The whole report as one HTML page: the preview shows it, the PDF step prints it."""
    env = environment(templates_dir, document.language)
    sections = resolve_sections(document, extra_sections)
    context = _context(document, sections, templates_dir)
    bodies = []
    for section in sections:
        template = env.from_string(section.template) if section.inline else env.get_template(section.template)
        bodies.append(Markup(template.render(context, section=section)))  # noqa: S704 - autoescaped render
    return env.get_template("base.html.j2").render(context, bodies=bodies)


def render_pdf(
    document: ReportDocument,
    *,
    extra_sections: Iterable[Section] = (),
    limits: RenderLimits = RenderLimits(),
    templates_dir: Path = TEMPLATES_DIR,
) -> bytes:
    """The report as PDF bytes; raises :class:`RenderFailed` when the render breaks a bound."""
    html = render_html(document, extra_sections=extra_sections, templates_dir=templates_dir)
    result = html_to_pdf(html, limits=limits, templates_dir=templates_dir, source_date=document.generated_at)
    if result.refused:
        log.warning("report render refused %d URL(s): %s", len(result.refused), result.refused[:5])
    return result.pdf


def _printer() -> multiprocessing.context.ForkServerContext:
    """The fork server every render forks from (started on first use, once per process).

    It preloads WeasyPrint (:data:`cxsuite.reports.pdfworker.PRELOAD`), so a render no longer
    pays WeasyPrint's import (0.75 s of CPU) while each render still runs in a process of its own.
    """
    context = multiprocessing.get_context("forkserver")
    # "__main__" too: a caller started as a script (the ``cxsuite`` command) is imported once in
    # the server rather than re-run in every render child (multiprocessing re-imports it there).
    context.set_forkserver_preload(["__main__", *PRELOAD])
    return context


def warm_up() -> None:
    """Start the fork server and let it finish its preload, so the first report is as fast as the
    rest (the worker calls this at start-up; the benchmark before it measures)."""
    html_to_pdf("<!doctype html><html lang=en><head><title>warm-up</title></head><body>.</body></html>")


def html_to_pdf(
    html: str,
    *,
    limits: RenderLimits = RenderLimits(),
    templates_dir: Path = TEMPLATES_DIR,
    source_date: datetime = EPOCH,
) -> RenderedPdf:
    """Print ``html`` with WeasyPrint in a child process bounded by ``limits``.

    ``source_date`` pins the timestamps font subsetting writes (``SOURCE_DATE_EPOCH``), so the
    same HTML gives the same bytes.
    """
    with tempfile.TemporaryDirectory(prefix="cxsuite-render-") as work:
        out = Path(work)
        (out / "report.html").write_text(html)
        identifier = hashlib.sha256(html.encode()).hexdigest()[:32]
        child = _printer().Process(
            target=forked,
            args=(str(templates_dir), work, limits.memory_bytes, limits.cpu_s, identifier,
                  int(source_date.timestamp())),
            name="cxsuite-render",
        )
        child.start()
        child.join(limits.timeout_s)
        if child.exitcode is None:
            child.kill()
            child.join()
            raise RenderFailed(f"the render took longer than {limits.timeout_s:g} s and was stopped")
        if child.exitcode != 0 or not (out / "report.pdf").exists():
            error = out / "error.txt"
            raise RenderFailed(_failure(child.exitcode, error.read_text() if error.exists() else ""))
        refused = json.loads((out / "refused.json").read_text())
        usage = json.loads((out / "usage.json").read_text())
        return RenderedPdf((out / "report.pdf").read_bytes(), tuple(refused), usage)


def _failure(code: int, error: str) -> str:
    """A short reason: memory and CPU exhaustion are named, anything else shows the error's last line."""
    if "MemoryError" in error or "Cannot allocate memory" in error or code in (-6, -11):
        return "the render ran out of its memory allowance"
    if code in (-9, -24):
        return "the render used up its CPU allowance"
    return f"the renderer exited with code {code}: {error[:300]}"
