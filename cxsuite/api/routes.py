"""Every controller served under ``/api/v1``; a new domain adds its controllers here."""

from __future__ import annotations

from litestar.types import ControllerRouterHandler

from cxsuite.connections.controllers import (
    ConnectionController,
    OAuthCallbackController,
    WorkspaceConnectionsController,
)
from cxsuite.connectors.controllers import ConnectorCatalogueController
from cxsuite.identity.controllers import IdentityController
from cxsuite.scoring.controllers import (
    ProjectScoringController,
    ScoreRunController,
    ScoringModelController,
)

API_CONTROLLERS: list[ControllerRouterHandler] = [
    IdentityController,
    ProjectScoringController,
    ScoreRunController,
    ScoringModelController,
    ConnectorCatalogueController,
    WorkspaceConnectionsController,
    ConnectionController,
    OAuthCallbackController,
]
