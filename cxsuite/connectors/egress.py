"""The egress policy: the one place that decides whether cxsuite may call an outbound URL.

Every connector request, every token exchange and every URL a vendor hands back (Salesforce's
``instance_url`` and ``nextRecordsUrl``, Zoho's ``api_domain``) passes :meth:`EgressPolicy.resolve`
before a byte is sent:

- ``https`` only; plain ``http`` only to hosts configured explicitly (a local sandbox);
- no user-info (``https://api.hubapi.com@127.0.0.1`` is refused), no IP literal in any
  notation (``2130706433``, ``0x7f000001``, ``[::ffff:127.0.0.1]``) unless configured;
- the host must be a vendor domain the connector declares (``api.hubapi.com`` exactly, or
  ``*.salesforce.com`` on a label boundary) or a configured ``host[:port]``;
- the name is resolved once (a name that does not exist is refused; a resolver that cannot
  answer right now is a network failure, retried like one) and every address must be public
  (no loopback, private, link-local, CGNAT, multicast, reserved or IPv4-mapped addresses)
  unless the host is configured; the connection is then pinned to that address, so DNS
  rebinding cannot swap it.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass

import anyio
import httpx

from cxsuite.errors import SsrfBlocked

Resolver = Callable[[str, int], Awaitable[list[str]]]
DEFAULT_PORTS = {"https": 443, "http": 80}
# getaddrinfo's "this name does not exist" answers; any other resolver failure is transient.
_NO_SUCH_NAME = frozenset(code for code in (getattr(socket, "EAI_NONAME", None),
                                            getattr(socket, "EAI_NODATA", None)) if code is not None)


@dataclass(frozen=True)
class Target:
    """A vetted destination: the name to present (Host, SNI) and the address to connect to."""

    scheme: str
    host: str
    port: int
    address: str


async def system_resolver(host: str, port: int) -> list[str]:
    """Addresses for ``host`` from the system resolver."""
    infos = await anyio.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return sorted({str(info[4][0]) for info in infos})


def _ip_literal(host: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    """The address a host string denotes, in any notation inet_aton accepts (decimal, octal, hex)."""
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        pass
    try:
        return ipaddress.IPv4Address(socket.inet_aton(host))
    except OSError:
        return None


def _public(address: str) -> bool:
    ip = ipaddress.ip_address(address)
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        return False
    return ip.is_global and not ip.is_multicast


def _matches(host: str, pattern: str) -> bool:
    if pattern.startswith("*."):
        return host.endswith(pattern[1:]) and len(host) > len(pattern) - 1
    return host == pattern


@dataclass(frozen=True)
class EgressPolicy:
    """Vendor domains a connector may call plus the deployment's configured hosts."""

    vendor_hosts: tuple[str, ...]
    configured: tuple[str, ...] = ()
    resolver: Resolver = system_resolver

    @classmethod
    def for_hosts(cls, vendor_hosts: Iterable[str], configured: Iterable[str],
                  resolver: Resolver = system_resolver) -> EgressPolicy:
        """Normalised patterns (lower case, no trailing dots)."""
        return cls(tuple(h.lower().rstrip(".") for h in vendor_hosts),
                   tuple(h.lower().rstrip(".") for h in configured), resolver)

    def _configured(self, host: str, port: int, default_port: bool) -> bool:
        for entry in self.configured:
            name, _, entry_port = entry.rpartition(":") if entry.count(":") == 1 else (entry, "", "")
            if name == host and (int(entry_port) == port if entry_port else default_port):
                return True
        return False

    async def resolve(self, url: httpx.URL | str) -> Target:
        """Vet ``url`` and pick the address to connect to; :class:`SsrfBlocked` when refused."""
        try:
            url = httpx.URL(url)
        except httpx.InvalidURL as exc:
            raise SsrfBlocked(f"refused malformed URL ({exc})") from None
        host = (url.host or "").lower().rstrip(".")
        if url.scheme not in DEFAULT_PORTS:
            raise SsrfBlocked(f"refused {url.scheme}:// URL: only https is allowed")
        if url.userinfo:
            raise SsrfBlocked(f"refused URL with user-info before the host {host!r}")
        port = url.port or DEFAULT_PORTS[url.scheme]
        configured = self._configured(host, port, url.port is None)
        if url.scheme == "http" and not configured:
            raise SsrfBlocked(f"refused plain http to {host!r}: vendor APIs are called over https")
        if not configured:
            self._check_name(host)
        addresses = await self._addresses(host, port)
        if not configured:
            private = [a for a in addresses if not _public(a)]
            if private:
                raise SsrfBlocked(f"refused {host!r}: it resolves to a non-public address ({private[0]})")
        return Target(url.scheme, host, port, addresses[0])

    def _check_name(self, host: str) -> None:
        if _ip_literal(host) is not None:
            raise SsrfBlocked(f"refused IP address {host!r}: connectors call vendor domains by name")
        if not any(_matches(host, pattern) for pattern in self.vendor_hosts):
            raise SsrfBlocked(f"refused host {host!r}: not one of this connector's vendor domains")

    async def _addresses(self, host: str, port: int) -> list[str]:
        literal = _ip_literal(host)
        if literal is not None:
            return [str(literal)]
        try:
            addresses = await self.resolver(host, port)
        except OSError as exc:
            if getattr(exc, "errno", None) in _NO_SUCH_NAME:
                raise SsrfBlocked(f"refused host {host!r}: it does not resolve") from None
            # The resolver could not answer now (EAI_AGAIN, a timeout): a network failure the
            # HTTP client retries like any other, not a verdict on the host.
            raise httpx.ConnectError(f"resolving {host!r} failed for now ({exc})") from None
        if not addresses:
            raise SsrfBlocked(f"refused host {host!r}: it does not resolve")
        return addresses


class PinnedTransport(httpx.AsyncBaseTransport):
    """An httpx transport that vets every request and connects to the vetted address only.

    The request keeps its Host header and TLS server name, so certificates are checked against
    the vendor's name while the socket goes to the address that was checked.
    """

    def __init__(self, policy: EgressPolicy, inner: httpx.AsyncBaseTransport | None = None) -> None:
        self.policy = policy
        self.inner = inner or httpx.AsyncHTTPTransport(retries=0)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        """Resolve, vet and pin, then send."""
        target = await self.policy.resolve(request.url)
        request.headers["Host"] = request.url.netloc.decode("ascii")
        if target.scheme == "https":
            request.extensions = {**request.extensions, "sni_hostname": target.host}
        request.url = request.url.copy_with(host=target.address)
        return await self.inner.handle_async_request(request)

    async def aclose(self) -> None:
        """Close the pooled connections."""
        await self.inner.aclose()
