"""Every sentence of the console is translated in lt, lv, ru and fa, with the same
placeholders, and the language switch and right-to-left direction work."""

from __future__ import annotations

import re

import pytest
from babel.messages.pofile import read_po

from cxsuite.console.catalogue import msgids
from cxsuite.console.i18n import CONSOLE_DIR, LANGUAGES, translator

PLACEHOLDER = re.compile(r"%\(\w+\)s")


@pytest.mark.parametrize("language", [lang for lang in LANGUAGES if lang != "en"])
def test_every_msgid_is_translated(language: str) -> None:
    path = CONSOLE_DIR / "locale" / language / "LC_MESSAGES" / "console.po"
    with path.open("rb") as po:
        catalogue = read_po(po, locale=language)
    missing, broken = [], []
    for msgid in msgids():
        message = catalogue.get(msgid)
        if message is None or not message.string:
            missing.append(msgid)
        elif sorted(PLACEHOLDER.findall(msgid)) != sorted(PLACEHOLDER.findall(message.string)):
            broken.append(msgid)
    assert not missing, f"{language}: untranslated {missing}"
    assert not broken, f"{language}: placeholders differ in {broken}"


@pytest.mark.parametrize("language", [lang for lang in LANGUAGES if lang != "en"])
def test_no_catalogue_keeps_a_msgid_nothing_uses(language: str) -> None:
    """A sentence dropped from the templates and code leaves the catalogues too (a stale one
    would be translated, reviewed and shipped for nothing)."""
    path = CONSOLE_DIR / "locale" / language / "LC_MESSAGES" / "console.po"
    with path.open("rb") as po:
        stale = {message.id for message in read_po(po, locale=language) if message.id} - set(msgids())
    assert not stale, f"{language}: msgids no template or code uses: {sorted(stale)}"


def test_translated_values_are_escaped() -> None:
    _ = translator("ru")
    assert "<b>" not in _("Revoke %(name)s", name="<b>x</b>")
    assert _("Sign in") == "Войти"
