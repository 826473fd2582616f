"""Comparing two score runs: the trend a consultant shows after a quarter's work.

Deltas are run − baseline, from the stored results, so a comparison never re-scores anything.
A cell whose level changed (including moving in or out of "insufficient evidence") is listed.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

import msgspec

from cxsuite.access.principal import Principal
from cxsuite.db.session import Database
from cxsuite.errors import Conflict
from cxsuite.scoring._numbers import round_half_up
from cxsuite.scoring.results import ScoreResult
from cxsuite.scoring.schemas import CellChange, CompareOut, DimensionDelta
from cxsuite.scoring.service import readable_run


def _delta(after: float | None, before: float | None) -> float | None:
    """after − before to 2 decimals, ``None`` when either is unknown."""
    return None if after is None or before is None else round_half_up(after - before)


def _result(row: dict[str, Any]) -> ScoreResult:
    if row["status"] != "succeeded" or not row["result"]:
        raise Conflict(f"score run {row['id']} has not succeeded (status {row['status']})")
    return msgspec.json.decode(row["result"], type=ScoreResult)


def _dimensions(after: ScoreResult, before: ScoreResult) -> list[DimensionDelta]:
    """Each dimension of the newer run beside its score in the baseline."""
    old = {dim.key: dim.score for dim in before.dimensions}
    return [DimensionDelta(key=dim.key, name=dim.name, before=old.get(dim.key), after=dim.score,
                           delta=_delta(dim.score, old.get(dim.key))) for dim in after.dimensions]


def _changed_cells(after: ScoreResult, before: ScoreResult) -> list[CellChange]:
    """Cells whose level differs, in the newer run's order, then cells only the baseline had."""
    old = {(c.stage, c.dimension): c for c in before.cells}
    new = {(c.stage, c.dimension): c for c in after.cells}
    changes = []
    for key in [*new, *(k for k in old if k not in new)]:
        was, now = old.get(key), new.get(key)
        if (was.level if was else None) != (now.level if now else None):
            changes.append(CellChange(
                stage=key[0], dimension=key[1], level_before=was.level if was else None,
                level_after=now.level if now else None, score_before=was.score if was else None,
                score_after=now.score if now else None))
    return changes


def trend(run_id: UUID, baseline_id: UUID, after: ScoreResult, before: ScoreResult) -> CompareOut:
    """Per-dimension and overall deltas and the cells whose level changed."""
    return CompareOut(run_id=run_id, baseline_run_id=baseline_id, overall_before=before.overall.score,
                      overall_after=after.overall.score,
                      overall_delta=_delta(after.overall.score, before.overall.score),
                      dimensions=_dimensions(after, before), changed_cells=_changed_cells(after, before))


async def compare(db: Database, principal: Principal, run_id: UUID, baseline_id: UUID) -> CompareOut:
    """The trend between two readable, succeeded runs of the caller's tenant."""
    after = _result(await readable_run(db, principal, run_id))
    before = _result(await readable_run(db, principal, baseline_id))
    return trend(run_id, baseline_id, after, before)
