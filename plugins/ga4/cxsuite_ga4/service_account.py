"""GA4 with a Google Cloud service account instead of a user's consent.

The same property, streams, configuration and sync as :class:`GA4Connector`; only the
credentials differ: the core signs a JWT with the uploaded key and exchanges it at Google's
token endpoint (or the configured stand-in's) for the ``analytics.readonly`` scope. A
service account reads a property only once it was added there as a user, so a refusal names
the account to add.
"""

from __future__ import annotations

from typing import Any, ClassVar

from cxsuite.errors import ConnectorConfigError, SsrfBlocked
from cxsuite_ga4.connector import GA4Connector


class GA4ServiceAccountConnector(GA4Connector):
    """GA4 web traffic read as a service account (no browser consent, no refresh token)."""

    key: ClassVar[str] = "ga4_service_account"
    display_name: ClassVar[str] = "Google Analytics 4 (service account)"
    auth_kind = "service_account"

    async def _run_report(self, property_id: str, body: dict[str, Any]) -> dict[str, Any]:
        """GA4's request; a property the account cannot read says which account to add."""
        try:
            return await super()._run_report(property_id, body)
        except SsrfBlocked:
            raise  # a refused address is no access problem
        except ConnectorConfigError as exc:
            account = self.context.credentials_extra.get("client_email", "the service account")
            raise ConnectorConfigError(f"{exc.detail} The connected account is the service account "
                                       f"{account}: add it as a Viewer under Admin → Property access "
                                       "management.") from None
