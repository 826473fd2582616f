"""Tenant models: a consultancy's own thresholds, weights, targets and library, derived from the
shipped model and stored whole, so a run scored with it can be reproduced even after the
shipped model moves on.
"""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import UUID, uuid4

import msgspec

from cxsuite.access.permissions import Action, require_tenant_wide
from cxsuite.access.principal import Principal
from cxsuite.db.listing import Listing, ListSpec, page_listed
from cxsuite.db.session import Database
from cxsuite.errors import Conflict, FieldProblem, ValidationFailed
from cxsuite.scoring.errors import ModelInvalid
from cxsuite.scoring.model import (
    ModelOverrides,
    content_hash,
    derive_model,
    model_to_dict,
    parse_model,
    shipped_model,
)
from cxsuite.scoring.schema import ScoringModel
from cxsuite.scoring.schemas import ModelOut
from cxsuite.scoring.tables import ScoringModelRow

SUMMARY = [ScoringModelRow.id, ScoringModelRow.name, ScoringModelRow.version, ScoringModelRow.model_hash,
           ScoringModelRow.base_version, ScoringModelRow.created_by, ScoringModelRow.created_at]


async def create_model(db: Database, principal: Principal, name: str, overrides: ModelOverrides) -> ModelOut:
    """Derive and store a tenant model; the same overrides twice is a conflict naming the first."""
    require_tenant_wide(principal, Action.SCORE_RUN)
    try:
        model = derive_model(shipped_model(), overrides)
    except ModelInvalid as exc:
        raise ValidationFailed("the overrides do not give a valid model",
                               problems=[FieldProblem("body.overrides", str(exc))]) from exc
    row = ScoringModelRow(
        id=uuid4(), tenant_id=principal.tenant_id, name=name, version=model.version,
        model_hash=content_hash(model), base_version=shipped_model().version,
        overrides=msgspec.json.encode(overrides, order="deterministic").decode(),
        model=msgspec.json.encode(model_to_dict(model)).decode(), created_by=principal.user_id,
        created_at=datetime.now(UTC))
    async with db.transaction(principal.tenant_id, principal.user_id):
        existing = await ScoringModelRow.select(ScoringModelRow.id).where(
            (ScoringModelRow.tenant_id == principal.tenant_id) & (ScoringModelRow.version == model.version)
        ).first().run()
        if existing:
            raise Conflict(f"model {existing['id']} already has these overrides (version {model.version})")
        await ScoringModelRow.insert(row).run()
    return ModelOut(**{column._meta.name: getattr(row, column._meta.name) for column in SUMMARY})


LIST = ListSpec(sorts=("created_at", "name", "version"), default="-created_at", search=("name", "version"))


async def list_models(db: Database, principal: Principal, limit: int, offset: int,
                      listing: Listing | None = None) -> tuple[list[ModelOut], int]:
    """The tenant's models, newest first."""
    require_tenant_wide(principal, Action.SCORE_READ)
    mine = ScoringModelRow.tenant_id == principal.tenant_id
    async with db.transaction(principal.tenant_id, write=False):
        rows, total = await page_listed(ScoringModelRow, mine, SUMMARY, LIST, listing, limit=limit,
                                        offset=offset)
    return [ModelOut(**row) for row in rows], total


async def load_model(tenant_id: UUID, model_id: UUID | None) -> ScoringModel | None:
    """The model a journey names (the shipped one for ``None``); ``None`` when the id is unknown.

    Runs inside the caller's tenant transaction.
    """
    if model_id is None:
        return shipped_model()
    row = await ScoringModelRow.select(ScoringModelRow.model).where(
        (ScoringModelRow.tenant_id == tenant_id) & (ScoringModelRow.id == model_id)).first().run()
    if row is None:
        return None
    return parse_model(msgspec.json.decode(row["model"]), f"tenant model {model_id}")
