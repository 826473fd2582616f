"""Browser tests: Debian's chromium driven by Playwright (no browser download), one app
server for the whole session (the suite's ``server`` fixture), axe-core injected into every
page, and a screenshot of every page under ``test-artifacts/console/``.

Skipped, with the reason, only when no chromium is installed (``./dev test`` installs it).
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("CXSUITE_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
AXE = Path(__file__).parent / "node_modules" / "axe-core" / "axe.min.js"
ARTEFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "console"
SERIOUS = {"serious", "critical"}

if not Path(CHROMIUM).exists():
    pytest.skip(f"no chromium at {CHROMIUM}: install Debian's chromium (./dev test does)", allow_module_level=True)

sync_api = pytest.importorskip("playwright.sync_api")


@pytest.fixture(scope="package")
def browser() -> Iterator[object]:
    """One headless chromium for the browser tests. Package scope, not session: Playwright's
    sync API keeps an event loop running in this thread while it is open, and the suite's
    async tests (anyio) cannot run theirs beside it, so it closes when the run leaves
    ``tests/browser``."""
    with sync_api.sync_playwright() as p:
        launched = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--no-sandbox"])
        yield launched
        launched.close()


class Pages:
    """Checks every page a journey visits: axe (0 serious/critical), no sideways scrolling of
    the whole page (tables scroll inside themselves), and a screenshot."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.count = 0
        self.violations: list[str] = []
        ARTEFACTS.mkdir(parents=True, exist_ok=True)

    def check(self, page: object, label: str) -> None:
        """Screenshot ``page`` and run axe on it."""
        self.count += 1
        shot = ARTEFACTS / f"{self.name}-{self.count:02d}-{label}.png"
        page.screenshot(path=str(shot), full_page=True)
        width = page.viewport_size["width"]
        scrolled = page.evaluate("document.documentElement.scrollWidth")
        if scrolled > width + 1:
            self.violations.append(f"{label} ({page.url}): {scrolled} px wide in a {width} px window")
        if not AXE.exists():
            raise AssertionError(f"axe-core is missing at {AXE}: run 'npm ci' in tests/browser (./dev test does)")
        page.add_script_tag(path=str(AXE))
        result = page.evaluate("""async () => { const r = await axe.run(document,
            {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}});
            return r.violations.map(v => ({id: v.id, impact: v.impact,
                nodes: v.nodes.map(n => n.target.join(' ')).slice(0, 3)})); }""")
        for v in result:
            if v["impact"] in SERIOUS:
                self.violations.append(f"{label} ({page.url}): {json.dumps(v)}")

    def assert_clean(self) -> None:
        """Fail with every serious or critical violation seen."""
        print(f"\nscreenshots: {ARTEFACTS}/{self.name}-*.png")
        assert not self.violations, "\n".join(self.violations)


@pytest.fixture
def new_context(browser: object, server: object) -> Iterator[object]:
    """Browser contexts on the app (``bypass_csp`` only so axe can be injected)."""
    made = []

    def make(width: int = 1280, language: str = "en") -> object:
        context = browser.new_context(base_url=server.base_url, bypass_csp=True, locale=language,
                                      viewport={"width": width, "height": 900})
        context.set_default_timeout(20_000)
        made.append(context)
        return context

    yield make
    for context in made:
        context.close()
