"""Any exception while reading a page fails that page, not the crawl: it is counted with the
parse errors, and the page's URL and the exception are kept for the run's notes (before,
only ``ParseError`` was counted and any other exception escaped the health check)."""

from __future__ import annotations

import dataclasses
from datetime import date, tzinfo
from pathlib import Path

from scrapy.http import HtmlResponse, Request
from scrapy.utils.test import get_crawler

from archive.health import most_views_failed
from archive.items import ListPage
from archive.runstats import FAILED_PAGES, RunStats, Stat
from crawler.pages.profile import Profile, ViewOutcome
from crawler.spiders.board import BoardSpider

LIST = "http://127.0.0.1:9/bbs/board.php?bo_table=press"
VIEW = "http://127.0.0.1:9/bbs/board.php?bo_table=press&wr_id=7"


class Broken:
    """A page parser with a bug: it raises what no page object should."""

    def parse_list(self, profile: Profile, html: str, url: str, *, today: date) -> ListPage:
        raise KeyError("row_date")

    def parse_view(
        self,
        profile: Profile,
        html: str,
        url: str,
        *,
        status: int,
        location: str | None,
        raw_page: bytes,
        tz: tzinfo,
    ) -> ViewOutcome:
        raise AttributeError("'NoneType' object has no attribute 'text'")


def spider(tmp_path: Path) -> BoardSpider:
    config = tmp_path / "boards.toml"
    config.write_text(f'[boards.press]\nurl = "{LIST}"\n', encoding="utf-8")
    board = BoardSpider(board="press", config=str(config), mode="full")
    board.crawler = get_crawler(BoardSpider)  # its stats, as a crawl's
    board.profile = dataclasses.replace(board.profile, parser=Broken())
    board.today = date(2026, 12, 4)  # from_crawler's, from the crawl's clock
    return board


def page(url: str) -> HtmlResponse:
    return HtmlResponse(
        url, body=b"<html><body>page</body></html>", encoding="utf-8", request=Request(url)
    )


def test_a_view_page_whose_reading_raises_is_a_failed_page(tmp_path: Path) -> None:
    s = spider(tmp_path)
    assert list(s.parse_view(page(VIEW), "7", None)) == []
    stats = RunStats.of(s.crawler.stats.get_stats())
    assert stats[Stat.VIEW_PARSE_ERRORS] == 1 and stats[Stat.POSTS] == 0
    assert stats.failed_pages() == [
        f"{VIEW}: could not be read: AttributeError: 'NoneType' object has no attribute 'text'"
    ]
    why = most_views_failed(stats)  # one view, and it failed: the run fails, naming it
    assert why == f"1 of 1 view pages failed: {stats.failed_pages()[0]}"


def test_a_later_list_page_whose_reading_raises_is_a_failed_list_page(tmp_path: Path) -> None:
    s = spider(tmp_path)
    assert list(s.parse_list(page(f"{LIST}&page=2"), page=2)) == []
    stats = s.crawler.stats.get_stats()
    assert s.list_failed and RunStats.of(stats)[Stat.LIST_ERRORS] == 1
    assert stats[FAILED_PAGES] == [
        f"{LIST}&page=2: could not be read: KeyError: 'row_date' "
        "(the deletion check is skipped this run)"
    ]
    assert s.failure is None  # a later list page fails the walk, not the run
