"""``/api/v1/workspaces/{id}/customer-view``: how fragmented a client's customer data is."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

import msgspec
from litestar import Controller, get, post, put
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody

from cxsuite.access.permissions import Action
from cxsuite.access.principal import Principal
from cxsuite.api.guards import requires
from cxsuite.api.problems import errors
from cxsuite.audit.service import Actor
from cxsuite.customers import service
from cxsuite.customers.service import Member, ViewSummary
from cxsuite.db.session import Database


class CustomerViewOut(msgspec.Struct, frozen=True, kw_only=True):
    """The last resolution of the workspace's customer records into real customers."""

    workspace_id: UUID
    phone_region: str
    resolved_at: datetime | None
    records_per_customer: float | None
    summary: ViewSummary


class CustomerViewIn(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """Resolution settings."""

    phone_region: str = msgspec.field(default="")
    """ISO 3166-1 alpha-2 country in which phone numbers written without ``+`` are read."""


class ResolvedCustomerOut(msgspec.Struct, frozen=True, kw_only=True):
    """One real customer: its records in every source and the keys that joined them."""

    customer_id: UUID
    records: list[Member]


def _out(view: service.CustomerView) -> CustomerViewOut:
    return CustomerViewOut(workspace_id=view.workspace_id, phone_region=view.phone_region,
                           resolved_at=view.resolved_at,
                           records_per_customer=view.summary.records_per_customer, summary=view.summary)


class CustomerViewController(Controller):
    """Identity resolution across a workspace's sources (see ``docs/customer-view.md``)."""

    path = "/workspaces/{workspace_id:uuid}/customer-view"
    tags = ["customer view"]

    @get("/", guards=[requires(Action.SCORE_READ)], responses=errors(401, 403, 404),
         summary="How fragmented the customer data is",
         description="Records, real customers, records per customer, customers found in two sources "
                     "(by source pair) and what joined them, as of the last resolution (every score "
                     "run resolves first).")
    async def read(self, workspace_id: FromPath[UUID], db: NamedDependency[Database],
                   principal: NamedDependency[Principal]) -> CustomerViewOut:
        """The stored view; empty before the first resolution."""
        return _out(await service.read_view(db, principal, workspace_id))

    @put("/", guards=[requires(Action.SCORE_RUN)], responses=errors(400, 401, 403, 404, 422),
         summary="Set the phone region and resolve again",
         description="Numbers without a leading + are read in `phone_region`; the graph is rebuilt "
                     "at once and the new summary returned.")
    async def configure(self, workspace_id: FromPath[UUID], data: JSONBody[CustomerViewIn],
                        db: NamedDependency[Database], principal: NamedDependency[Principal],
                        actor: NamedDependency[Actor]) -> CustomerViewOut:
        """Store the region and resolve."""
        return _out(await service.refresh_view(db, principal, actor, workspace_id, data.phone_region))

    @post("/resolve", status_code=200, guards=[requires(Action.SCORE_RUN)],
          responses=errors(401, 403, 404), summary="Resolve the customer records again",
          description="Rebuilds the identity graph from the records imported so far.")
    async def resolve(self, workspace_id: FromPath[UUID], db: NamedDependency[Database],
                      principal: NamedDependency[Principal], actor: NamedDependency[Actor],
                      ) -> CustomerViewOut:
        """Resolve now with the stored settings."""
        return _out(await service.refresh_view(db, principal, actor, workspace_id))

    @get("/customers/{customer_id:uuid}", guards=[requires(Action.SCORE_READ)],
         responses=errors(401, 403, 404), summary="Why records were joined into one customer",
         description="Every record of one resolved customer, with the kinds of key (email, phone, "
                     "crm_id, web_user_id) it shares with another record of the same customer.")
    async def customer(self, workspace_id: FromPath[UUID], customer_id: FromPath[UUID],
                       db: NamedDependency[Database], principal: NamedDependency[Principal],
                       ) -> ResolvedCustomerOut:
        """The records and the keys that joined them."""
        members = await service.read_customer(db, principal, workspace_id, customer_id)
        return ResolvedCustomerOut(customer_id=customer_id, records=members)
