"""The maturity grid as a table: stages across, dimensions down, each cell with what it was
scored from (metrics, evidence, caveats), read from a score run's stored result."""

from __future__ import annotations

from typing import Any


def grid_of(result: dict[str, Any] | None, journey: dict[str, Any] | None = None) -> dict[str, Any] | None:
    """``{"stages", "stage_names", "rows": [[cell | None, ...]], "overall"}`` or ``None``; stage
    names come from the project's journey (the keys when there is none)."""
    if not result:
        return None
    cells = result.get("cells") or []
    stages = list(result.get("stages") or []) or _ordered(c.get("stage") for c in cells)
    named = {s.get("key"): s.get("name") for s in (journey or {}).get("stages") or []
             if isinstance(s, dict)}
    dimensions = _ordered(c.get("dimension") for c in cells)
    by_key = {(c.get("dimension"), c.get("stage")): c for c in cells}
    names = {d.get("key"): d.get("name", d.get("key")) for d in result.get("dimensions") or []
             if isinstance(d, dict)}
    rows = [{"dimension": d, "name": names.get(d, d), "cells": [by_key.get((d, s)) for s in stages]}
            for d in dimensions]
    return {"stages": stages, "stage_names": [named.get(s) or s for s in stages], "rows": rows,
            "overall": result.get("overall") or {}, "dimensions": result.get("dimensions") or []}


def _ordered(values: Any) -> list[str]:
    seen: list[str] = []
    for value in values:
        if value is not None and value not in seen:
            seen.append(value)
    return seen
