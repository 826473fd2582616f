"""The resolution rules on a handful of records: who joins whom, and why."""

from __future__ import annotations

from cxsuite.customers.graph import KeyedRecord, resolve


def rec(ext: str, source: str, *keys: tuple[str, str], own: str | None = None) -> KeyedRecord:
    return KeyedRecord("c-" + source, ext, source, tuple(keys), own)


def groups(records: list[KeyedRecord]) -> set[frozenset[str]]:
    result = resolve(records)
    return {frozenset(records[i].external_id for i in members) for _, members in result.members()}


def test_shared_email_or_phone_joins_transitively_and_says_why():
    records = [rec("a", "hubspot", ("email", "x@y.io")), rec("b", "file", ("email", "x@y.io"), ("phone", "+1")),
               rec("c", "zoho", ("phone", "+1")), rec("d", "zoho", ("email", "other@y.io"))]
    result = resolve(records)
    assert groups(records) == {frozenset("abc"), frozenset("d")}
    assert [sorted(m) for m in result.matched_on] == [["email"], ["email", "phone"], ["phone"], []]


def test_an_id_joins_the_records_that_refer_to_it():
    records = [rec("003A", "salesforce", ("crm_id", "salesforce:003A"), own="salesforce:003A"),
               rec("101", "hubspot", ("crm_id", "hubspot:101"), ("crm_id", "salesforce:003A"),
                   own="hubspot:101")]
    assert groups(records) == {frozenset({"003A", "101"})}


def test_two_records_with_the_same_own_id_are_not_merged_by_it():
    # two HubSpot portals both numbering contacts: the same id means nothing
    records = [rec("101", "hubspot", ("crm_id", "hubspot:101"), own="hubspot:101"),
               KeyedRecord("c-other", "101", "hubspot", (("crm_id", "hubspot:101"),), "hubspot:101")]
    assert len(resolve(records).groups) == 2


def test_an_id_owned_twice_is_ambiguous_and_links_nothing():
    records = [rec("1", "hubspot", own="salesforce:X00"),
               KeyedRecord("c-2", "1", "hubspot", (), "salesforce:X00"),
               rec("9", "zoho", ("crm_id", "salesforce:X00"))]
    result = resolve(records)
    assert result.ambiguous_ids == 1 and len(result.groups) == 3


def test_references_to_an_unconnected_system_still_join_each_other():
    records = [rec("1", "hubspot", ("crm_id", "salesforce:003B")), rec("2", "zoho", ("crm_id", "salesforce:003B"))]
    assert groups(records) == {frozenset("12")}
