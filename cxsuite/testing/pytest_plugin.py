"""pytest plugin shipped with cxsuite (entry point ``pytest11``): fixtures for plugin authors.

``cxsuite_sandbox`` runs cxsuite's own vendor stand-ins (HubSpot, Salesforce, Zoho CRM, GA4)
on a free loopback port for the test session, auto-approving OAuth consent. Connectors for
other vendors bring their own stand-in and use :class:`cxsuite.testing.ConnectorConformance`.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest


@pytest.fixture(scope="session")
def cxsuite_sandbox() -> Iterator[Any]:
    """A running :class:`cxsuite.sandbox.RunningSandbox` (small world, consent auto-approved)."""
    from cxsuite.sandbox import running

    with running(size="small", auto_approve=True) as sandbox:
        yield sandbox


@pytest.fixture
def cxsuite_fresh_sandbox(cxsuite_sandbox: Any) -> Iterator[Any]:
    """The session sandbox with no pending faults, tokens or request log left by other tests."""
    cxsuite_sandbox.sandbox.clear_faults()
    cxsuite_sandbox.sandbox.clear_requests()
    yield cxsuite_sandbox
    cxsuite_sandbox.sandbox.clear_faults()


@pytest.fixture(scope="session")
def cxsuite_kit_database() -> tuple[str, str] | None:
    """``(app URL, owner URL)`` the conformance suite runs on; ``None`` (the default) gives
    each test an embedded SQLite database. Override it to run the suite on PostgreSQL."""
    return None
