"""Fixtures for the report API: engagements (see tests/support/engagement.py)."""

from tests.support.engagement import eng, other  # noqa: F401 - fixtures
