"""The SSRF guard: which addresses the crawler may connect to, checked at connect time.

Feeds are written by strangers, and every entry link (and every redirect) becomes a request
from a machine that sits next to databases, caches and cloud metadata services. So before any
TCP connection the host is resolved here, every address it resolves to is checked, and the
connection is made to the address that was checked — never resolved a second time, so a DNS
answer that changes between check and connect (rebinding) gains nothing. Checking the resolved
address rather than the spelling covers every numeric form at once (``0x7f000001``,
``2130706433``, ``127.1``, ``[::ffff:127.0.0.1]``): the resolver turns them all into the
address they mean.

Refused by default: loopback, private (RFC 1918, ULA), link-local (metadata services live at
169.254.169.254), multicast, reserved, unspecified, shared (CGNAT) and every other address that
is not globally routable, and any port but 80 and 443. ``NEWSWIRE_ALLOWED_HOSTS`` lists the
exceptions explicitly — ``host:port``, ``host`` (any port) or a CIDR block — for the replay
server, the demo and the tests' own loopback servers.

The guard is an httpcore network backend, so it sits below httpx: TLS SNI and the ``Host``
header still carry the URL's host name while the socket goes to the checked address.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
import ssl
import typing
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass

import httpcore
import httpx

__all__ = [
    "AllowList",
    "BlockedAddressError",
    "GuardedTransport",
    "Resolver",
    "check_address",
    "parse_allowed_hosts",
]

DEFAULT_PORTS = frozenset({80, 443})
_NAT64 = ipaddress.ip_network("64:ff9b::/96")

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network
Resolver = Callable[[str, int], Awaitable[list[str]]]
"""``resolve(host, port)`` → the addresses to consider, in connection order."""


class BlockedAddressError(Exception):
    """A connection the guard refused; the message says which host, address and rule."""


@dataclass(frozen=True)
class AllowList:
    """The parsed ``NEWSWIRE_ALLOWED_HOSTS``: explicit exceptions to the guard."""

    host_ports: frozenset[tuple[str, int]] = frozenset()
    hosts: frozenset[str] = frozenset()
    networks: tuple[IPNetwork, ...] = ()

    def allows(self, name: str, port: int) -> bool:
        """Whether *name* (a host name or an address, as text) on *port* is listed."""
        name = name.lower().strip("[]")
        if (name, port) in self.host_ports or name in self.hosts:
            return True
        try:
            address = _normalise(ipaddress.ip_address(name))
        except ValueError:
            return False
        return any(address in network for network in self.networks)

    def __bool__(self) -> bool:
        return bool(self.host_ports or self.hosts or self.networks)


def parse_allowed_hosts(value: str | Iterable[str] | None) -> AllowList:
    """Parse ``host:port``, ``host``, ``[v6]:port`` and CIDR entries; raise ValueError on junk."""
    if value is None:
        return AllowList()
    parts = value.split(",") if isinstance(value, str) else list(value)
    host_ports: set[tuple[str, int]] = set()
    hosts: set[str] = set()
    networks: list[IPNetwork] = []
    for raw in parts:
        entry = raw.strip().lower()
        if not entry:
            continue
        if "/" in entry:
            try:
                networks.append(ipaddress.ip_network(entry, strict=False))
            except ValueError:
                raise ValueError(f"{raw.strip()!r} is not a CIDR block") from None
            continue
        host, port = _split_host_port(entry, raw)
        if not host or any(ch.isspace() for ch in host):
            raise ValueError(f"{raw.strip()!r} is not a host, host:port or CIDR block")
        if port is None:
            hosts.add(host)
        else:
            host_ports.add((host, port))
    return AllowList(frozenset(host_ports), frozenset(hosts), tuple(networks))


def _split_host_port(entry: str, raw: str) -> tuple[str, int | None]:
    if entry.startswith("["):  # [::1]:8080 or [::1]
        host, _, rest = entry[1:].partition("]")
        port_text = rest[1:] if rest.startswith(":") else ""
        if rest and not rest.startswith(":"):
            raise ValueError(f"{raw.strip()!r} is not a host, host:port or CIDR block")
    elif entry.count(":") == 1:
        host, _, port_text = entry.partition(":")
    else:  # a bare name, IPv4 address, or IPv6 address without brackets
        host, port_text = entry, ""
    if not port_text:
        return host, None
    if not port_text.isdigit() or not 0 < int(port_text) < 65536:
        raise ValueError(f"{raw.strip()!r}: port must be a number from 1 to 65535")
    return host, int(port_text)


def _normalise(address: IPAddress) -> IPAddress:
    """IPv4-mapped and IPv4-compatible IPv6 addresses are judged as the IPv4 address they hold."""
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return address.ipv4_mapped
        if address.sixtofour is not None:
            return address.sixtofour
        if address.teredo is not None:
            return address.teredo[1]
        packed = address.packed
        if packed[:12] == bytes(12) and packed[12:] != bytes(4):  # deprecated ::a.b.c.d form
            return ipaddress.IPv4Address(packed[12:])
        if address in _NAT64:  # 64:ff9b::a.b.c.d reaches a.b.c.d through a NAT64 gateway
            return ipaddress.IPv4Address(packed[12:])
    return address


def _why_refused(address: IPAddress) -> str | None:
    """The class of a non-public address (the reason it is refused), or None when public."""
    address = _normalise(address)
    for label, flag in (
        ("unspecified", address.is_unspecified),
        ("loopback", address.is_loopback),
        ("link-local", address.is_link_local),
        ("multicast", address.is_multicast),
        ("private", address.is_private),
        ("reserved", address.is_reserved),
    ):
        if flag:
            return label
    if not address.is_global:
        return "not globally routable"
    return None


def check_address(host: str, port: int, address: str, allow: AllowList) -> None:
    """Raise :class:`BlockedAddressError` unless connecting to *address* for *host* is allowed."""
    if allow.allows(host, port) or allow.allows(address, port):
        return
    try:
        parsed = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        raise BlockedAddressError(f"{host}: resolver returned a non-address {address!r}") from None
    reason = _why_refused(parsed)
    if reason is not None:
        raise BlockedAddressError(
            f"{host}:{port} resolves to {address}, a {reason} address "
            "(allow it explicitly with NEWSWIRE_ALLOWED_HOSTS)"
        )
    if port not in DEFAULT_PORTS:
        raise BlockedAddressError(
            f"{host}:{port}: only ports 80 and 443 are fetched "
            "(allow others explicitly with NEWSWIRE_ALLOWED_HOSTS)"
        )


async def system_resolve(host: str, port: int) -> list[str]:
    """Addresses of *host* from the system resolver (numeric spellings parsed, not looked up)."""
    loop = asyncio.get_running_loop()
    try:
        infos = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise httpcore.ConnectError(f"cannot resolve {host}: {exc.strerror or exc}") from None
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


class _GuardedBackend(httpcore.AsyncNetworkBackend):
    """Resolve, check every address, then connect to the checked one (no second lookup)."""

    def __init__(self, allow: AllowList, resolve: Resolver) -> None:
        self._allow = allow
        self._resolve = resolve
        self._inner = httpcore.AnyIOBackend()

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: typing.Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        addresses = await self._resolve(host, port)
        if not addresses:
            raise httpcore.ConnectError(f"{host} resolves to no address")
        for address in addresses:  # one refused address refuses the name: no mixed answers
            check_address(host, port, address, self._allow)
        return await self._inner.connect_tcp(
            addresses[0], port, timeout, local_address, socket_options
        )

    async def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: typing.Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        raise BlockedAddressError(f"unix socket {path} refused")

    async def sleep(self, seconds: float) -> None:
        await self._inner.sleep(seconds)


class GuardedTransport(httpx.AsyncHTTPTransport):
    """httpx's own transport with the connection pool's network backend replaced by the guard."""

    def __init__(
        self,
        *,
        allow: AllowList,
        verify: ssl.SSLContext,
        limits: httpx.Limits,
        resolve: Resolver | None = None,
    ) -> None:
        super().__init__(verify=verify, limits=limits, trust_env=False)
        self._pool = httpcore.AsyncConnectionPool(
            ssl_context=verify,
            max_connections=limits.max_connections,
            max_keepalive_connections=limits.max_keepalive_connections,
            keepalive_expiry=limits.keepalive_expiry,
            network_backend=_GuardedBackend(allow, resolve or system_resolve),
        )
