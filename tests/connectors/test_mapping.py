"""The shared row → record mapping: a bad row becomes an issue with its id and the field at
fault, a row of an unexpected shape does too, and the good rows around it still land."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from cxsuite.connectors.mapping import MappingError, day, map_rows, moment, number
from cxsuite.connectors.records import Customer


def to_customer(row: dict[str, Any]) -> Customer:
    return Customer(external_id=row["id"], email=row.get("email"),
                    created_at=moment(row.get("created"), "field created"))


def test_bad_rows_are_reported_with_their_id_and_reason_and_the_rest_land():
    rows = [{"id": "1", "created": "2026-01-02T03:04:05Z"}, {"id": "2", "created": "yesterday"},
            {"email": "no-id@example.test"}, ["not", "an", "object"], {"id": "5"}]
    records, errors = map_rows(rows, to_customer, lambda row: row["id"])
    assert [r.external_id for r in records] == ["1", "5"]
    assert [(e.external_id, e.reason) for e in errors] == [
        ("2", "field created is not a datetime: 'yesterday'"),
        ("unknown", "unexpected shape: KeyError 'id'"),
        ("unknown", "unexpected shape: TypeError list indices must be integers or slices, not str")]
    assert '"yesterday"' in errors[0].excerpt and len(errors[0].excerpt) <= 300


def test_an_excerpt_is_cut_to_its_limit():
    _, errors = map_rows([{"id": "x", "created": "bad", "notes": "n" * 5000}], to_customer, lambda r: r["id"])
    assert len(errors[0].excerpt) == 300


@pytest.mark.parametrize(("value", "expected"), [
    ("2026-03-01T10:00:00+05:30", datetime(2026, 3, 1, 4, 30, tzinfo=UTC)),
    ("2026-03-01T10:00:00", datetime(2026, 3, 1, 10, tzinfo=UTC)),
    ("2026-03-01T10:00:00Z", datetime(2026, 3, 1, 10, tzinfo=UTC)),
    ("", None), (None, None)])
def test_moments_are_aware_utc(value, expected):
    assert moment(value, "field t") == expected


def test_numbers_and_days():
    assert number("12.5", "field amount") == 12.5 and number(3, "field amount") == 3.0
    assert number("", "field amount") is None
    assert day("2026-03-01T23:59:00+05:00", "field d") == datetime(2026, 3, 1, tzinfo=UTC)
    with pytest.raises(MappingError, match="field amount is not a number: True"):
        number(True, "field amount")
    with pytest.raises(MappingError, match="field amount is not a number: '12,5'"):
        number("12,5", "field amount")
    with pytest.raises(MappingError, match="field d is not a date: '01/03/2026'"):
        day("01/03/2026", "field d")
