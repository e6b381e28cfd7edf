"""Posted times from the board's RSS feed, for posts whose view page shows less than the minute.

A post whose view shows its date cut short (``2026.12.05``, ``12-05 13:56``) and whose list
row and archived time do not complete it (``crawler.pages.posted``) waits here, undecided,
while the board's feed (``bbs/rss.php?bo_table=x``: the full time of its newest posts) is
fetched, once per run and only when such a post comes; the waiting posts are then completed
from it where everything the view shows agrees, and archived with their files. A board with
the feed off (GnuBoard's default) or an error fetching it leaves them as they are (the day,
``posted_on``): a feed is a source of times, never a condition of the run. A post archived
with its day only does not wait for it (``When.completes``: an older post). Only
GnuBoard boards have a feed (``feed_url``). This is the routing half; reading the feed is the page
object's (``crawler.pages.g5.feed``).
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import scrapy
from scrapy.http import Response
from twisted.python.failure import Failure

from archive import items as it
from archive.runstats import Stat
from crawler.pages.g5 import links
from crawler.pages.g5.feed import FeedUnavailable, feed_url, read_feed
from crawler.pages.posted import complete
from crawler.spiders.outcomes import When

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Held:
    """A post waiting for the feed, with what completes its posted time."""

    post: it.Post
    row_date: str | None
    when: When


class FeedTimes:
    """Mixed into ``BoardSpider`` (which provides the board's list URL, its profile's name,
    ``file_requests`` and ``_count``). Every post read leaves through ``_release``, where the
    posts read without an author or a posted time are counted."""

    def file_requests(self, post: it.Post) -> Iterator[scrapy.Request | it.FileOutcome]:
        raise NotImplementedError

    def _count(self, stat: Stat, n: int = 1) -> None:
        raise NotImplementedError

    def init_feed(self, list_url: str, engine: str) -> None:
        self.feed_at = feed_url(list_url) if engine == "gnuboard5" else None
        self.feed_asked = False
        self.feed_times: dict[str, datetime] | None = None  # None until the feed answered
        self.feed_held: list[Held] = []

    def emit_post(self, post: it.Post, row: it.ListRow | None, when: When) -> Iterator[Any]:
        """The post and its file downloads now, or (its time shown short, the feed not read
        yet) the feed's request, the post held until it answers."""
        if (
            post.posted_at is not None
            or not post.posted_shown
            or self.feed_at is None
            or not when.completes
        ):
            yield from self._release(post)
            return
        if self.feed_times is not None:  # the feed has answered: complete from it now
            yield from self._release(self._completed(Held(post, _row_date(row), when)))
            return
        self.feed_held.append(Held(post, _row_date(row), when))
        if not self.feed_asked:
            self.feed_asked = True
            logger.info("a view shows its posted time cut short: reading the feed %s", self.feed_at)
            yield scrapy.Request(
                self.feed_at,
                callback=self.parse_feed,
                errback=self.on_feed_error,
                priority=10,
                meta={"handle_httpstatus_all": True},
            )

    def parse_feed(self, response: Response) -> Iterator[Any]:
        table_url = self.feed_at or response.url
        try:
            if response.status != 200:
                raise FeedUnavailable(f"{response.url}: HTTP {response.status}")
            table = links.board_table(table_url) or ""
            self.feed_times = read_feed(response.body, response.url, table)
            logger.info("the feed gave the posted time of %d posts", len(self.feed_times))
        except FeedUnavailable as exc:
            logger.info("no feed to complete posted times from: %s", exc)
            self.feed_times = {}
        yield from self._release_held()

    def on_feed_error(self, failure: Failure) -> Iterator[Any]:
        logger.info("no feed to complete posted times from: %s", failure.getErrorMessage())
        self.feed_times = {}
        yield from self._release_held()

    def _release_held(self) -> Iterator[Any]:
        held, self.feed_held = self.feed_held, []
        for waiting in held:
            yield from self._release(self._completed(waiting))

    def _completed(self, held: Held) -> it.Post:
        post, when = held.post, held.when
        moment = (self.feed_times or {}).get(post.post_id)
        if moment is None:
            return post
        posted_at, posted_on = complete(
            post.posted_shown,
            held.row_date,
            when.known.posted_at if when.known else None,
            when.tz,
            when.today,
            feed=moment,
            now=when.now,
        )
        if posted_at is None:
            return post
        return dataclasses.replace(post, posted_at=posted_at, posted_on=posted_on)

    def count_unread_fields(self) -> None:
        """The counters of posts read without a field, from 0 in every run (the run's health
        tells a run that counted none from one before they were counted)."""
        for stat in (Stat.POSTS_NO_AUTHOR, Stat.POSTS_NO_TIME):
            self._count(stat, 0)

    def _release(self, post: it.Post) -> Iterator[Any]:
        if not post.author:  # what the run's health weighs (archive.health)
            self._count(Stat.POSTS_NO_AUTHOR)
        if post.posted_at is None and post.posted_on is None:
            self._count(Stat.POSTS_NO_TIME)
        yield post
        yield from self.file_requests(post)


def _row_date(row: it.ListRow | None) -> str | None:
    return row.list_date if row else None
