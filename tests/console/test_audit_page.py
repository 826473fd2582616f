"""The audit page filters by who (picked from the tenant's people by email), what, which object
and when through the API's filters, and a refused filter is shown next to its field."""

from __future__ import annotations

import re

import httpx
import pytest

from cxsuite.console.i18n import translations
from tests.support.parties import PASSWORD

pytestmark = pytest.mark.anyio


async def test_audit_page_filters_and_shows_refusals_next_to_the_field(server, parties) -> None:
    owner = await parties.owner()
    workspace = await parties.workspace(owner)
    client_admin = await parties.client_user(owner, workspace, "client_admin")
    async with httpx.AsyncClient(base_url=server.base_url, timeout=30) as http:
        page = await http.get("/signin")
        token = re.search(r'name="_csrf_token" value="([^"]+)"', page.text).group(1)
        await http.post("/signin", data={"_csrf_token": token, "email": owner.email, "password": PASSWORD})
        full = await http.get("/audit")
        for name in ("action", "actor", "object_type", "object_id", "since", "until"):
            assert f'<label for="f-{name}">' in full.text, name
        # Who is picked by email from the tenant's people (the API still gets the user id).
        for person in (owner, client_admin):
            assert f'<option value="{person.user_id}">{person.email}</option>' in full.text
        narrowed = await http.get("/audit", params={"object_type": "workspace", "object_id": workspace,
                                                    "actor": owner.user_id, "since": "2000-01-01",
                                                    "until": "2999-12-31"})
        assert narrowed.status_code == 200 and workspace in narrowed.text
        signup = "<td>Consultancy account created</td>"
        assert signup in full.text and signup not in narrowed.text
        assert "<td>tenant.signup</td>" not in full.text and "<td>success</td>" not in full.text
        assert "<td>Succeeded</td>" in full.text and "<td>Workspace created</td>" in narrowed.text
        # What and which kind of object are picked in words; the API still gets its values.
        assert '<option value="tenant.signup">Consultancy account created</option>' in full.text
        assert '<option value="workspace">Workspace</option>' in full.text
        by_action = await http.get("/audit", params={"action": "workspace.created"})
        assert '<option value="workspace.created" selected>' in by_action.text
        assert "<td>Workspace created</td>" in by_action.text and signup not in by_action.text
        assert f"<td>{owner.email}</td>" in narrowed.text and f"<td>{owner.user_id}</td>" not in narrowed.text
        assert f'<option value="{owner.user_id}" selected>' in narrowed.text
        assert "Nothing matches." in (await http.get("/audit", params={"until": "2000-01-01"})).text
        refused = await http.get("/audit", params={"actor": "somebody"})
        assert refused.status_code == 400
        assert 'id="f-actor-error"' in refused.text and 'value="somebody"' in refused.text


async def test_audit_page_names_actions_in_the_page_language(server, parties) -> None:
    owner = await parties.owner()
    await parties.workspace(owner)
    for language in ("lt", "fa"):
        gettext = translations(language).gettext
        async with httpx.AsyncClient(base_url=server.base_url, timeout=30, cookies={"cxsuite_lang": language}) as http:
            page = await http.get("/signin")
            token = re.search(r'name="_csrf_token" value="([^"]+)"', page.text).group(1)
            await http.post("/signin", data={"_csrf_token": token, "email": owner.email, "password": PASSWORD})
            shown = (await http.get("/audit")).text
        for words in ("Sign-in", "Workspace created", "Consultancy account created", "Succeeded"):
            assert f"<td>{gettext(words)}</td>" in shown and gettext(words) != words, (language, words)
        assert f'<option value="workspace.created">{gettext("Workspace created")}</option>' in shown
