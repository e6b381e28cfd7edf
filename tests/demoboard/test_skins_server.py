"""The "webzine" and "cards" skins over HTTP: the engine answers as in every skin (list pages by
``page=N``, the 302 for secret posts and comment ids, the not-found alert, downloads and their
session rule), and serves attached pictures (``view_image.php``, ``data/file``)."""

from __future__ import annotations

import html
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urljoin

import pytest
from parsel import Selector

from board_archive.demoboard import Board, DemoServer, Renderer, prerender
from board_archive.demoboard.__main__ import main
from board_archive.demoboard.pictures import is_picture, stored_name
from board_archive.demoboard.render import Skin
from tests.demoboard.conftest import Client
from tests.demoboard.skin_pages import THIRD_PARTY, row_ids


@pytest.fixture(params=THIRD_PARTY)
def srv(request: pytest.FixtureRequest, board: Board) -> Iterator[DemoServer]:
    with DemoServer(board, skin=request.param) as server:
        yield server


def test_list_pages_answer_page_numbers(srv: DemoServer, board: Board) -> None:
    client = Client()
    for page in (2, board.total_pages(15)):
        resp = client.get(srv.page_url(page))
        assert resp.status == 200
        assert row_ids(resp.text) == [p.wr_id for p in board.list_page(page, 15).rows]
    first = client.get(srv.list_url)
    assert any(c.endswith("; HttpOnly") for c in first.cookies())  # the 5.6 engine's cookies
    assert row_ids(first.text)[:2] == board.notice_ids()


def test_secret_missing_and_comment_answers(srv: DemoServer, board: Board) -> None:
    client = Client()
    secret = next(p for p in board.posts() if p.secret)
    resp = client.get(srv.view_url(secret.wr_id))
    assert resp.status == 302 and resp.body == b""
    assert resp.header("Location") == (
        f"{srv.url}/bbs/password.php?w=s&bo_table=press&wr_id={secret.wr_id}"
    )
    form = client.get(resp.header("Location") or "")
    assert form.status == 200 and secret.title in html.unescape(form.text)
    missing = client.get(srv.view_url(9999))
    assert missing.status == 200 and "글이 존재하지 않습니다" in missing.text
    assert missing.text == Renderer(board, srv.url, "basic").not_found_page()
    post = next(p for p in board.posts() if p.comments and not p.secret)
    cid = post.comments[0].comment_id
    moved = client.get(srv.view_url(cid))
    assert moved.status == 302
    assert moved.header("Location") == f"./board.php?bo_table=press&wr_id={post.wr_id}#c_{cid}"


def test_downloads_follow_the_session_rule(srv: DemoServer, board: Board) -> None:
    post = next(
        p for p in board.posts() if not p.secret and any(not is_picture(a) for a in p.attachments)
    )
    file = next(a for a in post.attachments if not is_picture(a))
    client = Client(keep_session=True)
    view = Selector(text=client.get(srv.view_url(post.wr_id)).text)
    href = view.css(f"a[href*='download.php'][href*='no={file.no}']::attr(href)").get() or ""
    assert href.startswith(f"{srv.url}/bbs/download.php?bo_table=press&wr_id={post.wr_id}&no=")
    got = client.get(href)
    assert got.status == 200 and got.body == file.data()
    assert got.header("content-disposition") == Renderer.content_disposition(file.name)
    stranger = Client().get(href)
    assert stranger.status == 200 and "잘못된 접근입니다." in stranger.text


def test_pictures_are_served_by_view_image_and_data_file(srv: DemoServer, board: Board) -> None:
    post = next(
        p for p in board.posts() if not p.secret and any(is_picture(a) for a in p.attachments)
    )
    file = next(a for a in post.attachments if is_picture(a))
    name = stored_name("press", post.wr_id, file)
    view = Selector(text=Client().get(srv.view_url(post.wr_id)).text)
    link = view.css("a[href*='view_image.php']::attr(href)").get() or ""
    assert link == f"{srv.url}/bbs/view_image.php?bo_table=press&fn={name}"
    page = Client().get(link)  # no session needed
    src = Selector(text=page.text).css("img#fileview::attr(src)").get() or ""
    assert page.status == 200 and src == f"{srv.url}/data/file/press/{name}"
    data = Client().get(urljoin(link, src))
    assert data.status == 200 and data.body == file.data()
    assert data.header("Content-Type") == "image/jpeg"
    assert Client().get(f"{srv.url}/data/file/press/{'0' * 40}.jpg").status == 404
    unknown = Client().get(f"{srv.url}/bbs/view_image.php?bo_table=press&fn=nope.jpg")
    assert "파일 정보가 존재하지 않습니다." in unknown.text
    other = Client().get(f"{srv.url}/bbs/view_image.php?bo_table=other&fn={name}")
    assert "존재하지 않는 게시판입니다." in other.text


def test_basic_skin_serves_pictures_too(board: Board) -> None:
    post = next(p for p in board.posts() if any(is_picture(a) for a in p.attachments))
    file = next(a for a in post.attachments if is_picture(a))
    with DemoServer(board) as server:
        got = Client().get(f"{server.url}/data/file/press/{stored_name('press', post.wr_id, file)}")
    assert got.body == file.data()


@pytest.mark.parametrize("skin", THIRD_PARTY)
def test_chosen_like_the_other_skins(board: Board, skin: Skin, tmp_path: Path) -> None:
    assert main(["--posts", "20", "--skin", skin, "--prerender", str(tmp_path / "cli")]) == 0
    assert (tmp_path / "cli/list/1.html").exists()
    with pytest.raises(ValueError, match="unknown skin"):
        Renderer(board, "http://h", "gallery")  # type: ignore[arg-type]
    result = prerender(board, f"{tmp_path}/out", "http://h", skin=skin)
    assert result.list_pages == board.total_pages(15)
    first = (tmp_path / "out/list/1.html").read_text(encoding="utf-8")
    assert row_ids(first)[:2] == board.notice_ids()
