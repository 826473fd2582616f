"""How cxsuite's own connectors are configured to talk to this sandbox instead of the vendor:
the connection configuration per connector key, given the sandbox's base URL."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

SANDBOX_CONFIG: dict[str, Callable[[str], dict[str, Any]]] = {
    "hubspot": lambda base: {"base_url": f"{base}/hubspot"},
    "salesforce": lambda base: {"base_url": f"{base}/salesforce"},
    "zoho": lambda base: {"base_url": f"{base}/zoho"},
    "ga4": lambda base: {"base_url": base, "property_id": "412345678"},
}


def sandbox_config(connector: str, base_url: str) -> dict[str, Any]:
    """The configuration of ``connector`` pointing at the sandbox at ``base_url``."""
    return SANDBOX_CONFIG[connector](base_url)
