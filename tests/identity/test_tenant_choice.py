"""Someone in several consultancies who signs in without naming one is asked to choose: the
problem keeps its field and status, and names each choice (id and consultancy name)."""

from __future__ import annotations

import pytest

from tests.support.parties import PASSWORD

pytestmark = pytest.mark.anyio


async def test_the_choice_of_consultancy_names_each_one(client, parties) -> None:
    email, first, second = await parties.in_two_tenants("Northwind Advisory", "Baltic Insight")
    refused = await client.post("/api/v1/auth/token", json={"email": email, "password": PASSWORD})
    assert refused.status_code == 422
    [problem] = refused.json()["errors"]
    assert problem["field"] == "body.tenant_id"
    assert first.tenant_id in problem["reason"] and second.tenant_id in problem["reason"]
    assert sorted(problem["choices"], key=lambda c: c["label"]) == [
        {"value": second.tenant_id, "label": "Baltic Insight"},
        {"value": first.tenant_id, "label": "Northwind Advisory"}]
    chosen = await client.post("/api/v1/auth/token", json={"email": email, "password": PASSWORD,
                                                           "tenant_id": second.tenant_id})
    assert chosen.status_code == 200 and chosen.json()["tenant_id"] == second.tenant_id
    wrong = await client.post("/api/v1/auth/token", json={"email": email, "password": "not the password"})
    assert wrong.status_code == 401 and "choices" not in wrong.text
