"""Rendering details: dates relative to the clock, icons, title cutting, escaping, categories."""

from __future__ import annotations

from datetime import timedelta

from parsel import Selector

from board_archive.demoboard import Board, Renderer, SettableClock, generate_board
from board_archive.demoboard.render import ListRequest, ViewRequest
from board_archive.demoboard.text import filesize, list_date
from tests.demoboard.conftest import NOW

BASE = "http://127.0.0.1:8056"


def _rows(board: Board) -> list[Selector]:
    return Selector(text=Renderer(board, BASE).list_page()).css("#bo_list tbody tr")


def test_list_dates_follow_the_clock(clock: SettableClock) -> None:
    board = Board(clock=clock)
    board.add_post("오늘 글", posted_at=NOW - timedelta(hours=1))
    date = _rows(board)[0].css("td.td_datetime::text").get()
    assert date == (NOW - timedelta(hours=1)).strftime("%H:%M")
    clock.advance(days=1)
    assert _rows(board)[0].css("td.td_datetime::text").get() == NOW.strftime("%m-%d")
    assert list_date(NOW.replace(hour=0, minute=5), NOW) == "00:05"


def test_new_and_hot_icons(clock: SettableClock) -> None:
    board = Board(clock=clock)
    board.add_post("오래된 인기글", posted_at=NOW - timedelta(days=3), views=150)
    board.add_post("새 글", posted_at=NOW - timedelta(hours=2))
    new, hot = _rows(board)
    assert new.css(".new_icon") and not new.css(".fa-heart")
    assert hot.css(".fa-heart") and not hot.css(".new_icon")


def test_long_titles_are_cut_in_the_list_only(clock: SettableClock) -> None:
    board = Board(clock=clock)
    title = "가" * 70
    wr_id = board.add_post(title)
    link = _rows(board)[0].css("td.td_subject a::text").get() or ""
    assert link.strip() == "가" * 60 + "…"
    view = Selector(text=Renderer(board, BASE).view_page(ViewRequest(wr_id)))
    assert (view.css("#bo_v_title .bo_v_tit::text").get() or "").strip() == title


def test_titles_are_escaped_like_gnuboard(clock: SettableClock) -> None:
    board = Board(clock=clock)
    wr_id = board.add_post('R&D <센터> "개소"')
    page = Renderer(board, BASE).view_page(ViewRequest(wr_id))
    assert "R&D &lt;센터&gt; &#034;개소&#034;</span>" in page
    text = Selector(text=page).css("#bo_v_title .bo_v_tit::text").get() or ""
    assert text.strip() == 'R&D <센터> "개소"'


def test_categories(clock: SettableClock) -> None:
    board = generate_board(40, seed=2, clock=clock, categories=("보도자료", "업계소식"))
    r = Renderer(board, BASE)
    listing = Selector(text=r.list_page())
    assert listing.css("nav#bo_cate ul#bo_cate_ul a::text").getall() == [
        "전체",
        "보도자료",
        "업계소식",
    ]
    row = listing.css("#bo_list tbody tr")[2]
    post = board.list_page(1).rows[0]
    assert row.css("td.td_subject a.bo_cate_link::text").get() == post.category
    view = Selector(text=r.view_page(ViewRequest(post.wr_id)))
    assert view.css("#bo_v_title .bo_v_cate::text").get() == post.category


def test_secret_comments_are_hidden(clock: SettableClock) -> None:
    board = Board(clock=clock)
    wr_id = board.add_post("글")
    cid = board.add_comment(wr_id, "비밀 내용", secret=True)
    page = Selector(text=Renderer(board, BASE).view_page(ViewRequest(wr_id)))
    art = page.css(f"#bo_vc article#c_{cid}")
    assert art.css(f"input#secret_comment_{cid}::attr(value)").get() == "secret"
    assert "비밀 내용" not in art.get()  # type: ignore[operator]
    assert art.css("a.s_cmt::text").get() == "댓글내용 확인"


def test_page_without_page_parameter(board: Board) -> None:
    r = Renderer(board, BASE)
    plain = Selector(text=r.list_page())
    explicit = Selector(text=r.list_page(ListRequest(1)))
    assert plain.css("title::text").get() == "보도자료/업계소식  페이지 | 그누보드5"
    assert explicit.css("title::text").get() == "보도자료/업계소식 1 페이지 | 그누보드5"
    assert plain.css("td.td_subject a::attr(href)").get() == r.view_href(
        board.notice_ids()[0]
    ).replace("&amp;", "&")
    assert (explicit.css("td.td_subject a::attr(href)").get() or "").endswith("&page=1")


def test_filesize() -> None:
    assert [filesize(n) for n in (220, 2048, 251_187, 1_258_291)] == [
        "220byte",
        "2.0K",
        "245.3K",
        "1.2M",
    ]
