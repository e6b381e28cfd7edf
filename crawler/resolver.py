"""``TWISTED_DNS_RESOLVER`` of the crawl: Scrapy's caching resolver, checking each answer it gives.

``HostGuard`` (crawler/middlewares.py) refuses requests by their URL: another host by redirect, or
a host that is an internal address. A host *name* can only be judged by what it resolves to, and
checking that with a lookup of its own would leave a gap (DNS rebinding): the name's server
answers the check with a public address and the connection, a moment later, with 127.0.0.1 or
169.254.169.254. So the check is made here, on the very answer the connection is made to: a name
that resolves to a loopback, private, link-local, reserved, multicast or unspecified address fails
its request, unless it is the board's own host or listed in ``HOSTGUARD_ALLOWED_HOSTS`` (as
``host`` or ``host:port``): counted in the stats as ``hostguard/refused_dns``, and its retries
are dropped by ``HostGuard`` with the reason "… resolves to …, an internal address". Answers
from the cache are checked too. ``HOSTGUARD_ENABLED = False`` switches the check off with the
rest of the guard.

Addresses written in the URL pass (``HostGuard`` judged them from the URL). Scrapy builds its
resolver once per process, from the ``CrawlerProcess``: the board and the stats are those of the
process's crawler (a crawl process runs one spider).
"""

from __future__ import annotations

import ipaddress
import logging
from collections.abc import Sequence
from typing import Any, Self

from scrapy.crawler import Crawler
from scrapy.resolver import CachingThreadedResolver
from twisted.internet.base import ReactorBase
from twisted.internet.defer import Deferred
from twisted.internet.error import DNSLookupError

from crawler.hosts import host_names, resolved_refusal, site

logger = logging.getLogger(__name__)

#: names refused in this process, and the address each resolved to: Twisted reports a refused
#: lookup only as "no results", so ``HostGuard`` reads why here and drops the request's retries
#: with that reason.
refused: dict[str, str] = {}


class HostGuardResolver(CachingThreadedResolver):
    def __init__(
        self, reactor: ReactorBase, cache_size: int, timeout: float, process: Any = None
    ) -> None:
        super().__init__(reactor, cache_size, timeout)
        self.process = process  # the CrawlerProcess (or a Crawler): has settings, crawlers
        settings = getattr(process, "settings", None)
        self.enabled = settings.getbool("HOSTGUARD_ENABLED", True) if settings else True
        allowed = settings.getlist("HOSTGUARD_ALLOWED_HOSTS") if settings else []
        self.allowed = host_names(allowed)

    @classmethod
    def from_crawler(cls, crawler: Crawler, reactor: ReactorBase) -> Self:
        settings = crawler.settings
        cache = settings.getint("DNSCACHE_SIZE") if settings.getbool("DNSCACHE_ENABLED") else 0
        return cls(reactor, cache, settings.getfloat("DNS_TIMEOUT"), crawler)

    def getHostByName(self, name: str, timeout: Sequence[int] = ()) -> Deferred[str]:
        d = super().getHostByName(name, timeout)
        if self.enabled:
            d.addCallback(self.check, name)
        return d

    def check(self, address: str, name: str) -> str:
        """``address`` if ``name`` may be connected to at it; else a ``DNSLookupError``."""
        host = name.lower().rstrip(".")
        if _is_address(host) or host in self.allowed or host == self.board_host():
            return address
        why = resolved_refusal(name, address)
        if why is None:
            return address
        crawler = self.crawler()
        if crawler is not None and crawler.stats is not None:
            crawler.stats.inc_value("hostguard/refused_dns")
        refused[host] = address
        logger.warning("not fetched: %s", why)
        raise DNSLookupError(why)

    def crawler(self) -> Crawler | None:
        crawlers = getattr(self.process, "crawlers", None)
        if crawlers is None:  # built from a Crawler
            return self.process if hasattr(self.process, "stats") else None
        return next(iter(crawlers), None)

    def board_host(self) -> str | None:
        spider = getattr(self.crawler(), "spider", None)
        url = getattr(getattr(spider, "board", None), "url", None)
        target = site(url) if isinstance(url, str) else None
        return target[1] if target else None


def _is_address(host: str) -> bool:
    try:
        ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    return True
