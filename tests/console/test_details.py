"""A problem's detail shows in the page's language: every detail the API's code can give in a
refusal the console shows (read from its source, tests/console/detail_sources.py) has a console
msgid and a translation in every catalogue; a detail nobody wrote a msgid for is a plain sentence
of the page's language, never English inside a Persian page."""

from __future__ import annotations

import re

import httpx
import pytest

from cxsuite.console.catalogue import msgids
from cxsuite.console.details import DETAILS, UNKNOWN, detail_in
from cxsuite.console.i18n import LANGUAGES, translations
from cxsuite.console.reasons import msgid_of
from tests.console.detail_sources import details, titles
from tests.support.parties import PASSWORD

OTHERS = [lang for lang in LANGUAGES if lang != "en"]
WORDS = re.compile(r"[A-Za-z]{2,}")


def test_every_detail_in_the_code_has_a_msgid() -> None:
    found = details()
    assert len(found) > 80, "the source reader found too few details: is it still reading the API?"
    missing = [f"{d.module}:{d.line} {d.sample!r}" for d in found if d.sample is not None
               and msgid_of(d.sample, DETAILS) is None]
    assert not missing, "details without a console msgid (add them to cxsuite/console/details.py):\n" + "\n".join(
        missing)
    assert not [d for d in found if d.sample is None], "a detail that is not text in the code"
    assert not [t for t in titles() if t not in DETAILS], "an error class's title (a detail when none is given)"


@pytest.mark.parametrize("language", OTHERS)
def test_every_detail_msgid_is_translated(language: str) -> None:
    known, catalogue = set(msgids()), translations(language)
    assert not [m for m in (*DETAILS, UNKNOWN) if m not in known]
    # A msgid of placeholders and punctuation only (``%(field)s: %(reason)s``) reads the same.
    untranslated = [m for m in (*DETAILS, UNKNOWN) if catalogue.gettext(m) == m and WORDS.search(
        re.sub(r"%\(\w+\)s", "", m))]
    assert not untranslated, language


@pytest.mark.parametrize("language", OTHERS)
def test_details_are_translated_with_their_values_or_said_plainly(language: str) -> None:
    gettext = translations(language).gettext
    shown = detail_in(language, "the report is not rendered yet (status: failed)")
    assert shown == gettext("the report is not rendered yet (status: %(status)s)") % {"status": "failed"}
    assert "not rendered" not in shown
    field = detail_in(language, "branding.logo: the logo must be PNG or JPEG")
    assert field == f"branding.logo: {gettext('the logo must be PNG or JPEG')}"
    assert detail_in(language, "a detail nobody wrote") == gettext(UNKNOWN) != UNKNOWN
    assert detail_in(language, "branding.logo: a reason nobody wrote") == gettext(UNKNOWN)
    assert detail_in("en", "a detail nobody wrote") == "a detail nobody wrote"


@pytest.mark.anyio
async def test_a_refusal_without_a_field_shows_its_detail_in_the_page_language(server, parties) -> None:
    owner = await parties.owner()
    workspace = await parties.workspace(owner)
    member = await parties.client_user(owner, workspace, "client_viewer")
    csrf = re.compile(r'name="_csrf_token" value="([^"]+)"')
    for language in ("fa", "ru"):
        expected = translations(language).gettext("this person is already a member of the workspace")
        async with httpx.AsyncClient(base_url=server.base_url, timeout=30, cookies={"cxsuite_lang": language}) as http:
            token = csrf.search((await http.get("/signin")).text).group(1)
            await http.post("/signin", data={"_csrf_token": token, "email": owner.email, "password": PASSWORD})
            page = (await http.get(f"/w/{workspace}")).text
            refused = await http.post(f"/w/{workspace}/members", data={
                "_csrf_token": csrf.search(page).group(1), "email": member.email, "role": "client_viewer"})
        assert refused.status_code == 409
        assert f'<div class="alert" role="alert"><p>{expected}</p></div>' in refused.text, language
        assert "already a member" not in refused.text
