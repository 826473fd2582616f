"""Tenants and users in every role, created through the public API as a user would."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

import httpx

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

    @property
    def headers(self) -> dict[str, str]:
        """The Authorization header for this party."""
        return {"Authorization": f"Bearer {self.token}"}


@dataclass
class Parties:
    """Makes tenants and role holders over HTTP."""

    client: httpx.AsyncClient
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
