"""The author's guide shows real code: every Python and TOML block of
``docs/writing-a-connector.md`` is an excerpt of the survey-import plugin or its tests, or of
the connector test kit's own tests (``tests/testing``: the HTTP connector and its stand-in)."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
GUIDE = ROOT / "docs" / "writing-a-connector.md"
BLOCK = re.compile(r"^```(?:python|toml)\n(.*?)^```", re.MULTILINE | re.DOTALL)


def sources() -> list[str]:
    plugin = ROOT / "plugins" / "survey_import"
    files = [*plugin.glob("cxsuite_survey_import/*.py"), plugin / "pyproject.toml",
             *(ROOT / "tests" / "connectors" / "survey_import").glob("*.py"),
             *(ROOT / "tests" / "testing").glob("*.py")]
    return [f.read_text() for f in files]


def test_every_code_block_of_the_guide_is_an_excerpt_of_the_plugin():
    blocks = BLOCK.findall(GUIDE.read_text())
    assert len(blocks) >= 10
    texts = sources()
    for block in blocks:
        for part in re.split(r"^\s*\.\.\.\n", block, flags=re.MULTILINE):
            assert any(part.strip("\n") in text for text in texts), f"not in the plugin:\n{part}"
