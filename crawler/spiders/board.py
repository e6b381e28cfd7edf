"""The one spider for every board: it decides what to fetch; page objects parse; pipelines store.

    scrapy crawl board -a board=press          # a board named in boards.toml
    scrapy crawl board -a url='https://…/bbs/board.php?bo_table=press'

Route of a run: list page 1 → every list page up to the last one → the view page of each post
once (pinned notices only once, though they repeat) → once the whole list was walked without a
failure, the view page of each archived post that no longer appears in the list, so the board's
own not-found answer (and only that) can mark it deleted.
"""

from __future__ import annotations

import dataclasses
from collections.abc import AsyncIterator, Iterator
from datetime import datetime
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit
from zoneinfo import ZoneInfo

import scrapy
from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import CloseSpider, DontCloseSpider
from scrapy.http import Response, TextResponse
from twisted.python.failure import Failure

from archive import items as it
from archive.config import BoardConfig, adhoc_board, load_config
from crawler.pages import gnuboard5
from crawler.pages.errors import ParseError

STAT = "board_archive"


class BoardSpider(scrapy.Spider):
    name = "board"

    board: BoardConfig
    #: Source ids of the board's archived, not-deleted posts; set by ArchivePipeline when it
    #: opens. None: no archive (no deletion check).
    archive_known_ids: set[str] | None = None
    #: Why the run failed, when it did (read by ArchivePipeline when the spider closes).
    failure: str | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> BoardSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        board = spider.board
        settings = crawler.settings
        contact = spider.contact_url
        settings.set("USER_AGENT", f"BoardArchive/0.1 (+{contact})", priority="spider")
        settings.set("DOWNLOAD_DELAY", board.delay, priority="spider")
        settings.set("AUTOTHROTTLE_START_DELAY", max(board.delay, 0.1), priority="spider")
        settings.set("CONCURRENT_REQUESTS_PER_DOMAIN", board.concurrency, priority="spider")
        settings.set("AUTOTHROTTLE_TARGET_CONCURRENCY", float(board.concurrency), priority="spider")
        crawler.signals.connect(spider._on_idle, signal=signals.spider_idle)
        return spider

    def __init__(
        self,
        board: str | None = None,
        url: str | None = None,
        config: str | None = None,
        mode: str = "full",
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        if bool(board) == bool(url):
            raise ValueError("give exactly one of -a board=NAME or -a url=LIST_URL")
        if mode not in ("full", "incremental"):
            raise ValueError(f"-a mode= takes full or incremental, not {mode!r}")
        self.mode = mode
        cfg = load_config(config)
        self.board = cfg.board(board) if board else adhoc_board(url or "")
        self.contact_url = cfg.contact_url
        self.selectors = self.board.parsed_selectors()
        self.zone = ZoneInfo(self.board.timezone)
        self.today = datetime.now(self.zone).date()
        self.list_pages_requested: set[int] = set()
        self.list_pages_done: set[int] = set()
        self.list_failed = False
        self.list_truncated = False
        self.seen_ids: set[str] = set()
        self.deletion_check_started = False

    # -- routing ---------------------------------------------------------------------------

    async def start(self) -> AsyncIterator[scrapy.Request]:
        yield self._list_request(1)

    def parse_list(self, response: Response, page: int) -> Iterator[scrapy.Request]:
        self.list_pages_done.add(page)
        try:
            listing = gnuboard5.parse_list(
                _text(response), response.url, today=self.today, selectors=self.selectors
            )
        except ParseError as exc:
            yield from self._list_failed(page, str(exc))
            return
        posts = [r for r in listing.rows if not r.notice]
        if page == 1 and not listing.rows and listing.total != 0:
            yield from self._list_failed(
                page, f"list page 1 has no recognisable rows: {response.url}"
            )
            return
        self.crawler.stats.inc_value(f"{STAT}/list_pages")
        self.crawler.stats.inc_value(f"{STAT}/list_rows", len(posts))
        for row in listing.rows:
            if row.post_id not in self.seen_ids:
                self.seen_ids.add(row.post_id)
                yield self._view_request(row.post_id, row)
        last = listing.last_page or page
        if self.board.max_pages is not None and last > self.board.max_pages:
            self.list_truncated = True
            last = self.board.max_pages
        if posts:
            for n in range(page + 1, last + 1):
                if n not in self.list_pages_requested:
                    yield self._list_request(n)

    def parse_view(self, response: Response, post_id: str, row: it.ListRow | None) -> Any:
        location = response.headers.get("Location")
        try:
            outcome = gnuboard5.parse_view(
                _text(response),
                response.url,
                status=response.status,
                location=location.decode("latin-1") if location else None,
                selectors=self.selectors,
                raw_page=response.body,
            )
        except ParseError as exc:
            self._count("view_parse_errors")
            self.logger.error("view page of post %s did not parse: %s", post_id, exc)
            return None
        if isinstance(outcome, it.Post):
            self._count("posts")
            return dataclasses.replace(
                outcome,
                notice=row.notice if row else outcome.notice,
                category=outcome.category or (row.category if row else None),
                raw_encoding=getattr(response, "encoding", None),
            )
        if isinstance(outcome, it.SecretPost):
            self._count("secret_posts")
            if row is None:
                return outcome
            return it.SecretPost(
                post_id=outcome.post_id,
                url=outcome.url,
                title=row.title,
                author=row.author,
                posted_on=row.posted_on,
                views=row.views,
                comment_count=row.comment_count,
                notice=row.notice,
            )
        self._count("not_found")
        return outcome

    # -- failures ----------------------------------------------------------------------------

    def on_list_error(self, failure: Failure) -> Iterator[scrapy.Request]:
        page = failure.request.cb_kwargs["page"]  # type: ignore[attr-defined]
        self.list_pages_done.add(page)
        yield from self._list_failed(page, f"list page {page}: {failure.getErrorMessage()}")

    def on_view_error(self, failure: Failure) -> None:
        self._count("view_fetch_errors")
        self.logger.error(
            "view page %s failed: %s",
            failure.request.url,  # type: ignore[attr-defined]
            failure.getErrorMessage(),
        )

    def _list_failed(self, page: int, message: str) -> Iterator[scrapy.Request]:
        self.list_failed = True
        self._count("list_errors")
        if page == 1:
            self.failure = message
            raise CloseSpider("list_failed")
        self.logger.error("%s (the deletion check is skipped this run)", message)
        yield from ()

    # -- deletion check --------------------------------------------------------------------

    def _on_idle(self) -> None:
        if self.deletion_check_started or self.failure:
            return
        self.deletion_check_started = True
        if self.archive_known_ids is None:
            return
        if self.list_failed or self.list_truncated:
            self.logger.warning("list walk incomplete: posts missing from it are not re-checked")
            return
        missing = sorted(self.archive_known_ids - self.seen_ids, key=_id_order)
        if not missing:
            return
        self.logger.info("re-checking %d archived posts missing from the list", len(missing))
        engine = self.crawler.engine
        assert engine is not None
        for post_id in missing:
            self.seen_ids.add(post_id)
            engine.crawl(self._view_request(post_id, None))
        raise DontCloseSpider

    # -- requests --------------------------------------------------------------------------

    def _list_request(self, page: int) -> scrapy.Request:
        self.list_pages_requested.add(page)
        return scrapy.Request(
            page_url(self.board.url, page),
            callback=self.parse_list,
            errback=self.on_list_error,
            cb_kwargs={"page": page},
            priority=-page,
        )

    def _view_request(self, post_id: str, row: it.ListRow | None) -> scrapy.Request:
        return scrapy.Request(
            view_url(self.board.url, post_id),
            callback=self.parse_view,
            errback=self.on_view_error,
            cb_kwargs={"post_id": post_id, "row": row},
            meta={"dont_redirect": True, "handle_httpstatus_list": [301, 302, 303, 307]},
            priority=10,
        )

    def _count(self, key: str, n: int = 1) -> None:
        self.crawler.stats.inc_value(f"{STAT}/{key}", n)


def page_url(list_url: str, page: int) -> str:
    """The list URL with ``page=N`` (page 1 is the list URL as configured)."""
    if page == 1:
        return list_url
    parts = urlsplit(list_url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != "page"]
    query.append(("page", str(page)))
    return urlunsplit(parts._replace(query=urlencode(query)))


def view_url(list_url: str, post_id: str) -> str:
    """The canonical view URL of a post: the list URL's path and bo_table, and wr_id."""
    parts = urlsplit(list_url)
    table = dict(parse_qsl(parts.query)).get("bo_table", "")
    query = urlencode([("bo_table", table), ("wr_id", post_id)])
    return urlunsplit(parts._replace(query=query, fragment=""))


def _text(response: Response) -> str:
    if isinstance(response, TextResponse):
        return response.text
    raise ParseError(f"{response.url}: not an HTML page ({response.headers.get('Content-Type')!r})")


def _id_order(post_id: str) -> tuple[int, str]:
    return (int(post_id), "") if post_id.isdigit() else (0, post_id)
