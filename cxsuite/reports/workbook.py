"""The evidence workbook: the full evidence behind a report, as an XLSX file beside the PDF.

The PDF prints each figure once (:mod:`cxsuite.reports.evidence`); an analyst checking it needs
every cell it informs and the records it was computed from. The workbook's first sheet repeats
the report's evidence summary row for row (same figures, same order); then one sheet per metric
lists the cells with their value, data, level, band and source, and every record reference
behind the metric. Headers and names are in the report's language.
"""

from __future__ import annotations

from collections.abc import Iterable
from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet

from cxsuite.reports.builder import metric_name
from cxsuite.reports.document import ReportDocument
from cxsuite.reports.evidence import confidence_word, metric_rows
from cxsuite.reports.figures import N_
from cxsuite.reports.i18n import Localiser
from cxsuite.scoring.results import Cell, EvidenceItem, ScoreResult

SUMMARY_HEADERS = (N_("Measure"), N_("Value"), N_("Unit"), N_("Records"), N_("Days of data"), N_("Source"),
                   N_("Confidence"), N_("Caveat"))
CELL_HEADERS = (N_("Stage"), N_("Dimension"), N_("Value"), N_("Unit"), N_("Records"), N_("Days of data"),
                N_("Level"), N_("Threshold band"), N_("Source"))
RECORD_HEADERS = (N_("Records behind this measure"),)
MAX_SHEET_NAME = 31
# Characters Excel refuses in sheet names.
_FORBIDDEN = str.maketrans({c: " " for c in "[]:*?/\\"})


def _sheet_name(text: str, taken: set[str]) -> str:
    """A unique sheet title of at most 31 characters."""
    base = text.translate(_FORBIDDEN).strip()[:MAX_SHEET_NAME] or "Sheet"
    name, n = base, 2
    while name.lower() in taken:
        suffix = f" {n}"
        name, n = base[: MAX_SHEET_NAME - len(suffix)] + suffix, n + 1
    taken.add(name.lower())
    return name


def _header(sheet: Worksheet, headers: Iterable[str], l10n: Localiser) -> None:
    sheet.append([l10n.gettext(h) for h in headers])
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)


def evidence_workbook(document: ReportDocument, result: ScoreResult, l10n: Localiser) -> bytes:
    """The workbook of ``document`` (rendered from ``result``) as XLSX bytes."""
    book = Workbook()
    summary = book.active
    taken: set[str] = set()
    summary.title = _sheet_name(l10n.gettext("Evidence summary"), taken)
    _header(summary, SUMMARY_HEADERS, l10n)
    for row in metric_rows(document):
        source = row.benchmark.source if row.benchmark else row.source
        summary.append([
            l10n.name(row.metric), row.value, row.unit, row.n, row.days,
            source or l10n.gettext("Our estimate"), l10n.gettext(confidence_word(row.confidence)),
            " ".join(l10n.name(c) for c in row.caveats)])
    by_metric: dict[str, list[tuple[Cell, EvidenceItem]]] = {}
    for cell in result.cells:
        for item in cell.evidence:
            if item.kind != "questionnaire":
                by_metric.setdefault(item.ref, []).append((cell, item))
    stages = {s.key: l10n.name(s.name) for s in document.stages}
    names = {d.key: l10n.name(d.name) for d in document.dimensions}
    for ref, items in by_metric.items():
        sheet = book.create_sheet(_sheet_name(l10n.name(metric_name(ref)), taken))
        _header(sheet, CELL_HEADERS, l10n)
        for cell, item in items:
            sheet.append([stages.get(cell.stage, cell.stage), names.get(cell.dimension, cell.dimension),
                          item.value, item.unit, item.n, item.coverage_days, item.level, item.threshold,
                          item.source or l10n.gettext("Our estimate")])
        sheet.append([])
        _header(sheet, RECORD_HEADERS, l10n)
        for record in sorted({r for _, item in items for r in item.records}):
            sheet.append([record])
    out = BytesIO()
    book.save(out)
    return out.getvalue()
