"""Arithmetic helpers that make scores reproducible bit for bit.

``math.fsum`` is exactly rounded, so a sum does not depend on the order of its terms, and
:func:`round_half_up` rounds the decimal a person reads (2.675 → 2.68), not the binary float
underneath (which ``round`` would give as 2.67).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal


def round_half_up(value: float, places: int = 2) -> float:
    """Round the printed decimal of ``value`` half up, so 1.795 → 1.8 as a reader expects."""
    quantum = Decimal(1).scaleb(-places)
    return float(Decimal(repr(value)).quantize(quantum, rounding=ROUND_HALF_UP))


def weighted_mean(pairs: Iterable[tuple[float, float]]) -> float | None:
    """Σ w·x / Σ w over ``(weight, value)`` pairs, order-independent; ``None`` when Σ w is 0."""
    items = list(pairs)
    total = math.fsum(weight for weight, _ in items)
    if total <= 0:
        return None
    return math.fsum(weight * value for weight, value in items) / total


def mean(values: Iterable[float]) -> float | None:
    """Plain mean, order-independent; ``None`` for no values."""
    return weighted_mean((1.0, value) for value in values)
