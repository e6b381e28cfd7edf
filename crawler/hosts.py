"""Which site a URL is on, and which hosts a crawl of a public board must not reach: shared by
the downloader middleware ``HostGuard``, the browser's request guard and the file downloads.
Pure but for ``private_host``'s name lookup (cached); no Scrapy or Twisted import."""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Iterable
from functools import lru_cache
from urllib.parse import urlsplit

_DEFAULT_PORTS = {"http": 80, "https": 443}


def site(url: str) -> tuple[str, str, int] | None:
    """``(scheme, host, port)`` of an http(s) URL (port made explicit), or None."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return None
    if parts.scheme not in _DEFAULT_PORTS or not parts.hostname:
        return None
    return parts.scheme, parts.hostname.lower(), port or _DEFAULT_PORTS[parts.scheme]


def same_site(a: tuple[str, str, int], b: tuple[str, str, int]) -> bool:
    """Same host and port; ``http`` and ``https`` on their default ports are one site."""
    if a[1] != b[1]:
        return False
    return a[2] == b[2] or (_DEFAULT_PORTS[a[0]] == a[2] and _DEFAULT_PORTS[b[0]] == b[2])


@lru_cache(maxsize=256)
def private_host(host: str, resolve: bool = True) -> bool:
    """Whether ``host`` is, or resolves to, an address no crawl of a public board may reach.

    ``resolve=False``: judge only what the name says (an address, ``localhost``); the crawl's
    own requests leave names to the resolver (crawler/resolver.py), which checks the address
    it connects to rather than the answer to a lookup of its own."""
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        addresses = [ipaddress.ip_address(host.strip("[]"))]
    except ValueError:
        if not resolve:
            return False
        try:
            infos = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
        except (OSError, UnicodeError):
            return False  # does not resolve: the download itself will fail
        addresses = [ipaddress.ip_address(str(info[4][0]).split("%")[0]) for info in infos]
    return any(internal_address(a) for a in addresses)


def internal_address(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    """Loopback, private, link-local, reserved, multicast or unspecified (IPv4-mapped too)."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return (
        address.is_private
        or address.is_loopback
        or address.is_link_local
        or address.is_reserved
        or address.is_multicast
        or address.is_unspecified
    )


def same_host(url: str, board_url: str) -> bool:
    """Whether ``url`` is on the board's own site (host and port; the scheme may differ)."""
    a, b = site(url), site(board_url)
    return a is not None and b is not None and same_site(a, b)


def host_names(hosts: Iterable[str]) -> set[str]:
    """The host names of ``host`` or ``host:port`` entries (``HOSTGUARD_ALLOWED_HOSTS``)."""
    return {h.lower().split(":")[0] for h in hosts}


def resolved_refusal(name: str, address: str) -> str | None:
    """Why a connection to ``name`` at the ``address`` it resolved to is refused (an internal
    address: DNS rebinding), or None. Shared by the crawl's resolver and the browser's proxy."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return None
    return f"{name} resolves to {address}, an internal address" if internal_address(ip) else None
