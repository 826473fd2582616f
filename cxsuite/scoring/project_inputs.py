"""Storage of the consultant's per-project documents (value inputs, report text, stage mapping).

Each kind is one JSON document per project, replaced whole by its PUT and read whole by scoring
and reports. Nothing here validates: the module of each kind checks its document before it is
written (:mod:`cxsuite.scoring.value_inputs`, :mod:`cxsuite.reports.narrative`,
:mod:`cxsuite.scoring.journey_mapping`). Reads join the caller's tenant transaction.
"""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from typing import Literal, TypeVar
from uuid import UUID

import asyncpg
import msgspec

from cxsuite.errors import Conflict
from cxsuite.scoring.tables import ProjectInput

Kind = Literal["value", "narrative", "journey_mapping"]
DocT = TypeVar("DocT")
_DUPLICATE = (sqlite3.IntegrityError, asyncpg.UniqueViolationError)


class Stored(msgspec.Struct, frozen=True, kw_only=True):
    """Who last changed a document and when (``None`` while it was never set)."""

    updated_by: UUID | None = None
    updated_at: datetime | None = None


async def read(tenant_id: UUID, project_id: UUID, kind: Kind, type_: type[DocT], empty: DocT,
               ) -> tuple[DocT, Stored]:
    """The stored document of ``kind``, or ``empty`` when the consultant never set one."""
    row = await ProjectInput.select().where(
        (ProjectInput.tenant_id == tenant_id) & (ProjectInput.project_id == project_id)
        & (ProjectInput.kind == kind)).first().run()
    if row is None:
        return empty, Stored()
    return msgspec.json.decode(row["payload"], type=type_), Stored(updated_by=row["updated_by"],
                                                                    updated_at=row["updated_at"])


async def write(tenant_id: UUID, project_id: UUID, kind: Kind, document: object, user_id: UUID | None,
                ) -> Stored:
    """Replace the document of ``kind`` (inside the caller's writing transaction)."""
    payload = msgspec.json.encode(document, order="deterministic").decode()
    now = datetime.now(UTC)
    mine = ((ProjectInput.tenant_id == tenant_id) & (ProjectInput.project_id == project_id)
            & (ProjectInput.kind == kind))
    try:
        if await ProjectInput.exists().where(mine).run():
            await ProjectInput.update({ProjectInput.payload: payload, ProjectInput.updated_by: user_id,
                                       ProjectInput.updated_at: now}).where(mine).run()
        else:
            await ProjectInput.insert(ProjectInput(tenant_id=tenant_id, project_id=project_id, kind=kind,
                                                   payload=payload, updated_by=user_id, updated_at=now)).run()
    except _DUPLICATE as exc:
        raise Conflict("the document was changed at the same time; reload it and try again") from exc
    return Stored(updated_by=user_id, updated_at=now)
