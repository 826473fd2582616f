"""The console's languages: which one a request gets, and its catalogue.

English is the msgids themselves; lt, lv, ru and fa live in ``locale/<lang>/LC_MESSAGES/
console.po`` (read with the same loader as the report and mail catalogues). Persian is
written right to left: pages get ``dir="rtl"`` and the stylesheet mirrors on logical
properties, so nothing needs a second layout.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import Any

from babel.support import Translations
from litestar import Request
from markupsafe import Markup, escape

from cxsuite.mail.messages import negotiate_language
from cxsuite.reports.i18n import load_translations
from cxsuite.reports.render import TEMPLATES_DIR as REPORT_TEMPLATES

CONSOLE_DIR = Path(__file__).parent
DOMAIN = "console"
LANGUAGES = {"en": "English", "lt": "Lietuvių", "lv": "Latviešu", "ru": "Русский", "fa": "فارسی"}
RTL = frozenset({"fa"})
LANGUAGE_COOKIE = "cxsuite_lang"


def language_of(request: Request) -> str:
    """The language chosen with the switch (a cookie), else the browser's preference."""
    chosen = request.cookies.get(LANGUAGE_COOKIE, "")
    if chosen in LANGUAGES:
        return chosen
    return negotiate_language(request.headers.get("accept-language"))


@lru_cache(maxsize=len(LANGUAGES))
def translations(language: str) -> Translations:
    """The compiled catalogue of ``language`` (empty for English)."""
    return load_translations(CONSOLE_DIR, language, DOMAIN)


def translator(language: str) -> Callable[..., Markup]:
    """``_("text %(name)s", name=value)``: translated, and every value HTML-escaped."""
    catalogue = translations(language)

    def gettext(message: str, **values: Any) -> Markup:
        text = Markup(catalogue.gettext(message))  # noqa: S704 - catalogue text is ours, trusted
        return text % {k: escape(v) for k, v in values.items()} if values else text

    return gettext


def model_term(language: str) -> Callable[[str], str]:
    """The scoring model's own words (stage, dimension and level names, recommendation titles)
    in ``language`` through the report's catalogue, as the report shows them; any other text (a
    stage the consultant named themselves) comes back as it is."""
    return load_translations(REPORT_TEMPLATES, language).gettext
