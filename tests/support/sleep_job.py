"""A job kind that only takes time (``CXSUITE_TEST_SLEEP_S``, default 0.4 s), for tests of
scheduling and fairness in real worker processes: import it in the worker
(``WorkerProcess(env, imports=("tests.support.sleep_job",))``) and in the test."""

from __future__ import annotations

import asyncio
import os

from cxsuite.jobs.kinds import JobContext, JobKind, register_kind

KIND = "test_sleep"


async def sleep_body(ctx: JobContext) -> str:
    """Beat once, sleep, succeed."""
    await ctx.report_progress(0.5)
    await asyncio.sleep(float(os.environ.get("CXSUITE_TEST_SLEEP_S", "0.4")))
    return "slept"


register_kind(JobKind(KIND, sleep_body, timeout_s=60, max_attempts=3))
