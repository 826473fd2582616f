"""Fixtures for the file-import tests: engagements (see tests/support/engagement.py) and the
five export files of a small shop's year (``fixtures/``, written by ``fixtures/generate.py``)."""

from tests.support.engagement import eng, other  # noqa: F401 - fixtures
