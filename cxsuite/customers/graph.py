"""Deterministic identity resolution: union-find over match keys, with the reason for each merge.

Records are nodes; two nodes join when they share an email, a phone or a web user id, or when
one carries the other system's id. Ids need care: a record's *own* id only links records of
other systems that refer to it. Two records that merely have the same own id (two HubSpot
portals both numbering contacts from 1) are not the same person, and an id owned by more
than one record is ambiguous, so it links nothing and is counted instead.

Everything here is pure and in memory: the service streams the rows in and writes the
groups out, and tests can check the rules on a handful of records.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from cxsuite.customers.keys import CRM_ID


@dataclass(frozen=True, slots=True)
class KeyedRecord:
    """One customer record and its match keys (``own_id`` is its own ``crm_id`` key)."""

    connection_id: str
    external_id: str
    source: str
    keys: tuple[tuple[str, str], ...]
    own_id: str | None = None


@dataclass(slots=True)
class Resolution:
    """Groups of records that are one customer, and why each record joined its group."""

    records: list[KeyedRecord]
    group_of: list[int]
    matched_on: list[set[str]]
    ambiguous_ids: int = 0
    groups: dict[int, list[int]] = field(default_factory=dict)

    def members(self) -> Iterable[tuple[int, list[int]]]:
        """(group root, member indexes), members in input order."""
        return self.groups.items()


class _UnionFind:
    def __init__(self, size: int) -> None:
        self.parent = list(range(size))

    def find(self, node: int) -> int:
        root = node
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[node] != root:  # path compression
            self.parent[node], node = root, self.parent[node]
        return root

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)  # the earliest record stays the root


def resolve(records: list[KeyedRecord]) -> Resolution:
    """Group ``records`` into customers; a record with no shared key is a customer alone."""
    uf = _UnionFind(len(records))
    matched: list[set[str]] = [set() for _ in records]
    first_with: dict[tuple[str, str], int] = {}
    owners: dict[str, list[int]] = defaultdict(list)
    referrers: dict[str, list[int]] = defaultdict(list)

    def join(a: int, b: int, kind: str) -> None:
        uf.union(a, b)
        matched[a].add(kind)
        matched[b].add(kind)

    for index, record in enumerate(records):
        if record.own_id:
            owners[record.own_id].append(index)
        for kind, value in record.keys:
            if kind == CRM_ID:
                if value != record.own_id:
                    referrers[value].append(index)
                continue
            seen = first_with.setdefault((kind, value), index)
            if seen != index:
                join(seen, index, kind)

    ambiguous = 0
    for value, refs in referrers.items():
        owned_by = owners.get(value, [])
        if len(owned_by) > 1:
            ambiguous += 1
            continue
        anchor = owned_by[0] if owned_by else refs[0]
        for ref in refs:
            if ref != anchor:
                join(anchor, ref, CRM_ID)

    group_of = [uf.find(i) for i in range(len(records))]
    groups: dict[int, list[int]] = defaultdict(list)
    for index, root in enumerate(group_of):
        groups[root].append(index)
    return Resolution(records, group_of, matched, ambiguous, dict(groups))
