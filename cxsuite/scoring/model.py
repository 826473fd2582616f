"""Loading, fingerprinting and deriving scoring models.

A score run stores the model version and content hash it used, so a report can be reproduced
years later. Tenants adjust the shipped model with :func:`derive_model`; the derived model gets
a version like ``1.0.0+tenant.1a2b3c4d`` whose suffix is a hash of its content, so the same
adjustments always give the same version and different ones never share it.

The shipped model files live in the ``model/`` folder beside this module (``model/v1.yaml``).
"""

from __future__ import annotations

import functools
import hashlib
from importlib import resources
from pathlib import Path
from typing import Any

import msgspec
import yaml

from cxsuite.scoring.errors import ModelInvalid
from cxsuite.scoring.schema import (
    Band,
    ClassWeights,
    Recommendation,
    ScoringModel,
    Stage,
    ThresholdTable,
    _Frozen,
)
from cxsuite.scoring.validation import check_model

SHIPPED_MODEL = "v1.yaml"


class ThresholdOverride(_Frozen, kw_only=True):
    """A tenant's own bands for one metric, with the source they rely on (if any)."""

    bands: tuple[Band, ...]
    source: str | None = None


class ModelOverrides(_Frozen, kw_only=True):
    """What a tenant may change in a model: thresholds, weights, targets and the library.

    ``stage_weights`` and ``targets`` are merged into the named stages dimension by dimension;
    everything not named keeps the base model's value.
    """

    thresholds: dict[str, ThresholdOverride] = {}
    class_weights: ClassWeights | None = None
    stage_weights: dict[str, dict[str, int]] = {}
    targets: dict[str, dict[str, int]] = {}
    default_target_level: int | None = None
    add_recommendations: tuple[Recommendation, ...] = ()
    remove_recommendations: tuple[str, ...] = ()


def parse_model(data: Any, origin: str) -> ScoringModel:
    """Turn parsed YAML/JSON into a validated model; errors name ``origin`` and the path in it."""
    try:
        model = msgspec.convert(data, ScoringModel, strict=True)
    except msgspec.ValidationError as exc:
        raise ModelInvalid(f"{origin}: {exc}") from exc
    check_model(model, origin)
    return model


def load_model(path: str | Path) -> ScoringModel:
    """Read and validate a model file (YAML)."""
    text = Path(path).read_text(encoding="utf-8")
    return parse_model(_parse_yaml(text, str(path)), str(path))


@functools.cache
def shipped_model(name: str = SHIPPED_MODEL) -> ScoringModel:
    """The model shipped with the package (immutable, so loading it once per process is safe)."""
    text = resources.files("cxsuite.scoring").joinpath("model", name).read_text(encoding="utf-8")
    return parse_model(_parse_yaml(text, f"cxsuite/scoring/model/{name}"), f"cxsuite/scoring/model/{name}")


def _parse_yaml(text: str, origin: str) -> Any:
    """YAML to plain data, with the file named in the error."""
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ModelInvalid(f"{origin}: not valid YAML: {exc}") from exc


def content_hash(model: ScoringModel) -> str:
    """SHA-256 of the model's content, ignoring its version labels.

    Dictionary keys are sorted by the encoder, so the hash does not depend on key order in the
    file; the labels are left out so that a version can be derived from the hash.
    """
    unlabelled = msgspec.structs.replace(model, version="", derived_from=None)
    return hashlib.sha256(msgspec.json.encode(unlabelled, order="deterministic")).hexdigest()


def model_to_dict(model: ScoringModel) -> dict[str, Any]:
    """The model as plain JSON-ready data, to store beside a score run."""
    return msgspec.to_builtins(model, order="deterministic")


def derive_model(base: ScoringModel, overrides: ModelOverrides) -> ScoringModel:
    """A tenant's model: ``base`` with ``overrides`` applied, validated, versioned by content hash."""
    changed = msgspec.structs.replace(
        base,
        thresholds=_override_thresholds(base.thresholds, overrides.thresholds),
        class_weights=overrides.class_weights or base.class_weights,
        stages=_override_stages(base.stages, overrides),
        default_target_level=overrides.default_target_level or base.default_target_level,
        recommendations=_override_library(base.recommendations, overrides),
    )
    check_model(changed, "derived model")
    root = base.version.split("+", 1)[0]
    version = f"{root}+tenant.{content_hash(changed)[:8]}"
    return msgspec.structs.replace(changed, version=version, derived_from=base.version)


def _override_thresholds(
    tables: tuple[ThresholdTable, ...], overrides: dict[str, ThresholdOverride]
) -> tuple[ThresholdTable, ...]:
    """Replace the bands of the named tables; a tenant's bands are labelled as theirs, not ours."""
    _require_known("overrides.thresholds", overrides, {table.metric for table in tables}, "threshold table")
    return tuple(
        msgspec.structs.replace(
            table,
            bands=overrides[table.metric].bands,
            source=overrides[table.metric].source or "Tenant override (no source given)",
            default=False,
        )
        if table.metric in overrides
        else table
        for table in tables
    )


def _override_stages(stages: tuple[Stage, ...], overrides: ModelOverrides) -> tuple[Stage, ...]:
    """Merge per-stage weights and targets into the named stages."""
    known = {stage.key for stage in stages}
    _require_known("overrides.stage_weights", overrides.stage_weights, known, "stage")
    _require_known("overrides.targets", overrides.targets, known, "stage")
    return tuple(
        msgspec.structs.replace(
            stage,
            weights={**stage.weights, **overrides.stage_weights.get(stage.key, {})},
            targets={**stage.targets, **overrides.targets.get(stage.key, {})},
        )
        for stage in stages
    )


def _override_library(
    library: tuple[Recommendation, ...], overrides: ModelOverrides
) -> tuple[Recommendation, ...]:
    """Remove the named recommendations, then append the tenant's own."""
    removed = set(overrides.remove_recommendations)
    _require_known("overrides.remove_recommendations", removed, {rec.id for rec in library}, "recommendation")
    return tuple(rec for rec in library if rec.id not in removed) + overrides.add_recommendations


def _require_known(path: str, names: Any, known: set[str], what: str) -> None:
    """Refuse overrides that name something the base model does not have (a typo would be lost)."""
    unknown = sorted(set(names) - known)
    if unknown:
        raise ModelInvalid(f"{path}: unknown {what} {', '.join(map(repr, unknown))}")
