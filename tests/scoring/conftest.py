"""Fixtures for the pure scoring tests: the shipped model and its default journey."""

from __future__ import annotations

import pytest

from cxsuite.scoring import Journey, ScoringModel, shipped_model


@pytest.fixture
def model() -> ScoringModel:
    return shipped_model()


@pytest.fixture
def journey(model) -> Journey:
    return Journey.default(model)
