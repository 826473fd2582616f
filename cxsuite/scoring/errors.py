"""Errors the scoring package raises on purpose.

They are ``ValueError`` subclasses, because every one of them means "this input cannot be
scored as given", and they sit in cxsuite's one error tree (:class:`ValidationFailed`) so the
API answers them as problem details and jobs fail fast instead of retrying.
"""

from __future__ import annotations

from cxsuite.errors import ValidationFailed


class ScoringError(ValidationFailed, ValueError):
    """Base of the scoring package's errors: the input or the model cannot be scored."""

    title = "Scoring input invalid"


class MixedScalesError(ScoringError):
    """Answers on different scales were passed to one formula.

    Mixing a 1–5 and a 1–7 CSAT silently produces a number nobody can benchmark, so the
    formula refuses and names the scales it saw.
    """

    def __init__(self, metric: str, scales: list[str]) -> None:
        super().__init__(f"{metric} needs answers on one scale, got {', '.join(scales)}")
        self.metric = metric
        self.scales = scales


class ScaleError(ScoringError):
    """A scale the formula does not define (NPS on 1–5) or an answer outside its scale."""


class ModelInvalid(ScoringError):
    """The scoring model file (or a tenant's overrides) breaks a rule; the message names where."""

    title = "Scoring model invalid"


class InputInvalid(ScoringError):
    """Journey, metric values or answers that do not fit the model (unknown stage, wrong unit)."""
