"""The kit stands alone: ``pip install "cxsuite[testing]"`` brings what ``cxsuite.testing``
imports, every core dependency is one the core itself imports (none is there only for a plugin),
and without pytest the kit says how to get it."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import cxsuite.testing

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "cxsuite"
# Distribution name → the module it is imported as, where they differ.
MODULE_OF = {"argon2-cffi": "argon2", "pyjwt": "jwt", "pyyaml": "yaml", "pillow": "PIL",
             "swagger-ui-bundle": "swagger_ui_bundle"}
# Drivers the core selects by URL rather than imports: Piccolo's SQLite engine runs on aiosqlite.
USED_WITHOUT_IMPORT = {"aiosqlite"}


def project() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]


def names(requirements: list[str]) -> set[str]:
    return {re.split(r"[\[<>=!~ ;]", r, maxsplit=1)[0].lower() for r in requirements}


def imported(files: list[Path]) -> set[str]:
    """Top-level modules the files import."""
    found: set[str] = set()
    for file in files:
        for node in ast.walk(ast.parse(file.read_text())):
            if isinstance(node, ast.Import):
                found |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                found.add(node.module.split(".")[0])
    return found


def third_party(modules: set[str]) -> set[str]:
    return {m for m in modules if m not in sys.stdlib_module_names and m != "cxsuite"}


def test_the_testing_extra_brings_what_the_kit_imports():
    core = {MODULE_OF.get(n, n) for n in names(project()["dependencies"])}
    extra = {MODULE_OF.get(n, n) for n in names(project()["optional-dependencies"]["testing"])}
    kit = third_party(imported(sorted((PACKAGE / "testing").glob("*.py"))))
    assert "pytest" in kit and kit - core <= extra, f"cxsuite[testing] lacks {sorted(kit - core - extra)}"


def test_every_core_dependency_is_used_by_the_core_itself():
    """A dependency only a plugin needs belongs in that plugin's own pyproject."""
    core_files = [f for f in PACKAGE.rglob("*.py") if "testing" not in f.relative_to(PACKAGE).parts]
    used = imported(core_files)
    unused = sorted(n for n in names(project()["dependencies"])
                    if MODULE_OF.get(n, n) not in used and n not in USED_WITHOUT_IMPORT)
    assert not unused, f"core dependencies the core never imports: {unused}"


def test_without_pytest_the_kit_says_how_to_install_it():
    code = "import sys; sys.modules['pytest'] = None\nimport cxsuite.testing"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False,  # noqa: S603
                            cwd=ROOT)
    assert result.returncode != 0
    assert 'pip install "cxsuite[testing]"' in result.stderr


def test_the_kit_exports_what_the_guide_imports():
    guide = (ROOT / "docs" / "writing-a-connector.md").read_text()
    assert set(cxsuite.testing.__all__) == {"ConnectorConformance", "Fault", "VendorHarness"}
    for line in re.findall(r"^from cxsuite\.testing[\w.]* import .+$", guide, flags=re.MULTILINE):
        exec(line, {})  # noqa: S102 - the guide's own import lines, run as written
