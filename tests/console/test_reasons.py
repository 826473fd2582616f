"""The API's reasons show in the page's language: every reason the API's code can produce
(read from its source, tests/console/reason_sources.py) has a console msgid and so a
translation in every catalogue; a refused field and an import row's problem are shown
translated on real pages."""

from __future__ import annotations

import re

import httpx
import pytest

from cxsuite.console.catalogue import msgids
from cxsuite.console.i18n import LANGUAGES, translations
from cxsuite.console.reasons import REASONS, msgid_of, reason_in, row_problems_in
from tests.console.reason_sources import reasons
from tests.support.parties import PASSWORD

# Reasons that are not text in the API's code, each with why it needs no msgid of its own.
NOT_TEXT = {
    # Litestar's and msgspec's words for a malformed request (the frequent ones have msgids).
    ("cxsuite/api/problems.py", "exc.detail"), ("cxsuite/api/problems.py", "str(item)"),
    ("cxsuite/api/problems.py", "_plain(message)"),
    # A connector's configuration decoded by msgspec (its words), or refused by the connector's
    # own address check (an operator's setting: CXSUITE_CONNECTOR_ALLOWED_HOSTS).
    ("cxsuite/connections/service.py", "str(exc).split(' - at ')[0]"),
    ("cxsuite/connections/service.py", "exc.detail"),
    # A Google service-account key the key library could not read, and its token address check.
    ("cxsuite/connections/service_account.py", "str(exc)"),
    ("cxsuite/connections/service_account.py", "exc.detail"),
    # The text of a CellError: every CellError's text is collected where it is raised.
    ("cxsuite/imports/rows.py", "str(exc)"),
    # The (field, reason) pairs of settings_problems, collected there.
    ("cxsuite/imports/service.py", "reason"),
    # A scoring model file's own problems (a consultant uploads it through the API, not the console).
    ("cxsuite/scoring/tenant_models.py", "str(exc)"), ("cxsuite/scoring/validation.py", "r"),
}


def test_every_reason_in_the_code_has_a_msgid() -> None:
    found = reasons()
    assert len(found) > 100, "the source reader found too few reasons: is it still reading the API?"
    missing = [f"{r.module}:{r.line} {r.sample!r}" for r in found if r.sample is not None and msgid_of(r.sample) is None]
    assert not missing, "reasons without a console msgid (add them to cxsuite/console/reasons.py):\n" + "\n".join(
        missing)
    unknown = sorted({(r.module, r.expression) for r in found if r.sample is None} - NOT_TEXT)
    assert not unknown, f"reasons that are not text in the code; make them text or say why not: {unknown}"


def test_every_reason_msgid_is_in_the_catalogues() -> None:
    known = set(msgids())
    assert not [m for m in REASONS if m not in known]
    for language in LANGUAGES:
        if language != "en":
            catalogue = translations(language)
            assert not [m for m in REASONS if catalogue.gettext(m) == m], language


@pytest.mark.parametrize("language", [lang for lang in LANGUAGES if lang != "en"])
def test_reasons_are_translated_with_their_values(language: str) -> None:
    gettext = translations(language).gettext
    shown = reason_in(language, "must be on or after period_start (2025-01-01)")
    assert shown == gettext("must be on or after period_start (%(day)s)") % {"day": "2025-01-01"}
    assert "2025-01-01" in shown and "must be" not in shown
    nested = reason_in(language, "default value: 'maybe' is not yes or no")
    assert nested == gettext("default value: %(reason)s") % {
        "reason": gettext("'%(value)s' is not yes or no") % {"value": "maybe"}}
    issue = row_problems_in(language, "row 3, column 'Won' (won): 'maybe' is not yes or no; row 3: "
                                      "before the ticket was created")
    assert "maybe" in issue and "is not yes or no" not in issue and "before the ticket" not in issue
    assert reason_in(language, "a reason nobody wrote") == "a reason nobody wrote"
    assert reason_in("en", "must be 1 to 5") == "must be 1 to 5"


@pytest.mark.anyio
async def test_a_refused_field_and_a_row_problem_show_in_the_page_language(server, parties) -> None:
    owner = await parties.owner()
    workspace = await parties.workspace(owner)
    project = await parties.project(owner, workspace)
    csrf = re.compile(r'name="_csrf_token" value="([^"]+)"')
    lt = translations("lt").gettext
    async with httpx.AsyncClient(base_url=server.base_url, timeout=30, cookies={"cxsuite_lang": "lt"}) as http:
        token = csrf.search((await http.get("/signin")).text).group(1)
        await http.post("/signin", data={"_csrf_token": token, "email": owner.email, "password": PASSWORD})
        page = (await http.get(f"/p/{project}/value-inputs")).text
        stage = re.search(r'name="stages\[0\]\.stage" value="([^"]+)"', page).group(1)
        refused = await http.post(f"/p/{project}/value-inputs", data={
            "_csrf_token": csrf.search(page).group(1), "currency": "EUR", "stages[0].stage": stage,
            "stages[0].margin": "7"})
        assert refused.status_code == 422
        error = re.search(r'id="f-stages\[0\]\.margin-error">([^<]+)<', refused.text).group(1)
        assert error == lt("must be a share between 0 and 1") != "must be a share between 0 and 1"
        made = await http.post(f"/api/v1/workspaces/{workspace}/connections", headers=owner.headers,
                               json={"connector": "file_import", "name": "Exports"})
        connection = made.json()["connection"]["id"]
        await http.put(f"/api/v1/connections/{connection}/files/tickets", headers=owner.headers,
                       files={"file": ("t.csv", b"Ticket ID,Created\nT-1,31.02.2025\n", "text/csv")})
        preview = (await http.get(f"/c/{connection}/files/tickets")).text
        api = (await http.post(f"/api/v1/connections/{connection}/files/tickets/preview", headers=owner.headers,
                               json={})).json()
        [problem] = api["problems"]
        shown = reason_in("lt", problem["reason"])
        assert shown != problem["reason"] and f"<td>{shown}</td>" in preview.replace("&#39;", "'")
