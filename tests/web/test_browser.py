"""The web UI in a real browser: Debian's Chromium driven by Playwright, against uvicorn serving a
seeded SQLite archive on 127.0.0.1 (a port the OS picks).

Without /usr/bin/chromium (``apt-get install chromium``) these tests skip, except under CI
(``$CI`` set), where that is a failure. ``BOARD_ARCHIVE_SCREENSHOTS=docs`` saves screenshots of
the main pages into that folder (the README's pictures).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from markupsafe import Markup

from archive.db import make_engine, upgrade
from archive.web.app import serving
from archive.web.security import CSP
from tests.web.seed import PDF_V2, seed_archive

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
SHOTS = os.environ.get("BOARD_ARCHIVE_SCREENSHOTS")


def _unavailable(reason: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (under CI the browser tests must run)")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    where = tmp_path_factory.mktemp("web")
    engine = make_engine(f"sqlite:///{where}/archive.sqlite3")
    upgrade(engine)
    seed_archive(engine, where / "blobs")
    with serving(engine, where / "blobs") as url:
        yield url
    engine.dispose()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        _unavailable(f"{CHROMIUM} not found: apt-get install chromium")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("the playwright package is not installed (pip install -e '.[dev]')")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser: Any, base_url: str) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="ko-KR")
    pg = context.new_page()
    pg.set_default_timeout(10_000)
    yield pg
    context.close()


def shot(page: Any, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / f"web-{name}.png"), full_page=True)


def texts(page: Any, selector: str) -> list[str]:
    return [str(t) for t in page.locator(selector).all_text_contents()]


def test_board_to_post_to_diff_with_the_right_highlights(page: Any, base_url: str) -> None:
    page.goto(base_url + "/")
    assert page.locator("svg.spark").count() == 2
    shot(page, "boards")
    page.click("a.board-name:text-is('press')")
    page.wait_for_url(base_url + "/boards/press")
    assert page.locator("table.posts tbody tr").count() == 12
    shot(page, "posts")
    page.click("text=2026년 하반기 신입사원 채용 공고 (마감 연장)")
    page.wait_for_url("**/boards/press/posts/101")
    assert page.locator("h1.post-title").inner_text().startswith("2026년 하반기 신입사원 채용 공고")
    assert page.locator("aside.timeline li.t-edit").count() == 2
    assert page.locator("aside.timeline li.t-first").count() == 1
    shot(page, "post")

    page.select_option("form.compare select[name=from]", "1")
    page.select_option("form.compare select[name=to]", "3")
    page.click("form.compare button")
    page.wait_for_url("**/boards/press/posts/101/diff?from=1&to=3")
    assert texts(page, "#title-old del") == ["상반기"]
    assert texts(page, "#title-new ins") == ["하반기", " (마감 연장)"]
    assert texts(page, "#body-old del") == ["11", "30일까지입니다"]
    assert texts(page, "#body-new ins") == [
        "12",
        "7일까지로 연장되었습니다",
        "\n문의: 인사팀 채용 담당",
    ]
    assert page.locator("#title-old ins, #title-new del").count() == 0
    rows = texts(page, "table.fields tr.field-change th")
    assert rows == ["작성자", "분류", "작성일"]
    assert texts(page, "tr.att-added ins") == ["지원서 양식.hwp (48K)"]
    assert texts(page, "tr.att-replaced ins") == ["채용공고.pdf (1.4M)"]
    # the stylesheet applies (style-src 'self'): insertions are green, deletions red
    ins_bg = page.eval_on_selector("#title-new ins", "e => getComputedStyle(e).backgroundColor")
    del_bg = page.eval_on_selector("#title-old del", "e => getComputedStyle(e).backgroundColor")
    assert (ins_bg, del_bg) == ("rgb(215, 245, 221)", "rgb(253, 224, 222)")
    shot(page, "diff")

    page.click(".modes a:text-is('한 줄로')")
    page.wait_for_url("**view=inline")
    assert texts(page, "#title-inline del") == ["상반기"]
    assert texts(page, "#title-inline ins") == ["하반기", " (마감 연장)"]
    shot(page, "diff-inline")


def test_search_in_korean_from_the_header_and_on_a_board(page: Any, base_url: str) -> None:
    page.goto(base_url + "/runs")
    shot(page, "runs")
    page.fill("header form.search input[name=q]", "채용 공고")
    page.press("header form.search input[name=q]", "Enter")
    page.wait_for_url("**/search?q=*")
    assert page.locator("li.hit").count() == 1
    assert set(texts(page, "li.hit .hit-title mark")) == {"채용", "공고"}
    assert "인사팀 채용 담당" in page.locator("li.hit .snippet").inner_text()
    shot(page, "search")
    page.click("li.hit a.hit-title")
    page.wait_for_url("**/boards/press/posts/101")

    page.goto(base_url + "/boards/press")
    page.fill("form.filters input[name=q]", "협력사")
    page.click("form.filters button")
    page.wait_for_url("**q=*")
    assert texts(page, "table.posts tbody td:nth-child(1)") == ["106"]


def test_korean_text_is_drawn_with_real_glyphs(page: Any, base_url: str) -> None:
    """Without a Korean font (``fonts-noto-cjk``) every syllable is the same empty box: two
    different words of as many syllables then draw the same pixels."""
    page.goto(base_url + "/")
    heading = page.locator("main h1")
    assert heading.inner_text() == "게시판"
    fonts = _fonts_of(page, "main h1")
    drawn = heading.screenshot()
    heading.evaluate("e => { e.textContent = '수집기' }")
    other = heading.screenshot()
    heading.evaluate("e => { e.textContent = '\\u00a0' }")
    blank = heading.screenshot()
    no_font = f"Korean is drawn as empty boxes (with {fonts}): apt-get install fonts-noto-cjk"
    boxes = drawn == other  # (comparing flags: a failure shows the message, not the PNGs)
    assert not boxes, no_font
    assert blank not in (drawn, other)
    assert any("CJK" in f or "Nanum" in f or "Gothic" in f for f in fonts), no_font


def _fonts_of(page: Any, selector: str) -> list[str]:
    """The system fonts Chromium drew an element's text with (DevTools' "Rendered Fonts")."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    root = cdp.send("DOM.getDocument")["root"]["nodeId"]
    node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
    used = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
    return [str(f["familyName"]) for f in used]


def _open_payload_post(page: Any, base_url: str) -> tuple[Any, list[str]]:
    """Open the post with the payloads; the URLs of the requests that were sent, not those the
    browser's CSP check blocked before sending."""
    requested: list[str] = []
    blocked: list[str] = []
    page.on("request", lambda r: requested.append(r.url))
    page.on(
        "requestfailed",
        lambda r: blocked.append(r.url) if (r.failure or "").lower() == "csp" else None,
    )
    page.on("dialog", lambda d: d.dismiss())
    response = page.goto(base_url + "/boards/press/posts/103")
    page.wait_for_load_state("networkidle")
    page.click("details summary")  # would fire ontoggle
    page.hover("#post-body")
    page.wait_for_timeout(300)
    return response, [u for u in requested if u not in blocked]


def _assert_nothing_ran(page: Any, base_url: str, requested: list[str]) -> None:
    assert page.evaluate("() => window.__pwned") is None
    assert page.title() == "연말 행사 안내 · Board Archive"
    own = urlsplit(base_url).netloc
    assert requested and all(urlsplit(u).netloc == own for u in requested), requested


def test_archived_script_payloads_run_nothing_and_load_nothing(page: Any, base_url: str) -> None:
    response, requested = _open_payload_post(page, base_url)
    assert response.headers["content-security-policy"] == CSP
    _assert_nothing_ran(page, base_url, requested)
    assert page.locator("#post-body script, #post-body iframe, #post-body img").count() == 0
    assert "[이미지: 행사 포스터]" in page.locator("#post-body").inner_text()
    shot(page, "payload")


def test_the_csp_alone_stops_the_payloads(
    page: Any, base_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With the sanitiser switched off, the CSP still blocks every script and remote load."""
    monkeypatch.setattr("archive.web.routes.posts.sanitise", lambda html, *_: Markup(html))
    response, requested = _open_payload_post(page, base_url)
    assert page.locator("#post-body script").count() == 1  # the payload is on the page...
    assert response.headers["content-security-policy"] == CSP
    _assert_nothing_ran(page, base_url, requested)  # ...and runs nothing, loads nothing


def test_stored_images_show_from_the_archive_and_files_download(page: Any, base_url: str) -> None:
    requested: list[str] = []
    page.on("request", lambda r: requested.append(r.url))
    page.goto(base_url + "/boards/press/posts/106")
    page.wait_for_load_state("networkidle")
    img = page.locator("#post-body img")
    assert img.count() == 1 and img.get_attribute("alt") == "모집 지역 지도"
    assert img.evaluate("e => [e.complete, e.naturalWidth, e.naturalHeight]") == [True, 240, 96]
    assert texts(page, "#post-body .archived-image") == ["[이미지: 배너]", "[이미지]"]
    own = urlsplit(base_url).netloc
    assert any("/files/" in u for u in requested)
    assert all(urlsplit(u).netloc == own for u in requested), requested
    shot(page, "post-images")

    page.goto(base_url + "/boards/press/posts/101")
    with page.expect_download() as info:
        page.click("section.attachments a.att-name:text-is('채용공고.pdf')")
    download = info.value
    assert download.suggested_filename == "채용공고.pdf"  # from filename*, RFC 5987
    assert Path(download.path()).read_bytes() == PDF_V2
