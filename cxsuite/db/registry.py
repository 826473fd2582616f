"""Every Piccolo table of the application, and binding them to the engine chosen at start.

Piccolo normally finds its engine through ``piccolo_conf``; cxsuite chooses the engine from
:class:`~cxsuite.settings.Settings` instead, so a test, a worker and the web process can each
bind the same tables to the database they were given.
"""

from __future__ import annotations

from piccolo.engine.base import Engine
from piccolo.table import Table

from cxsuite.audit.tables import AuditEvent
from cxsuite.connections.tables import Connection, OAuthState
from cxsuite.connectors.tables import SyncCheckpoint, SyncIssue
from cxsuite.identity.tables import AccountToken, ApiToken, Invitation, User
from cxsuite.imports.tables import ImportMapping
from cxsuite.jobs.tables import IdempotencyKey, Job, JobAttempt
from cxsuite.projects.tables import Project
from cxsuite.reports.tables import ReportFile, ReportRow, TenantBranding
from cxsuite.scoring.tables import (
    JourneyVersion,
    ProjectInput,
    QuestionnaireAnswer,
    ScoreRunRow,
    ScoringModelRow,
)
from cxsuite.tenancy.tables import Tenant, TenantDirectory, TenantMembership
from cxsuite.workspaces.tables import Workspace, WorkspaceMembership

_TABLES: list[type[Table]] = [
    Tenant, TenantDirectory, TenantMembership, User, ApiToken, Invitation, Workspace,
    WorkspaceMembership, Project, AuditEvent, Job, Connection, OAuthState, SyncCheckpoint, SyncIssue,
    ScoringModelRow, JourneyVersion, QuestionnaireAnswer, ScoreRunRow, TenantBranding, ReportRow,
    ReportFile, AccountToken, JobAttempt, IdempotencyKey,
    ImportMapping,
    ProjectInput,
]


def register_tables(*tables: type[Table]) -> None:
    """Add a domain's tables (domains that arrive later call this at import)."""
    for table in tables:
        if table not in _TABLES:
            _TABLES.append(table)


def all_tables() -> list[type[Table]]:
    """The registered tables, in registration order."""
    return list(_TABLES)


def bind_tables(engine: Engine) -> None:
    """Point every registered table at ``engine``."""
    for table in _TABLES:
        table._meta.db = engine
