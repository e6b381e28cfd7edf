"""``render = "browser"`` without a browser: which requests go to scrapy-playwright, with what
waits, and which settings a browser board's crawl gets (plain boards get none)."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from scrapy.crawler import Crawler
from scrapy.settings import Settings

from crawler.spiders.board import BoardSpider
from crawler.spiders.render import (
    BROWSER_MAX_PAGES,
    CHROMIUM,
    HANDLER,
    RETRIED,
    BrowserGuard,
    wait_for,
    wait_selector,
)

URL = "http://127.0.0.1:8056/bbs/board.php?bo_table=press"


def spider(tmp_path: Path, extra: str = "", concurrency: int = 2) -> BoardSpider:
    cfg = tmp_path / "boards.toml"
    body = f'[boards.press]\nurl = "{URL}"\nconcurrency = {concurrency}\n{extra}'
    cfg.write_text(body, encoding="utf-8")
    crawler = Crawler(BoardSpider, {"ARCHIVE_ENABLED": False})
    return BoardSpider.from_crawler(crawler, board="press", config=str(cfg))


def test_wait_selector() -> None:
    assert wait_selector("#bo_list tbody tr", "td.empty_table") == (
        "css=#bo_list tbody tr, td.empty_table"
    )
    assert wait_selector("xpath://table//tr", "xpath://td[@class='e']", "") == (
        "xpath=//table//tr | //td[@class='e']"
    )
    assert wait_selector("table tr", "xpath://td") == "css=table tr"  # the first kind only
    assert wait_selector("", " ") is None


def test_plain_board_gets_no_browser(tmp_path: Path) -> None:
    s = spider(tmp_path)
    settings: Settings = s.crawler.settings
    assert not settings.getdict("DOWNLOAD_HANDLERS")
    assert settings.get("PLAYWRIGHT_LAUNCH_OPTIONS") is None
    assert not set(RETRIED) & set(settings.getlist("RETRY_EXCEPTIONS"))
    assert "playwright" not in s._list_request(1).meta
    assert "playwright" not in s._view_request("7", None).meta


def test_browser_board(tmp_path: Path) -> None:
    s = spider(tmp_path, 'render = "browser"\n', concurrency=8)
    settings: Settings = s.crawler.settings
    assert settings.getdict("DOWNLOAD_HANDLERS") == {"http": HANDLER}  # one driver
    launch = settings.getdict("PLAYWRIGHT_LAUNCH_OPTIONS")
    assert launch["executable_path"] == CHROMIUM == "/usr/bin/chromium"
    assert launch["headless"] is True
    assert s.browser_proxy is not None  # other hosts through crawler/browser_proxy.py
    assert launch["proxy"] == {"server": s.browser_proxy.url, "bypass": "127.0.0.1"}
    assert settings.getint("PLAYWRIGHT_MAX_CONTEXTS") == 1
    assert settings.getint("PLAYWRIGHT_MAX_PAGES_PER_CONTEXT") == BROWSER_MAX_PAGES
    assert isinstance(settings.get("PLAYWRIGHT_ABORT_REQUEST"), BrowserGuard)
    assert set(RETRIED) <= set(settings.getlist("RETRY_EXCEPTIONS"))
    meta = s._list_request(3).meta
    assert meta["playwright"] is True and not meta.get("playwright_include_page")
    (method,) = meta["playwright_page_methods"]
    assert method.method is wait_for
    selector, texts, wait, settle = method.args  # the basic skin's rows, or the engine's
    assert selector.startswith("css=#bo_list tbody tr, #fboardlist tbody tr, td.empty_table, ")
    assert selector.endswith('[href*="wr_id="]') and "bo_table=" in selector
    assert (texts, wait, settle) == (["게시물이 없습니다"], 15.0, False)  # never half a list
    view = s._view_request("7", None).meta
    assert "playwright" not in view and view["dont_redirect"] is True  # views stay plain


def test_rendered_views(tmp_path: Path) -> None:
    s = spider(tmp_path, 'render = "browser"\nrender_views = true\n', concurrency=1)
    assert s.crawler.settings.getint("PLAYWRIGHT_MAX_PAGES_PER_CONTEXT") == 1
    meta = s._view_request("7", None).meta
    assert meta["playwright"] is True and meta["dont_redirect"] is True
    (method,) = meta["playwright_page_methods"]
    selector, texts, _, settle = method.args
    assert selector == 'css=#bo_v, #bo_v_con, form[action*="password_check"]'
    assert texts == ["글이 존재하지 않습니다"]
    assert settle is True  # a skin of its own: read once settled, the page object decides


class FakeRequest:
    def __init__(self, url: str, kind: str = "xhr", navigation: bool = False) -> None:
        self.url, self.resource_type, self._navigation = url, kind, navigation
        self.redirected_from: FakeRequest | None = None

    def is_navigation_request(self) -> bool:
        return self._navigation


@pytest.mark.parametrize(
    ("url", "kind", "refused"),
    [
        ("http://127.0.0.1:8056/bbs/list.json?bo_table=press", "xhr", False),
        ("http://127.0.0.1:8056/js/board_list.js", "script", False),
        ("http://127.0.0.1:8056/data/a.png", "image", True),
        ("http://127.0.0.1:8056/theme/default.css", "stylesheet", True),
        ("http://127.0.0.1:9000/admin", "xhr", True),  # loopback, another port
        ("http://10.0.0.5/api", "fetch", True),
        ("http://169.254.169.254/latest/meta-data/", "xhr", True),
        ("http://127.0.0.1:9999/ok", "xhr", False),  # in the allowed hosts
    ],
)
def test_browser_guard(url: str, kind: str, refused: bool) -> None:
    guard = BrowserGuard(URL, ["127.0.0.1:9999"])
    assert asyncio.run(guard(FakeRequest(url, kind))) is refused


def test_browser_guard_refuses_redirects_off_the_board() -> None:
    guard = BrowserGuard(URL, [])
    hop = FakeRequest("https://www.example.com/", "document", navigation=True)
    hop.redirected_from = FakeRequest(URL, "document", navigation=True)
    assert asyncio.run(guard(hop)) is True
    same = FakeRequest(URL + "&page=2", "document", navigation=True)
    same.redirected_from = FakeRequest(URL, "document", navigation=True)
    assert asyncio.run(guard(same)) is False
