"""Address safety: a URL is only fetched when every address its host resolves to is public.

The crawler must never be turned against the machine it runs on or the network around it (cloud metadata
at 169.254.169.254, routers, databases on 10.x). :func:`check_url` resolves the host *before* any connection
and refuses private, loopback, link-local, multicast, reserved and unspecified addresses, unless the
``ALLOW_PRIVATE_ADDRESSES`` setting is on or the address is on an explicit allow-list (tests allow
``127.0.0.1``). The fetcher then connects to the checked address itself, so a second DNS answer cannot
swap in another one (DNS rebinding).
"""

from __future__ import annotations

import ipaddress
import logging
import socket
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from index.settings import as_settings

LOGGER = logging.getLogger(__name__)

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network
Resolver = Callable[[str, int], list[str]]

ALLOWED_SCHEMES = ("http", "https")


class UnsafeURLError(ValueError):
    """The URL may not be fetched: bad scheme, unresolvable host or a refused address."""


def system_resolver(host: str, port: int) -> list[str]:
    """All addresses ``host`` resolves to (IP literals resolve to themselves without a lookup)."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    seen: list[str] = []
    for info in infos:
        address = str(info[4][0])
        if address not in seen:
            seen.append(address)
    return seen


def refusal_reason(address: IPAddress) -> str | None:
    """Why ``address`` is not public (``"private"``, ``"loopback"``...), or None when it is."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return refusal_reason(address.ipv4_mapped)
    for attribute in ("loopback", "link_local", "multicast", "unspecified", "reserved", "private"):
        if getattr(address, f"is_{attribute}"):
            return attribute.replace("_", "-")
    if not address.is_global:
        return "not globally routable"
    return None


def parse_allow_list(entries: Iterable[str] | str | None) -> tuple[IPNetwork, ...]:
    """Addresses or networks (``"127.0.0.1"``, ``"10.1.0.0/16"``) from a list or a comma-separated string."""
    if entries is None:
        return ()
    if isinstance(entries, str):
        entries = [part for part in entries.replace(" ", ",").split(",") if part]
    return tuple(_network(entry.strip()) for entry in entries)


def _network(entry: str) -> IPNetwork:
    """One allow-list entry; a value that is not an address or network, or a network written with
    host bits (``127.0.0.2/8``, which would silently allow all of 127.0.0.0/8), is a ``ValueError``
    saying what to write instead."""
    try:
        return ipaddress.ip_network(entry, strict=True)
    except ValueError as exc:
        try:
            widened = ipaddress.ip_network(entry, strict=False)
        except ValueError:
            raise ValueError(
                f"ALLOWED_ADDRESSES: {entry[:60]!r} is not an IP address or network (e.g. 127.0.0.1 or 10.1.0.0/16)"
            ) from exc
        host = entry.split("/", 1)[0]
        raise ValueError(
            f"ALLOWED_ADDRESSES: {entry!r} has host bits set; write {widened} to allow the whole network "
            f"or {host}/{widened.max_prefixlen} for that address alone"
        ) from exc


@dataclass(frozen=True)
class AddressPolicy:
    """Which addresses may be contacted: public ones, plus the allow-list, or all when ``allow_private``."""

    allow_private: bool = False
    allow_list: tuple[IPNetwork, ...] = ()
    resolver: Resolver = field(default=system_resolver, compare=False)

    @classmethod
    def from_settings(cls, settings: Mapping[str, Any], resolver: Resolver | None = None) -> AddressPolicy:
        """Policy from ``ALLOW_PRIVATE_ADDRESSES`` and the optional ``ALLOWED_ADDRESSES`` settings."""
        settings = as_settings(settings)
        return cls(
            allow_private=settings.allow_private_addresses,
            allow_list=parse_allow_list(settings.allowed_addresses),
            resolver=resolver or system_resolver,
        )

    def is_allowed(self, address: IPAddress) -> bool:
        """True when the crawler may connect to ``address``."""
        if self.allow_private:
            return not address.is_multicast and not address.is_unspecified
        if any(address in network for network in self.allow_list if network.version == address.version):
            return True
        return refusal_reason(address) is None

    def check_url(self, url: str) -> list[str]:
        """Resolve the URL's host and return its addresses, or raise :class:`UnsafeURLError`.

        Every resolved address must be allowed: a host answering with one public and one private address
        is refused, since either might be used.
        """
        parts = urlsplit(url)
        if parts.scheme not in ALLOWED_SCHEMES:
            raise UnsafeURLError(f"refused scheme {parts.scheme or '(none)'!r} in {url}")
        host = parts.hostname
        if not host:
            raise UnsafeURLError(f"no host in {url}")
        try:
            port = parts.port or (443 if parts.scheme == "https" else 80)
        except ValueError as error:
            raise UnsafeURLError(f"bad port in {url}") from error
        try:
            addresses = self.resolver(host, port)
        except (OSError, UnicodeError) as error:
            raise UnsafeURLError(f"cannot resolve {host}: {error}") from error
        if not addresses:
            raise UnsafeURLError(f"{host} resolves to no address")
        for text in addresses:
            address = ipaddress.ip_address(text.split("%", 1)[0])
            if not self.is_allowed(address):
                reason = refusal_reason(address) or "not allowed"
                LOGGER.warning("refused %s: %s resolves to %s address %s", url, host, reason, address)
                raise UnsafeURLError(f"refused {host}: address {address} is {reason}")
        return addresses
