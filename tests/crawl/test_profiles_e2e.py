"""End to end: board profiles other than GnuBoard's. A Rhymix-like demo board crawled with the
``rhymix`` profile; the GnuBoard demo board crawled as a ``generic`` board whose config gives
every selector (CSS and XPath); a profile that fits nothing fails the run naming the selector.
On SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from archive.models import CommentVersion, Post, PostState, PostVersion, RunStatus, VersionFile
from board_archive.demoboard.content import Board
from board_archive.demoboard.generate import generate_board
from board_archive.demoboard.server import DemoServer
from tests.crawl.test_end_to_end import cli, last_run, write_config

GENERIC = """engine = "generic"

[boards.press.profile]
view_url = "{root}{path}?bo_table={q:bo_table}&wr_id={id}"
id_params = ["wr_id"]
not_found = ["글이 존재하지 않습니다"]
secret = ['form[action*="password_check"]']
date_formats = ["%y-%m-%d %H:%M"]

[boards.press.selectors]
list_container = "#bo_list"
list_rows = "#bo_list tbody tr"
list_empty = "td.empty_table"
row_link = "td.td_subject .bo_tit a"
row_title = "xpath:.//td[contains(@class, 'td_subject')]//div[@class='bo_tit']/a"
title_strip = ".sound_only, .new_icon, .cnt_cmt, i, img"
row_author = "td.td_name"
row_date = "td.td_datetime"
row_notice = "tr.bo_notice"
pagination = "nav.pg_wrap"
pagination_pages = "a.pg_page"
view_container = "#bo_v"
view_title = "xpath://*[@id='bo_v_title']/*[contains(@class, 'bo_v_tit')]"
view_author = "#bo_v_info .sv_member"
view_date = "#bo_v_info .if_date"
view_body = "#bo_v_con"
"""


def crawl_as(tmp_path: Path, db_url: str, url: str, extra: str) -> tuple[int, str]:
    cfg = write_config(tmp_path, url, extra=extra)
    result = cli(tmp_path, db_url, "crawl", "press", "-c", str(cfg), "--full")
    return result.returncode, result.stdout + result.stderr


def stored(engine: Engine) -> dict[str, Post]:
    with Session(engine) as s:
        return {p.source_id: p for p in s.scalars(select(Post))}


@pytest.fixture
def board() -> Board:
    b = generate_board(33, seed=4)
    wr_id = b.add_post("라이믹스 첨부 글", "<p>본문 <b>굵게</b></p>", author="홍길동")
    b.add_attachment(wr_id, "공고문.hwp", b"HWP document")
    b.add_comment(wr_id, "라이믹스 댓글입니다", author="김철수")
    return b


def test_rhymix_board(tmp_path: Path, db_url: str, engine: Engine, board: Board) -> None:
    ours = board.posts()[-1]
    with DemoServer(board, engine="rhymix") as srv:
        code, out = crawl_as(tmp_path, db_url, srv.list_url, 'engine = "rhymix"\n')
        assert code == 0, out[-3000:]
        run = last_run(engine)
        assert run.status == RunStatus.SUCCEEDED and run.errors == 0
        posts = stored(engine)
        assert set(posts) == {str(i) for i in board.live_ids()}
        secret = {str(p.wr_id) for p in board.posts() if p.secret}
        assert {k for k, p in posts.items() if p.state == PostState.SECRET} == secret
        with Session(engine) as s:
            version = s.scalars(
                select(PostVersion).where(PostVersion.post_id == posts[str(ours.wr_id)].id)
            ).one()
            files = s.scalars(select(VersionFile).where(VersionFile.version_id == version.id))
            assert [(f.name, f.status.value) for f in files] == [("공고문.hwp", "stored")]
            assert "라이믹스 댓글입니다" in s.scalars(select(CommentVersion.text)).all()
        assert (version.title, version.author, version.body_text) == (
            "라이믹스 첨부 글",
            "홍길동",
            "본문 굵게",
        )
        assert version.posted_at is not None
        assert posts["1"].title == board.get(1).title  # type: ignore[union-attr]

        gone = next(p for p in board.posts() if not p.secret and not p.notice)
        board.delete_post(gone.wr_id)
        code, out = crawl_as(tmp_path, db_url, srv.list_url, 'engine = "rhymix"\n')
    assert code == 0, out[-3000:]
    assert stored(engine)[str(gone.wr_id)].state == PostState.DELETED  # Rhymix's not-found


def test_generic_board(tmp_path: Path, db_url: str, engine: Engine, board: Board) -> None:
    ours = board.posts()[-1]
    with DemoServer(board) as srv:
        code, out = crawl_as(tmp_path, db_url, srv.list_url, GENERIC)
    assert code == 0, out[-3000:]
    assert last_run(engine).status == RunStatus.SUCCEEDED
    posts = stored(engine)
    assert set(posts) == {str(i) for i in board.live_ids()}
    assert {p.title for p in posts.values()} == {p.title for p in board.posts()}
    with Session(engine) as s:
        version = s.scalars(
            select(PostVersion).where(PostVersion.post_id == posts[str(ours.wr_id)].id)
        ).one()
    assert (version.title, version.author, version.body_text) == (
        "라이믹스 첨부 글",
        "홍길동",
        "본문 굵게",
    )
    assert version.posted_at is not None


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_profile_matching_nothing_fails_naming_the_selector(
    tmp_path: Path, db_url: str, engine: Engine, board: Board
) -> None:
    with DemoServer(board) as srv:  # a GnuBoard board, configured as Rhymix
        url = srv.url + "/bbs/board.php?bo_table=press&mid=press"
        code, _ = crawl_as(tmp_path, db_url, url, 'engine = "rhymix"\n')
    assert code == 1
    run = last_run(engine)
    assert run.status == RunStatus.FAILED and run.message
    assert "selector '.board_list, table.bd_lst, #board_list, .bd_lst_wrp'" in run.message
    assert "matched nothing" in run.message
