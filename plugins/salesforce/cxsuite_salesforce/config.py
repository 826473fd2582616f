"""Connection settings and the one check every Salesforce host passes before it is used.

Salesforce tells each connection where its org lives: the token response's ``instance_url``
(``https://acme.my.salesforce.com``). That URL comes from the network, so it is accepted only
as an ``https`` origin on a Salesforce domain (on a label boundary: ``x.salesforce.com`` yes,
``x.salesforce.com.attacker.example`` no), with no user-info, port, path or IP address. A
deployment that points the connector at a stand-in (``base_url``, itself an allowed connector
host) trusts that URL instead, and then the token response must name exactly it.
"""

from __future__ import annotations

import ipaddress
import re
from typing import Annotated

import msgspec
from httpx import URL, InvalidURL

from cxsuite.errors import SsrfBlocked

# Where Salesforce orgs, My Domains, Experience Cloud sites and login hosts live.
SALESFORCE_DOMAINS = ("salesforce.com", "force.com", "cloudforce.com", "database.com")
LOGIN_URL = "https://login.salesforce.com"
DEFAULT_API_VERSION = "v62.0"
_VERSION = re.compile(r"^v?(\d{2,3})\.0$")
_FIELD = re.compile(r"^[A-Za-z][A-Za-z0-9_]{0,79}$")


def salesforce_origin(url: str) -> str:
    """``https://host`` of a Salesforce URL, or :class:`SsrfBlocked` saying why it is refused."""
    try:
        parsed = URL(url.strip())
    except InvalidURL:
        raise SsrfBlocked("refused a malformed Salesforce URL") from None
    host = (parsed.host or "").lower().rstrip(".")
    if parsed.scheme != "https":
        raise SsrfBlocked(f"refused Salesforce URL for {host or url[:60]!r}: only https is allowed")
    if parsed.userinfo or parsed.port not in (None, 443) or parsed.path not in ("", "/") or parsed.query:
        raise SsrfBlocked(f"refused Salesforce URL for {host!r}: expected a bare https origin")
    if _is_ip(host) or not any(host.endswith("." + domain) for domain in SALESFORCE_DOMAINS):
        raise SsrfBlocked(f"refused host {host!r}: not a Salesforce domain "
                          f"({', '.join('*.' + d for d in SALESFORCE_DOMAINS)})")
    return f"https://{host}"


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return host.replace(".", "").isdigit()
    return True


class SalesforceConfig(msgspec.Struct, forbid_unknown_fields=True):
    """Connection settings.

    ``login_url`` is where users sign in: ``https://login.salesforce.com``,
    ``https://test.salesforce.com`` for sandbox orgs, or the org's My Domain. ``base_url``
    replaces both the login host and ``instance_url`` with a Salesforce-compatible stand-in
    (cxsuite's sandbox); it must be an allowed connector host. ``batch_size`` asks for smaller
    query batches (``Sforce-Query-Options``). The ``case_*_field`` settings name the org's custom
    Case fields for first response, reopen count and CSAT (1–5); ``None`` leaves one out.
    ``contact_lifecycle_field`` and ``contact_churn_field`` name the Contact fields (custom in
    Salesforce, often a formula over ``Account.Type``) holding the lifecycle stage and the date
    the customer churned; unset, contacts carry neither (leads still carry their stage).
    """

    base_url: str | None = None
    login_url: str = LOGIN_URL
    api_version: str = DEFAULT_API_VERSION
    batch_size: Annotated[int, msgspec.Meta(ge=200, le=2000)] | None = None
    case_first_response_field: str | None = "First_Response_Time__c"
    case_reopened_field: str | None = "Reopened_Count__c"
    case_csat_field: str | None = "CSAT__c"
    contact_lifecycle_field: str | None = None
    contact_churn_field: str | None = None

    def __post_init__(self) -> None:
        match = _VERSION.match(self.api_version.strip())
        if match is None:
            raise ValueError(f"api_version {self.api_version[:20]!r} is not a Salesforce API version "
                             "such as v62.0")
        self.api_version = f"v{match.group(1)}.0"
        if self.base_url is None:
            try:
                self.login_url = salesforce_origin(self.login_url)
            except SsrfBlocked as exc:
                raise ValueError(f"login_url: {exc.detail}") from None
        else:
            self.base_url = self.base_url.rstrip("/")
        for name in ("case_first_response_field", "case_reopened_field", "case_csat_field",
                     "contact_lifecycle_field", "contact_churn_field"):
            value = getattr(self, name)
            if value is not None and not _FIELD.match(value):
                raise ValueError(f"{name} {value[:40]!r} is not a Salesforce field API name")

    @property
    def case_fields(self) -> tuple[str, ...]:
        """The configured custom Case fields, in a fixed order."""
        return tuple(f for f in (self.case_first_response_field, self.case_reopened_field,
                                 self.case_csat_field) if f)

    @property
    def contact_fields(self) -> tuple[str, ...]:
        """The configured Contact lifecycle and churn fields, in a fixed order."""
        return tuple(f for f in (self.contact_lifecycle_field, self.contact_churn_field) if f)
