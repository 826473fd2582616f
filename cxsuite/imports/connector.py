"""The file-import connector: a workspace's export files become canonical records through the
sync engine, like any vendor's data.

One connection holds up to five files, one per stream (customers, deals, tickets,
interactions, feedback), so the records of all five share a connection and link to each other
exactly as one CRM's would. Each stream reads its own file with its confirmed mapping and
yields batches with a checkpoint ``{file, line, done}``: a failed import keeps what it
committed and resumes after the last committed row; the same file with the same mapping,
once done, reads nothing; re-importing it anyway writes nothing (upserts by external id skip
unchanged content). Files are read with the core's bounded readers, so every upload and
import limit holds.
"""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import AsyncIterator
from typing import Any, ClassVar

import msgspec

from cxsuite.connectors.contract import BaseConnector, Batch, StreamSpec
from cxsuite.connectors.files import SlicedReader, file_rows, is_xlsx
from cxsuite.errors import ConnectorConfigError
from cxsuite.imports.config import FileImportConfig, FileMapping
from cxsuite.imports.fields import RECORD_KIND
from cxsuite.imports.rows import RowMapper, shape

READ_SLICE_S = 0.5
CONNECTOR_KEY = "file_import"


class FileImportConnector(BaseConnector):
    """CSV or XLSX exports of customers, deals (orders), tickets, interactions and feedback."""

    key = CONNECTOR_KEY
    display_name = "File import (CSV, XLSX)"
    auth_kind = "file_upload"
    streams = tuple(
        StreamSpec(stream, kind, f"{stream} from an uploaded CSV or XLSX export")
        for stream, kind in RECORD_KIND.items()
    )
    config_type = FileImportConfig
    batch_rows: ClassVar[int] = 500

    async def read(self, stream: str, checkpoint: dict[str, Any] | None) -> AsyncIterator[Batch]:
        """The stream's file in batches after ``checkpoint``; nothing when no file was uploaded."""
        upload = self.context.uploads.get(stream)
        if upload is None:
            return
        name, content = upload
        mapping = self._mapping(stream, content)
        fingerprint = file_fingerprint(content, mapping)
        start = resume_line(checkpoint, fingerprint)
        if start is None:
            return
        reader = SlicedReader(file_rows(content, name, self.context.file_limits, mapping.settings.sheet))
        while await asyncio.to_thread(reader.read_for, READ_SLICE_S):
            yield Batch([], {"file": fingerprint, "line": start, "done": False})
        table = shape(reader.rows)
        mapper = await asyncio.to_thread(RowMapper, stream, table, mapping, name, is_xlsx(content, name))
        missing = mapper.missing_columns()
        if missing and not reader.refused:
            raise ConnectorConfigError(
                f"the {stream} file has no column {', '.join(repr(m) for m in missing)}; "
                "confirm its mapping again"
            )
        rows = [(line, cells) for line, cells in table.rows if line > start]
        for first in range(0, max(len(rows), 1), self.batch_rows):
            chunk = rows[first : first + self.batch_rows]
            done = first + self.batch_rows >= len(rows) and reader.refused is None
            batch = Batch(
                [],
                {"file": fingerprint, "line": chunk[-1][0] if chunk else start, "done": done},
                total=len(table.rows),
            )
            for line, cells in chunk:
                record, problems = mapper.map(line, cells)
                if record is not None:
                    batch.records.append(record)
                elif problems:
                    batch.errors.append(mapper.record_error(line, cells, problems))
            yield batch
        if reader.refused:
            raise reader.refused

    def _mapping(self, stream: str, content: bytes) -> FileMapping:
        config = self.context.config or FileImportConfig()
        mapping = config.files.get(stream)
        if mapping is None or not mapping.columns:
            raise ConnectorConfigError(
                f"the column mapping of the {stream} file is not confirmed yet; "
                "preview the file and confirm its mapping first"
            )
        if mapping.file_sha256 and mapping.file_sha256 != hashlib.sha256(content).hexdigest():
            raise ConnectorConfigError(
                f"the {stream} file was replaced after its mapping was confirmed; "
                "confirm the mapping of the new file"
            )
        return mapping


def file_fingerprint(content: bytes, mapping: FileMapping) -> str:
    """One file read with one mapping (a changed mapping or setting re-reads the file)."""
    digest = hashlib.sha256(content)
    digest.update(msgspec.json.encode(mapping))
    return digest.hexdigest()[:32]


def resume_line(checkpoint: dict[str, Any] | None, fingerprint: str) -> int | None:
    """The last line already imported (0: from the start); ``None`` when the file is done."""
    if not checkpoint or checkpoint.get("file") != fingerprint:
        return 0
    return None if checkpoint.get("done") else int(checkpoint.get("line", 0))
