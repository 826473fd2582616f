"""SSRF: the egress policy refuses every address a connector must never reach, with a clear
error, before anything is sent; redirects are never followed."""

from __future__ import annotations

import pytest

from cxsuite.connectors.egress import EgressPolicy
from cxsuite.errors import SsrfBlocked

pytestmark = pytest.mark.anyio

SALESFORCE = ("*.salesforce.com", "*.my.salesforce.com", "*.force.com")
HUBSPOT = ("api.hubapi.com", "app.hubspot.com")


def fake_dns(table: dict[str, list[str]]):
    async def resolve(host: str, port: int) -> list[str]:
        if host not in table:
            raise OSError("no such host")
        return table[host]
    return resolve


PUBLIC_DNS = fake_dns({"api.hubapi.com": ["104.16.1.1"], "acme.my.salesforce.com": ["13.110.1.1"],
                       "internal.salesforce.com": ["10.0.0.1"], "rebind.salesforce.com": ["169.254.169.254"],
                       "mapped.salesforce.com": ["::ffff:127.0.0.1"]})


@pytest.mark.parametrize(("url", "reason"), [
    ("http://127.0.0.1", "plain http"),
    ("https://127.0.0.1", "IP address"),
    ("https://[::ffff:127.0.0.1]", "IP address"),
    ("https://2130706433", "IP address"),
    ("https://0x7f000001/", "IP address"),
    ("https://0177.0.0.1/", "Invalid IPv4 address"),
    ("https://169.254.169.254/latest/meta-data/", "IP address"),
    ("https://api.hubapi.com@127.0.0.1", "user-info"),
    ("https://x.salesforce.com.attacker.example", "not one of"),
    ("https://api.hubapi.com.evil.example", "not one of"),
    ("https://hubapi.com-evil.example", "not one of"),
    ("https://salesforce.com", "not one of"),
    ("file:///etc/passwd", "only https"),
    ("gopher://api.hubapi.com/", "only https"),
    ("https://internal.salesforce.com/", r"non-public address \(10\.0\.0\.1\)"),
    ("https://rebind.salesforce.com/", "non-public address"),
    ("https://mapped.salesforce.com/", "non-public address"),
])
async def test_ssrf_corpus_is_refused_with_the_reason(url, reason):
    policy = EgressPolicy.for_hosts(SALESFORCE + HUBSPOT, (), resolver=PUBLIC_DNS)
    with pytest.raises(SsrfBlocked, match=reason):
        await policy.resolve(url)


async def test_vendor_domains_resolve_to_their_public_address():
    policy = EgressPolicy.for_hosts(SALESFORCE + HUBSPOT, (), resolver=PUBLIC_DNS)
    assert (await policy.resolve("https://api.hubapi.com/crm/v3/objects/contacts")).address == "104.16.1.1"
    assert (await policy.resolve("https://acme.my.salesforce.com/services/data")).host == "acme.my.salesforce.com"


async def test_loopback_is_allowed_only_for_the_exact_configured_host_and_port():
    policy = EgressPolicy.for_hosts(HUBSPOT, ("127.0.0.1:8765",), resolver=PUBLIC_DNS)
    assert (await policy.resolve("http://127.0.0.1:8765/hubspot")).address == "127.0.0.1"
    for other in ("http://127.0.0.1:8766/", "http://127.0.0.1/", "http://localhost:8765/"):
        with pytest.raises(SsrfBlocked):
            await policy.resolve(other)
