"""Workbooks written part by part, streamed into the zip: big and hostile ones (zip bombs,
shared-strings bombs) without building them in memory, and as fast as zlib compresses."""

from __future__ import annotations

import zipfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from xml.sax.saxutils import escape

CONTENT_TYPES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>
<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>
<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>
</Types>"""
ROOT_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>
</Relationships>"""
WORKBOOK = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">
<sheets><sheet name="Responses" sheetId="1" r:id="rId1"/></sheets></workbook>"""
WORKBOOK_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>
<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>
</Relationships>"""
SHEET_HEAD = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns='
              '"http://schemas.openxmlformats.org/spreadsheetml/2006/main"><dimension ref="A1:XFD1048576"/>'
              "<sheetData>")
SHEET_TAIL = "</sheetData></worksheet>"
SST_HEAD = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst xmlns='
            '"http://schemas.openxmlformats.org/spreadsheetml/2006/main">')


def _cell(column: int, value: object) -> str:
    if isinstance(value, int | float):
        return f"<c><v>{value}</v></c>"
    return f'<c t="inlineStr"><is><t>{escape(str(value))}</t></is></c>'


def sheet_rows(rows: Iterable[Iterable[object]]) -> Iterator[str]:
    """The XML of rows of inline cells (no shared strings needed)."""
    for number, row in enumerate(rows, start=1):
        yield f'<row r="{number}">' + "".join(_cell(c, v) for c, v in enumerate(row)) + "</row>"


def write_workbook(path: Path, sheet: Iterable[str], shared_strings: Iterable[str] = ()) -> Path:
    """A workbook whose sheet and shared strings are written from iterables of XML pieces."""
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, text in (("[Content_Types].xml", CONTENT_TYPES), ("_rels/.rels", ROOT_RELS),
                           ("xl/workbook.xml", WORKBOOK), ("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)):
            archive.writestr(name, text)
        for name, head, body, tail in (("xl/worksheets/sheet1.xml", SHEET_HEAD, sheet, SHEET_TAIL),
                                       ("xl/sharedStrings.xml", SST_HEAD, shared_strings, "</sst>")):
            with archive.open(name, "w", force_zip64=True) as part:
                part.write(head.encode())
                buffer: list[str] = []
                for piece in body:
                    buffer.append(piece)
                    if len(buffer) >= 10_000:
                        part.write("".join(buffer).encode())
                        buffer.clear()
                part.write(("".join(buffer) + tail).encode())
    return path


def zip_bomb(path: Path, rows: int = 4_000_000) -> Path:
    """A small file whose sheet declares millions of identical rows (the issue's 560 KB XLSX)."""
    header = sheet_rows([["Respondent ID", "How likely are you to recommend us? (0-10)"]])
    row = '<row><c t="inlineStr"><is><t>R</t></is></c><c><v>9</v></c></row>'
    return write_workbook(path, [*header, *(row for _ in range(rows))])


def shared_strings_bomb(path: Path, strings: int = 4_000_000) -> Path:
    """A small sheet over millions of shared strings, which readers load whole into memory."""
    sheet = sheet_rows([["Score"], [9]])
    return write_workbook(path, sheet, ("<si><t>x</t></si>" for _ in range(strings)))
