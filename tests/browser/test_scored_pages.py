"""The pages of a real score run in a browser, in all five languages (Persian right to left and
Lithuanian at 360 px): the value inputs beside the run's ranked priorities, the run's grid, the
report preview (a standalone page under the API's preview policy) and the published report's
grid as a client viewer reads it. axe finds nothing serious, nothing scrolls sideways, and every
page is saved as a screenshot for review."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor

import httpx

from cxsuite.db.session import Database
from cxsuite.mail.transport import outbox_dir
from tests.browser.conftest import Pages
from tests.reports_api.test_reports import render, scored
from tests.support.engagement import engagement
from tests.support.parties import PASSWORD, Parties

WIDTHS = {"en": 1280, "lt": 360, "lv": 1280, "ru": 1280, "fa": 360}


def _scored_and_published(server: object, settings: object) -> dict[str, str]:
    """An engagement with records and answers, scored, its report rendered and published, and
    a client viewer of its workspace (made in another thread: Playwright owns this one's loop)."""
    async def made() -> dict[str, str]:
        db = Database.from_url(settings.database_url)
        await db.start()
        try:
            async with httpx.AsyncClient(base_url=server.base_url, timeout=60) as http:
                parties = Parties(http, outbox_dir(settings))
                eng = await engagement(db, http, parties)
                run = await scored(eng, http)
                report = await render(eng, http)
                published = await http.post(f"/api/v1/reports/{report['id']}/publish", headers=eng.owner.headers)
                assert published.status_code == 200, published.text
                viewer = await parties.client_user(eng.owner, str(eng.workspace_id), "client_viewer")
                return {"owner": eng.owner.email, "viewer": viewer.email, "project": str(eng.project_id),
                        "run": run["id"], "report": report["id"]}
        finally:
            await db.close()
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, made()).result()


def _signed_in(new_context: object, email: str, language: str) -> object:
    page = new_context(width=WIDTHS[language], language=language).new_page()
    page.goto("/signin")
    page.locator("#f-email").fill(email)
    page.locator("#f-password").fill(PASSWORD)
    with page.expect_navigation():
        page.locator("form[action='/signin'] button[type=submit]").click()
    return page


def test_scored_run_pages_in_every_language(new_context, server, settings) -> None:
    made = _scored_and_published(server, settings)
    pages = Pages("scored")
    project, run, report = made["project"], made["run"], made["report"]
    for language, width in WIDTHS.items():
        direction = "rtl" if language == "fa" else "ltr"
        owner = _signed_in(new_context, made["owner"], language)
        owner.goto(f"/p/{project}/value-inputs")
        assert owner.locator("html").get_attribute("dir") == direction
        ranked = owner.locator("section[aria-labelledby=ranked] tbody tr")
        assert ranked.count() > 0, "the scored run's priorities are listed"
        stage_cell = ranked.first.locator("td").nth(2).inner_text()
        assert stage_cell and "_" not in stage_cell, f"a stage by its key, not its name: {stage_cell}"
        pages.check(owner, f"{language}-{width}-value-inputs")
        owner.goto(f"/p/{project}/runs/{run}")
        pages.check(owner, f"{language}-{width}-run")
        owner.goto(f"/p/{project}/runs/{run}/preview?language={language}")
        assert owner.locator("html").get_attribute("lang") == language
        pages.check(owner, f"{language}-{width}-preview")
        viewer = _signed_in(new_context, made["viewer"], language)
        viewer.goto(f"/r/{report}/grid")
        assert viewer.locator("table.grid").is_visible() and viewer.locator("main form").count() == 0
        assert viewer.locator("html").get_attribute("dir") == direction
        pages.check(viewer, f"{language}-{width}-client-grid")
    pages.assert_clean()
