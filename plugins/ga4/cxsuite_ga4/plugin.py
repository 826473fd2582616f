"""The plugin module named by the entry point: it only registers the connector."""

from cxsuite import hookimpl
from cxsuite_ga4.connector import GA4Connector


@hookimpl
def register_connectors() -> list[type[GA4Connector]]:
    """GA4 is one connector (OAuth); service-account credentials are not offered yet."""
    return [GA4Connector]
