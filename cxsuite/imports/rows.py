"""One row of an import file to one canonical record, or to the problems that keep it out.

Every problem names the row (the line a person sees in a text editor, or Excel's row number),
the column (its header) and the field, so a preview can point at the cell and an import can
report the row as a sync issue instead of dropping it. External ids are the file's own ids;
a file without an id column gets a digest of the row's cells, stable across re-imports of the
same file (an edited row then becomes a new record, which the preview warns about).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import msgspec

from cxsuite.connectors.contract import RecordError
from cxsuite.connectors.records import RECORD_TYPES, Record
from cxsuite.imports.config import FileMapping
from cxsuite.imports.fields import FIELDS, RECORD_KIND, FieldSpec
from cxsuite.imports.values import (
    CellError,
    day_first,
    parse_bool,
    parse_datetime,
    parse_integer,
    parse_list,
    parse_number,
    won_from_stage,
)

EXCERPT_CHARS = 300
TYPED_NUMBER = re.compile(r"^-?\d+(\.\d+)?([eE][+-]?\d+)?$")
METRICS = {"nps": (0, 10), "csat": (1, 5), "ces": (1, 7)}
SCALES = {"nps": {(0, 10)}, "csat": {(1, 5), (1, 7)}, "ces": {(1, 7), (1, 5)}}


@dataclass(frozen=True)
class Table:
    """The header row and the data rows (line number, cells) of one file."""

    headers: tuple[str, ...]
    rows: tuple[tuple[int, tuple[str, ...]], ...]
    header_line: int = 1


def shape(lines: Sequence[tuple[int, list[str]]]) -> Table:
    """The first row with any text is the header row; blank rows are left out."""
    filled = [(n, cells) for n, cells in lines if any(c.strip() for c in cells)]
    if not filled:
        return Table((), ())
    line, first = filled[0]
    headers = tuple(c.strip() for c in first)
    width = len(headers)
    rows = tuple(
        (n, tuple((list(cells) + [""] * width)[: max(width, len(cells))])) for n, cells in filled[1:]
    )
    return Table(headers, rows, line)


@dataclass(frozen=True)
class CellProblem:
    """Why one cell (or the row, ``column`` empty) cannot be imported."""

    row: int
    column: str
    field: str
    reason: str

    def describe(self) -> str:
        """``row 7, column 'Created' (created_at): '31/02/2024' is not a date …``."""
        where = f"row {self.row}, column '{self.column}' ({self.field})" if self.column else f"row {self.row}"
        return f"{where}: {self.reason}"


@dataclass
class RowMapper:
    """Maps the rows of one file of one kind with one confirmed mapping."""

    kind: str
    table: Table
    mapping: FileMapping
    file_name: str = ""
    typed: bool = False
    """An XLSX file: its number cells are numbers already, whatever the separators say."""
    index: dict[str, int] = field(default_factory=dict)
    dayfirst: dict[str, bool] = field(default_factory=dict)
    first_line: dict[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        position = {header: i for i, header in reversed(list(enumerate(self.table.headers)))}
        self.index = {name: position[h] for name, h in self.mapping.columns.items() if h in position}
        for spec in FIELDS[self.kind]:
            if spec.type == "datetime" and spec.name in self.index:
                column = self.index[spec.name]
                self.dayfirst[spec.name] = day_first(cells[column] for _, cells in self.table.rows)
        for line, cells in self.table.rows:
            self.first_line.setdefault(self.external_id(cells), line)

    def missing_columns(self) -> list[str]:
        """Mapped headers the file does not have."""
        return [h for name, h in self.mapping.columns.items() if name not in self.index]

    def cell(self, cells: Sequence[str], name: str) -> str:
        """The text of a mapped field's cell, or its default; empty when neither."""
        column = self.index.get(name)
        text = cells[column].strip() if column is not None and column < len(cells) else ""
        return text or self.mapping.settings.defaults.get(name, "").strip()

    def external_id(self, cells: Sequence[str]) -> str:
        """The row's id column, or a digest of its cells."""
        given = self.cell(cells, "external_id")
        if given:
            return given
        digest = hashlib.sha256("\x1f".join(c.strip() for c in cells).encode()).hexdigest()
        return f"row:{digest[:20]}"

    def map(self, line: int, cells: Sequence[str]) -> tuple[Record | None, list[CellProblem]]:
        """The record of a row, or the problems with it (``(None, [])`` for a skipped row)."""
        values: dict[str, Any] = {}
        problems: list[CellProblem] = []
        for spec in FIELDS[self.kind]:
            text = self.cell(cells, spec.name)
            if not text:
                continue
            try:
                values[spec.name] = self._value(spec, text)
            except CellError as exc:
                problems.append(self._problem(line, spec, str(exc)))
        external_id = self.external_id(cells)
        values["external_id"] = external_id
        if self.first_line.get(external_id, line) != line:
            problems.append(
                CellProblem(
                    line,
                    self.mapping.columns.get("external_id", ""),
                    "external_id",
                    f"same id '{external_id[:60]}' as row {self.first_line[external_id]}",
                )
            )
        problems += self._rules(line, values)
        if problems:
            return None, problems
        return self._record(line, cells, values), []

    def _value(self, spec: FieldSpec, text: str) -> Any:
        settings = self.mapping.settings
        if spec.type == "datetime":
            return parse_datetime(text, settings, self.dayfirst.get(spec.name, False))
        if spec.type in ("number", "integer") and self.typed and TYPED_NUMBER.match(text):
            number = float(text)
            if spec.type == "integer" and not number.is_integer():
                raise CellError(f"'{text[:40]}' is not a whole number")
            return int(number) if spec.type == "integer" else number
        if spec.type == "number":
            return parse_number(text, settings)
        if spec.type == "integer":
            return parse_integer(text, settings)
        if spec.type == "bool":
            return parse_bool(text)
        if spec.type == "list":
            values = parse_list(text)
            if len(text) > spec.max_chars:
                raise CellError(f"longer than {spec.max_chars:,} characters")
            return values
        if len(text) > spec.max_chars:
            raise CellError(f"longer than {spec.max_chars:,} characters, the most this field stores")
        return text

    def _problem(self, line: int, spec: FieldSpec, reason: str) -> CellProblem:
        column = self.mapping.columns.get(spec.name, "") if spec.name in self.index else ""
        return CellProblem(line, column, spec.name, reason if column else f"default value: {reason}")

    def _rules(self, line: int, values: dict[str, Any]) -> list[CellProblem]:
        """What one field cannot say alone: required fields, a score inside its scale."""
        rule = KIND_RULES.get(self.kind)
        return rule(self, line, values) if rule else []

    def _record(self, line: int, cells: Sequence[str], values: dict[str, Any]) -> Record:
        first, last = values.pop("first_name", None), values.pop("last_name", None)
        if self.kind == "customers":
            if "name" not in values and (first or last):
                values["name"] = " ".join(p for p in (first, last) if p)[:300]
            if values.get("email"):
                values["email"] = values["email"].lower()
        if self.kind == "deals" and "won" not in values:
            values["won"] = won_from_stage(values.get("stage"))
        if self.kind == "feedback":
            values["metric"] = values["metric"].lower()
        values["raw"] = self._raw(line, cells)
        return msgspec.convert(values, RECORD_TYPES[RECORD_KIND[self.kind]], from_attributes=True)

    def _raw(self, line: int, cells: Sequence[str]) -> dict[str, Any]:
        """The row as exported, with where it came from."""
        named = {
            header or f"column {i + 1}": cell
            for i, (header, cell) in enumerate(zip(self.table.headers, cells, strict=False))
        }
        return {"file": self.file_name, "line": line, "cells": named}

    def record_error(self, line: int, cells: Sequence[str], problems: list[CellProblem]) -> RecordError:
        """The sync issue for a refused row: its id (or line) and every problem on it."""
        label = self.cell(cells, "external_id") or f"line:{line}"
        reason = "; ".join(p.describe() for p in problems)
        return RecordError(label[:255], reason[:2000], ",".join(cells)[:EXCERPT_CHARS])


def _interaction_rules(mapper: RowMapper, line: int, values: dict[str, Any]) -> list[CellProblem]:
    if values.get("type"):
        return []
    column = mapper.mapping.columns.get("type", "")
    return [
        CellProblem(
            line, column, "type", "empty: every interaction needs a type (map a column or give a default)"
        )
    ]


def _feedback_rules(mapper: RowMapper, line: int, values: dict[str, Any]) -> list[CellProblem]:
    columns = mapper.mapping.columns
    if "score" not in values:
        return [CellProblem(line, columns.get("score", ""), "score", "empty: the answer has no score")]
    metric = str(values.get("metric", "")).lower()
    if metric not in METRICS:
        return [
            CellProblem(
                line,
                columns.get("metric", ""),
                "metric",
                f"'{metric[:20]}' is not nps, csat or ces (map a column or give a default)",
            )
        ]
    low, high = (
        values.setdefault("scale_min", METRICS[metric][0]),
        values.setdefault("scale_max", METRICS[metric][1]),
    )
    if (low, high) not in SCALES[metric]:
        return [
            CellProblem(
                line,
                columns.get("scale_max", ""),
                "scale_max",
                f"{metric} is asked on {' or '.join(f'{a}-{b}' for a, b in sorted(SCALES[metric]))}, "
                f"not {low}-{high}",
            )
        ]
    score = values["score"]
    if not low <= score <= high or not float(score).is_integer():
        return [
            CellProblem(
                line, columns.get("score", ""), "score", f"{score:g} is not a whole point of {low}-{high}"
            )
        ]
    return []


def _ticket_rules(mapper: RowMapper, line: int, values: dict[str, Any]) -> list[CellProblem]:
    created: datetime | None = values.get("created_at")
    problems = []
    for name in ("first_response_at", "resolved_at", "assigned_at"):
        later = values.get(name)
        if created and later and later < created:
            problems.append(
                CellProblem(line, mapper.mapping.columns.get(name, ""), name, "before the ticket was created")
            )
    return problems


KIND_RULES: dict[str, Callable[[RowMapper, int, dict[str, Any]], list[CellProblem]]] = {
    "interactions": _interaction_rules,
    "feedback": _feedback_rules,
    "tickets": _ticket_rules,
}
