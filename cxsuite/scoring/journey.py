"""The project's journey: stages, touchpoints, targets and applicability, in immutable versions.

Every edit writes a new version and never changes an old one, so a score run can point at
the exact journey it scored. A project's first read (journey, questionnaire or a run) stores
version 1 from the model's seven default stages; until then nothing is written. Editors send
the version they read: writing over an older one is a 409, so two consultants editing at once
cannot silently undo each other's changes.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from uuid import UUID, uuid4

import asyncpg
import msgspec

from cxsuite.access.permissions import Action, require_in_workspace
from cxsuite.access.principal import Principal
from cxsuite.db.session import Database
from cxsuite.errors import Conflict, FieldProblem, NotFound, ValidationFailed
from cxsuite.projects.tables import Project
from cxsuite.scoring.inputs import Journey, StageSpec
from cxsuite.scoring.model import shipped_model
from cxsuite.scoring.schema import ScoringModel
from cxsuite.scoring.schemas import JourneyIn, JourneyOut, JourneyStage
from cxsuite.scoring.tables import JourneyVersion
from cxsuite.scoring.tenant_models import load_model

DUPLICATE_KEY = (sqlite3.IntegrityError, asyncpg.UniqueViolationError)


@dataclass(frozen=True)
class StoredJourney:
    """A journey version as read from the database, with the model it uses."""

    id: UUID
    project_id: UUID
    version: int
    model_id: UUID | None
    model: ScoringModel
    stages: list[JourneyStage]
    created_by: UUID | None
    created_at: datetime

    def to_out(self) -> JourneyOut:
        """The API view."""
        return JourneyOut(project_id=self.project_id, version=self.version, model_id=self.model_id,
                          model_version=self.model.version, stages=self.stages,
                          created_by=self.created_by, created_at=self.created_at)

    def for_scoring(self) -> Journey:
        """The engine's view: stage keys, names and overrides in journey order."""
        return Journey(stages=tuple(StageSpec(key=s.key, name=s.name, applicability=s.applicability,
                                              targets=s.targets) for s in self.stages))


async def project_for(principal: Principal, project_id: UUID, action: Action) -> dict[str, Any]:
    """The project row, or 404 (absent or another tenant's), or 403 (role too weak).

    Runs inside the caller's tenant transaction.
    """
    row = await Project.select().where(
        (Project.tenant_id == principal.tenant_id) & (Project.id == project_id)).first().run()
    if row is None:
        raise NotFound("project not found")
    require_in_workspace(principal, row["workspace_id"], action)
    return row


def default_stages(model: ScoringModel) -> list[JourneyStage]:
    """The model's stages with no overrides and no touchpoints: every project starts here."""
    return [JourneyStage(key=stage.key, name=stage.name) for stage in model.stages]


async def latest(tenant_id: UUID, project_id: UUID) -> StoredJourney | None:
    """The newest version of the project's journey (inside the caller's transaction)."""
    row = await JourneyVersion.select().where(
        (JourneyVersion.tenant_id == tenant_id) & (JourneyVersion.project_id == project_id)
    ).order_by(JourneyVersion.version, ascending=False).first().run()
    return None if row is None else await _stored(tenant_id, row)


async def by_id(tenant_id: UUID, journey_id: UUID) -> StoredJourney:
    """One version by id (a run's journey)."""
    row = await JourneyVersion.select().where(
        (JourneyVersion.tenant_id == tenant_id) & (JourneyVersion.id == journey_id)).first().run()
    if row is None:
        raise NotFound("journey version not found")
    return await _stored(tenant_id, row)


async def _stored(tenant_id: UUID, row: dict[str, Any]) -> StoredJourney:
    model = await load_model(tenant_id, row["model_id"])
    assert model is not None, "journey_version.model_id references scoring_model"
    return StoredJourney(id=row["id"], project_id=row["project_id"], version=row["version"],
                         model_id=row["model_id"], model=model,
                         stages=msgspec.json.decode(row["stages"], type=list[JourneyStage]),
                         created_by=row["created_by"], created_at=row["created_at"])


async def current(db: Database, principal: Principal, project_id: UUID, action: Action) -> StoredJourney:
    """The newest version, storing version 1 from the default template on first use."""
    async with db.transaction(principal.tenant_id, principal.user_id, write=False):
        await project_for(principal, project_id, action)
        found = await latest(principal.tenant_id, project_id)
    if found is not None:
        return found
    try:
        async with db.transaction(principal.tenant_id, principal.user_id):
            await _insert(principal.tenant_id, project_id, 1, None, default_stages(shipped_model()), None)
    except DUPLICATE_KEY:
        pass  # another request stored version 1 first: read theirs
    async with db.transaction(principal.tenant_id, write=False):
        found = await latest(principal.tenant_id, project_id)
    assert found is not None
    return found


async def _insert(tenant_id: UUID, project_id: UUID, version: int, model_id: UUID | None,
                  stages: list[JourneyStage], user_id: UUID | None) -> None:
    await JourneyVersion.insert(JourneyVersion(
        id=uuid4(), tenant_id=tenant_id, project_id=project_id, version=version, model_id=model_id,
        stages=msgspec.json.encode(stages).decode(), created_by=user_id,
        created_at=datetime.now(UTC))).run()


async def update(db: Database, principal: Principal, project_id: UUID, data: JourneyIn) -> StoredJourney:
    """Store ``data`` as the next version; 409 when ``data.version`` is not the newest."""
    try:
        async with db.transaction(principal.tenant_id, principal.user_id):
            await project_for(principal, project_id, Action.JOURNEY_EDIT)
            found = await latest(principal.tenant_id, project_id)
            newest = found.version if found else 0
            if data.version != newest:
                raise Conflict(f"the journey is at version {newest}, you edited version {data.version}; "
                               "reload it and apply your change again")
            model = await load_model(principal.tenant_id, data.model_id)
            check_stages(model, data)
            await _insert(principal.tenant_id, project_id, newest + 1, data.model_id, data.stages,
                          principal.user_id)
    except DUPLICATE_KEY as exc:
        raise Conflict("the journey was changed at the same time; reload it and try again") from exc
    async with db.transaction(principal.tenant_id, write=False):
        stored = await latest(principal.tenant_id, project_id)
    assert stored is not None
    return stored


def check_stages(model: ScoringModel | None, data: JourneyIn) -> None:
    """Unique stage keys, known dimensions, weights 0–2 and targets 1–5, or 422 naming each field."""
    if model is None:
        raise ValidationFailed("unknown scoring model", problems=[
            FieldProblem("body.model_id", "no model with this id in your tenant")])
    dims = {dim.key for dim in model.dimensions}
    problems, seen = [], set()
    for i, stage in enumerate(data.stages):
        where = f"body.stages[{i}]"
        if stage.key in seen:
            problems.append(FieldProblem(f"{where}.key", f"stage {stage.key!r} appears twice"))
        seen.add(stage.key)
        for field, allowed in (("applicability", range(0, 3)), ("targets", range(1, 6))):
            for dim, number in sorted(getattr(stage, field).items()):
                if dim not in dims:
                    problems.append(FieldProblem(f"{where}.{field}.{dim}", f"unknown dimension {dim!r}"))
                elif number not in allowed:
                    problems.append(FieldProblem(f"{where}.{field}.{dim}",
                                                 f"must be {allowed.start}..{allowed.stop - 1}"))
    if problems:
        raise ValidationFailed("the journey is not valid; see errors", problems=problems)
