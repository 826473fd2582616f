"""Account messages composed from Jinja templates, in the recipient's language.

Each kind has a plain-text and an HTML template under ``cxsuite/mail/templates``; both use the
same ``_()`` strings, translated by the ``mail`` catalogues under ``cxsuite/mail/locale`` (the
report's Babel set-up, its own domain). Persian is written right to left: the HTML part carries
``dir="rtl"`` and links stay isolated left to right.
"""

from __future__ import annotations

from email.message import EmailMessage
from email.utils import make_msgid
from functools import lru_cache
from pathlib import Path
from typing import Any

from babel import negotiate_locale
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from cxsuite.reports.document import RTL_LANGUAGES, SUPPORTED_LANGUAGES
from cxsuite.reports.i18n import Localiser, load_translations

MAIL_DIR = Path(__file__).resolve().parent
DOMAIN = "mail"
KINDS = ("invitation", "password_reset", "email_verification", "new_login", "signup_attempt")

# Subjects are the msgids of the catalogue, formatted with the message's values.
SUBJECTS = {
    "invitation": "Your invitation to %(tenant)s",
    "password_reset": "Reset your cxsuite password",
    "email_verification": "Confirm your email address",
    "new_login": "New sign-in to your cxsuite account",
    "signup_attempt": "Someone tried to sign up with your email address",
}


def negotiate_language(accept_language: str | None) -> str:
    """The best supported language for an ``Accept-Language`` header (English by default)."""
    ranked: list[tuple[float, str]] = []
    for part in (accept_language or "").split(","):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        if tag and quality > 0:
            ranked.append((quality, tag.replace("_", "-")))
    wanted = [tag for _, tag in sorted(ranked, key=lambda r: -r[0])]
    return negotiate_locale(wanted, list(SUPPORTED_LANGUAGES), sep="-") or "en"


@lru_cache(maxsize=len(SUPPORTED_LANGUAGES))
def environment(language: str) -> Environment:
    """The Jinja environment of one language: HTML templates autoescaped, text ones not."""
    env = Environment(
        loader=FileSystemLoader(MAIL_DIR / "templates"),
        autoescape=select_autoescape(enabled_extensions=("html.j2",), default=False),
        extensions=["jinja2.ext.i18n"], undefined=StrictUndefined,
        trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    env.install_gettext_translations(  # type: ignore[attr-defined] - added by the i18n extension
        load_translations(MAIL_DIR, language, DOMAIN), newstyle=True)
    return env


def localiser(language: str) -> Localiser:
    """Numbers and dates the way the recipient writes them (Persian digits, Lithuanian dates)."""
    return Localiser(load_translations(MAIL_DIR, language, DOMAIN), language)


def compose(kind: str, *, to: str, sender: str, language: str, link: str | None = None,
            **values: Any) -> EmailMessage:
    """A ``multipart/alternative`` message (text, then HTML) of ``kind`` for ``to``."""
    if kind not in KINDS:
        raise ValueError(f"unknown mail kind {kind!r}")
    language = language if language in SUPPORTED_LANGUAGES else "en"
    env = environment(language)
    subject = load_translations(MAIL_DIR, language, DOMAIN).gettext(SUBJECTS[kind]) % values
    context = {"language": language, "direction": "rtl" if language in RTL_LANGUAGES else "ltr",
               "subject": subject, "link": link, **values}
    message = EmailMessage()
    message["Subject"] = subject
    message["From"] = sender
    message["To"] = to
    message["Message-ID"] = make_msgid(domain="cxsuite.invalid")
    message["X-Cxsuite-Kind"] = kind
    message.set_content(env.get_template(f"{kind}.txt.j2").render(context))
    message.add_alternative(env.get_template(f"{kind}.html.j2").render(context), subtype="html")
    message["Content-Language"] = language  # after the parts: they take Content-* headers along
    return message
