"""Checks on the documentation itself: what the code offers must be written down."""

from __future__ import annotations

from pathlib import Path

from cxsuite.settings import setting_docs

ROOT = Path(__file__).resolve().parents[2]


def test_every_setting_is_in_the_configuration_reference():
    reference = (ROOT / "docs" / "configuration.md").read_text()
    missing = [env for env, _, _ in setting_docs() if f"`{env}`" not in reference]
    assert not missing, f"document these in docs/configuration.md: {missing}"


def test_readme_quick_start_has_exactly_two_commands():
    readme = (ROOT / "README.md").read_text()
    quick_start = readme.split("## Quick start", 1)[1].split("```bash", 1)[1].split("```", 1)[0]
    commands = [line for line in quick_start.splitlines() if line.strip()]
    assert len(commands) == 2
    assert commands[0].startswith("./dev demo") and commands[1].startswith("./dev test")


def test_permissions_doc_is_the_generated_matrix():
    from cxsuite.access.docs import permissions_markdown

    assert (ROOT / "docs" / "permissions.md").read_text() == permissions_markdown(), (
        "regenerate: python -m cxsuite.access.docs > docs/permissions.md")
