"""The plugin module named by the entry point: it only registers the connectors."""

from cxsuite import hookimpl
from cxsuite_ga4.connector import GA4Connector
from cxsuite_ga4.service_account import GA4ServiceAccountConnector


@hookimpl
def register_connectors() -> list[type[GA4Connector]]:
    """GA4 with a user's OAuth consent, and GA4 with a service account's key file."""
    return [GA4Connector, GA4ServiceAccountConnector]
