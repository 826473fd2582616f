"""The survey-import connector: an uploaded survey export becomes feedback records.

The core hands the connector the uploaded file (``context.upload``) and does the rest:
upserts, checkpoints, jobs, progress and the issue list. The connector reads the file, works
out its layout once (columns, metric, scale) and yields the rows in batches, each with the
checkpoint that resumes after it. A checkpoint belongs to one file and one configuration, so
a new upload starts from its first row while a resumed import continues where it stopped.
"""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import AsyncIterator
from typing import Any, ClassVar

import msgspec

from cxsuite.connectors import BaseConnector, Batch, StreamSpec
from cxsuite.connectors.files import SlicedReader, file_rows
from cxsuite.connectors.records import Feedback
from cxsuite.errors import ConnectorConfigError
from cxsuite_survey_import.config import SurveyImportConfig
from cxsuite_survey_import.dates import day_first_in
from cxsuite_survey_import.detect import detect_layout
from cxsuite_survey_import.rows import RowMapper
from cxsuite_survey_import.table import Row, shape

READ_SLICE_S = 0.5
"""Longest stretch of file reading between two chances to see a cancellation."""


class SurveyImportConnector(BaseConnector):
    """NPS, CSAT or CES answers from a CSV or XLSX survey export."""

    key = "survey_import"
    display_name = "Survey export (CSV, XLSX)"
    auth_kind = "file_upload"
    streams = (StreamSpec("responses", "feedback", "NPS, CSAT or CES answers of the uploaded survey export"),)
    config_type = SurveyImportConfig
    batch_rows: ClassVar[int] = 500

    async def read(self, stream: str, checkpoint: dict[str, Any] | None) -> AsyncIterator[Batch]:
        """Yield the file's answers in batches, after the row ``checkpoint`` reached.

        The file is read in slices of time, with an empty batch between slices so the engine
        can honour a cancellation while a large file is still being read. A file over an
        import limit is read up to the row before it; those rows are imported and then the
        import fails naming the row, the column and the limit.
        """
        content, config = self._upload(), self.context.config or SurveyImportConfig()
        fingerprint = file_fingerprint(content, config)
        start = resume_line(checkpoint, fingerprint)
        if start is None:
            return  # this very file was imported completely: nothing new to write
        reader = SlicedReader(file_rows(content, self.context.upload_name, self.context.file_limits,
                                        config.sheet))
        while await asyncio.to_thread(reader.read_for, READ_SLICE_S):
            yield Batch([], {"file": fingerprint, "line": start, "done": False})
        try:
            mapper = await asyncio.to_thread(self._mapper, reader.rows, config)  # CPU-bound
        except ConnectorConfigError:
            if reader.refused:  # too few rows before the limit to read the layout: say why
                raise reader.refused from None
            raise
        rows = [row for row in mapper.table.rows if row.line > start]
        for first in range(0, max(len(rows), 1), self.batch_rows):
            chunk = rows[first:first + self.batch_rows]
            done = first + self.batch_rows >= len(rows) and reader.refused is None
            yield self._batch(mapper, chunk, {"file": fingerprint, "line": chunk[-1].line if chunk else start,
                                              "done": done}, len(mapper.table.rows))
        if reader.refused:
            raise reader.refused

    def _upload(self) -> bytes:
        if not self.context.upload:
            raise ConnectorConfigError("no survey file has been uploaded to this connection yet; upload the "
                                       "export (CSV or XLSX) first")
        return self.context.upload

    def _mapper(self, lines: list[tuple[int, list[str]]], config: SurveyImportConfig) -> RowMapper:
        """Shape the rows into a table and decide its layout once for the whole file."""
        table = shape(lines)
        layout = detect_layout(table, config)
        day_first = config.day_first
        if day_first is None:
            day_first = day_first_in(row.get(layout.columns["submitted_at"]) for row in table.rows)
        return RowMapper(table, layout, config, day_first, self.context.upload_name)

    @staticmethod
    def _batch(mapper: RowMapper, rows: list[Row], checkpoint: dict[str, Any], total: int) -> Batch:
        batch = Batch([], checkpoint, total=total)
        for row in rows:
            mapped = mapper.map(row)
            if isinstance(mapped, Feedback):
                batch.records.append(mapped)
            elif mapped is not None:
                batch.errors.append(mapped)
        return batch


def file_fingerprint(content: bytes, config: SurveyImportConfig) -> str:
    """Identifies one file read with one configuration (a changed declaration re-imports)."""
    digest = hashlib.sha256(content)
    digest.update(msgspec.json.encode(config))
    return digest.hexdigest()[:32]


def resume_line(checkpoint: dict[str, Any] | None, fingerprint: str) -> int | None:
    """The last line already imported (0: start over); ``None`` when the file is done."""
    if not checkpoint or checkpoint.get("file") != fingerprint:
        return 0
    return None if checkpoint.get("done") else int(checkpoint.get("line", 0))
