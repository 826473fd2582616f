"""One row of a survey file to one :class:`~cxsuite.connectors.records.Feedback`, or to a
:class:`~cxsuite.connectors.RecordError` saying which line is wrong and why.

External ids are deterministic so re-importing a file (or an overlapping later export of the
same survey) updates instead of duplicating: the respondent id when the export has one, else
a digest of the row's cells. A row is reported under its respondent id when it has one (that
is what the survey tool shows), else as ``line:N``.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import UTC, tzinfo
from typing import Any
from zoneinfo import ZoneInfo

from cxsuite.connectors import RecordError
from cxsuite.connectors.records import Feedback
from cxsuite_survey_import.config import SurveyImportConfig
from cxsuite_survey_import.dates import parse_date
from cxsuite_survey_import.detect import Layout, parse_score
from cxsuite_survey_import.table import Row, Table

EXCERPT_CHARS = 300


@dataclass
class RowMapper:
    """Maps the rows of one file. Where each id first answers is worked out over the whole file
    up front, so a repeated response is reported the same way whether or not the import
    resumed between the two rows."""

    table: Table
    layout: Layout
    config: SurveyImportConfig
    day_first: bool
    file_name: str
    first_line: dict[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for row in self.table.rows:
            if row.get(self.layout.score):
                self.first_line.setdefault(self.external_id(row), row.line)

    @property
    def zone(self) -> tzinfo:
        """Where answer times without a zone were written (the declared zone, else UTC)."""
        return ZoneInfo(self.config.timezone) if self.config.timezone else UTC

    def external_id(self, row: Row) -> str:
        """The respondent id, or a digest of the cells (stable across re-imports)."""
        respondent = row.get(self.layout.columns["respondent_id"])
        if respondent:
            return respondent
        digest = hashlib.sha256("\x1f".join(c.strip() for c in row.cells).encode()).hexdigest()
        return f"row:{digest[:20]}"

    def map(self, row: Row) -> Feedback | RecordError | None:
        """The answer on this row; ``None`` for a respondent who skipped the question."""
        text = row.get(self.layout.score)
        if not text:
            return None
        external_id = self.external_id(row)
        problem = self._problem(row, text, external_id)
        if problem:
            label = external_id if row.get(self.layout.columns["respondent_id"]) else f"line:{row.line}"
            return RecordError(label, f"line {row.line}: {problem}", self._excerpt(row))
        return self._feedback(row, external_id, float(parse_score(text) or 0))

    def _problem(self, row: Row, text: str, external_id: str) -> str | None:
        scale = self.layout.scale
        score = parse_score(text)
        if score is None:
            return f"score '{text[:40]}' is not a number"
        if not scale.low <= score <= scale.high:
            return f"score {text} outside {scale.low}-{scale.high}"
        if not score.is_integer():
            return f"score {text} is not a whole point of {scale.low}-{scale.high}"
        when = row.get(self.layout.columns["submitted_at"])
        if when and parse_date(when, self.day_first, self.zone) is None:
            return f"date not understood: '{when[:40]}'"
        if self.first_line[external_id] != row.line:
            return f"same response as line {self.first_line[external_id]}"
        return None

    def _feedback(self, row: Row, external_id: str, score: float) -> Feedback:
        columns, scale = self.layout.columns, self.layout.scale
        when = row.get(columns["submitted_at"])
        customer = row.get(columns["customer_id"]) or row.get(columns["email"]).lower() or None
        return Feedback(
            external_id=external_id, metric=scale.metric, score=score, scale_min=scale.low,
            scale_max=scale.high, question=self.layout.question, comment=row.get(columns["comment"]) or None,
            touchpoint=row.get(columns["touchpoint"]) or self.config.touchpoint,
            channel=row.get(columns["channel"]) or self.config.channel,
            journey_stage=row.get(columns["journey_stage"]) or self.config.journey_stage,
            submitted_at=parse_date(when, self.day_first, self.zone) if when else None,
            customer_external_id=customer, raw=self._raw(row))

    def _raw(self, row: Row) -> dict[str, Any]:
        """The row as exported, with where it came from and how its scale was decided."""
        scale = self.layout.scale
        cells = {header or f"column {i + 1}": cell
                 for i, (header, cell) in enumerate(zip(self.table.headers, row.cells, strict=False))}
        return {"file": self.file_name, "line": row.line, "direction": scale.direction,
                "scale_source": scale.source, "cells": cells}

    def _excerpt(self, row: Row) -> str:
        return ",".join(row.cells)[:EXCERPT_CHARS]
