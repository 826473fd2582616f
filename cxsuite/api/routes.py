"""Every controller served under ``/api/v1``; a new domain adds its controllers here."""

from __future__ import annotations

from litestar.types import ControllerRouterHandler

from cxsuite.audit.controllers import AuditController
from cxsuite.connections.controllers import (
    ConnectionController,
    OAuthCallbackController,
    WorkspaceConnectionsController,
)
from cxsuite.connectors.controllers import ConnectorCatalogueController
from cxsuite.customers.controllers import CustomerViewController
from cxsuite.identity.controllers import IdentityController
from cxsuite.imports.controllers import FileImportController
from cxsuite.jobs.controllers import JobController, WorkspaceJobsController
from cxsuite.projects.controllers import ProjectController, WorkspaceProjectsController
from cxsuite.reports.controllers import (
    BrandingController,
    ProjectReportsController,
    ReportController,
    ReportTextController,
    ScoreRunEvidenceController,
    ScoreRunReportPreviewController,
)
from cxsuite.scoring.controllers import (
    ProjectScoringController,
    ScoreRunController,
    ScoringModelController,
)
from cxsuite.tenancy.controllers import TenantController
from cxsuite.workspaces.controllers import MemberController, WorkspaceController

API_CONTROLLERS: list[ControllerRouterHandler] = [
    IdentityController,
    TenantController,
    WorkspaceController,
    MemberController,
    WorkspaceProjectsController,
    ProjectController,
    AuditController,
    JobController,
    WorkspaceJobsController,
    ProjectScoringController,
    ScoreRunController,
    ScoringModelController,
    ConnectorCatalogueController,
    WorkspaceConnectionsController,
    ConnectionController,
    OAuthCallbackController,
    BrandingController,
    ProjectReportsController,
    ReportController,
    ScoreRunReportPreviewController,
    ScoreRunEvidenceController,
    CustomerViewController,
    FileImportController,
    ReportTextController,
]
