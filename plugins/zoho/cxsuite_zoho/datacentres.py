"""Zoho's data centres: the one table every Zoho host cxsuite calls comes from.

A Zoho account lives in one data centre (DC); its code, tokens and records only work there.
The authorisation callback says which one in ``location`` (and repeats it as a URL in
``accounts-server``), and the token response names the API host in ``api_domain``. All three
arrive over the network, and the callback's query string is in the browser's (an attacker's)
hands, so:

- ``location`` is only a key into :data:`DATA_CENTRES`; an unknown key is refused;
- ``accounts-server`` is never read: the accounts host comes from the table;
- ``api_domain`` must be exactly the https origin of a DC's API host in the table.

A deployment that points the connector at a stand-in (``base_url``, itself an allowed
connector host) trusts ``{base_url}/accounts/{dc}`` and ``{base_url}/api/{dc}`` instead, for the
same DC keys, and then ``api_domain`` must be exactly such a URL.
"""

from __future__ import annotations

from dataclasses import dataclass

from httpx import URL, InvalidURL

from cxsuite.errors import ConnectorAuthError, SsrfBlocked


@dataclass(frozen=True)
class DataCentre:
    """One Zoho data centre: its ``location`` key, accounts host and CRM API host."""

    key: str
    accounts_host: str
    api_host: str


# Zoho's published multi-DC tables (accounts: zoho.com/accounts/protocol/oauth/multi-dc.html;
# API domains: the CRM v8 multi-DC page).
DATA_CENTRES: dict[str, DataCentre] = {dc.key: dc for dc in (
    DataCentre("us", "accounts.zoho.com", "www.zohoapis.com"),
    DataCentre("eu", "accounts.zoho.eu", "www.zohoapis.eu"),
    DataCentre("in", "accounts.zoho.in", "www.zohoapis.in"),
    DataCentre("au", "accounts.zoho.com.au", "www.zohoapis.com.au"),
    DataCentre("jp", "accounts.zoho.jp", "www.zohoapis.jp"),
    DataCentre("ca", "accounts.zohocloud.ca", "www.zohoapis.ca"),
    DataCentre("sa", "accounts.zoho.sa", "www.zohoapis.sa"),
    DataCentre("uk", "accounts.zoho.uk", "www.zohoapis.uk"),
    DataCentre("cn", "accounts.zoho.com.cn", "www.zohoapis.com.cn"),
)}
# Where consent starts: Zoho's US accounts server sends users of every DC on to their own.
DEFAULT_LOCATION = "us"
HOSTS = tuple(host for dc in DATA_CENTRES.values() for host in (dc.accounts_host, dc.api_host))


def centre(location: str) -> DataCentre:
    """The data centre a callback's ``location`` names, or a refusal naming the known ones."""
    found = DATA_CENTRES.get(location.strip().lower())
    if found is None:
        raise ConnectorAuthError(
            f"Zoho named an unknown data centre (location {location[:20]!r}); cxsuite knows "
            f"{', '.join(DATA_CENTRES)}. Nothing was sent; connect again, and if your Zoho account "
            "is in a new data centre, ask for it to be added")
    return found


def accounts_url(location: str, base_url: str | None) -> str:
    """The accounts server of a data centre (the stand-in's equivalent when configured)."""
    dc = centre(location)
    return f"{base_url}/accounts/{dc.key}" if base_url else f"https://{dc.accounts_host}"


def api_origin(api_domain: str, base_url: str | None) -> tuple[str, str]:
    """``(origin, dc key)`` of a token response's ``api_domain``, or :class:`SsrfBlocked`."""
    text = api_domain.strip()
    if base_url:
        for key in DATA_CENTRES:
            if text.rstrip("/") == f"{base_url}/api/{key}":
                return f"{base_url}/api/{key}", key
        raise SsrfBlocked(f"refused Zoho api_domain {text[:80]!r}: with a stand-in configured it must "
                          f"be {base_url}/api/<data centre>")
    try:
        parsed = URL(text)
    except InvalidURL:
        raise SsrfBlocked("refused a malformed Zoho api_domain") from None
    host = (parsed.host or "").lower().rstrip(".")
    if parsed.scheme != "https":
        raise SsrfBlocked(f"refused Zoho api_domain for {host or text[:60]!r}: only https is allowed")
    if parsed.userinfo or parsed.port not in (None, 443) or parsed.path not in ("", "/") or parsed.query:
        raise SsrfBlocked(f"refused Zoho api_domain for {host!r}: expected a bare https origin")
    for dc in DATA_CENTRES.values():
        if host == dc.api_host:
            return f"https://{host}", dc.key
    raise SsrfBlocked(f"refused Zoho api_domain host {host!r}: not a Zoho CRM API domain "
                      f"({', '.join(dc.api_host for dc in DATA_CENTRES.values())})")
