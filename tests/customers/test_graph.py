"""The resolution rules on a handful of records, run where production runs them (the SQL of
:mod:`cxsuite.customers.graph` on the test database): who joins whom, and why."""

from __future__ import annotations

from uuid import UUID

import pytest

from cxsuite.customers import graph
from cxsuite.customers.graph import KeyedRecord
from cxsuite.customers.keystore import store_keys
from cxsuite.db.sql import execute

pytestmark = pytest.mark.anyio
CONNECTIONS = {name: str(UUID(int=i + 1)) for i, name in enumerate(("hubspot", "file", "zoho", "salesforce",
                                                                    "other", "2"))}


def rec(ext: str, source: str, *keys: tuple[str, str], own: str | None = None,
        connection: str | None = None) -> KeyedRecord:
    return KeyedRecord(CONNECTIONS[connection or source], ext, source, tuple(keys), own)


class Resolved:
    """What the SQL made of the records: group root and reasons per record (input order; the
    roots are input positions)."""

    def __init__(self, records: list[KeyedRecord], rows: list[tuple[int, int, list[str]]], ambiguous: int):
        self.records, self.ambiguous_ids = records, ambiguous
        self.matched_on = [kinds for _, _, kinds in rows]
        self.roots = [root for _, root, _ in rows]

    @property
    def customers(self) -> int:
        return len(set(self.roots))

    @property
    def groups(self) -> set[frozenset[str]]:
        return {frozenset(r.external_id for r, root in zip(self.records, self.roots, strict=True) if root == g)
                for g in set(self.roots)}


async def resolve(ws, records: list[KeyedRecord]) -> Resolved:
    """Store the records' keys as an import would, stage them from the store and group them."""
    engine = ws.db.engine
    async with ws.db.transaction(ws.tenant_id):
        await store_keys(engine, ws.tenant_id, ws.workspace_id, "", records)
        await graph.open_staging(engine)
        try:
            await graph.stage(engine, ws.tenant_id, ws.workspace_id)
            ambiguous = await graph.resolve(engine)
            rows = await execute(engine, f"SELECT r.idx, r.connection_id, r.external_id, g.connection_id AS "
                                         f"root_connection, g.external_id AS root_external, e.kind "
                                         f"FROM {graph.IN_GROUP} JOIN resolve_record g ON g.idx = {graph.ROOT} "
                                         "LEFT JOIN (SELECT a AS idx, kind FROM resolve_edge UNION SELECT b, kind "
                                         "FROM resolve_edge) e ON e.idx = r.idx ORDER BY r.idx, e.kind")
        finally:
            await graph.drop_staging(engine)
    # the store numbers records in key order: map them back to their input positions
    position = {(UUID(str(r.connection_id)), r.external_id): i for i, r in enumerate(records)}
    found: dict[int, tuple[int, int, list[str]]] = {}
    for row in rows:
        at = position[UUID(str(row["connection_id"])), row["external_id"]]
        root = position[UUID(str(row["root_connection"])), row["root_external"]]
        entry = found.setdefault(at, (at, root, []))
        if row["kind"]:
            entry[2].append(row["kind"])
    return Resolved(records, [found[i] for i in range(len(records))], ambiguous)


async def test_shared_email_or_phone_joins_transitively_and_says_why(ws):
    records = [rec("a", "hubspot", ("email", "x@y.io")), rec("b", "file", ("email", "x@y.io"), ("phone", "+1")),
               rec("c", "zoho", ("phone", "+1")), rec("d", "zoho", ("email", "other@y.io"))]
    result = await resolve(ws, records)
    assert result.groups == {frozenset("abc"), frozenset("d")}
    assert [sorted(m) for m in result.matched_on] == [["email"], ["email", "phone"], ["phone"], []]


async def test_an_id_joins_the_records_that_refer_to_it(ws):
    records = [rec("003A", "salesforce", ("crm_id", "salesforce:003A"), own="salesforce:003A"),
               rec("101", "hubspot", ("crm_id", "hubspot:101"), ("crm_id", "salesforce:003A"),
                   own="hubspot:101")]
    assert (await resolve(ws, records)).groups == {frozenset({"003A", "101"})}


async def test_two_records_with_the_same_own_id_are_not_merged_by_it(ws):
    # two HubSpot portals both numbering contacts: the same id means nothing
    records = [rec("101", "hubspot", ("crm_id", "hubspot:101"), own="hubspot:101"),
               rec("101", "hubspot", ("crm_id", "hubspot:101"), own="hubspot:101", connection="other")]
    assert (await resolve(ws, records)).customers == 2


async def test_an_id_owned_twice_is_ambiguous_and_links_nothing(ws):
    records = [rec("1", "hubspot", own="salesforce:X00"),
               rec("1", "hubspot", own="salesforce:X00", connection="2"),
               rec("9", "zoho", ("crm_id", "salesforce:X00"))]
    result = await resolve(ws, records)
    assert result.ambiguous_ids == 1 and result.customers == 3


async def test_references_to_an_unconnected_system_still_join_each_other(ws):
    records = [rec("1", "hubspot", ("crm_id", "salesforce:003B")), rec("2", "zoho", ("crm_id", "salesforce:003B"))]
    assert (await resolve(ws, records)).groups == {frozenset("12")}


async def test_a_long_chain_ends_in_one_customer_rooted_at_its_earliest_record(ws):
    # each record shares one key with the next in a scrambled order, alternating email and
    # phone: the smallest label has to travel the whole chain
    n = 40
    chain = [(7 * j) % n for j in range(n)]
    keys: list[list[tuple[str, str]]] = [[] for _ in range(n)]
    for j in range(n - 1):
        key = ("email" if j % 2 == 0 else "phone", f"v{j}")
        keys[chain[j]].append(key)
        keys[chain[j + 1]].append(key)
    result = await resolve(ws, [rec(f"r{p:02d}", "zoho", *keys[p]) for p in range(n)])
    assert result.customers == 1 and set(result.roots) == {0}
