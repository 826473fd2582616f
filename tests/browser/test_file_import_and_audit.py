"""The file-import pages and the audit log with its filters in a browser, in English and Russian at
desktop width and in Persian (right to left) at 360 px: axe finds nothing serious, nothing scrolls
sideways."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor

import httpx

from cxsuite.mail.transport import outbox_dir
from tests.browser.conftest import Pages
from tests.support.parties import PASSWORD, Parties

TICKETS = b"Ticket ID,Created,Channel\nT-1,2025-03-01 10:00,email\nT-2,31.02.2025,phone\n"


def _setup(server: object, outbox: object) -> tuple[str, str]:
    async def made() -> tuple[str, str]:
        async with httpx.AsyncClient(base_url=server.base_url, timeout=30) as http:
            owner = await Parties(http, outbox).owner("Northwind Advisory")
            workspace = await Parties(http, outbox).workspace(owner)
            conn = (await http.post(f"/api/v1/workspaces/{workspace}/connections", headers=owner.headers,
                                    json={"connector": "file_import", "name": "CRM exports"})).json()
            cid = conn["connection"]["id"]
            await http.put(f"/api/v1/connections/{cid}/files/tickets", headers=owner.headers,
                           files={"file": ("tickets.csv", TICKETS, "text/csv")})
            return owner.email, cid
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, made()).result()


def test_file_import_and_audit_pages(new_context, server, settings) -> None:
    email, cid = _setup(server, outbox_dir(settings))
    pages = Pages("fileimport")
    for width, language in ((1280, "en"), (360, "fa"), (1280, "ru")):
        page = new_context(width, language).new_page()
        page.goto("/signin")
        page.locator("#f-email").fill(email)
        page.locator("#f-password").fill(PASSWORD)
        with page.expect_navigation():
            page.keyboard.press("Enter")
        for path, label in ((f"/c/{cid}/files", "files"), (f"/c/{cid}/files/tickets", "preview"),
                            ("/audit?object_type=workspace", "audit"), ("/audit", "audit-all")):
            page.goto(path)
            pages.check(page, f"{language}-{label}")
    pages.assert_clean()
