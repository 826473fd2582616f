"""The customer view over HTTP: read, set the phone region, resolve, explain one customer."""

from __future__ import annotations

import pytest

from cxsuite.connectors.records import Customer
from tests.support.engagement import eng  # noqa: F401 - a fixture, used by name

pytestmark = pytest.mark.anyio


async def test_set_region_resolve_and_explain_a_merge(eng, client):  # noqa: F811
    await eng.write("customer", [Customer(external_id="a", phone="8 612 34567"),
                                 Customer(external_id="b", phone="+37061234567", email="b@x.lt")])
    base, h = f"/api/v1/workspaces/{eng.workspace_id}/customer-view", eng.owner.headers
    empty = (await client.get(base, headers=h)).json()
    assert empty["resolved_at"] is None and empty["summary"]["records"] == 0

    unread = (await client.post(f"{base}/resolve", headers=h)).json()
    assert (unread["summary"]["customers"], unread["summary"]["unreadable_phones"]) == (2, 1)

    bad = await client.put(base, headers=h, json={"phone_region": "XX"})
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "body.phone_region"

    view = (await client.put(base, headers=h, json={"phone_region": "lt"})).json()
    assert view["phone_region"] == "LT" and view["summary"]["customers"] == 1
    assert view["records_per_customer"] == 2.0 and view["summary"]["records_matched_by"] == {"phone": 2}
    assert (await client.get(base, headers=h)).json() == view

    events = (await client.get("/api/v1/audit-events", headers=h,
                               params={"action": "customer_view.resolved"})).json()["items"]
    assert len(events) == 2 and events[0]["details"]["phone_region"] == "LT"


async def test_an_unknown_customer_is_404(eng, client):  # noqa: F811
    response = await client.get(f"/api/v1/workspaces/{eng.workspace_id}/customer-view/customers/"
                                "00000000-0000-0000-0000-000000000001", headers=eng.owner.headers)
    assert response.status_code == 404
