"""Start-up check that row-level security actually binds the app's database role.

RLS is bypassed by superusers, by roles with BYPASSRLS, and (without FORCE) by table owners.
In production such a role is refused at start; in development it is allowed with a warning,
because the embedded and single-role set-ups are legitimate there.
"""

from __future__ import annotations

import logging

from cxsuite.db.session import Database
from cxsuite.db.sql import execute
from cxsuite.errors import ConfigurationError
from cxsuite.settings import Settings

log = logging.getLogger("cxsuite.db")


async def rls_bypass_reasons(db: Database) -> list[str]:
    """Why the connected role would escape row-level security (empty when it cannot)."""
    if not db.is_postgres:
        return []
    role = (await execute(db.engine, "SELECT rolsuper, rolbypassrls FROM pg_roles "
                                     "WHERE rolname = current_user"))[0]
    owned = await execute(db.engine, "SELECT count(*) AS n FROM pg_tables WHERE schemaname = "
                                     "'public' AND tableowner = current_user")
    reasons = []
    if role["rolsuper"]:
        reasons.append("the app's database role is a superuser")
    if role["rolbypassrls"]:
        reasons.append("the app's database role has BYPASSRLS")
    if owned[0]["n"]:
        reasons.append("the app's database role owns tables (set CXSUITE_DATABASE_OWNER_URL "
                       "to the owner and CXSUITE_DATABASE_URL to a separate role)")
    return reasons


async def check_database_posture(db: Database, settings: Settings) -> None:
    """Refuse (production) or warn (development) when RLS would not bind the app."""
    reasons = await rls_bypass_reasons(db)
    if not reasons:
        return
    message = "row-level security would not protect tenants: " + "; ".join(reasons)
    if settings.is_production:
        raise ConfigurationError(message)
    log.warning(message)
