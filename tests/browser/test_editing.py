"""The consultant's editing pages (value inputs, report text, stage mapping, journey model) in
English at desktop width and in Persian at 360 px, right to left: axe finds nothing serious,
nothing scrolls sideways, and each page is saved as a screenshot for review."""

from __future__ import annotations

import pytest

from tests.browser.conftest import Pages
from tests.browser.test_languages import _seed
from tests.support.parties import PASSWORD

EDITING = ("value-inputs", "report-text", "journey-mapping", "journey")


@pytest.mark.parametrize(("language", "width"), [("en", 1280), ("fa", 360)])
def test_editing_pages(language, width, new_context, server, settings) -> None:
    from cxsuite.mail.transport import outbox_dir
    seeded = _seed(server, outbox_dir(settings))
    pages = Pages(f"edit-{language}")
    page = new_context(width=width, language=language).new_page()
    page.goto("/signin")
    page.locator("#f-email").fill(seeded["email"])
    page.locator("#f-password").fill(PASSWORD)
    page.locator("form[action='/signin'] button[type=submit]").click()
    page.wait_for_load_state()
    for part in EDITING:
        page.goto(f"/p/{seeded['project']}/{part}")
        assert page.locator("html").get_attribute("dir") == ("rtl" if language == "fa" else "ltr")
        pages.check(page, part)
    # A refused value shows its reason next to the field, and that page passes axe too.
    page.goto(f"/p/{seeded['project']}/value-inputs")
    page.locator("[id='f-stages[0].margin']").fill("7")
    page.locator("form[action$='/value-inputs'] button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator("[id='f-stages[0].margin-error']").is_visible()
    pages.check(page, "value-inputs-refused")
    pages.assert_clean()
