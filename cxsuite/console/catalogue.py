"""Every sentence the console can show, collected from its templates (calls of ``_``) and its
Python (marked with ``N_``), so a test can prove each language's catalogue covers them all."""

from __future__ import annotations

import ast
import re

from cxsuite.console.i18n import CONSOLE_DIR

TEMPLATE_CALL = re.compile(r"""\b_\(\s*(["'])((?:(?!\1).)+)\1""")
PYTHON_MARK = re.compile(r"""\bN_\(((?:\s*"(?:[^"\\]|\\.)*")+)\s*\)""")
PIECE = re.compile(r'"((?:[^"\\]|\\.)*)"')


def msgids() -> list[str]:
    """Sorted, unique msgids of the console."""
    found: set[str] = set()
    for template in (CONSOLE_DIR / "templates").glob("*.html"):
        found.update(m.group(2) for m in TEMPLATE_CALL.finditer(template.read_text(encoding="utf-8")))
    for module in CONSOLE_DIR.rglob("*.py"):
        for mark in PYTHON_MARK.finditer(module.read_text(encoding="utf-8")):
            found.add("".join(ast.literal_eval(f'"{piece}"') for piece in PIECE.findall(mark.group(1))))
    return sorted(found)
