"""The authoring guide's field table is the records' own: generated from
``cxsuite/connectors/records.py``, it fails here when a field is added without it."""

from __future__ import annotations

from pathlib import Path

from cxsuite.connectors import fields_doc
from cxsuite.connectors.records import RECORD_TYPES

GUIDE = Path(__file__).resolve().parents[2] / "docs" / "writing-a-connector.md"


def test_the_guide_lists_every_field_of_every_record_kind():
    text = GUIDE.read_text()
    assert fields_doc.section() in text, (
        "docs/writing-a-connector.md's field table is out of date: run "
        "python -m cxsuite.connectors.fields_doc --write docs/writing-a-connector.md")
    for kind, cls in RECORD_TYPES.items():
        for name in cls.__struct_fields__:
            assert f"| `{name}` |" in fields_doc.table(), (kind, name)
