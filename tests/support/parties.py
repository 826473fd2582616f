"""Tenants and users in every role, created through the public API as a user would."""

from __future__ import annotations

import itertools
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from tests.support.mail import token_in, wait_for_mail

PASSWORD = "correct horse battery staple"
_counter = itertools.count(1)


@dataclass
class Party:
    """One authenticated user: the token and the ids that matter in tests."""

    email: str
    token: str
    tenant_id: str
    user_id: str
    workspace_id: str | None = None
    member_id: str | None = None

    @property
    def headers(self) -> dict[str, str]:
        """The Authorization header for this party."""
        return {"Authorization": f"Bearer {self.token}"}


@dataclass
class Parties:
    """Makes tenants and role holders over HTTP."""

    client: httpx.AsyncClient
    outbox: Path
    made: list[Party] = field(default_factory=list)

    async def owner(self, tenant_name: str | None = None) -> Party:
        """Sign up a new tenant and return its owner."""
        n = next(_counter)
        email = f"owner{n}@example.test"
        response = await self.client.post("/api/v1/signup", json={
            "tenant_name": tenant_name or f"Consultancy {n}", "email": email, "password": PASSWORD})
        assert response.status_code == 201, response.text
        body = response.json()
        party = Party(email, body["access_token"], body["tenant"]["id"], body["user"]["id"])
        self.made.append(party)
        return party

    async def workspace(self, owner: Party, name: str = "Client Co") -> str:
        """A workspace made by ``owner``; its id."""
        response = await self.client.post("/api/v1/workspaces", headers=owner.headers, json={"name": name})
        assert response.status_code == 201, response.text
        return response.json()["id"]

    async def project(self, owner: Party, workspace_id: str, name: str = "CX audit") -> str:
        """A project in the workspace; its id."""
        response = await self.client.post(f"/api/v1/workspaces/{workspace_id}/projects",
                                          headers=owner.headers, json={"name": name})
        assert response.status_code == 201, response.text
        return response.json()["id"]

    async def client_user(self, inviter: Party, workspace_id: str, role: str,
                          before_accepting: Callable[[str], Awaitable[Any]] | None = None) -> Party:
        """Someone new invited into the workspace, who accepts with the token from the mailed
        invitation and signs in (``before_accepting`` runs in between, with their email)."""
        n = next(_counter)
        email = f"{role}{n}@example.test"
        invited = await self.client.post(f"/api/v1/workspaces/{workspace_id}/members",
                                         headers=inviter.headers, json={"email": email, "role": role})
        assert invited.status_code == 201, invited.text
        if before_accepting is not None:
            await before_accepting(email)
        accepted = await self.client.post("/api/v1/auth/accept-invite", json={
            "invite_token": self.invitation_token(email), "password": PASSWORD})
        assert accepted.status_code == 200, accepted.text
        party = Party(email, accepted.json()["access_token"], inviter.tenant_id,
                      invited.json()["user_id"], workspace_id)
        party.member_id = invited.json()["id"]
        return party

    async def in_two_tenants(self, first_name: str, second_name: str) -> tuple[str, Party, Party]:
        """Someone invited (as a client viewer) by the owners of two consultancies, who
        accepted both invitations: their email and the two owners."""
        first, second = await self.owner(first_name), await self.owner(second_name)
        email = f"twice{next(_counter)}@example.test"
        for owner in (first, second):
            invited = await self.client.post(f"/api/v1/workspaces/{await self.workspace(owner)}/members",
                                             headers=owner.headers, json={"email": email, "role": "client_viewer"})
            assert invited.status_code == 201, invited.text
        for count in (1, 2):
            accepted = await self.client.post("/api/v1/auth/accept-invite", json={
                "invite_token": self.invitation_token(email, count), "password": PASSWORD})
            assert accepted.status_code == 200, accepted.text
        return email, first, second

    def invitation_token(self, email: str, count: int = 1) -> str:
        """The token of the ``count``-th invitation mailed to ``email``."""
        return token_in(wait_for_mail(self.outbox, email, "invitation", count))
