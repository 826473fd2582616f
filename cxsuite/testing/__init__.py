"""The connector test kit for plugin authors.

Point :class:`ConnectorConformance` at your connector and a running stand-in of your vendor
(a :class:`VendorHarness`), and pytest runs the conformance suite through cxsuite's real sync
engine, OAuth flow, HTTP client and database: every page read, resume from a checkpoint,
re-sync without duplicates, 429 and 5xx survived, an expired token refreshed, malformed
records reported. See ``docs/writing-a-connector.md``.
"""

from cxsuite.testing.conformance import ConnectorConformance
from cxsuite.testing.harness import Fault, VendorHarness

__all__ = ["ConnectorConformance", "Fault", "VendorHarness"]
