"""Boards whose list is built by JavaScript: the browser half of ``BoardSpider``.

With ``render = "browser"`` in the board's config, list pages are fetched by headless Chromium
through scrapy-playwright (Debian's ``/usr/bin/chromium``; ``playwright install`` is never
needed): the page is loaded, its scripts run, and the crawl waits until the profile's list rows
(``list_rows``, or the "no posts" row ``list_empty``) or what the engine's list holds on any
skin (``list_ready``: GnuBoard's links to the board's posts; ``list_empty_texts``: its "no
posts" text) are in the document, or the page called ``alert`` (a GnuBoard alert page: no
permission, no such board), at most ``render_wait`` seconds (default 15). The HTML of the
rendered document then goes to the same page objects as a plain page. A page that did not render
in time (its script's own request failed, say) is retried like a network error, as are the
browser's own errors (``RETRY_EXCEPTIONS``); when the retries are spent, the list page fails
naming the selector it waited for. View pages, downloads and robots.txt stay plain HTTP unless
``render_views = true`` (then view pages are rendered too, waiting for ``view_container``, the
profile's secret-post markers or its not-found texts).

The browser works in the crawl's one cookie session (``share_session``): the cookies Scrapy
sends with a rendered request go into the browser's context first, so a members-only board's
list and the requests its script makes are made as the member who logged in.

Only browser boards get the scrapy-playwright download handler (plain requests pass through it
to Scrapy's own HTTP handler); a plain board never starts Playwright or a browser. Memory stays
bounded: one browser, one context, at most ``BROWSER_MAX_PAGES`` pages open at once (the
board's ``concurrency``, at most 4), each closed as soon as its HTML is read, and images, media,
fonts and stylesheets are never fetched.

What the browser itself requests is kept on the same leash as Scrapy's requests
(``crawler.middlewares.HostGuard``): nothing on a loopback, private or link-local address
unless it is the board's own host or in ``HOSTGUARD_ALLOWED_HOSTS``, and no redirect off the
board's host (``BrowserGuard``); Chromium's requests to other hosts go through a proxy that
connects to the very address it checked (``crawler/browser_proxy.py``: no DNS rebinding); and
no navigation the page starts by itself (an alert page's ``location.replace``:
``stay_on_page``), so the HTML read is always that of the URL requested and a deleted post's
alert page is read as the board's "not found", as over plain HTTP.
"""

from __future__ import annotations

import asyncio
import logging
import os
from typing import Any
from urllib.parse import urlsplit

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy_playwright.page import PageMethod

from archive.config import BoardConfig
from crawler.browser_proxy import GuardedProxy
from crawler.hosts import private_host, same_site, site
from crawler.pages.profiles import Profile

logger = logging.getLogger(__name__)

CHROMIUM = "/usr/bin/chromium"
HANDLER = "scrapy_playwright.handler.ScrapyPlaywrightDownloadHandler"
CONTEXT = "board"  # the one browser context of the crawl
# retried like Scrapy's network errors (PoliteRetry): the browser's, and a page that did not
# render in time (its script's own request failed, say)
RETRIED = ["playwright.async_api.Error", "crawler.spiders.render.RenderTimeout"]
BROWSER_MAX_PAGES = 4
NAVIGATION_TIMEOUT = 30.0
BLOCKED_TYPES = frozenset({"image", "media", "font", "stylesheet"})
ALERTED = "__boardArchiveAlert"
ALERT_THROWS = (
    f"window.alert = function (m) {{ window.{ALERTED} = String(m); throw new Error('alert'); }};"
)
CHROMIUM_ARGS = [
    "--disable-dev-shm-usage",  # containers have a small /dev/shm
    "--disable-gpu",
    "--disable-extensions",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--mute-audio",
    "--process-per-site",  # one renderer for the board, not one per page
    "--renderer-process-limit=2",
]


def browser_settings(
    board: BoardConfig, allowed_hosts: list[str], proxy: GuardedProxy | None = None
) -> dict[str, Any]:
    """The Scrapy settings a browser board's crawl runs with (``proxy``: what the browser's
    requests to hosts other than the board's go through)."""
    args = list(CHROMIUM_ARGS)
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        args.append("--no-sandbox")  # Chromium's sandbox refuses to run as root
    launch: dict[str, Any] = {"executable_path": CHROMIUM, "headless": True, "args": args}
    if proxy is not None:
        launch["proxy"] = {"server": proxy.url, "bypass": urlsplit(board.url).hostname or ""}
    return {
        "DOWNLOAD_HANDLERS": {urlsplit(board.url).scheme: HANDLER},  # one driver, not two
        "PLAYWRIGHT_BROWSER_TYPE": "chromium",
        "PLAYWRIGHT_LAUNCH_OPTIONS": launch,
        "PLAYWRIGHT_MAX_CONTEXTS": 1,
        "PLAYWRIGHT_MAX_PAGES_PER_CONTEXT": min(board.concurrency, BROWSER_MAX_PAGES),
        "PLAYWRIGHT_DEFAULT_NAVIGATION_TIMEOUT": NAVIGATION_TIMEOUT * 1000,
        "PLAYWRIGHT_ABORT_REQUEST": BrowserGuard(board.url, allowed_hosts, proxy),
    }


def wait_selector(*selectors: str) -> str | None:
    """A Playwright selector for "any of these" (CSS alternatives joined; XPath ones, written
    ``xpath:…``, joined with ``|``); when both kinds are given, the first kind only."""
    given = [s.strip() for s in selectors if s and s.strip()]
    css = [s for s in given if not s.startswith("xpath:")]
    xpath = [s[len("xpath:") :] for s in given if s.startswith("xpath:")]
    if given and given[0].startswith("xpath:"):
        return "xpath=" + " | ".join(xpath)
    return "css=" + ", ".join(css) if css else None


class RenderTimeout(Exception):
    """A rendered page did not show what was waited for in time (retried like a network
    error; the last failure names the selector)."""


async def wait_for(
    page: Any, selector: str | None, texts: list[str], timeout: float, settle: bool = False
) -> None:
    """Wait until ``selector`` is in the page's document, one of ``texts`` is in its HTML (an
    engine's "no such post" page), the page called ``alert`` (GnuBoard's alert pages: the
    page objects say what it means), or, with ``settle``, the page has loaded and made no
    request for half a second (Playwright's ``networkidle``: a view page of a skin whose
    containers are not known; the page object then finds the body or says it cannot). Past
    ``timeout`` seconds: ``RenderTimeout``."""
    from playwright.async_api import TimeoutError as PlaywrightTimeout

    ms = timeout * 1000
    waits = [page.wait_for_function(f"() => window.{ALERTED} !== undefined", timeout=ms)]
    if settle:
        waits.append(page.wait_for_load_state("networkidle", timeout=ms))
    if selector:
        waits.append(page.wait_for_selector(selector, state="attached", timeout=ms))
    if texts:
        script = "texts => texts.some(t => document.documentElement.outerHTML.includes(t))"
        waits.append(page.wait_for_function(script, arg=texts, timeout=ms))
    tasks = [asyncio.ensure_future(w) for w in waits]
    pending = set(tasks)
    try:
        while pending:
            done, pending = await asyncio.wait(pending, return_when=asyncio.FIRST_COMPLETED)
            for task in done:
                error = task.exception()
                if error is None:
                    return
                if not isinstance(error, PlaywrightTimeout):
                    raise error
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
    what = " or ".join(
        [*([selector] if selector else []), *map(repr, texts), *(["a settled page"] * settle)]
    )
    raise RenderTimeout(f"{page.url}: {what} did not appear within {timeout:g}s")


class BrowserGuard:
    """``PLAYWRIGHT_ABORT_REQUEST``: whether a request of the browser is refused (see the
    module notes)."""

    def __init__(
        self, board_url: str, allowed_hosts: list[str], proxy: GuardedProxy | None = None
    ) -> None:
        self.board = site(board_url)
        self.allowed = {h.lower() for h in allowed_hosts}
        self.proxy = proxy  # told which hosts the pages' requests go to

    async def __call__(self, request: Any) -> bool:
        if request.resource_type in BLOCKED_TYPES:
            return True
        target = site(request.url)
        if target is None or (self.board is not None and same_site(target, self.board)):
            return False
        if target[1] in self.allowed or f"{target[1]}:{target[2]}" in self.allowed:
            return self._passed(target[1])
        if request.is_navigation_request() and request.redirected_from is not None:
            logger.warning("not fetched: %s (a redirect off the board's host)", request.url)
            return True
        if await asyncio.to_thread(private_host, target[1]):
            logger.warning("not fetched: %s (a loopback or private address)", request.url)
            return True
        return self._passed(target[1])

    def _passed(self, host: str) -> bool:
        if self.proxy is not None:
            self.proxy.expect(host)
        return False


async def prepare_page(page: Any, request: Any) -> None:
    """``playwright_page_init_callback``: the crawl's session in the browser, and the browser
    kept on the document requested."""
    await share_session(page, request)
    await stay_on_page(page)


async def share_session(page: Any, request: Any) -> None:
    """The cookies Scrapy sends with ``request`` (the crawl's one session: GnuBoard's
    PHPSESSID, a member login) go into the browser's context, so the page and its own requests
    (the list's JSON) are made in that session. (Chromium sends its own cookies, whatever
    Cookie header scrapy-playwright passes on.)"""
    header = request.headers.get("Cookie")
    if not header:
        return
    parts = urlsplit(request.url)
    root = f"{parts.scheme}://{parts.netloc}/"
    cookies = []
    for pair in header.decode("latin-1").split(";"):
        name, sep, value = pair.strip().partition("=")
        if sep and name:
            cookies.append({"name": name, "value": value, "url": root})
    if cookies:
        await page.context.add_cookies(cookies)


async def stay_on_page(page: Any) -> None:
    """The browser stays on the document requested.

    An alert page (GnuBoard's "글이 존재하지 않습니다" and permission alerts) runs
    ``alert(…); location.replace(…)``: ``alert`` throws here, which ends that script before it
    navigates, so the page read is the alert page, as over plain HTTP. Any other navigation the
    page starts by itself is answered "204 No Content" (aborting it would show Chromium's error
    page instead); such a page never reaches its load state, so it fails as a fetch error."""
    await page.add_init_script(ALERT_THROWS)

    async def answer(route: Any, browser_request: Any) -> None:
        if browser_request.is_navigation_request() and _started_by_page(browser_request):
            logger.warning("not followed: a navigation the page started, to %s", route.request.url)
            await route.fulfill(status=204, body=b"")
        else:
            await route.fallback()  # to scrapy-playwright's handler (and BrowserGuard)

    await page.route("**", answer)


def _started_by_page(request: Any) -> bool:
    """A main-frame navigation that is neither the one requested nor a redirect of it."""
    if request.redirected_from is not None:
        return False
    try:
        frame = request.frame
    except Exception:  # a service worker's request has no frame
        return False
    return frame.parent_frame is None and frame.url not in ("", "about:blank")


class BrowserRendering:
    """Mixed into ``BoardSpider`` (which provides ``board`` and ``profile``)."""

    board: BoardConfig
    profile: Profile
    browser_proxy: GuardedProxy | None = None

    def enable_browser(self, crawler: Crawler) -> None:
        """For a browser board: scrapy-playwright's download handler and its settings, and the
        proxy of the browser's requests to other hosts (crawler/browser_proxy.py)."""
        if self.board.render != "browser":
            return
        settings = crawler.settings
        allowed = settings.getlist("HOSTGUARD_ALLOWED_HOSTS")
        if settings.getbool("HOSTGUARD_ENABLED", True):
            self.browser_proxy = GuardedProxy(
                set(allowed),
                count=lambda key: crawler.stats.inc_value(key),  # set by then
            )
            crawler.signals.connect(self._stop_browser_proxy, signal=signals.spider_closed)
        for key, value in browser_settings(self.board, allowed, self.browser_proxy).items():
            settings.set(key, value, priority="spider")
        retried = [*settings.getlist("RETRY_EXCEPTIONS"), *RETRIED]
        settings.set("RETRY_EXCEPTIONS", retried, priority="spider")

    async def start_browser_proxy(self) -> None:
        """Serve the browser's proxy (on the crawl's event loop, before the first request)."""
        if self.browser_proxy is not None:
            await self.browser_proxy.start()

    async def _stop_browser_proxy(self) -> None:
        if self.browser_proxy is not None:
            await self.browser_proxy.stop()

    def list_meta(self) -> dict[str, Any]:
        """Request meta of a list page: rendered by the browser on a browser board."""
        if self.board.render != "browser":
            return {}
        s, ready = self.profile.selectors, self.profile.ready_selectors(self.board.url)
        empty = list(self.profile.list_empty_texts)
        return self._rendered(wait_selector(s.list_rows, s.list_empty, *ready), empty)

    def view_meta(self) -> dict[str, Any]:
        """Request meta of a view page: rendered only with ``render_views``."""
        if self.board.render != "browser" or not self.board.render_views:
            return {}
        s = self.profile.selectors  # view_body: the board's, or the one an earlier run found
        selector = wait_selector(s.view_container, s.view_body, *self.profile.secret)
        return self._rendered(selector, list(self.profile.not_found), settle=True)

    def _rendered(
        self, selector: str | None, texts: list[str], settle: bool = False
    ) -> dict[str, Any]:
        wait = PageMethod(wait_for, selector, texts, self.board.render_wait, settle)
        return {
            "playwright": True,
            "playwright_context": CONTEXT,
            "playwright_page_methods": [wait] if selector or texts or settle else [],
            "playwright_page_init_callback": prepare_page,
        }
