"""Fixtures shared by the job tests: a slow vendor sandbox for real syncs, engagements for the
API tests (see tests/support/engagement.py)."""

from __future__ import annotations

import pytest

from cxsuite.sandbox import Limits, running
from tests.support.engagement import eng, other  # noqa: F401 - fixtures


@pytest.fixture(scope="module")
def slow_sandbox():
    """A vendor sandbox slow enough (80 ms a request) that a sync is still running when a test
    breaks something."""
    with running(size="small", auto_approve=True, limits=Limits(latency_s=0.08)) as sandbox:
        yield sandbox
