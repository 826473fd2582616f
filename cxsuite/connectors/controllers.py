"""``GET /api/v1/connectors``: the installed connectors a workspace can connect."""

from __future__ import annotations

from typing import Any

from litestar import Controller, get
from litestar.datastructures import State

from cxsuite.api.problems import errors
from cxsuite.connectors.contract import describe


class ConnectorCatalogueController(Controller):
    """Which vendors can be connected, how they authenticate, what they import."""

    path = "/connectors"
    tags = ["connectors"]

    @get("/", responses=errors(401))
    async def list_connectors(self, state: State) -> list[dict[str, Any]]:
        """Installed connectors with auth kind, streams and configuration schema."""
        connectors = state.plugins.connectors()
        return [describe(connectors[key]) for key in sorted(connectors)]
