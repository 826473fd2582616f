"""From uploaded bytes to a table of text cells with the line each row starts on.

Survey tools export differently: SurveyMonkey adds a second header row ("Response",
"Open-Ended Response"); Qualtrics adds the question wording under short ids (``Q1``) and a
third row of ``{"ImportId": ...}``; Excel saves CSV with semicolons in much of Europe and with
a byte-order mark. All of that is absorbed here, so detection sees one header per column.
Line numbers are those a person sees in a text editor (CSV) or in Excel's row numbers (XLSX),
because that is where they will go to fix a row.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import PurePath

from cxsuite.errors import ConnectorConfigError

XLSX_MAGIC = b"PK\x03\x04"
DELIMITERS = (",", ";", "\t")
SUBHEADER_CELLS = {"response", "open-ended response", "other (please specify)"}


@dataclass(frozen=True)
class Row:
    """One data row: where it starts in the file and its cells as text."""

    line: int
    cells: tuple[str, ...]

    def get(self, column: int | None) -> str:
        """A cell, empty when the column is missing or the row is short."""
        if column is None or column >= len(self.cells):
            return ""
        return self.cells[column].strip()


@dataclass(frozen=True)
class Table:
    """Headers (one per column), the question wording under them when the export has one,
    and the data rows."""

    headers: tuple[str, ...]
    wording: tuple[str, ...]
    rows: tuple[Row, ...]


def read_table(content: bytes, name: str, sheet: str | None = None) -> Table:
    """The file as a table; an unreadable file is a configuration error naming the fix."""
    if content.startswith(XLSX_MAGIC) or PurePath(name).suffix.lower() in (".xlsx", ".xlsm"):
        lines = _xlsx_lines(content, sheet)
    else:
        lines = _csv_lines(content)
    return _shape(lines)


def _decode(content: bytes) -> str:
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ConnectorConfigError("the file is neither UTF-8 text nor an XLSX workbook; export it as "
                                   "'CSV UTF-8' or as an Excel workbook and upload it again") from None


def _delimiter(text: str) -> str:
    """The delimiter that splits the header into the most columns (Sniffer guesses wrong on
    question wording full of commas)."""
    first = text.splitlines()[0] if text else ""
    return max(DELIMITERS, key=lambda d: len(next(csv.reader([first], delimiter=d), [])))


def _csv_lines(content: bytes) -> list[tuple[int, list[str]]]:
    text = _decode(content)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    lines, start = [], 1
    for cells in reader:
        lines.append((start, cells))
        start = reader.line_num + 1  # a quoted cell may span several physical lines
    return lines


def _xlsx_lines(content: bytes, sheet: str | None) -> list[tuple[int, list[str]]]:
    from openpyxl import load_workbook  # only XLSX imports pay for it

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a damaged or foreign file
        raise ConnectorConfigError(f"the workbook could not be opened ({type(exc).__name__}); "
                                   "save it again as .xlsx and upload it") from None
    try:
        if sheet and sheet not in workbook.sheetnames:
            raise ConnectorConfigError(f"the workbook has no sheet '{sheet}' "
                                       f"(sheets: {', '.join(workbook.sheetnames)})")
        worksheet = workbook[sheet] if sheet else workbook.worksheets[0]
        return [(number, [_cell_text(v) for v in values])
                for number, values in enumerate(worksheet.iter_rows(values_only=True), start=1)]
    finally:
        workbook.close()


def _cell_text(value: object) -> str:
    """XLSX cells as the text a CSV export would hold (dates in ISO form, 9.0 as 9)."""
    if value is None:
        return ""
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _shape(lines: list[tuple[int, list[str]]]) -> Table:
    """Headers, wording and data rows, past the extra header rows some tools write."""
    lines = [(n, cells) for n, cells in lines if any(c.strip() for c in cells)]
    if not lines:
        raise ConnectorConfigError("the file has no rows; upload the survey export itself")
    headers = [h.strip() for h in lines[0][1]]
    wording, data = list(headers), lines[1:]
    if len(data) >= 2 and any(c.strip().startswith('{"ImportId"') for c in data[1][1]):
        below = _padded(data[0][1], len(headers))[:len(headers)]
        wording = [w.strip() or h for w, h in zip(below, headers, strict=True)]
        headers, data = list(wording), data[2:]  # Qualtrics: ids, wording, import ids
    elif data and _is_subheader(data[0][1]):
        data = data[1:]  # SurveyMonkey: "Response" / "Open-Ended Response"
    width = len(headers)
    rows = tuple(Row(n, tuple(_padded(cells, width))) for n, cells in data)
    return Table(tuple(headers), tuple(wording), rows)


def _padded(cells: list[str], width: int) -> list[str]:
    return (list(cells) + [""] * width)[:max(width, len(cells))]


def _is_subheader(cells: list[str]) -> bool:
    values = {c.strip().lower() for c in cells if c.strip()}
    return bool(values) and values <= SUBHEADER_CELLS
