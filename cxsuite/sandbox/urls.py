"""Where each vendor lives inside the sandbox, given the sandbox's base URL.

A connector configured with these URLs instead of the vendor's real hosts talks to the
sandbox; Salesforce's ``instance_url`` and Zoho's ``api_domain`` come from token responses,
exactly as with the real vendors.
"""

from __future__ import annotations


def vendor_urls(base: str, zoho_location: str, ga4_property_id: str) -> dict[str, dict[str, str]]:
    """The URLs a connector needs per vendor (authorize, token, API base)."""
    base = base.rstrip("/")
    zoho_accounts = f"{base}/zoho/accounts/us"
    return {
        "hubspot": {
            "authorize": f"{base}/hubspot/oauth/authorize",
            "token": f"{base}/hubspot/oauth/v1/token",
            "api": f"{base}/hubspot",
        },
        "salesforce": {
            "authorize": f"{base}/salesforce/services/oauth2/authorize",
            "token": f"{base}/salesforce/services/oauth2/token",
            "api": f"{base}/salesforce (instance_url)",
        },
        "zoho": {
            "authorize": f"{zoho_accounts}/oauth/v2/auth",
            "token": f"{base}/zoho/accounts/{zoho_location}/oauth/v2/token (accounts-server)",
            "api": f"{base}/zoho/api/{zoho_location} (api_domain)",
        },
        "ga4": {
            "authorize": f"{base}/google/o/oauth2/auth",
            "token": f"{base}/google/token",
            "api": f"{base}/ga4 (property {ga4_property_id})",
        },
    }
