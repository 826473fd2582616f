"""Everyone's journey: forgot the password (the mailed link lands in the console), sign in,
change the password, see the sessions and revoke one, sign out; keyboard only for the
sign-in (labels, focus order, Enter submits)."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor

import httpx

from cxsuite.mail.transport import outbox_dir
from tests.browser.conftest import Pages
from tests.support.mail import link_in, wait_for_mail
from tests.support.parties import PASSWORD, Parties

NEW_PASSWORD = "a much longer and newer passphrase"


def _owner(server: object, outbox: object) -> str:
    async def made() -> str:
        async with httpx.AsyncClient(base_url=server.base_url, timeout=30) as http:
            owner = await Parties(http, outbox).owner("Northwind Advisory")
            await http.post("/api/v1/auth/token", json={"email": owner.email, "password": PASSWORD})
            return owner.email
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, made()).result()


def test_everyone_resets_changes_revokes_and_signs_out(new_context, server, settings) -> None:
    outbox = outbox_dir(settings)
    email = _owner(server, outbox)
    pages = Pages("account")
    page = new_context().new_page()

    page.goto("/signin")
    page.get_by_role("link", name="Forgot your password?").click()
    pages.check(page, "reset-request")
    page.get_by_label("Email address").fill(email)
    page.get_by_role("button", name="Send the link").click()
    page.wait_for_load_state()
    assert "a link to choose a new password is on its way" in page.content()

    link = link_in(wait_for_mail(outbox, email, "password_reset"))
    assert link.startswith(server.settings.public_base_url + "/reset-password?token=")
    page.goto(link.replace(server.settings.public_base_url, ""))
    pages.check(page, "reset-choose")
    page.get_by_label("New password").fill(PASSWORD + " again")
    page.get_by_role("button", name="Save the new password").click()
    page.wait_for_load_state()
    assert "Your password is set" in page.content()

    # Keyboard only: the fields are reachable in order and Enter sends the form.
    page.locator("#f-email").focus()
    page.keyboard.type(email)
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD + " again")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "/signin" not in page.url and "Workspaces" in page.content()

    page.goto("/account")
    page.get_by_label("Current password").fill("wrong password entirely")
    page.get_by_label("New password").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Change password").click()
    page.wait_for_load_state()
    shown = page.locator("[role=alert], .field.invalid .error").count()
    assert shown >= 1, "the refusal is shown on the form"
    pages.check(page, "password-refused")
    page.get_by_label("Current password").fill(PASSWORD + " again")
    page.get_by_label("New password").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Change password").click()
    page.wait_for_load_state()
    assert "Your password is changed" in page.content()
    pages.check(page, "account")

    revoke = page.get_by_role("button", name="Revoke").first
    if revoke.count():
        before = page.get_by_role("button", name="Revoke").count()
        revoke.click()
        page.wait_for_load_state()
        if "/signin" not in page.url:
            assert page.get_by_role("button", name="Revoke").count() <= before

    page.goto("/account")
    if "/signin" not in page.url:
        page.get_by_role("button", name="Sign out").click()
        page.wait_for_load_state()
    assert "/signin" in page.url
    page.goto("/account")
    assert "/signin" in page.url, "signed out means signed out"
    pages.assert_clean()
