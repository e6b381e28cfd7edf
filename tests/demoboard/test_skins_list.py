"""The list pages of the "webzine" and "cards" skins: no table, GnuBoard's row links, the fields
as each skin shows them, a count of posts on one skin only, and other paging or none."""

from __future__ import annotations

import re

import pytest
from parsel import Selector

from board_archive.demoboard import Board, Renderer, SettableClock, generate_board
from board_archive.demoboard.render import ListRequest, Skin
from board_archive.demoboard.text import list_date
from tests.demoboard.conftest import NOW
from tests.demoboard.skin_pages import (
    BASE,
    LIST_AUTHOR,
    LIST_DATE,
    LIST_ROWS,
    LIST_TITLE,
    THIRD_PARTY,
    list_page_links,
    own_text,
    row_ids,
    shown_title,
    text,
)

ROWS = 15


@pytest.mark.parametrize("skin", THIRD_PARTY)
def test_every_post_is_linked_from_the_pages_walked_by_page_number(
    board: Board, skin: Skin
) -> None:
    r = Renderer(board, BASE, skin)
    last = board.total_pages(ROWS)
    seen: list[int] = []
    for page in range(1, last + 1):
        html = r.list_page(ListRequest(page))
        doc = Selector(text=html)
        assert not doc.css("#bo_list, table, tbody tr"), "no list table"
        data = board.list_page(page, ROWS)
        expected = [p.wr_id for p in (*data.notices, *data.rows)]
        assert row_ids(html) == expected
        assert len(doc.css(LIST_ROWS[skin])) == len(expected)
        hrefs = doc.css("#container a[href*='wr_id=']::attr(href)").getall()
        assert all(h.endswith(f"&page={page}") for h in hrefs if "bo_table=press" in h)
        seen.extend(expected)
    assert sorted(set(seen)) == board.live_ids()
    past = r.list_page(ListRequest(last + 1))
    assert row_ids(past) == [] and "게시물이 없습니다." in past


@pytest.mark.parametrize("skin", THIRD_PARTY)
def test_rows_show_title_author_and_date(board: Board, skin: Skin) -> None:
    r = Renderer(board, BASE, skin)
    for page in (1, 2, board.total_pages(ROWS)):
        data = board.list_page(page, ROWS)
        posts = [*data.notices, *data.rows]
        rows = Selector(text=r.list_page(ListRequest(page))).css(LIST_ROWS[skin])
        for post, row in zip(posts, rows, strict=True):
            title = own_text(row.css(LIST_TITLE[skin])[0])
            assert title == shown_title(post), post.wr_id
            date = text(row.css(LIST_DATE[skin])[0])
            if skin == "webzine":
                assert date == list_date(post.posted_at, NOW)  # HH:MM today, else MM-DD
                assert re.fullmatch(r"\d\d[:-]\d\d", date)
            else:
                assert date == post.posted_at.strftime("%Y.%m.%d")  # no time
            if not post.notice or skin == "cards":  # webzine's notice rows show no author
                assert text(row.css(LIST_AUTHOR[skin])[0]) == post.author
            locked = bool(row.css(".fa-lock"))
            assert locked == post.secret, post.wr_id


def test_webzine_list_markup(board: Board) -> None:
    html = Renderer(board, BASE, "webzine").list_page(ListRequest(1))
    doc = Selector(text=html)
    assert text(doc.css(".wz_total")[0]) == f"Total {board.total} 건"
    assert "Total 119건" in re.sub(r"<[^>]+>", "", html)
    assert row_ids(html)[:2] == board.notice_ids()
    assert len(doc.css("ul.wz_notices > li")) == 2
    first = board.list_page(1, ROWS).rows[0]
    featured = doc.css(".wz_featured a::attr(href)").get() or ""
    assert featured.endswith(f"wr_id={first.wr_id}&page=1")
    rows = board.list_page(1, ROWS).rows
    assert len(doc.css("ul.wz_grid > li.wz_item")) == len(rows) - 1
    assert doc.css(".wz_item_excerpt::text").get()  # an excerpt of the text
    commented = next(p for p in rows[1:] if p.comments)
    item = doc.xpath(f"//li[a[contains(@href, 'wr_id={commented.wr_id}&')]]")
    assert item.css(".wz_list_cmt .cnt_cmt::text").get() == str(len(commented.comments))


def test_webzine_paging_is_bootstrap_markup_with_relative_links(board: Board) -> None:
    r = Renderer(board, BASE, "webzine")
    last = board.total_pages(ROWS)
    first = Selector(text=r.list_page(ListRequest(1)))
    assert not first.css("nav.pg_wrap, .pg_page")
    hrefs = first.css("nav.wz_pager ul.pagination a.page-link::attr(href)").getall()
    assert all(h.startswith("./board.php?bo_table=press&page=") for h in hrefs)
    assert list_page_links(first.get()) == set(range(2, last + 1))
    assert first.css("li.page-item.active .page-link::text").get() == "1"
    middle = r.list_page(ListRequest(4))
    assert list_page_links(middle) == set(range(1, last + 1)) - {4}
    few = Board(clock=SettableClock(NOW))
    few.add_post("하나")
    assert list_page_links(Renderer(few, BASE, "webzine").list_page()) == set()


def test_cards_list_has_no_count_and_no_page_links(board: Board) -> None:
    r = Renderer(board, BASE, "cards")
    last = board.total_pages(ROWS)
    for page in range(1, last + 2):
        html = r.list_page(ListRequest(page))
        doc = Selector(text=html)
        assert list_page_links(html) == set()
        assert not doc.css("nav, .pagination, .pg_wrap").re(r"page=\d")
        assert "Total" not in html and not doc.css("#bo_list_total, .wz_total")
        assert bool(doc.css("button.btn-more")) == (page < last)
    doc = Selector(text=r.list_page())
    notices = doc.css(".card.border-danger")
    assert [text(n.css(".badge")[0]) for n in notices] == ["공지", "공지"]
    assert not doc.css(".sv_member, .sv_guest")


@pytest.mark.parametrize("skin", THIRD_PARTY)
def test_categories_and_pictures_in_the_list(clock: SettableClock, skin: Skin) -> None:
    board = generate_board(60, seed=3, clock=clock, categories=("보도자료", "업계소식"))
    r = Renderer(board, BASE, skin)
    doc = Selector(text=r.list_page())
    links = doc.css(".wz_cate a::text, .board-cards-cate a::text").getall()
    assert links == ["전체", "보도자료", "업계소식"]
    post = board.list_page(1, ROWS).rows[0]
    row = doc.css(LIST_ROWS[skin])[len(board.notice_ids())]
    assert post.category in row.css(".wz_cate_badge::text, .badge::text").getall()
    thumbs = doc.css(f"{LIST_ROWS[skin].split(',')[0]} img::attr(src)").getall()
    assert all("/data/file/press/" in src for src in thumbs)
