"""Fixtures of the Zoho tests: a private sandbox (these tests change its world, clock and
limits, which the session's sandbox shares with every other connector's tests) and a
throw-away cxsuite connected to it through Zoho's multi-DC OAuth flow."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractAsyncContextManager
from typing import Any

import pytest

from cxsuite.sandbox import RunningSandbox, running
from cxsuite.testing.environment import Environment, open_environment
from tests.connectors.zoho.harness import ZohoHarness


@pytest.fixture
def private_sandbox() -> Iterator[RunningSandbox]:
    """A small sandbox of this test's own (its Zoho user lives in the EU data centre)."""
    with running(seed=23, size="small", auto_approve=True) as handle:
        yield handle


@pytest.fixture
def open_env(tmp_path: Any, cxsuite_kit_database: tuple[str, str] | None,
             ) -> Callable[[ZohoHarness], AbstractAsyncContextManager[Environment]]:
    """``async with open_env(harness) as env``: this run's database, a tenant and a connection
    authorised through Zoho's flow against the harness's sandbox."""

    def opener(harness: ZohoHarness) -> AbstractAsyncContextManager[Environment]:
        return open_environment(harness, tmp_path, cxsuite_kit_database)

    return opener
