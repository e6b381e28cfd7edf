"""Downloader middlewares of the crawl: where a request may go, and how failures are retried.

``HostGuard`` (settings prefix ``HOSTGUARD_``; ``HOSTGUARD_ENABLED = False`` switches it off)
keeps a crawl from being pointed at what it must not fetch (SSRF). A request to the board's own
host (host and port of the board's URL; ``http``/``https`` on their default ports count as one)
always passes. Any other request is dropped (``IgnoreRequest``, so the request's errback
records a failure) when

- it is a redirect (``redirect_urls`` in its meta) off the board's host: a board redirects to
  its own pages, anything else (another site, a login portal, a metadata endpoint) is not
  followed;
- its host is a loopback, private, link-local, reserved or multicast address (``127.0.0.1``,
  ``169.254.169.254``, ``10.…``, ``[::1]``) or ``localhost``, unless it is listed in
  ``HOSTGUARD_ALLOWED_HOSTS`` (``host`` or ``host:port``). Other names are judged by what they
  resolve to, when the connection is made: ``HostGuardResolver`` (crawler/resolver.py, the
  crawl's ``TWISTED_DNS_RESOLVER``) checks the very address connected to, so a name whose DNS
  answers change between a check and the connection (DNS rebinding) cannot slip through. The
  board's own host name on another port is looked up here (the resolver cannot see ports).

It runs before ``RobotsTxtMiddleware``, so not even a robots.txt is fetched from such a host.
Dropped requests are counted in the stats as ``hostguard/refused``.

``PoliteRetry`` replaces Scrapy's ``RetryMiddleware`` (same ``RETRY_*`` settings: which statuses
and exceptions, how many times) and waits before each retry: ``RETRY_BACKOFF_BASE`` seconds
doubled with each retry of the request, at most ``RETRY_BACKOFF_MAX``; a 429 or 503 with
``Retry-After`` (seconds or an HTTP date) waits what the site asks, unless that is more than
``RETRY_AFTER_MAX`` seconds: then the request is not retried this run (the response goes on as
the failure it is). The wait holds only the request being retried, never the reactor.

``SnapshotCookies`` replaces Scrapy's ``CookiesMiddleware`` (same ``COOKIES_*`` settings, same
jar): a cookie's domain is judged a public suffix (``co.kr``, not to be set by a site) on the
public suffix list tldextract ships, not on one downloaded from the internet on first use
(Scrapy's default: a request to a third party from every new machine, and an error where there
is no internet).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from http.cookiejar import Cookie
from typing import Self

from scrapy.crawler import Crawler
from scrapy.downloadermiddlewares.cookies import CookiesMiddleware
from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.http import Request, Response
from scrapy.http.cookies import CookieJar
from scrapy.utils.defer import maybe_deferred_to_future
from scrapy.utils.httpobj import urlparse_cached
from scrapy.utils.response import response_status_message
from tldextract import TLDExtract
from twisted.internet.task import deferLater

from crawler.hosts import private_host, same_site, site
from crawler.resolver import refused as refused_names

logger = logging.getLogger(__name__)


# ---- HostGuard -----------------------------------------------------------------------------


class HostGuard:
    def __init__(self, crawler: Crawler) -> None:
        settings = crawler.settings
        if not settings.getbool("HOSTGUARD_ENABLED", True):
            raise NotConfigured
        self.crawler = crawler
        self.allowed = {h.lower() for h in settings.getlist("HOSTGUARD_ALLOWED_HOSTS")}

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler)

    def process_request(self, request: Request) -> None:
        why = self.refusal(request.url, bool(request.meta.get("redirect_urls")))
        if why is None:
            return
        if self.crawler.stats is not None:
            self.crawler.stats.inc_value("hostguard/refused")
        logger.warning("not fetched: %s (%s)", request.url, why)
        raise IgnoreRequest(f"not fetched: {why}: {request.url}")

    def refusal(self, url: str, redirected: bool) -> str | None:
        """Why ``url`` must not be fetched, or None."""
        target = site(url)
        if target is None:
            return "not an http(s) URL"
        board = self.board_site()
        if board is not None and same_site(target, board):
            return None
        host, port = target[1], target[2]
        if host in self.allowed or f"{host}:{port}" in self.allowed:
            return None
        if redirected:
            return "a redirect off the board's host"
        if address := refused_names.get(host):
            return f"{host} resolves to {address}, an internal address"
        # Other names are judged by crawler/resolver.py on the address connected to; the board's
        # own name (trusted: it is configured) on another port is looked up here.
        on_board_name = board is not None and host == board[1]
        if private_host(host, resolve=on_board_name):
            return "a loopback, private or link-local address"
        return None

    def board_site(self) -> tuple[str, str, int] | None:
        board = getattr(self.crawler.spider, "board", None)
        url = getattr(board, "url", None)
        return site(url) if isinstance(url, str) else None


# ---- PoliteRetry ---------------------------------------------------------------------------


class PoliteRetry(RetryMiddleware):
    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler.settings)
        self.crawler = crawler
        settings = crawler.settings
        self.backoff_base = settings.getfloat("RETRY_BACKOFF_BASE", 1.0)
        self.backoff_max = settings.getfloat("RETRY_BACKOFF_MAX", 60.0)
        self.retry_after_max = settings.getfloat("RETRY_AFTER_MAX", 300.0)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler)

    async def process_response(  # type: ignore[override]
        self, request: Request, response: Response
    ) -> Request | Response:
        if request.meta.get("dont_retry", False) or response.status not in self.retry_http_codes:
            return response
        wait = self.backoff(request)
        asked = retry_after(response) if response.status in (429, 503) else None
        if asked is not None:
            if asked > self.retry_after_max:
                self._inc("retry/retry_after_too_long")
                logger.warning(
                    "%s asks to come back in %.0f s (more than RETRY_AFTER_MAX %.0f s): "
                    "not retried this run",
                    request.url,
                    asked,
                    self.retry_after_max,
                )
                return response
            wait = asked
        retry = self._retry(request, response_status_message(response.status))
        if retry is None:
            return response
        await self._sleep(wait)
        return retry

    async def process_exception(  # type: ignore[override]
        self, request: Request, exception: Exception
    ) -> Request | Response | None:
        if request.meta.get("dont_retry", False) or not isinstance(
            exception, self.exceptions_to_retry
        ):
            return None
        retry = self._retry(request, exception)
        if retry is not None:
            await self._sleep(self.backoff(request))
        return retry

    def backoff(self, request: Request) -> float:
        """Seconds before the next retry of ``request``: base, 2×base, 4×base, … at most max."""
        done = int(request.meta.get("retry_times", 0))
        return min(self.backoff_base * 2**done, self.backoff_max)

    async def _sleep(self, seconds: float) -> None:
        if seconds > 0:
            self._inc("retry/wait_ms", round(seconds * 1000))
            from twisted.internet import reactor  # the one installed, once it is

            await maybe_deferred_to_future(deferLater(reactor, seconds, lambda: None))

    def _inc(self, key: str, value: int = 1) -> None:
        if self.crawler.stats is not None:
            self.crawler.stats.inc_value(key, value)


def retry_after(response: Response) -> float | None:
    """The seconds a ``Retry-After`` header asks for (a number or an HTTP date), or None."""
    raw = response.headers.get("Retry-After")
    if not raw:
        return None
    value = raw.decode("latin-1").strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max((when - datetime.now(UTC)).total_seconds(), 0.0)


# ---- SnapshotCookies -----------------------------------------------------------------------

#: The public suffix list tldextract ships (``suffix_list_urls=()``: nothing is fetched).
SUFFIXES = TLDExtract(suffix_list_urls=(), include_psl_private_domains=True)


class SnapshotCookies(CookiesMiddleware):
    """``CookiesMiddleware`` judging cookie domains on the shipped public suffix list."""

    split_domain = SUFFIXES

    def _process_cookies(
        self, cookies: Iterable[Cookie], *, jar: CookieJar, request: Request
    ) -> None:
        # Scrapy 2.19's own method, with ``self.split_domain`` for its module's extractor.
        hostname = urlparse_cached(request).hostname
        if hostname is None:
            return
        request_domain = hostname.lower()
        for cookie in cookies:
            cookie_domain = cookie.domain.removeprefix(".")
            if cookie_domain and self.is_public_domain(cookie_domain):
                if cookie_domain != request_domain:
                    continue
                cookie.domain = request_domain
            jar.set_cookie_if_ok(cookie, request)

    def is_public_domain(self, domain: str) -> bool:
        """Whether ``domain`` is a public suffix (no registrable domain in it)."""
        return not self.split_domain(domain).domain
