"""Reading uploaded tabular files (CSV, XLSX) within bounds, for every file import.

An upload is attacker-controlled. A 560 KB XLSX whose sheet compresses 1,000:1 once drove an
import to 1.6 GB of memory for minutes, and a CSV cell over Python's 128 KiB field limit
ended an import with a message nobody could act on. So, before and while anything is parsed:

- an XLSX (a zip) is judged by what its directory *declares*: member count, total unpacked
  bytes, the unpacked size of every part a reader loads whole (shared strings above all,
  which openpyxl parses into one list even in read-only mode) and the compression ratio of
  big parts. Declared sizes are enforceable: :mod:`zipfile` stops reading a member at its
  declared size and fails the CRC check, so a forged directory cannot inflate further;
- worksheets are streamed (openpyxl read-only, declared dimensions reset, so a forged
  ``A1:XFD1048576`` cannot pad every row to 16,384 cells), and XML goes through defusedxml;
- rows, columns per row, cells in all and characters per cell are counted while reading; the first row over
  a limit stops the reader with :class:`FileRefused` naming the row, the column and the
  setting, after every row before it was handed over (so an import keeps what it read);
- :class:`SlicedReader` reads in slices of time, so an async caller gets control back often
  enough to honour a cancellation within seconds.

Python's ``csv.field_size_limit`` is process-wide and left alone; the per-import cell limit is
``FileLimits.max_cell_chars`` (at most that module limit).
"""

from __future__ import annotations

import csv
import io
import re
import time
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from datetime import time as clock_time
from pathlib import PurePath
from typing import Any

from cxsuite.errors import ConfigurationError, ConnectorConfigError, ContentTooLarge, FieldProblem

XLSX_MAGIC = b"PK\x03\x04"
DELIMITERS = (",", ";", "\t")
HEADER_SCAN_CHARS = 1_000_000  # the header row is looked for here, not in a copy of the whole file
STREAMED_TYPES = ("spreadsheetml.worksheet+xml", "ms-excel.worksheet")
BIG_PART_BYTES = 1_000_000  # the ratio is judged only on parts this big; small parts vary widely
MANIFEST = "[Content_Types].xml"
Line = tuple[int, list[str]]


class FileRefused(ConnectorConfigError):
    """An uploaded file crosses a limit or cannot be read; the problem names where and which.

    At upload it answers 422; in an import it fails the job with the same words (a person must
    fix the file: retrying cannot help)."""

    title = "File refused"


@dataclass(frozen=True)
class FileLimits:
    """The bounds of one file; built from settings (``CXSUITE_UPLOAD_*``, ``CXSUITE_IMPORT_*``)."""

    max_bytes: int = 20_000_000
    max_unpacked_bytes: int = 200_000_000
    max_loaded_part_bytes: int = 32_000_000
    max_ratio: int = 200
    max_members: int = 1_000
    max_rows: int = 200_000
    max_columns: int = 1_000
    max_cells: int = 5_000_000
    max_cell_chars: int = 32_767

    @classmethod
    def from_settings(cls, settings: Any) -> FileLimits:
        """The limits a process is configured with."""
        return cls(settings.upload_max_bytes, settings.upload_max_unpacked_bytes,
                   settings.upload_max_shared_strings_bytes, settings.upload_max_ratio,
                   settings.upload_max_members, settings.import_max_rows,
                   settings.import_max_columns, settings.import_max_cells,
                   settings.import_max_cell_chars)


def refuse(detail: str, reason: str, limit: int | None = None, where: str = "file") -> FileRefused:
    """The error for a file over a limit: one problem with the field, the reason and the limit."""
    return FileRefused(f"{detail}: {reason}", problems=[FieldProblem(where, reason, limit)])


def is_xlsx(content: bytes, name: str) -> bool:
    """Whether the upload is a workbook (by its zip signature or its name)."""
    return content.startswith(XLSX_MAGIC) or PurePath(name).suffix.lower() in (".xlsx", ".xlsm")


def check_upload(content: bytes, name: str, limits: FileLimits, where: str = "body.file") -> None:
    """Refuse, at upload time, a file whose size or declared unpacked contents cross a limit."""
    if len(content) > limits.max_bytes:
        reason = f"{len(content):,} bytes; at most {limits.max_bytes:,} (CXSUITE_UPLOAD_MAX_BYTES)"
        raise ContentTooLarge(f"the file is too large: {reason}",
                              problems=[FieldProblem(where, reason, limits.max_bytes)])
    if is_xlsx(content, name):
        inspect_xlsx(content, limits, where)


def inspect_xlsx(content: bytes, limits: FileLimits, where: str = "file") -> None:
    """Judge a workbook by its zip directory before anything is decompressed."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            members = archive.infolist()
            streamed = _streamed_parts(archive, members, limits, where)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError):
        raise refuse("the workbook could not be opened", "not a valid XLSX file; save it again as .xlsx",
                     where=where) from None
    if len(members) > limits.max_members:
        raise refuse("the workbook is refused", f"{len(members):,} parts; at most {limits.max_members:,} "
                     "(CXSUITE_UPLOAD_MAX_MEMBERS)", limits.max_members, where)
    total = sum(m.file_size for m in members)
    if total > limits.max_unpacked_bytes:
        raise refuse("the workbook is refused", f"unpacks to {total:,} bytes; at most "
                     f"{limits.max_unpacked_bytes:,} (CXSUITE_UPLOAD_MAX_UNPACKED_BYTES)",
                     limits.max_unpacked_bytes, where)
    for member in members:
        _check_member(member, member.filename in streamed, limits, where)


def _check_member(member: zipfile.ZipInfo, streamed: bool, limits: FileLimits, where: str) -> None:
    if not streamed and member.file_size > limits.max_loaded_part_bytes:
        raise refuse("the workbook is refused", f"part {member.filename[:80]} unpacks to "
                     f"{member.file_size:,} bytes and would be loaded whole; at most "
                     f"{limits.max_loaded_part_bytes:,} (CXSUITE_UPLOAD_MAX_SHARED_STRINGS_BYTES)",
                     limits.max_loaded_part_bytes, where)
    ratio = member.file_size / max(member.compress_size, 1)
    if member.file_size > BIG_PART_BYTES and ratio > limits.max_ratio:
        raise refuse("the workbook is refused", f"part {member.filename[:80]} is compressed "
                     f"{ratio:,.0f}:1; at most {limits.max_ratio}:1 (CXSUITE_UPLOAD_MAX_RATIO)",
                     limits.max_ratio, where)


def _streamed_parts(archive: zipfile.ZipFile, members: list[zipfile.ZipInfo], limits: FileLimits,
                    where: str) -> set[str]:
    """Worksheets, which readers stream, by the package manifest; every other part is loaded
    whole and must stay under the loaded-part limit."""
    from defusedxml.ElementTree import fromstring

    manifest = next((m for m in members if m.filename == MANIFEST), None)
    if manifest is None:
        return set()
    if manifest.file_size > limits.max_loaded_part_bytes:
        raise refuse("the workbook is refused", f"{MANIFEST} is too large",
                     limits.max_loaded_part_bytes, where)
    parts = set()
    for override in fromstring(archive.read(manifest)):
        if override.get("ContentType", "").endswith(STREAMED_TYPES):
            parts.add(override.get("PartName", "").lstrip("/"))
    return parts


def file_rows(content: bytes, name: str, limits: FileLimits, sheet: str | None = None) -> Iterator[Line]:
    """The file's rows as ``(line, cells as text)``, bounded; raises :class:`FileRefused` at
    the first row over a limit, after yielding every row before it."""
    if is_xlsx(content, name):
        inspect_xlsx(content, limits)
        lines = _xlsx_lines(content, sheet)
    else:
        lines = _csv_lines(content, limits)
    seen = 0
    for line, cells in lines:
        seen += len(cells)
        _check_row(line, cells, limits)
        if seen > limits.max_cells:
            raise refuse("the import stopped", f"row {line:,}: the file holds more than {limits.max_cells:,} "
                         "cells (CXSUITE_IMPORT_MAX_CELLS); the rows before it were imported",
                         limits.max_cells, f"file.row[{line}]")
        yield line, cells


def _check_row(line: int, cells: list[str], limits: FileLimits) -> None:
    if line > limits.max_rows:
        raise refuse("the import stopped", f"row {line:,}: the file has more than {limits.max_rows:,} rows "
                     "(CXSUITE_IMPORT_MAX_ROWS); the rows before it were imported", limits.max_rows,
                     f"file.row[{line}]")
    if len(cells) > limits.max_columns:
        raise refuse("the import stopped", f"row {line:,}, column {_column(limits.max_columns + 1)}: more "
                     f"than {limits.max_columns:,} columns (CXSUITE_IMPORT_MAX_COLUMNS); the rows before "
                     "it were imported", limits.max_columns, f"file.row[{line}]")
    for index, cell in enumerate(cells):
        if len(cell) > limits.max_cell_chars:
            raise cell_too_long(line, index + 1, limits)
        if "\x00" in cell:
            raise refuse("the import stopped", f"row {line:,}, column {_column(index + 1)}: contains a NUL "
                         "character (U+0000), which cannot be stored; the rows before it were imported",
                         where=f"file.row[{line}]")


def cell_too_long(line: int, column: int, limits: FileLimits) -> FileRefused:
    """Row and column of a cell over the limit (the column as a number and as Excel's letter)."""
    return refuse("the import stopped", f"row {line:,}, column {_column(column)}: a cell longer than "
                  f"{limits.max_cell_chars:,} characters (CXSUITE_IMPORT_MAX_CELL_CHARS); the rows before "
                  "it were imported", limits.max_cell_chars, f"file.row[{line}]")


def _column(number: int) -> str:
    """``28 (AB)``: the number a CSV reader counts and the letter Excel shows."""
    letters = ""
    rest = number
    while rest:
        rest, digit = divmod(rest - 1, 26)
        letters = chr(65 + digit) + letters
    return f"{number} ({letters})"


def decode_text(content: bytes) -> str:
    """UTF-8 with or without a byte-order mark; anything else is refused with the fix."""
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise refuse("the file cannot be read", "neither UTF-8 text nor an XLSX workbook; export it "
                     "as 'CSV UTF-8' or as an Excel workbook and upload it again") from None


def sniff_delimiter(text: str) -> str:
    """The delimiter that splits the header into the most columns (csv.Sniffer guesses wrong
    on question wording full of commas)."""
    first = (text[:HEADER_SCAN_CHARS].splitlines() or [""])[0]
    try:
        return max(DELIMITERS, key=lambda d: len(next(csv.reader([first], delimiter=d), [])))
    except csv.Error:  # an over-long header cell: the reader reports it with its row and column
        return DELIMITERS[0]


def _csv_lines(content: bytes, limits: FileLimits) -> Iterator[Line]:
    """Records with the line each starts on (a quoted cell may span several lines)."""
    text = decode_text(content)
    delimiter = sniff_delimiter(text)
    consumed = _Consumed(io.StringIO(text, newline=""))
    reader = csv.reader(consumed, delimiter=delimiter)
    start, offset = 1, 0
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            if "field larger than field limit" in str(exc):
                column = _overflowing_column(text, offset, delimiter, limits)
                raise cell_too_long(start, column, limits) from None
            raise refuse("the import stopped", f"row {start:,}: {exc}; the rows before it were imported",
                         where=f"file.row[{start}]") from None
        yield start, cells
        start, offset = reader.line_num + 1, consumed.offset


@dataclass
class _Consumed:
    """Lines handed to the CSV reader, counting the characters consumed (where a record starts)."""

    source: io.StringIO
    offset: int = 0

    def __iter__(self) -> Iterator[str]:
        for line in self.source:
            yield line
            self.offset += len(line)


def _overflowing_column(text: str, start: int, delimiter: str, limits: FileLimits) -> int:
    """Which column of the record at ``start`` holds the over-long cell (the csv module does
    not say); only run when a record failed."""
    cell = re.compile(rf'"[^"]*(?:""[^"]*)*(?:"|\Z)|[^{re.escape(delimiter)}\r\n]*')
    position, column = start, 1
    while True:
        match = cell.match(text, position)
        if match is None or len(match.group()) > limits.max_cell_chars:
            return column
        position = match.end()
        if position >= len(text) or text[position] != delimiter:
            return column
        position, column = position + 1, column + 1


def _xlsx_lines(content: bytes, sheet: str | None) -> Iterator[Line]:
    from openpyxl import load_workbook  # only XLSX imports pay for it
    from openpyxl.xml import DEFUSEDXML

    if not DEFUSEDXML:
        raise ConfigurationError("openpyxl is not using defusedxml; install defusedxml and unset "
                                 "OPENPYXL_DEFUSEDXML so XLSX files cannot carry XML bombs")
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a damaged or foreign file
        raise refuse("the workbook could not be opened", f"{type(exc).__name__}; save it again as .xlsx "
                     "and upload it") from None
    try:
        if sheet and sheet not in workbook.sheetnames:
            raise refuse("the workbook cannot be read", f"it has no sheet '{sheet[:80]}' (sheets: "
                         f"{', '.join(workbook.sheetnames)[:300]})", where="config.sheet")
        worksheet = workbook[sheet] if sheet else workbook.worksheets[0]
        worksheet.reset_dimensions()  # declared dimensions are not trusted (padding every row)
        for number, values in enumerate(worksheet.iter_rows(values_only=True), start=1):
            yield number, [cell_text(v) for v in values]
    except zipfile.BadZipFile:  # a part longer than its declared size fails its CRC check
        raise refuse("the workbook cannot be read", "a part is damaged or larger than it declares; "
                     "save it again as .xlsx and upload it") from None
    finally:
        workbook.close()


def cell_text(value: object) -> str:
    """An XLSX cell as the text a CSV export would hold (dates in ISO form, 9.0 as 9)."""
    if value is None:
        return ""
    if isinstance(value, datetime | date | clock_time):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


@dataclass
class SlicedReader:
    """Pulls rows from a blocking row iterator a slice of time at a time.

    Run :meth:`read_for` in a worker thread and yield to the event loop between slices, so a
    cancellation is seen within a slice, not after the whole file. A limit (or an unreadable
    file) ends the reading with :attr:`refused` set; :attr:`rows` keeps every row before it.
    """

    source: Iterator[Line]
    rows: list[Line] = field(default_factory=list)
    refused: FileRefused | None = None

    def read_for(self, seconds: float) -> bool:
        """Read for about ``seconds``; ``False`` once the file is exhausted or refused."""
        deadline = time.monotonic() + seconds
        try:
            for row in self.source:
                self.rows.append(row)
                if time.monotonic() >= deadline:
                    return True
        except FileRefused as exc:
            self.refused = exc
        return False
