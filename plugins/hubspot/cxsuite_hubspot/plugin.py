"""The plugin module named by the entry point: it only registers the connector."""

from cxsuite import hookimpl
from cxsuite_hubspot.connector import HubSpotConnector


@hookimpl
def register_connectors() -> list[type[HubSpotConnector]]:
    """HubSpot is one connector."""
    return [HubSpotConnector]
