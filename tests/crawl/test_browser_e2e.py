"""End to end with a real browser: a demo board whose list is built by JavaScript from a JSON
endpoint (``DemoServer(js_list=True)``, ``demoboard/jslist.py``). A plain HTTP crawl finds no
rows and fails naming the selector; with ``render = "browser"`` list pages go through headless
Chromium (scrapy-playwright) and the archive is the same as the plain board's, while view pages
and downloads stay plain HTTP (the server counts what a browser asked for). On SQLite and
PostgreSQL. With ``render_views`` a deleted post's alert page still reads as "not found"; a
members-only board's list is rendered in the member's session (SQLite only).

The browser tests need Debian's Chromium at /usr/bin/chromium (``apt-get install chromium``):
without it they skip, except under CI (``$CI`` set), where that is a failure.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from archive.models import Board as BoardRow
from archive.models import Post, PostState, RunHealth, RunStatus
from board_archive.demoboard.content import Board
from board_archive.demoboard.generate import generate_board
from board_archive.demoboard.server import DemoServer
from crawler.spiders.render import CHROMIUM
from tests.crawl.test_end_to_end import cli, last_run, write_config

BROWSER = 'render = "browser"\n'


@pytest.fixture
def chromium() -> None:
    if not Path(CHROMIUM).exists():
        reason = f"{CHROMIUM} not found: apt-get install chromium"
        if os.environ.get("CI"):
            pytest.fail(f"{reason} (under CI the browser tests must run)")
        pytest.skip(reason)


@pytest.fixture
def board() -> Board:
    b = generate_board(45, seed=11)
    regular = [p.wr_id for p in b.posts() if not p.notice]
    b.set_secret(regular[-8])
    wr_id = b.add_post("자바스크립트 목록의 첨부 글", "<p>본문 <b>굵게</b></p>", author="홍길동")
    b.add_attachment(wr_id, "공고문.hwp", b"HWP document")
    b.add_comment(wr_id, "댓글입니다", author="김철수")
    return b


def crawl_board(
    tmp_path: Path, db_url: str, url: str, name: str, extra: str = "", mode: str = "--full"
) -> tuple[int, str]:
    cfg = write_config(tmp_path, url, name=name, extra=extra)
    result = cli(tmp_path, db_url, "crawl", name, "-c", str(cfg), *filter(None, [mode]))
    return result.returncode, result.stdout + result.stderr


def archive_of(engine: Engine, name: str) -> dict[str, tuple[Any, ...]]:
    """Per post id: what the archive holds of it (the board's URL and run aside)."""
    with Session(engine) as s:
        posts = s.scalars(select(Post).join(BoardRow).where(BoardRow.name == name))
        return {
            p.source_id: (
                p.title,
                p.posted_at,
                p.notice,
                p.state,
                p.current_version,
                p.current_hash,
                p.list_signature,
            )
            for p in posts
        }


def test_plain_http_crawl_of_a_javascript_list_fails_saying_what_is_missing(
    tmp_path: Path, db_url: str, engine: Engine, board: Board
) -> None:
    with DemoServer(board, js_list=True) as srv:
        code, out = crawl_board(tmp_path, db_url, srv.list_url, "js")
        counts = srv.counts
    assert code == 1, out[-3000:]
    run = last_run(engine)
    assert run.status == RunStatus.FAILED and run.message
    assert "no links to its posts" in run.message and 'render = "browser"' in run.message
    assert archive_of(engine, "js") == {}
    assert (counts["list"], counts["list_json"], counts["view"]) == (1, 0, 0)


def test_browser_crawl_archives_everything_like_the_plain_board(
    tmp_path: Path, db_url: str, engine: Engine, board: Board, chromium: None
) -> None:
    pages = board.total_pages(15)
    live = {str(i) for i in board.live_ids()}
    with DemoServer(board, js_list=True) as srv:
        code, out = crawl_board(tmp_path, db_url, srv.list_url, "js", BROWSER)
        assert code == 0, out[-3000:]
        counts, by_browser = srv.counts, srv.browser_counts
        run = last_run(engine)
        assert (run.status, run.errors, run.new_posts) == (RunStatus.SUCCEEDED, 0, len(live))
        # List pages went through the browser (shell, script, JSON); nothing else did.
        assert counts["list"] == by_browser["list"] == pages
        assert counts["list_json"] == by_browser["list_json"] == pages
        assert counts["view"] == len(live) and by_browser["view"] == 0
        assert counts["download"] >= 1 and by_browser["download"] == 0
        assert by_browser["robots"] == by_browser["static"] == 0
        assert run.stats["playwright/page_count"] == pages
        assert run.stats["playwright/page_count/closed"] == pages

        srv.js_list = False  # the same board, its list served as HTML
        code, out = crawl_board(tmp_path, db_url, srv.list_url, "plain")
        assert code == 0, out[-3000:]
        assert "playwright/page_count" not in last_run(engine).stats  # no browser started
    js, plain = archive_of(engine, "js"), archive_of(engine, "plain")
    assert set(js) == live
    assert js == plain
    secret = {str(p.wr_id) for p in board.posts() if p.secret}
    assert {k for k, v in js.items() if v[3] == PostState.SECRET} == secret
    assert {k for k, v in js.items() if v[2]} == {str(i) for i in board.notice_ids()}


def test_a_javascript_list_on_a_skin_of_its_own_is_read_by_the_engine(
    tmp_path: Path, db_url: str, engine: Engine, board: Board, chromium: None
) -> None:
    """A skin that loads its list by AJAX and keeps nothing of the basic skin (cards, no page
    links, no list table): the browser waits for the engine's links to the board's posts (or
    its "no posts" text, on the page past the end the walk reaches), and the archive is the
    same as that of the same skin served as HTML."""
    live = {str(i) for i in board.live_ids()}
    with DemoServer(board, js_list=True, skin="cards") as srv:
        code, out = crawl_board(tmp_path, db_url, srv.list_url, "js", BROWSER)
        assert code == 0, out[-3000:]
        run = last_run(engine)
        assert (run.status, run.health, run.errors) == (RunStatus.SUCCEEDED, RunHealth.OK, 0)
        rendered = srv.browser_counts["list"]
        assert rendered == srv.counts["list"] == board.total_pages(15) + 1  # and the empty one
        srv.js_list = False
        code, out = crawl_board(tmp_path, db_url, srv.list_url, "plain")
        assert code == 0, out[-3000:]
    js, plain = archive_of(engine, "js"), archive_of(engine, "plain")
    assert set(js) == live
    assert js == plain


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_rendered_view_pages_stay_on_the_page_requested(
    tmp_path: Path, db_url: str, engine: Engine, chromium: None
) -> None:
    """With render_views, view pages are rendered too: a deleted post's alert page (whose
    script sends the browser back to the list) is still read as the board's "not found"."""
    board = generate_board(16, seed=5)
    board.set_secret([p.wr_id for p in board.posts() if not p.notice][-3])
    live = {str(i) for i in board.live_ids()}
    extra = BROWSER + "render_views = true\n"
    with DemoServer(board, js_list=True) as srv:
        code, out = crawl_board(tmp_path, db_url, srv.list_url, "js", extra)
        assert code == 0, out[-3000:]
        assert srv.browser_counts["view"] == srv.counts["view"] == len(live)
        first = archive_of(engine, "js")
        assert set(first) == live
        gone = next(p for p in board.posts() if not p.secret and not p.notice)
        board.delete_post(gone.wr_id)
        code, out = crawl_board(tmp_path, db_url, srv.list_url, "js", extra)
    assert code == 0, out[-3000:]
    run = last_run(engine)
    assert (run.status, run.errors, run.deleted_posts) == (RunStatus.SUCCEEDED, 0, 1)
    states = {k: v[3] for k, v in archive_of(engine, "js").items()}
    assert states[str(gone.wr_id)] == PostState.DELETED
    secret = {str(p.wr_id) for p in board.posts() if p.secret}
    assert {k for k, v in states.items() if v == PostState.SECRET} == secret


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_rendered_view_pages_of_a_skin_of_its_own_need_no_selectors(
    tmp_path: Path, db_url: str, engine: Engine, chromium: None
) -> None:
    """render_views on a skin with neither #bo_v nor #bo_v_con: each view page is read once
    it has settled, the body container is found by comparing pages, and the next run waits for
    the container the first one found. The archive is the plain crawl's."""
    board = generate_board(16, seed=9)
    live = {str(i) for i in board.live_ids()}
    extra = BROWSER + "render_views = true\n"
    with DemoServer(board, js_list=True, skin="cards") as srv:
        for _ in range(2):
            code, out = crawl_board(tmp_path, db_url, srv.list_url, "js", extra)
            assert code == 0, out[-3000:]
            run = last_run(engine)
            assert (run.status, run.health, run.errors) == (RunStatus.SUCCEEDED, RunHealth.OK, 0)
        assert srv.browser_counts["view"] == srv.counts["view"] == 2 * len(live)
        with Session(engine) as s:
            kept = s.scalar(select(BoardRow.body_selector).where(BoardRow.name == "js"))
        assert kept and "post-content" in kept, kept
        srv.js_list = False
        code, out = crawl_board(tmp_path, db_url, srv.list_url, "plain")
        assert code == 0, out[-3000:]
    js, plain = archive_of(engine, "js"), archive_of(engine, "plain")
    assert set(js) == live and js == plain


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_members_only_javascript_list(
    tmp_path: Path, db_url: str, engine: Engine, chromium: None
) -> None:
    """The crawl's session (the member login) is the browser's too: the list's own JSON request
    is made as the member."""
    board = generate_board(16, seed=6)
    keys = 'login_user_env = "BA_TEST_USER"\nlogin_password_env = "BA_TEST_PASSWORD"\n'
    with DemoServer(board, js_list=True, members={"archiver": "pw-멤버"}) as srv:
        cfg = write_config(tmp_path, srv.list_url, name="js", extra=BROWSER + keys)
        env = {"BA_TEST_USER": "archiver", "BA_TEST_PASSWORD": "pw-멤버"}
        result = cli(tmp_path, db_url, "crawl", "js", "-c", str(cfg), "--full", env=env)
        assert result.returncode == 0, (result.stdout + result.stderr)[-3000:]
        assert srv.browser_counts["list_json"] == srv.counts["list_json"] == board.total_pages(15)
    assert set(archive_of(engine, "js")) == {str(i) for i in board.live_ids()}


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_a_list_that_does_not_render_is_retried_then_fails_naming_the_selector(
    tmp_path: Path, db_url: str, engine: Engine, chromium: None
) -> None:
    board = generate_board(40, seed=8)
    extra = BROWSER + "render_wait = 3\n"
    with DemoServer(board, js_list=True) as srv:
        srv.faults.add("503", "/bbs/list.json", times=1)  # page 1's rows fail to come once
        # page 2's shell redirects to itself past Chromium's limit of 20 once: a browser error
        srv.faults.add("redirect-loop", "bo_table=press&page=2$", times=30)
        code, out = crawl_board(tmp_path, db_url, srv.list_url, "js", extra)
        assert code == 0, out[-3000:]
        run = last_run(engine)
        assert (run.status, run.errors) == (RunStatus.SUCCEEDED, 0)
        assert run.stats["retry/reason_count/crawler.spiders.render.RenderTimeout"] == 1
        assert run.stats["retry/reason_count/playwright._impl._errors.Error"] == 1
        assert set(archive_of(engine, "js")) == {str(i) for i in board.live_ids()}

        srv.faults.add("503", "/bbs/list.json")  # from now on the list never renders
        code, out = crawl_board(tmp_path, db_url, srv.list_url, "js", extra)
    assert code == 1, out[-3000:]
    run = last_run(engine)
    assert run.status == RunStatus.FAILED and run.message
    assert "css=#bo_list tbody tr, #fboardlist tbody tr, td.empty_table" in run.message
    assert "did not appear within 3s" in run.message
    assert run.stats["retry/count"] == 2  # RETRY_TIMES, then the failure
