"""Schemathesis against the served OpenAPI schema, with all its checks, as two tenants.

It covers every route the schema lists, so routes added later are fuzzed without anyone
remembering to add them here. Revoking the caller's own session token, or all of them, is left
out (it would end the run's authentication); revocation has dedicated tests.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = [pytest.mark.anyio, pytest.mark.slow]

SCHEMATHESIS = str(Path(sys.executable).with_name("schemathesis"))
CONFIG = str(Path(__file__).with_name("schemathesis.toml"))
EXAMPLES_PER_OPERATION = int(os.environ.get("SCHEMATHESIS_MAX_EXAMPLES", "12"))  # raise it for a deeper run


def run_schemathesis(base_url: str, token: str, seed: int) -> subprocess.CompletedProcess[str]:
    """One bounded schemathesis run with every check on, authenticated with ``token``."""
    return subprocess.run(  # noqa: S603 - fixed argv
        [SCHEMATHESIS, "--config-file", CONFIG, "--no-color", "run", f"{base_url}/schema/openapi.json",
         "--checks", "all",
         "--header", f"Authorization: Bearer {token}", "--max-examples", str(EXAMPLES_PER_OPERATION),
         "--seed", str(seed), "--workers", "1", "--exclude-path-regex", "auth/(revoke|logout-all)",
         "--request-timeout", "30"],
        capture_output=True, text=True, timeout=900, check=False)


def failures(output: str) -> str:
    """Schemathesis' failure details (each with its curl reproduction), without the warnings."""
    start = output.find("FAILURES")
    end = min((i for i in (output.find("WARNINGS"), output.find("SUMMARY")) if i > start), default=-1)
    return output[start:end][-8000:] if start >= 0 else output[-6000:]


def summary(output: str) -> str:
    """Schemathesis' closing summary (operations, test cases, failures), for the record."""
    return output[output.rfind("SUMMARY"):] if "SUMMARY" in output else output[-3000:]


async def test_schemathesis_finds_no_failure_as_either_of_two_tenants(server, parties, backend):
    tenants = [await parties.owner(), await parties.owner()]
    for seed, tenant in enumerate(tenants, start=1):
        result = run_schemathesis(server.base_url, tenant.token, seed)
        print(f"schemathesis on {backend} as tenant {seed}:\n{summary(result.stdout)}")
        assert result.returncode == 0, failures(result.stdout) + result.stderr[-2000:]
        assert "No issues found" in result.stdout or " passed" in result.stdout, result.stdout[-3000:]
