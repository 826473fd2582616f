"""Fixtures shared by every test package: the async backend first; the layers below build on it."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def anyio_backend() -> str:
    """asyncpg, Piccolo and arq are asyncio-only."""
    return "asyncio"
