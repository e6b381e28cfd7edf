"""The one spider for every board: it decides what to fetch; page objects parse; pipelines store.

    scrapy crawl board -a board=press [-a mode=incremental]   # a board named in boards.toml
    scrapy crawl board -a url='https://…/bbs/board.php?bo_table=press'

After a post's view page come the downloads of its attachments and body images that the archive
does not hold yet (``crawler/spiders/files.py``), in the same cookie session.

A full run walks every list page and fetches every post's view page once (pinned notices once,
though they repeat). An incremental run walks list pages only until it is past the newest
archived post (and at least ``list_pages_min`` pages), and fetches the view pages of new posts,
of posts whose list row changed, and of the posts the revisit policy picked (``plan.due``).

Only the board's own not-found answer marks a post deleted, so once the list was walked without
a failure, archived posts that should have been on the walked pages but were not are fetched:
for a full run every archived post missing from the list; for an incremental run those whose id
lies within the walked range, and pinned notices no longer pinned.

What the archive holds (``plan``) comes from the ``RunLedger`` extension (crawler/extensions.py),
which opens the run when the spider opens; ``start()`` awaits it before the first request.
Scrapy builds the spider before its extensions, so the ledger is looked up there
(``crawler.get_extension``), not in ``from_crawler``. A crawl without the ledger
(``RUNLEDGER_ENABLED`` or ``ARCHIVE_ENABLED`` off) has no archive, and says so in its log: every
post is new, nothing is checked for deletion, and an incremental run walks the whole list like
a full one.

The spider's "today" (for list dates without a year) is the crawl's clock's (``ARCHIVE_CLOCK``).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

import scrapy
from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import DontCloseSpider
from scrapy.http import Response

from archive import items as it
from archive.clock import Clock
from archive.config import BoardConfig, Config, adhoc_board, load_config
from archive.revisit import CrawlPlan, row_signature
from archive.runstats import Stat
from crawler.extensions import RunLedger, crawl_clock
from crawler.pages.errors import BodyNotFound, ParseError
from crawler.pages.profiles import profile_for
from crawler.spiders.body import BodyLearning, Waiting
from crawler.spiders.failures import PageFailures
from crawler.spiders.feed import FeedTimes
from crawler.spiders.files import FileDownloads
from crawler.spiders.login import MemberLogin
from crawler.spiders.outcomes import Earlier, When, finished_post, finished_secret
from crawler.spiders.render import BrowserRendering
from crawler.spiders.responses import decoded, page_text, unreadable
from crawler.spiders.views import ViewSignals

NO_ARCHIVE = (
    "no run ledger (RUNLEDGER_ENABLED or ARCHIVE_ENABLED is off): nothing is archived, "
    "every post is new and nothing is checked for deletion"
)
NO_ROWS = (
    "list page 1 has no links to its posts and does not say the board is empty: {url} "
    '(if a browser shows posts there, a script builds the list: render = "browser")'
)


class BoardSpider(
    PageFailures,
    MemberLogin,
    FileDownloads,
    BodyLearning,
    FeedTimes,
    BrowserRendering,
    ViewSignals,
    scrapy.Spider,
):
    name = "board"

    board: BoardConfig
    config: Config
    clock: Clock  # the crawl's (ARCHIVE_CLOCK)
    today: date  # the board's date when the crawl started
    #: What the archive holds, from the RunLedger in start(). None: no archive (no ledger):
    #: every post is new, no deletion check, an incremental run walks the whole list.
    plan: CrawlPlan | None = None
    earlier: Earlier | None = None  # built from the plan when a view first needs it
    #: Why the run failed, when it did (read by the RunLedger when the spider closes).
    failure: str | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> BoardSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        board = spider.board
        spider.clock = crawl_clock(crawler)
        spider.today = spider.clock().astimezone(ZoneInfo(board.timezone)).date()
        settings = crawler.settings
        contact = spider.config.contact_url
        settings.set("USER_AGENT", f"BoardArchive/0.1 (+{contact})", priority="spider")
        settings.set("DOWNLOAD_DELAY", board.delay, priority="spider")
        settings.set("AUTOTHROTTLE_START_DELAY", max(board.delay, 0.1), priority="spider")
        # with a delay, one request to the site at a time, the next `delay` after the previous
        # answer (crawler/site_gap.py); `concurrency` is for boards crawled with no delay
        per_site = 1 if board.delay > 0 else board.concurrency
        settings.set("CONCURRENT_REQUESTS_PER_DOMAIN", per_site, priority="spider")
        settings.set("AUTOTHROTTLE_TARGET_CONCURRENCY", float(board.concurrency), priority="spider")
        spider.enable_browser(crawler)  # render = "browser" (crawler/spiders/render.py)
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
        self.config = load_config(config)
        self.board = self.config.board(board) if board else adhoc_board(url or "")
        self.selectors = self.board.parsed_selectors()
        self.profile = profile_for(self.board.engine, self.board.selectors, self.board.profile)
        self.list_pages_requested: set[int] = set()
        self.list_failed = False
        self.list_truncated = False
        self.listed: set[str] = set()  # post ids seen in the list this run
        self.listed_notices: set[str] = set()
        self.requested: set[str] = set()  # post ids whose view page was requested
        self.idle_rounds = 0
        self.init_files()
        self.init_views()
        self.init_body()
        self.init_feed(self.board.url, self.profile.name)

    @property
    def incremental(self) -> bool:
        return self.mode == "incremental" and self.plan is not None

    # -- list pages --------------------------------------------------------------------------

    async def start(self) -> AsyncIterator[scrapy.Request]:
        self.count_unread_fields()
        self.plan = await self._archive_plan()
        if not await self._site_turn():  # stopped while another board crawled the site
            return
        self.use_kept_body(self.plan, self.board.selectors)  # found by an earlier run (body.py)
        await self.start_browser_proxy()  # a browser board's (crawler/spiders/render.py)
        if self.needs_login:  # members-only: list page 1 follows the login
            for request in self.login_requests():
                yield request
            return
        yield self._list_request(1)

    async def _archive_plan(self) -> CrawlPlan | None:
        """The plan of the run the ledger opened (when the spider opened), or None: no ledger."""
        ledger = self.crawler.get_extension(RunLedger)
        if ledger is not None:
            return await ledger.plan()
        walk = "; this incremental run walks every list page" if self.mode == "incremental" else ""
        self.logger.warning("%s%s", NO_ARCHIVE, walk)
        return None

    async def _site_turn(self) -> bool:
        """No request while another board's crawl is on this board's site (the ledger's)."""
        ledger = self.crawler.get_extension(RunLedger)
        return True if ledger is None or ledger.run is None else await ledger.site_turn()

    def parse_list(self, response: Response, page: int) -> Iterator[scrapy.Request]:
        try:
            listing = self.profile.parse_list(page_text(response), response.url, today=self.today)
        except Exception as exc:  # any failure to read the page fails it, never the crawl
            yield from self._list_failed(page, unreadable(response.url, exc))
            return
        regular = [r for r in listing.rows if not r.notice]
        if page == 1 and not listing.rows and listing.total != 0:
            yield from self._list_failed(page, NO_ROWS.format(url=response.url))
            return
        self._count(Stat.LIST_PAGES)
        self._count(Stat.LIST_ROWS, len(regular))
        if page == 1:
            self._count(Stat.PAGE1_ROWS, len(regular))
            self._count(Stat.LIST_CLAIMED, board_claims(listing))
        brought_new = any(r.post_id not in self.listed for r in regular)
        for row in listing.rows:
            self.listed.add(row.post_id)
            self.note_views(row)
            if row.notice:
                self.listed_notices.add(row.post_id)
            if row.post_id not in self.requested and self._wants_view(row):
                yield self._view_request(row.post_id, row)
        last = listing.last_page or page
        if listing.last_page is None and brought_new:  # no pagination shown: walk page=N on
            last = page + 1  # while pages bring posts this run has not seen
        if self.board.max_pages is not None and last > self.board.max_pages:
            self.list_truncated = True
            last = self.board.max_pages
        if not regular:
            return
        if not self.incremental:
            pages = range(page + 1, last + 1)
        elif page < last and (
            page < self.board.list_pages_min
            or self._new_territory(regular)
            or self.walk_for_views(last - page)  # for the rows' view counts (views.py)
        ):
            pages = range(page + 1, page + 2)
        else:
            pages = range(0)
        for n in pages:
            if n not in self.list_pages_requested:
                yield self._list_request(n)

    def _wants_view(self, row: it.ListRow) -> bool:
        if not self.incremental:
            return True
        assert self.plan is not None
        known = self.plan.known.get(row.post_id)
        if known is None:
            self._count(Stat.VIEWS_NEW)
            return True
        if known.signature != row_signature(row) or known.notice != row.notice:
            self._count(Stat.VIEWS_ROW_CHANGED)
            return True
        return False

    def _new_territory(self, rows: list[it.ListRow]) -> bool:
        """Whether this page still holds posts the archive does not know (walk on)."""
        assert self.plan is not None
        return any(r.post_id not in self.plan.known for r in rows)

    # -- view pages --------------------------------------------------------------------------

    def parse_view(self, response: Response, post_id: str, row: it.ListRow | None) -> Iterator[Any]:
        """The view's outcome (with those of pages that waited for the body container), then
        the downloads of a post's files not archived yet."""
        for outcome, its_row in self._view_outcomes(response, row):
            if isinstance(outcome, it.Post):  # its time shown short: may wait for the feed
                yield from self.emit_post(outcome, its_row, self._when(outcome.post_id))
            else:
                yield outcome

    def _view_outcomes(
        self, response: Response, row: it.ListRow | None
    ) -> list[tuple[Any, it.ListRow | None]]:
        try:
            encoding, html = decoded(response)
            return [(self._view_outcome(response, encoding, html, row), row)]
        except BodyNotFound:  # read once the body is found by comparing pages (body.py)
            ready = self.wait_for_body(Waiting(response, encoding, html, row))
        except Exception as exc:  # any failure to read the page fails it, never the crawl
            self._view_failed(response.url, exc)
            return []
        outcomes = []
        for page in ready:
            url = page.response.url
            try:
                outcome = self._view_outcome(page.response, page.encoding, page.html, page.row)
                outcomes.append((outcome, page.row))
            except BodyNotFound as exc:  # the body cannot be told: body_unknown says why
                why = self.body_unknown
                self._view_failed(url, ParseError(url, reason=why) if why else exc)
            except Exception as exc:
                self._view_failed(url, exc)
        return outcomes

    def _view_outcome(
        self, response: Response, encoding: str, html: str, row: it.ListRow | None
    ) -> Any:
        location = response.headers.get("Location")
        outcome = self.profile.parse_view(
            html,
            response.url,
            status=response.status,
            location=location.decode("latin-1") if location else None,
            raw_page=response.body,
            tz=ZoneInfo(self.board.timezone),
        )
        notice = row.notice if row else response.meta.get("notice")
        if isinstance(outcome, it.Post):
            self._count(Stat.POSTS)
            self.watch_body(html, response.url)
            return finished_post(outcome, row, notice, encoding, self._when(outcome.post_id))
        if isinstance(outcome, it.SecretPost):
            self._count(Stat.SECRET_POSTS)
            return finished_secret(outcome, row, notice)
        self._count(Stat.NOT_FOUND)
        return outcome

    def _when(self, post_id: str) -> When:
        known = self.plan.known.get(post_id) if self.plan is not None else None
        if self.earlier is None and self.plan is not None:
            self.earlier = Earlier(self.plan.known, self.plan.listed_at)
        earliest = self.earlier.bound(post_id) if self.earlier is not None else None
        return When(ZoneInfo(self.board.timezone), self.today, known, self.clock(), earliest)

    # -- after the list: deletion candidates, then the revisit policy's picks ----------------

    def _on_idle(self) -> None:
        references = [] if self.failure else self.body_references()
        if references:  # pages wait for the body container: other posts to compare with
            self._crawl(references)
            raise DontCloseSpider
        self.idle_rounds += 1
        if self.idle_rounds > 1 or self.failure or self.plan is None:
            return
        requests = [self._view_request(i, None) for i in self._deletion_candidates()]
        if self.incremental:
            for post_id in self.plan.known.keys() - self.listed_notices:
                if self.plan.known[post_id].notice and post_id not in self.requested:
                    # Pinned when last seen, not pinned now: unpinned (or deleted).
                    requests.append(self._view_request(post_id, None, notice=False))
            picked = self.rechecks_after_walk(self.clock())  # views.py
            due = [i for i in picked if i not in self.requested]
            self._count(Stat.VIEWS_DUE, len(due))
            requests += [self._view_request(i, None) for i in due]
        else:
            self.views_without_signal()
        if not requests:
            return
        self.logger.info("after the list walk: %d more view pages", len(requests))
        self._crawl(requests)
        raise DontCloseSpider

    def _crawl(self, requests: list[scrapy.Request]) -> None:
        engine = self.crawler.engine
        assert engine is not None
        for request in requests:
            engine.crawl(request)

    def _deletion_candidates(self) -> list[str]:
        assert self.plan is not None
        if self.list_failed or self.list_truncated:
            self.logger.warning("list walk incomplete: posts missing from it are not re-checked")
            return []
        if not self.incremental:  # the whole list was walked: what it reached (health.py)
            self._count(Stat.LISTED_POSTS, len(self.listed))
        missing = self.plan.known.keys() - self.listed - self.requested
        if self.incremental:
            walked = [int(i) for i in self.listed - self.listed_notices if i.isdigit()]
            if not walked:
                return []
            low, high = min(walked), max(walked)
            missing = {i for i in missing if i.isdigit() and low <= int(i) <= high}
        self._count(Stat.VIEWS_MISSING_FROM_LIST, len(missing))
        return sorted(missing, key=_id_order)

    # -- requests --------------------------------------------------------------------------

    def _list_request(self, page: int) -> scrapy.Request:
        self.list_pages_requested.add(page)
        return scrapy.Request(
            self.profile.page_url(self.board.url, page),
            callback=self.parse_list,
            errback=self.on_list_error,
            cb_kwargs={"page": page},
            meta=self.list_meta(),
            priority=-page,
        )

    def _view_request(
        self, post_id: str, row: it.ListRow | None, notice: bool | None = None
    ) -> scrapy.Request:
        self.requested.add(post_id)
        return scrapy.Request(
            self.profile.view_url(self.board.url, post_id),
            callback=self.parse_view,
            errback=self.on_view_error,
            cb_kwargs={"post_id": post_id, "row": row},
            meta={
                "dont_redirect": True,
                # redirects (GnuBoard's secret posts), and the engine's answers by status
                "handle_httpstatus_list": [301, 302, 303, 307, *self.profile.answer_statuses],
                "notice": notice,
                **self.view_meta(),
            },
            priority=10,
        )

    def _count(self, stat: Stat, n: int = 1) -> None:
        self.crawler.stats.inc_value(stat.key, n)


def board_claims(listing: it.ListPage) -> int:
    """How many posts the board says it has on a list page: its ``Total N건``, or else the
    highest display number of its rows (numbered down from the post count); 0: not said."""
    numbers = [int(r.number) for r in listing.rows if r.number and r.number.isdigit()]
    return listing.total or max(numbers, default=0)


def _id_order(post_id: str) -> tuple[int, str]:
    return (int(post_id), "") if post_id.isdigit() else (0, post_id)
