"""Survey exports as the common tools write them, built in memory for the tests."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from typing import Any

from openpyxl import Workbook

NPS_QUESTION = "How likely are you to recommend Acme to a friend or colleague? (0-10)"


def csv_bytes(rows: Sequence[Sequence[Any]], delimiter: str = ",", bom: bool = False) -> bytes:
    """Rows (the header rows first) as CSV, optionally with Excel's byte-order mark."""
    out = io.StringIO(newline="")
    csv.writer(out, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return ("\ufeff" if bom else "").encode() + out.getvalue().encode()


def xlsx_bytes(rows: Sequence[Sequence[Any]], sheet: str = "Responses") -> bytes:
    """Rows as the first sheet of a workbook (cells keep their Python types)."""
    workbook = Workbook()
    worksheet = workbook.active
    assert worksheet is not None
    worksheet.title = sheet
    for row in rows:
        worksheet.append(list(row))
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def nps_export(count: int, bad: int = 0) -> list[list[Any]]:
    """A SurveyMonkey-style NPS export: ``count`` good answers, then ``bad`` scored 11."""
    rows: list[list[Any]] = [["Respondent ID", "Collector ID", "Start Date", "End Date", "Email Address",
                              NPS_QUESTION, "What is the primary reason for your score?"],
                             ["", "", "", "", "", "Response", "Open-Ended Response"]]
    for n in range(count):
        rows.append([f"R{n:05d}", "C1", "03/05/2024 10:00:00 AM", f"03/05/2024 {1 + n % 12:02d}:15:00 PM",
                     f"person{n}@example.test", n % 11, "great service" if n % 3 else ""])
    for n in range(bad):
        rows.append([f"BAD{n}", "C1", "03/05/2024 10:00:00 AM", "03/05/2024 10:05:00 AM", "", 11, "oops"])
    return rows
