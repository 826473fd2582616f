"""The plugin contract: every hook a cxsuite plugin can implement.

Hooks *register* things and return them; the core calls their methods and isolates each
plugin's failures. Every hook is documented in ``docs/plugin_hooks.md`` (a test fails when one
is not). Plugins import only ``cxsuite.hookimpl`` and the public API of ``cxsuite``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pluggy

if TYPE_CHECKING:
    from cxsuite.connectors.contract import BaseConnector

PROJECT = "cxsuite"
hookspec = pluggy.HookspecMarker(PROJECT)


@hookspec
def register_connectors() -> list[type[BaseConnector]]:
    """Return connector classes (subclasses of :class:`cxsuite.connectors.BaseConnector`).

    Called once when the plugin manager is built. Each class needs a unique ``key``; a second
    connector with a key already registered is reported and skipped.
    """


@hookspec
def register_metrics() -> list[Any]:
    """Return extra metric definitions for the scoring engine.

    Each is an object with ``key``, ``unit``, ``description`` and an async
    ``compute(workspace_scope) -> MetricValue`` (see ``docs/plugin_hooks.md``). Metrics whose
    key the model does not use are computed and shown as evidence but not scored.
    """


@hookspec
def register_report_sections() -> list[Any]:
    """Return extra report sections (key, title message id, template, position).

    Tenants can reorder or turn them off like the built-in sections.
    """


@hookspec
def register_recommendations() -> list[dict[str, Any]]:
    """Return extra entries for the recommendation library, in the model file's format.

    Each needs a unique ``id``; the expected KPI movement must carry its ``source``.
    """
