"""Someone in two consultancies signs in to the console: the form asks which one by name (not
by id), and the chosen one is where the session starts."""

from __future__ import annotations

import re

import httpx
import pytest

from tests.support.parties import PASSWORD

pytestmark = pytest.mark.anyio
CSRF = re.compile(r'name="_csrf_token" value="([^"]+)"')


async def test_signing_in_offers_the_consultancies_by_name(server, parties) -> None:
    email, first, second = await parties.in_two_tenants("Northwind Advisory", "Baltic Insight")
    async with httpx.AsyncClient(base_url=server.base_url, timeout=30) as http:
        token = CSRF.search((await http.get("/signin")).text).group(1)
        asked = await http.post("/signin", data={"_csrf_token": token, "email": email, "password": PASSWORD})
        assert asked.status_code == 422
        options = re.findall(r'<option value="([^"]+)">([^<]+)</option>',
                             asked.text.split('id="f-tenant_id"', 1)[1].split("</select>", 1)[0])
        assert options == [(second.tenant_id, "Baltic Insight"), (first.tenant_id, "Northwind Advisory")]
        assert 'role="alert"' in asked.text and "enter your password again" in asked.text
        token = CSRF.search(asked.text).group(1)
        signed_in = await http.post("/signin", data={"_csrf_token": token, "email": email, "password": PASSWORD,
                                                     "tenant_id": second.tenant_id}, follow_redirects=True)
        assert signed_in.status_code == 200 and "Baltic Insight" in signed_in.text
