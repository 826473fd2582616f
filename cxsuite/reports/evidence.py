"""The evidence summary: one compact row per metric, and the numbered sources the report cites.

Scoring attaches evidence to every stage × dimension cell, so one workspace-wide metric (say,
the share of records linked to a customer) sits in seven cells. Printed cell by cell it filled
half the report with the same line; the client needs each figure once, with its n, period,
source, confidence and caveat. The full per-cell detail goes to the evidence workbook.
"""

from __future__ import annotations

from dataclasses import dataclass

from cxsuite.reports.document import Benchmark, EvidenceKind, Name, ReportDocument, Term
from cxsuite.reports.figures import N_

CONFIDENCE_WORDS = ((0.8, N_("High")), (0.5, N_("Medium")), (0.0, N_("Low")))
# The source of a figure compared with no published benchmark: cited once as an endnote instead
# of "our estimate" printed on every such row (it was, two hundred times).
OWN_ESTIMATE = N_("Our estimate: where no published benchmark exists, the threshold is our judgement of "
                  "good practice, as set out under Method.")


@dataclass(frozen=True)
class MetricRow:
    """One metric as the evidence summary prints it, with how many cells it informs."""

    metric: Name
    kind: EvidenceKind
    value: float | str
    unit: str
    n: int | None
    days: float | None
    source: str | None
    benchmark: Benchmark | None
    confidence: float | None
    caveats: tuple[Term, ...]
    cells: int


def confidence_word(confidence: float | None) -> str:
    """High, medium or low (msgid): a client reads a word, not ``0.63``."""
    value = confidence or 0.0
    return next(word for bound, word in CONFIDENCE_WORDS if value >= bound)


def _key(metric: Name) -> str:
    return metric.msgid if isinstance(metric, Term) else metric


KIND_ORDER = ("o_data", "x_data", "questionnaire")


def metric_rows(document: ReportDocument) -> list[MetricRow]:
    """Each distinct figure once (same metric, value and unit), grouped by kind of evidence
    (:data:`KIND_ORDER`: the report prints a heading per kind) and within a kind in the order
    cells first use it, then the metrics no cell could use (insufficient or flagged) with their
    caveats, unless the same metric already has a row from the cells. The workbook's summary
    sheet lists the same rows in the same order."""
    rows: dict[tuple[str, str, str], MetricRow] = {}
    used = [(e, 1) for cell in document.cells for e in cell.evidence]
    shown = {_key(e.metric) for e, _ in used}
    unused = [(e, 0) for e in document.unused_evidence if _key(e.metric) not in shown]
    for e, cells in used + unused:
        key = (_key(e.metric), repr(e.value), e.unit)
        found = rows.get(key)
        if found is None:
            rows[key] = MetricRow(e.metric, e.kind, e.value, e.unit, e.n, e.days, e.source, e.benchmark,
                                  e.confidence, e.caveats, cells)
        else:
            rows[key] = MetricRow(**{**found.__dict__, "cells": found.cells + cells})
    return sorted(rows.values(), key=lambda row: KIND_ORDER.index(row.kind))


def endnotes(document: ReportDocument) -> dict[str, int]:
    """Every named source the report cites, numbered in order of first citation (our own estimate
    is one of them, as :data:`OWN_ESTIMATE`)."""
    cited: list[str] = []
    for k in document.kpis:
        if k.benchmark:
            cited.append(k.benchmark.source)
    for row in metric_rows(document):
        cited += [s for s in (row.source, row.benchmark.source if row.benchmark else None) if s]
        if not (row.source or row.benchmark):
            cited.append(OWN_ESTIMATE)
    cited += [o.kpi_source for o in document.opportunities if o.kpi_source]
    return {source: i for i, source in enumerate(dict.fromkeys(cited), start=1)}
