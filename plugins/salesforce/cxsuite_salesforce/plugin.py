"""The plugin module named by the entry point: it only registers the connector."""

from cxsuite import hookimpl
from cxsuite_salesforce.connector import SalesforceConnector


@hookimpl
def register_connectors() -> list[type[SalesforceConnector]]:
    """Salesforce is one connector."""
    return [SalesforceConnector]
