"""Fixtures the vendor connectors' own tests share: a private sandbox (for tests that change
its world, clock or limits, which the session's sandbox shares with every other connector's
tests) and a throw-away cxsuite on this run's database."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import AbstractAsyncContextManager, AsyncExitStack
from typing import Any

import pytest

from cxsuite.sandbox import RunningSandbox, running
from cxsuite.testing import VendorHarness
from cxsuite.testing.environment import Environment, open_environment

EnvOpener = Callable[..., AbstractAsyncContextManager[Environment]]


@pytest.fixture
def private_sandbox() -> Iterator[RunningSandbox]:
    """A small sandbox of this test's own, consent approved automatically (its Zoho user lives
    in the EU data centre)."""
    with running(seed=23, size="small", auto_approve=True) as handle:
        yield handle


@pytest.fixture
def open_env(tmp_path: Any, cxsuite_kit_database: tuple[str, str] | None) -> EnvOpener:
    """``async with open_env(harness) as env``: this run's database, a tenant and a connection
    authorised through the vendor's real flow against the harness's stand-in;
    ``open_env(harness, authorise=False)`` leaves the flow to the test (a tampered callback,
    a hostile token answer)."""

    def opener(harness: VendorHarness, *, authorise: bool = True) -> AbstractAsyncContextManager[Environment]:
        return open_environment(harness, tmp_path, cxsuite_kit_database, authorise=authorise)

    return opener


@pytest.fixture
async def unconnected(open_env: EnvOpener) -> AsyncIterator[Callable[[VendorHarness], Awaitable[Environment]]]:
    """``await unconnected(harness)``: a tenant and a connection not yet authorised, closed
    after the test."""
    async with AsyncExitStack() as stack:

        async def opener(harness: VendorHarness) -> Environment:
            return await stack.enter_async_context(open_env(harness, authorise=False))

        yield opener
