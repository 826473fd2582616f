"""Every controller served under ``/api/v1``; a new domain adds its controllers here."""

from __future__ import annotations

from litestar.types import ControllerRouterHandler

from cxsuite.connectors.controllers import ConnectorCatalogueController
from cxsuite.identity.controllers import IdentityController

API_CONTROLLERS: list[ControllerRouterHandler] = [
    IdentityController,
    ConnectorCatalogueController,
]
