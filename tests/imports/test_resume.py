"""A file import is resumable like any sync: it runs through the sync engine, commits batches
with their checkpoint, keeps what it committed when it fails, and goes on after the last
committed row; once a file is done, importing it again reads nothing and writes nothing."""

from __future__ import annotations

from dataclasses import replace

import msgspec
import pytest

from cxsuite.connectors import ConnectorContext
from cxsuite.connectors.engine import SyncEngine
from cxsuite.connectors.files import FileLimits, FileRefused
from cxsuite.connectors.upsert import RecordScope
from cxsuite.db.sql import execute
from cxsuite.imports.config import FileImportConfig
from cxsuite.imports.connector import FileImportConnector
from tests.connectors.survey_import.files import csv_bytes, xlsx_bytes
from tests.support.records import make_connection_owner

pytestmark = pytest.mark.anyio

ROWS = 1200
COLUMNS = {"external_id": "Ticket ID", "channel": "Channel", "created_at": "Created", "satisfaction": "Rating"}


def tickets_file(rows: int = ROWS) -> bytes:
    return csv_bytes([["Ticket ID", "Channel", "Created", "Rating"]]
                     + [[f"T{n:05d}", "email", f"2025-01-{1 + n % 28:02d} 10:00", "4,5"] for n in range(rows)])


class SmallBatches(FileImportConnector):
    """Batches of 100 rows, so a 1,200-row file makes several commits."""

    batch_rows = 100


def connector(content: bytes, limits: FileLimits, name: str = "tickets.csv") -> FileImportConnector:
    config = msgspec.convert({"files": {"tickets": {"columns": COLUMNS, "settings": {
        "decimal_separator": ","}}}}, FileImportConfig)
    return SmallBatches(ConnectorContext(config=config, http=None, uploads={"tickets": (name, content)},
                                                file_limits=limits))


async def stored(db, tenant_id, connection_id) -> list[tuple[str, float]]:
    async with db.transaction(tenant_id, write=False):
        rows = await execute(db.engine, "SELECT external_id, satisfaction FROM record_ticket WHERE tenant_id = {} "
                             "AND connection_id = {} ORDER BY external_id", tenant_id, connection_id)
    return [(r["external_id"], r["satisfaction"]) for r in rows]


async def test_a_failed_import_keeps_what_it_committed_and_resumes_after_it(db):
    tenant_id, workspace_id, connection_id = await make_connection_owner(db, "file_import")
    scope = RecordScope(tenant_id, workspace_id, connection_id, "file_import")
    content = tickets_file()
    limited = replace(FileLimits(), max_rows=701)  # the file is over the row limit at row 702
    with pytest.raises(FileRefused, match="row 702"):
        await SyncEngine(db, scope, connector(content, limited), commit_rows=200).run(["tickets"])
    kept = await stored(db, tenant_id, connection_id)
    assert len(kept) == 700 and kept[-1] == ("T00699", 4.5)  # every row before the limit

    resumed = await SyncEngine(db, scope, connector(content, FileLimits()), commit_rows=200).run(["tickets"])
    assert resumed.totals.read == ROWS - 700 and resumed.totals.written == ROWS - 700  # only the rest
    assert len(await stored(db, tenant_id, connection_id)) == ROWS

    again = await SyncEngine(db, scope, connector(content, FileLimits())).run(["tickets"])
    assert (again.totals.read, again.totals.written) == (0, 0)  # done: nothing read
    xlsx = xlsx_bytes([["Ticket ID", "Channel", "Created", "Rating"]]
                      + [[f"T{n:05d}", "email", f"2025-01-{1 + n % 28:02d} 10:00", 4.5] for n in range(ROWS)])
    other_file = await SyncEngine(db, scope, connector(xlsx, FileLimits(), "tickets.xlsx")).run(["tickets"])
    assert other_file.totals.read == ROWS and other_file.totals.written == 0  # same records: unchanged


async def test_streams_without_a_file_read_nothing(db):
    tenant_id, workspace_id, connection_id = await make_connection_owner(db, "file_import")
    scope = RecordScope(tenant_id, workspace_id, connection_id, "file_import")
    result = await SyncEngine(db, scope, connector(tickets_file(5), FileLimits())).run()
    assert {stream: counts.read for stream, counts in result.per_stream.items()} == {
        "customers": 0, "deals": 0, "tickets": 5, "interactions": 0, "feedback": 0}
