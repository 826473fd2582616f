"""The fault bench's scenarios as tests: every connector's sync survives each fault with nothing
lost, duplicated or missing (``docs/reliability.md``).

The bench runs in its own process (``python -m bench.faults --json``): it binds the app's tables
to its own PostgreSQL cluster, which must not happen inside this test process. The fast
scenarios run by default; ``CXSUITE_FAULTS=all`` adds the slow ones (Redis restart, SIGTERM
drain, the real 60 s outage, the outage past the retry budget).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bench.faults.rig import NAMES, VENDORS
from bench.faults.scenarios import scenarios

pytestmark = [pytest.mark.faults, pytest.mark.postgres_only]
ALL = os.environ.get("CXSUITE_FAULTS") == "all"
OUTAGE_S = 5.0
SCENARIOS = scenarios(OUTAGE_S)
FAST = [name for name, s in SCENARIOS.items() if s.fast]
SLOW = [name for name, s in SCENARIOS.items() if not s.fast]


def bench(tmp_path: Path, names: list[str]) -> dict[tuple[str, str], dict]:
    """Run the bench on ``names`` in a child process; its rows by (scenario, connector)."""
    out = tmp_path / "rows.json"
    command = [sys.executable, "-m", "bench.faults", "--outage", str(OUTAGE_S), "--pace", "0.3", "--json", str(out),
               "--deadline", "120", *(arg for name in names for arg in ("--scenario", name))]
    done = subprocess.run(command, capture_output=True, text=True, timeout=1800, check=False)  # noqa: S603
    assert out.exists(), done.stdout[-3000:] + done.stderr[-3000:]
    return {(r["scenario"], r["vendor"]): r for r in json.loads(out.read_text())}


@pytest.fixture(scope="module")
def fast_rows(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str], dict]:
    return bench(tmp_path_factory.mktemp("faults-fast"), FAST)


@pytest.fixture(scope="module")
def slow_rows(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str], dict]:
    if not ALL:
        pytest.skip("slow fault scenario: run with CXSUITE_FAULTS=all")
    return bench(tmp_path_factory.mktemp("faults-slow"), SLOW)


# Scenarios known to fail, with the reason (strict: an XPASS fails the run, so a fixed one
# leaves the list). Empty since issue 14's fixes landed; see docs/reliability.md.
FAILS_TODAY: dict[str, str] = {}


def params(names: list[str]) -> list:
    return [pytest.param(name, marks=pytest.mark.xfail(strict=True, reason=FAILS_TODAY[name]))
            if name in FAILS_TODAY else name for name in names]


def check(rows: dict[tuple[str, str], dict], scenario: str) -> None:
    """Every connector: nothing lost, duplicated or missing, and the job completed."""
    mine = [rows[(scenario, NAMES[vendor])] for vendor in VENDORS]
    table = "\n".join(f"{r['vendor']}: expected {r['expected']}, stored {r['stored']}, duplicates "
                      f"{r['duplicates']}, gaps {r['gaps']}, lost {r['lost']}: {r['status']}" for r in mine)
    for row in mine:
        assert row["ok"], table  # 0 lost, 0 duplicates, 0 gaps; a job past its budget said why
        assert row["stored"] == row["expected"] > 0, table


@pytest.mark.parametrize("scenario", params(FAST))
def test_fast_fault_scenario(fast_rows, scenario: str):
    check(fast_rows, scenario)


@pytest.mark.slow
@pytest.mark.parametrize("scenario", params(SLOW))
def test_slow_fault_scenario(slow_rows, scenario: str):
    check(slow_rows, scenario)
