"""Fixtures of the GA4 tests: a throw-away cxsuite connected to the sandbox's GA4, the
connector's "today" pinned to the harness's, and the sandbox world restored after a test
changes its traffic."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractAsyncContextManager
from typing import Any

import pytest
from cxsuite_ga4.connector import GA4Connector

from cxsuite.testing.environment import Environment, open_environment
from tests.connectors.ga4.harness import GA4Harness


@pytest.fixture
def open_env(tmp_path: Any, cxsuite_kit_database: tuple[str, str] | None, monkeypatch: pytest.MonkeyPatch,
             ) -> Callable[[GA4Harness], AbstractAsyncContextManager[Environment]]:
    """``async with open_env(harness) as env``: a database (this run's backend), a tenant and a
    connection authorised through Google's OAuth flow; the connector's day is the harness's."""

    def opener(harness: GA4Harness) -> AbstractAsyncContextManager[Environment]:
        monkeypatch.setattr(GA4Connector, "today", lambda self: harness.last_day())
        return open_environment(harness, tmp_path, cxsuite_kit_database)

    return opener


@pytest.fixture
def world_web(cxsuite_fresh_sandbox: Any) -> Iterator[list[Any]]:
    """The sandbox world's GA4 rows, put back as they were after the test."""
    web = cxsuite_fresh_sandbox.sandbox.world.web
    saved = list(web)
    yield web
    web[:] = saved


@pytest.fixture
def sandbox_limits(cxsuite_fresh_sandbox: Any) -> Iterator[Any]:
    """The sandbox's limits, restored after the test."""
    limits = cxsuite_fresh_sandbox.sandbox.limits
    saved = dict(vars(limits))
    yield limits
    vars(limits).update(saved)
