"""Fixtures of the GA4 tests: the connector's "today" pinned to the harness's, and the sandbox
world and limits restored after a test changes them."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractAsyncContextManager
from typing import Any

import pytest
from cxsuite_ga4.connector import GA4Connector

from cxsuite.testing.environment import Environment
from tests.connectors.ga4.harness import GA4Harness


@pytest.fixture
def open_env(open_env: Callable[..., AbstractAsyncContextManager[Environment]], monkeypatch: pytest.MonkeyPatch,
             ) -> Callable[[GA4Harness], AbstractAsyncContextManager[Environment]]:
    """The connectors' ``open_env``, with the connector's day pinned to the harness's."""

    def opener(harness: GA4Harness) -> AbstractAsyncContextManager[Environment]:
        monkeypatch.setattr(GA4Connector, "today", lambda self: harness.last_day())
        return open_env(harness)

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


@pytest.fixture
def ga4_quirks(cxsuite_fresh_sandbox: Any) -> Iterator[Any]:
    """The GA4 stand-in's answer quirks (header order, left-out metrics, quality metadata),
    back to plain answers after the test."""
    from cxsuite.sandbox.state import GA4Quirks

    sandbox = cxsuite_fresh_sandbox.sandbox
    sandbox.ga4_quirks = GA4Quirks()
    yield sandbox.ga4_quirks
    sandbox.ga4_quirks = GA4Quirks()
