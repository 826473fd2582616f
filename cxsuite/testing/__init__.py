"""The connector test kit for plugin authors.

Point :class:`ConnectorConformance` at your connector and a running stand-in of your vendor
(a :class:`VendorHarness`), and pytest runs the conformance suite through cxsuite's real sync
engine, OAuth flow, HTTP client and database: every page read, resume from a checkpoint,
re-sync without duplicates, 429 and 5xx survived, an expired token refreshed, malformed
records reported. See ``docs/writing-a-connector.md``.

The kit runs under pytest: install it with ``pip install "cxsuite[testing]"``.
"""

try:
    import pytest  # noqa: F401 - the kit is a pytest suite; say how to get it before anything else
except ImportError as exc:  # pragma: no cover - exercised in a subprocess by tests/testing
    raise ImportError('cxsuite.testing (the connector test kit) needs pytest: pip install "cxsuite[testing]"'
                      ) from exc

from cxsuite.testing.conformance import ConnectorConformance
from cxsuite.testing.harness import Fault, VendorHarness

__all__ = ["ConnectorConformance", "Fault", "VendorHarness"]
