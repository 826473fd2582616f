"""Match keys: the normalised forms two records must share to be the same customer.

Each key is ``(kind, value)``. Normalisation is deliberately conservative, because a wrong
merge is worse than a missed one: a consultant can explain a missed link, not a stranger's
orders on the client's best customer.

- **email**: trimmed; the domain lower-cased and IDNA-encoded (``bücher.de`` → ``xn--bcher-kva.de``);
  the local part lower-cased with ASCII rules only (Unicode ``lower()`` maps U+212A KELVIN SIGN
  to ``k``, the class of bug behind CVE-2019-19844). Dots and ``+tags`` are folded only for
  gmail.com and googlemail.com, the one provider documented to ignore them.
- **phone**: parsed with ``phonenumbers`` and kept only when *valid* (``is_possible_number`` is
  too lenient), as E.164. A number without ``+`` needs the workspace's region; without one it
  cannot be read and is counted, not guessed.
- **crm_id**: the id of a record in another system that this record carries (a HubSpot contact
  synced from Salesforce has ``salesforcecontactid``), written ``<source>:<id>``. Salesforce ids
  are compared on their 15-character case-sensitive form, so 15- and 18-character forms agree.
- **web_user_id**: a web analytics user id a CRM or export file carries (GA4's user id).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import phonenumbers

EMAIL, PHONE, CRM_ID, WEB_USER_ID = "email", "phone", "crm_id", "web_user_id"
GMAIL_DOMAINS = frozenset({"gmail.com", "googlemail.com"})
_ASCII_UPPER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
MIN_ID_LENGTH = 3


def email_key(raw: str | None) -> str | None:
    """The match form of an address, or ``None`` when it is not one."""
    if not raw:
        return None
    text = raw.strip()
    if not _EMAIL.match(text):
        return None
    local, _, domain = text.rpartition("@")
    try:
        domain = domain.rstrip(".").encode("idna").decode("ascii").lower()
    except UnicodeError:
        return None
    local = local.translate(_ASCII_UPPER)
    if domain in GMAIL_DOMAINS:
        local = local.split("+", 1)[0].replace(".", "")
        domain = "gmail.com"
    return f"{local}@{domain}" if local else None


def phone_key(raw: str | None, region: str | None) -> str | None:
    """E.164 for a valid number, else ``None`` (see :func:`phone_unreadable` for why)."""
    number = _parse_phone(raw, region)
    if number is None or not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def phone_unreadable(raw: str | None, region: str | None) -> bool:
    """True when a phone was given but cannot be read as a valid number."""
    return bool(raw and raw.strip()) and phone_key(raw, region) is None


def _parse_phone(raw: str | None, region: str | None) -> phonenumbers.PhoneNumber | None:
    if not raw or not raw.strip():
        return None
    try:
        return phonenumbers.parse(raw.strip(), (region or None) and region.upper())
    except phonenumbers.NumberParseException:
        return None


def crm_id_key(source: str, external_id: str | None) -> str | None:
    """``<source>:<id>``, the form a record's own id and another record's reference to it share."""
    if not external_id or len(external_id.strip()) < MIN_ID_LENGTH:
        return None
    value = external_id.strip()
    if source == "salesforce" and len(value) == 18:
        value = value[:15]
    return f"{source}:{value}"


def web_user_key(raw: str | None) -> str | None:
    """A web analytics user id, trimmed; ``None`` when blank or too short to be an id."""
    if not raw or len(raw.strip()) < MIN_ID_LENGTH:
        return None
    return raw.strip()


def keys_of(*, source: str, external_id: str, email: str | None, phone: str | None,
            region: str | None, crm_refs: dict[str, str | None], web_user_id: str | None,
            ) -> Iterator[tuple[str, str]]:
    """Every match key of one customer record, its own id included."""
    own = crm_id_key(source, external_id)
    if own:
        yield CRM_ID, own
    for kind, value in ((EMAIL, email_key(email)), (PHONE, phone_key(phone, region)),
                        (WEB_USER_ID, web_user_key(web_user_id))):
        if value:
            yield kind, value
    for ref_source, ref_id in crm_refs.items():
        ref = crm_id_key(ref_source, ref_id)
        if ref:
            yield CRM_ID, ref
