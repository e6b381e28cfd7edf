"""A board's ``delay`` is the least time between two requests to its site: the crawl's download
slot waits exactly that long, never a random half of it (Scrapy's default jitter is ±50%), and
counts it from the previous answer's arrival (``crawler/site_gap.py``)."""

from __future__ import annotations

import time
from itertools import pairwise
from pathlib import Path

from scrapy.core.downloader import Slot, _default_jitter
from scrapy.crawler import Crawler
from scrapy.settings import Settings
from sqlalchemy import Engine

from board_archive.demoboard import DemoServer, generate_board
from board_archive.demoboard.sessions import RequestCounter
from crawler.spiders.board import BoardSpider
from tests.crawl.test_end_to_end import archived, cli

URL = "http://127.0.0.1:8056/bbs/board.php?bo_table=press"


def test_a_site_never_gets_two_requests_closer_than_its_delay(tmp_path: Path) -> None:
    cfg = tmp_path / "boards.toml"
    cfg.write_text(f'[boards.press]\nurl = "{URL}"\ndelay = 2.0\n', encoding="utf-8")
    settings = Settings()
    settings.setmodule("crawler.settings", priority="project")
    settings.set("ARCHIVE_ENABLED", False)
    crawler = Crawler(BoardSpider, settings)
    BoardSpider.from_crawler(crawler, board="press", config=str(cfg))
    delay = crawler.settings.getfloat("DOWNLOAD_DELAY")
    slot = Slot(2, delay, _default_jitter(crawler.settings))
    waits = {slot.download_delay() for _ in range(1000)}
    assert delay == 2.0 and waits == {2.0}


class SlowViews(RequestCounter):
    """The site's log: when each request reached it; a view page is answered ``slow`` seconds
    after it arrived (the handler counts the request before it answers)."""

    def __init__(self, slow: float) -> None:
        super().__init__()
        self.slow = slow
        self.seen: list[tuple[float, str]] = []

    def add(self, kind: str, target: str, *, browser: bool = False) -> None:
        self.seen.append((time.monotonic(), kind))
        super().add(kind, target, browser=browser)
        if kind == "view":
            time.sleep(self.slow)


def test_the_next_request_reaches_the_site_a_delay_after_the_previous_answer(
    tmp_path: Path, db_url: str, engine: Engine
) -> None:
    """The delay counts from when the previous answer came, not from when the previous
    request left (a request that leaves late, or a slow answer, would otherwise make the site
    see the next one early), and with a delay one request is in flight at a time, whatever the
    board's ``concurrency``."""
    delay, slow = 0.5, 0.3
    board = generate_board(8, seed=60)
    with DemoServer(board) as srv:
        srv.counter = counter = SlowViews(slow)
        cfg = tmp_path / "boards.toml"
        cfg.write_text(
            f'[boards.press]\nurl = "{srv.list_url}"\ndelay = {delay}\nconcurrency = 4\n',
            encoding="utf-8",
        )
        result = cli(tmp_path, db_url, "crawl", "press", "-c", str(cfg), "--full")
    assert result.returncode == 0, result.stderr[-3000:]
    assert set(archived(engine)) == {str(i) for i in board.live_ids()}
    assert sum(kind == "view" for _, kind in counter.seen) >= 8
    for (before, kind), (after, _) in pairwise(counter.seen):
        answered = before + (slow if kind == "view" else 0.0)
        assert after - answered >= delay - 0.005, counter.seen
