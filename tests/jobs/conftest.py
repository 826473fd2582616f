"""Fixtures shared by the job tests that run real syncs."""

from __future__ import annotations

import pytest

from cxsuite.sandbox import Limits, running


@pytest.fixture(scope="module")
def slow_sandbox():
    """A vendor sandbox slow enough (80 ms a request) that a sync is still running when a test
    breaks something."""
    with running(size="small", auto_approve=True, limits=Limits(latency_s=0.08)) as sandbox:
        yield sandbox
