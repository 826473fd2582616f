"""Where the job kinds of every domain are registered: importing a domain's ``jobs`` module
registers its kind. The web process and the worker both call :func:`register_all`."""

from __future__ import annotations

import importlib

DOMAIN_JOB_MODULES = ("cxsuite.connections.jobs", "cxsuite.scoring.jobs", "cxsuite.reports.jobs")


def register_all() -> None:
    """Import every domain's job module that exists (a domain may not have one yet)."""
    for name in DOMAIN_JOB_MODULES:
        if importlib.util.find_spec(name) is not None:
            importlib.import_module(name)
