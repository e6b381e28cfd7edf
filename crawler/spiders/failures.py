"""Pages that failed: counted, logged, and kept (URL and why) for the run's notes.

A list page 1 that failed ends the run (``failure``: the run fails with that message); a later
list page that failed marks the walk incomplete (``list_failed``: no deletion check this run); a
view page that could not be fetched or read is a failed page, never the crawl's end.
"""

from __future__ import annotations

from collections.abc import Iterator

import scrapy
from scrapy.crawler import Crawler
from scrapy.exceptions import CloseSpider
from twisted.python.failure import Failure

from archive.runstats import FAILED_PAGES, FAILED_PAGES_KEPT, Stat
from crawler.spiders.responses import unfetched, unreadable


class PageFailures:
    """Mixed into ``BoardSpider`` (which provides ``crawler``, ``logger`` and ``_count``)."""

    crawler: Crawler
    failure: str | None
    list_failed: bool

    def _count(self, stat: Stat, n: int = 1) -> None:
        raise NotImplementedError

    def _view_failed(self, url: str, exc: Exception) -> None:
        self._count(Stat.VIEW_PARSE_ERRORS)
        self._failed_page(unreadable(url, exc))

    def on_list_error(self, failure: Failure) -> Iterator[scrapy.Request]:
        request = failure.request  # type: ignore[attr-defined]
        page = request.cb_kwargs["page"]
        yield from self._list_failed(page, f"list page {page}: {unfetched(request.url, failure)}")

    def on_view_error(self, failure: Failure) -> None:
        self._count(Stat.VIEW_FETCH_ERRORS)
        url = failure.request.url  # type: ignore[attr-defined]
        self._failed_page(f"{url}: {unfetched(url, failure)}")

    def _failed_page(self, note: str) -> None:
        """A page that failed, logged and kept (its URL and why) for the run's notes."""
        self.logger.error("page failed: %s", note)  # type: ignore[attr-defined]
        assert self.crawler.stats is not None
        kept = self.crawler.stats.get_value(FAILED_PAGES) or []
        if len(kept) < FAILED_PAGES_KEPT:
            self.crawler.stats.set_value(FAILED_PAGES, [*kept, note])

    def _list_failed(self, page: int, message: str) -> Iterator[scrapy.Request]:
        self.list_failed = True
        self._count(Stat.LIST_ERRORS)
        if page == 1:
            self.failure = message
            raise CloseSpider("list_failed")
        self._failed_page(f"{message} (the deletion check is skipped this run)")
        yield from ()
