"""From the rows of an uploaded file to a table with one header per column.

Survey tools export differently: SurveyMonkey adds a second header row ("Response",
"Open-Ended Response"); Qualtrics adds the question wording under short ids (``Q1``) and a
third row of ``{"ImportId": ...}``; Excel saves CSV with semicolons in much of Europe and with
a byte-order mark. Reading the file itself (CSV or XLSX, within the upload and import limits) is the core's
:mod:`cxsuite.connectors.files`; the export quirks are absorbed here, so detection sees one
header per column. Line numbers are those a person sees in a text editor (CSV) or in Excel's
row numbers (XLSX), because that is where they will go to fix a row.
"""

from __future__ import annotations

from dataclasses import dataclass

from cxsuite.errors import ConnectorConfigError

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


def shape(lines: list[tuple[int, list[str]]]) -> Table:
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
