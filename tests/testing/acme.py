"""An API-key connector for the Acme stand-in, the harness that connects it, and a broken
twin that ignores its checkpoint: the connector test kit must pass the first and fail the
second."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime
from typing import Any

import msgspec

from cxsuite.connectors import BaseConnector, Batch, RetryHint, StreamSpec
from cxsuite.connectors.mapping import MappingError, map_rows
from cxsuite.connectors.records import Customer
from cxsuite.testing import Fault, VendorHarness
from tests.testing.acme_vendor import API_KEY, AcmeVendor


class AcmeConfig(msgspec.Struct, forbid_unknown_fields=True):
    """Where Acme's API is, and how many contacts a page holds."""

    base_url: str = "https://api.acme.example"
    page_size: int = 25


def contact(row: dict[str, Any]) -> Customer:
    """One Acme contact as a canonical customer."""
    if not isinstance(row["email"], str):
        raise MappingError(f"field email is not text: {row['email']!r}")
    return Customer(external_id=row["id"], email=row["email"], name=row["name"], raw=row)


class AcmeConnector(BaseConnector):
    """Acme CRM contacts, paged by the last id read."""

    key = "acme"
    display_name = "Acme CRM"
    auth_kind = "api_key"
    streams = (StreamSpec("contacts", "customer", "Acme contacts"),)
    config_type = AcmeConfig

    @classmethod
    def retry_hint(cls, response: Any) -> RetryHint | None:
        """Acme's spent daily allowance: pause until it resets (no retrying against it)."""
        if response.status_code == 429 and response.json().get("error") == "daily_limit":
            resets = datetime.fromisoformat(response.json()["resets_at"])
            return RetryHint("rate_limited", resume_at=resets, message="Acme's daily API allowance is spent")
        return None

    async def read(self, stream: str, checkpoint: dict[str, Any] | None) -> AsyncIterator[Batch]:
        """Every contact after the checkpoint's ``after``, one batch per page."""
        after = (checkpoint or {}).get("after")
        while True:
            params = {"limit": self.context.config.page_size, **({"after": after} if after else {})}
            body = (await self.context.http.get("/v1/contacts", params=params)).json()
            records, errors = map_rows(body["contacts"], contact, lambda row: str(row.get("id", "")))
            after = body["contacts"][-1]["id"] if body["contacts"] else after
            yield Batch(records, {"after": after}, errors)
            if body["next_after"] is None:
                return


class StartsOverConnector(AcmeConnector):
    """Broken on purpose: reads from the first contact whatever its checkpoint says."""

    async def read(self, stream: str, checkpoint: dict[str, Any] | None) -> AsyncIterator[Batch]:
        async for batch in super().read(stream, None):
            yield batch


class AcmeHarness(VendorHarness):
    """The Acme stand-in as the kit sees it."""

    connector = AcmeConnector

    def __init__(self, vendor: AcmeVendor, connector: type[AcmeConnector] = AcmeConnector,
                 page_size: int = 25) -> None:
        self.vendor, self.connector, self.page_size = vendor, connector, page_size
        self.allowed_hosts = (vendor.netloc,)

    def config(self) -> dict[str, Any]:
        return {"base_url": self.vendor.base_url, "page_size": self.page_size}

    def api_key(self) -> str:
        return API_KEY

    def expected_ids(self, stream: str) -> set[str]:
        return {c["id"] for c in self.vendor.contacts}

    def inject(self, fault: Fault, count: int = 1) -> None:
        self.vendor.faults.extend([fault.value] * count)

    def expire_tokens(self) -> None:
        """An API key does not expire."""
