"""Figures on console pages are written as the page's language writes them: a Persian page
numbers the rows of a file's problems and dates the audit log in Persian digits, an English
page in Latin ones (the reports' formatter, so a page and the PDF agree)."""

from __future__ import annotations

import re

import httpx
import pytest

from tests.imports.flow import new_connection
from tests.support.parties import PASSWORD

pytestmark = pytest.mark.anyio

TICKETS = b"Ticket ID,Created\nT-1,2025-03-01\nT-2,2025-03-02\nT-3,31.02.2025\n"
PERSIAN = re.compile("[۰-۹]")
LATIN = re.compile("[0-9]")


async def test_counts_and_dates_use_the_digits_of_the_page_language(server, parties) -> None:
    owner = await parties.owner()
    workspace = await parties.workspace(owner)
    conn = await new_connection(parties.client, owner.headers, workspace, "Exports")
    await parties.client.put(f"/api/v1/connections/{conn}/files/tickets", headers=owner.headers,
                             files={"file": ("t.csv", TICKETS, "text/csv")})
    shown = {}
    for language in ("fa", "en"):
        async with httpx.AsyncClient(base_url=server.base_url, timeout=30, cookies={"cxsuite_lang": language}) as http:
            token = re.search(r'name="_csrf_token" value="([^"]+)"', (await http.get("/signin")).text).group(1)
            await http.post("/signin", data={"_csrf_token": token, "email": owner.email, "password": PASSWORD})
            preview = (await http.get(f"/c/{conn}/files/tickets")).text
            audit = (await http.get("/audit")).text
        rows = re.findall(r"<tr><td>([^<]+)</td>", preview)
        times = re.findall(r'<time datetime="[^"]+">([^<]+)</time>', audit)
        assert rows and times, language
        shown[language] = (rows, times)
    fa_rows, fa_times = shown["fa"]
    en_rows, en_times = shown["en"]
    # The file's rows 2 to 4 (the header is row 1), in the preview and the refused date's problem.
    assert set(fa_rows) == {"۲", "۳", "۴"} and set(en_rows) == {"2", "3", "4"}
    for text in fa_rows + fa_times:
        assert PERSIAN.search(text) and not LATIN.search(text), text
    for text in en_rows + en_times:
        assert LATIN.search(text) and not PERSIAN.search(text), text
