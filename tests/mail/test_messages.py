"""Every account message in every language: a text and an HTML part, translated, Persian
right to left, tenant text escaped, and no catalogue missing a string the templates use."""

from __future__ import annotations

import pytest
from babel.messages.pofile import read_po

from cxsuite.mail.messages import DOMAIN, KINDS, MAIL_DIR, SUBJECTS, compose, negotiate_language
from cxsuite.reports.catalogue import template_msgids
from cxsuite.reports.document import SUPPORTED_LANGUAGES
from cxsuite.reports.i18n import catalogue_path
from tests.support.mail import link_in, parse

VALUES = {"tenant": "Acme <b>CX</b>", "inviter": "lead@example.test", "days": "7", "minutes": "30",
          "hours": "24", "ip": "192.0.2.7", "when": "3 Dec 2026, 10:00"}
LINK = "https://cx.example.test/accept-invitation?token=cxi_abc"


@pytest.mark.parametrize("language", SUPPORTED_LANGUAGES)
@pytest.mark.parametrize("kind", KINDS)
def test_each_message_has_a_text_and_an_html_part_in_its_language(kind, language):
    message = parse(bytes(compose(kind, to="ana@example.test", sender="cxsuite <no-reply@example.test>",
                                  language=language, link=LINK, **VALUES)))
    assert message.get_content_type() == "multipart/alternative"
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert link_in(message) == LINK
    assert f'href="{LINK}"' in html
    assert f'lang="{language}"' in html
    assert ('dir="rtl"' in html) == (language == "fa")
    assert "Acme &lt;b&gt;CX&lt;/b&gt;" in html or kind not in ("invitation", "new_login")
    assert "<b>" not in html
    english = SUBJECTS[kind] % VALUES
    assert (message["Subject"] == english) == (language == "en")
    assert message["Content-Language"] == language
    assert "If you did not expect this message" in text or language != "en"


def test_every_catalogue_translates_every_string_the_mail_uses():
    wanted = template_msgids(MAIL_DIR / "templates") | set(SUBJECTS.values())
    for language in SUPPORTED_LANGUAGES:
        if language == "en":
            continue
        with catalogue_path(MAIL_DIR, language, DOMAIN).open("rb") as po:
            catalogue = read_po(po, locale=language)
        translated = {m.id for m in catalogue if m.id and m.string}
        assert not wanted - translated, f"{language} misses {sorted(wanted - translated)}"


@pytest.mark.parametrize(("header", "language"), [
    (None, "en"), ("", "en"), ("fa-IR,fa;q=0.9,en;q=0.5", "fa"), ("de-DE, lt;q=0.4", "lt"),
    ("en;q=0.2, ru;q=0.8", "ru"), ("lv_LV", "lv"), ("xx, *;q=0.1", "en"), ("ru;q=abc", "en"),
])
def test_the_language_follows_accept_language(header, language):
    assert negotiate_language(header) == language
