"""The plugin module named by the entry point: it only registers the connector."""

from cxsuite import hookimpl
from cxsuite_zoho.connector import ZohoConnector


@hookimpl
def register_connectors() -> list[type[ZohoConnector]]:
    """Zoho CRM is one connector, whatever data centre the account lives in."""
    return [ZohoConnector]
