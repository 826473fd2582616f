"""The metrics tests' workspace fixture: records written as a sync would, metrics over them."""

from tests.scoring_metrics.conftest import ws  # noqa: F401 - a fixture, used by name
