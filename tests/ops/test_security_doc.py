"""docs/security.md stays true: every test it names exists, and every table the schema leaves
without row-level security is one the page explains."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.support.db import owner_connection

ROOT = Path(__file__).resolve().parents[2]
PAGE = ROOT / "docs" / "security.md"


def section(title: str) -> str:
    """The text of one ``## `` section of the page."""
    text = PAGE.read_text()
    start = text.index(f"\n## {title}\n")
    end = text.find("\n## ", start + 1)
    return text[start:end if end != -1 else None]


def test_every_test_named_in_the_protections_exists():
    named = re.findall(r"`(tests/[\w/]+\.py)::(\w+)`", section("Protections and their tests"))
    assert len(named) > 40
    missing = []
    for path, name in named:
        source = ROOT / path
        if not source.is_file() or not re.search(rf"^(async )?def {name}\(", source.read_text(), re.M):
            missing.append(f"{path}::{name}")
    assert missing == [], f"docs/security.md names tests that do not exist: {missing}"


@pytest.mark.anyio
@pytest.mark.postgres_only
async def test_every_table_without_row_level_security_is_explained(settings):
    explained = set(re.findall(r"^- `(\w+)`", section("Tables without row-level security"), re.M))
    conn = await owner_connection(settings)
    try:
        rows = await conn.fetch("SELECT relname FROM pg_class WHERE relkind = 'r' AND relnamespace = "
                                "'public'::regnamespace AND NOT (relrowsecurity AND relforcerowsecurity)")
    finally:
        await conn.close()
    unprotected = {r["relname"] for r in rows}
    assert {"app_user", "tenant_directory"} <= unprotected  # the check sees what it should
    assert unprotected - explained == set(), "say in docs/security.md why these tables have no RLS"
