"""The console's pages in all five languages: a tenant with a workspace, project and client
people is made through the API, then each page is opened per language (Persian right to
left, and at 360 px), checked with axe and saved as a screenshot for review."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from cxsuite.console.i18n import LANGUAGES
from tests.browser.conftest import Pages
from tests.support.parties import PASSWORD, Parties

pytestmark = pytest.mark.embedded_only  # the pages and languages do not depend on the database


def _seed(server: object, outbox: object) -> dict[str, str]:
    async def made() -> dict[str, str]:
        async with httpx.AsyncClient(base_url=server.base_url, timeout=30) as http:
            parties = Parties(http, outbox)
            owner = await parties.owner("Northwind Advisory")
            workspace = await parties.workspace(owner, "Acme Retail")
            project = await parties.project(owner, workspace, "CX audit 2026")
            await parties.client_user(owner, workspace, "client_admin")
            twice, _, _ = await parties.in_two_tenants("Baltic Insight", "Riga CX Partners")
            return {"email": owner.email, "workspace": workspace, "project": project, "twice": twice}
    # Playwright's sync API owns this thread's event loop; seed from another thread.
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, made()).result()


@pytest.mark.parametrize("language", list(LANGUAGES))
def test_every_page_in_each_language(language, new_context, server, settings) -> None:
    from cxsuite.mail.transport import outbox_dir
    seeded = _seed(server, outbox_dir(settings))
    pages = Pages(f"lang-{language}")
    width = 360 if language == "fa" else 1280
    page = new_context(width=width, language=language).new_page()
    page.goto("/signin")
    assert page.locator("html").get_attribute("lang") == language
    assert page.locator("html").get_attribute("dir") == ("rtl" if language == "fa" else "ltr")
    pages.check(page, "signin")
    # Someone in two consultancies is asked which one, by name.
    page.locator("#f-email").fill(seeded["twice"])
    page.locator("#f-password").fill(PASSWORD)
    page.locator("form[action='/signin'] button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator("#f-tenant_id option").all_inner_texts() == ["Baltic Insight", "Riga CX Partners"]
    pages.check(page, "signin-choose-consultancy")
    page.goto("/signin")
    page.locator("#f-email").fill(seeded["email"])
    page.locator("#f-password").fill(PASSWORD)
    page.locator("form[action='/signin'] button[type=submit]").click()
    page.wait_for_load_state()
    for path, label in (("/", "home"), (f"/w/{seeded['workspace']}", "workspace"),
                        (f"/p/{seeded['project']}", "project"), ("/account", "account"),
                        ("/audit", "audit"), ("/operator", "operator"), ("/signup", "signup"),
                        ("/reset-password", "reset"), ("/accept-invitation?token=x", "accept")):
        page.goto(path)
        assert page.locator("html").get_attribute("lang") == language
        pages.check(page, label)
    # The language switch (a form with CSRF) changes the language and stays on the page.
    page.goto("/account")
    page.locator("#language-choice").select_option("en" if language != "en" else "lt")
    page.locator("form[action='/language'] button").click()
    page.wait_for_load_state()
    assert page.url.endswith("/account")
    assert page.locator("html").get_attribute("lang") == ("en" if language != "en" else "lt")
    pages.assert_clean()
