"""A board's ``delay`` is the least time between two requests to its site: the crawl's download
slot waits exactly that long, never a random half of it (Scrapy's default jitter is ±50%)."""

from __future__ import annotations

from pathlib import Path

from scrapy.core.downloader import Slot, _default_jitter
from scrapy.crawler import Crawler
from scrapy.settings import Settings

from crawler.spiders.board import BoardSpider

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
