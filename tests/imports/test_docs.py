"""``docs/file-import.md`` stays true: its header-synonyms table is the code's, and the
architecture page links it."""

from __future__ import annotations

from pathlib import Path

from cxsuite.imports.fields import FIELDS, synonyms_markdown

DOCS = Path(__file__).resolve().parents[2] / "docs"


def test_the_synonyms_table_is_generated_from_the_code():
    page = (DOCS / "file-import.md").read_text()
    assert synonyms_markdown() in page, ("regenerate the table: python -c 'from cxsuite.imports.fields import "
                                         "synonyms_markdown; print(synonyms_markdown())'")
    for kind, specs in FIELDS.items():
        for spec in specs:
            assert f"| {kind} | `{spec.name}`" in page


def test_the_architecture_page_links_the_file_import():
    assert "file-import.md" in (DOCS / "architecture.md").read_text()
