"""The view pages of the "webzine" and "cards" skins: every field of every post of the same
board, where and as each skin shows it (title, author, date without a year or a time, body,
pictures and files, comments with their anchors)."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from parsel import Selector

from board_archive.demoboard import Board, Post, Renderer, SettableClock
from board_archive.demoboard.pictures import is_picture, stored_name
from board_archive.demoboard.render import Skin, ViewRequest
from tests.demoboard.conftest import NOW
from tests.demoboard.skin_pages import (
    BASE,
    COMMENT_DATE,
    COMMENT_TEXT,
    THIRD_PARTY,
    VIEW_AUTHOR,
    VIEW_BODY,
    VIEW_DATE,
    VIEW_TITLE,
    body_text,
    lines,
    text,
)

VIEW_DATE_FORMAT = {"webzine": "%Y.%m.%d", "cards": "%m-%d %H:%M"}
COMMENT_DATE_FORMAT = {"webzine": "%m-%d %H:%M", "cards": "%Y.%m.%d %H:%M"}


def _view(board: Board, skin: Skin, post: Post) -> Selector:
    return Selector(text=Renderer(board, BASE, skin).view_page(ViewRequest(post.wr_id)))


def _query(href: str) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(href).query).items()}


@pytest.mark.parametrize("skin", THIRD_PARTY)
def test_every_post_shows_its_fields(board: Board, skin: Skin) -> None:
    for post in board.posts():
        doc = _view(board, skin, post)
        assert doc.css("title::text").get() == f"{post.title} > {board.subject} | 그누보드5"
        assert text(doc.css(VIEW_TITLE[skin])[0]) == post.title
        assert text(doc.css(VIEW_AUTHOR[skin])[0]) == post.author
        date = post.posted_at.strftime(VIEW_DATE_FORMAT[skin])
        assert text(doc.css(VIEW_DATE[skin])[0]) == date
        assert text(doc.css(VIEW_BODY[skin])[0]) == body_text(post.body_html), post.wr_id
        _assert_attachments(doc, post)
        _assert_comments(doc, skin, post)


def _assert_attachments(doc: Selector, post: Post) -> None:
    pictures = [a for a in post.attachments if is_picture(a)]
    files = [a for a in post.attachments if not is_picture(a)]
    shown = doc.css("a[href*='view_image.php']::attr(href)").getall()
    assert [_query(h)["fn"] for h in shown] == [
        stored_name("press", post.wr_id, a) for a in pictures
    ]
    downloads = doc.css("a[href*='download.php']")
    names = [text((a.css("strong") or [a])[0]) for a in downloads]  # webzine: size beside
    assert names == [a.name for a in files]
    for link, file in zip(downloads, files, strict=True):
        query = _query(link.attrib["href"])
        assert (query["bo_table"], query["wr_id"], query["no"]) == (
            "press",
            str(post.wr_id),
            str(file.no),
        )
        assert "nonce" in query


def _assert_comments(doc: Selector, skin: Skin, post: Post) -> None:
    anchors = [int(i.removeprefix("c_")) for i in doc.css("[id^='c_']::attr(id)").getall()]
    assert anchors == [c.comment_id for c in post.comments]
    texts = [lines(t) for t in doc.css(COMMENT_TEXT[skin])]
    shown = ["댓글내용 확인" if c.secret else c.text for c in post.comments]
    assert texts == shown
    dates = [text(d) for d in doc.css(COMMENT_DATE[skin])]
    assert dates == [c.posted_at.strftime(COMMENT_DATE_FORMAT[skin]) for c in post.comments]
    for c in post.comments:
        whole = doc.xpath(
            f"//*[@id='c_{c.comment_id}']/ancestor-or-self::*[self::article or self::li][1]"
        )
        assert whole and (not c.secret or c.text not in (whole.get() or ""))
    if skin == "webzine":
        for c in post.comments:
            art = doc.css(f"article#c_{c.comment_id}.wz_cmt_item")
            markup = "sv_member" if c.author == post.author else "sv_guest"
            assert art.css(f".wz_cmt_name .{markup}::text").get() == c.author
    else:
        replies = doc.css("li.post-comment a[href*='comment_id=']::attr(href)").getall()
        assert [int(_query(h)["comment_id"]) for h in replies] == [
            c.comment_id for c in post.comments
        ]
        authors = [text(a) for a in doc.css(".cmt-author")]
        assert authors == [c.author for c in post.comments]


def test_webzine_view_markup(board: Board) -> None:
    post = next(p for p in board.posts() if p.comments and not p.secret)
    doc = _view(board, "webzine", post)
    assert doc.css("div.wz_view_content#bo_v_con") and not doc.css("#bo_v")
    assert doc.css(".wz_view_name .sv_member") and doc.css("section#bo_vc")
    stats = [text(s) for s in doc.css(".wz_view_stat")]
    assert stats[1:] == [f"{post.views:,}", str(len(post.comments))]  # bare numbers
    assert ":" not in text(doc.css(".wz_view_date")[0])  # no time


def test_cards_view_markup(board: Board) -> None:
    post = next(p for p in board.posts() if p.comments and not p.secret)
    doc = _view(board, "cards", post)
    html = doc.get()
    assert not doc.css("#bo_v, #bo_v_con, #bo_vc, #bo_v_img, article")
    assert "sv_member" not in html and "sv_guest" not in html
    assert str(post.posted_at.year) not in text(doc.css(".post-date")[0])  # no year
    assert text(doc.css(".post-hit")[0]) == f"조회 {post.views:,}"
    for c in post.comments:
        anchor = doc.css(f"a#c_{c.comment_id}")
        assert anchor and not anchor.css("::text").get()  # an empty anchor in li.post-comment
        assert anchor.xpath("..").css("li.post-comment")


@pytest.mark.parametrize("skin", THIRD_PARTY)
def test_pictures_apart_from_the_files(clock: SettableClock, skin: Skin) -> None:
    board = Board(clock=clock)
    wr_id = board.add_post("사진과 자료", "<p>본문</p>", posted_at=NOW)
    board.add_attachment(wr_id, "현장 사진.JPG", b"\xff\xd8\xff", description="행사 현장")
    board.add_attachment(wr_id, "보도자료.pdf", b"%PDF-1.4", description="원문")
    board.add_attachment(wr_id, "도면.png", b"\x89PNG")
    post = board.live(wr_id)
    assert post is not None
    doc = _view(board, skin, post)
    _assert_attachments(doc, post)
    src = doc.css("a[href*='view_image.php'] img::attr(src)").getall()
    assert src == [
        f"{BASE}/data/file/press/{stored_name('press', wr_id, a)}"
        for a in post.attachments
        if is_picture(a)
    ]
    assert stored_name("press", wr_id, post.attachments[0]).endswith(".jpg")
    engine_markup = doc.css("#bo_v_img a.view_image")
    assert bool(engine_markup) == (skin == "webzine")  # cards builds its own figure
    if skin == "cards":
        assert [text(f) for f in doc.css("figure.post-figure figcaption")] == ["행사 현장", ""]


@pytest.mark.parametrize("skin", THIRD_PARTY)
def test_neighbours_and_category(clock: SettableClock, skin: Skin) -> None:
    board = Board(clock=clock, categories=("보도자료",))
    older = board.add_post("이전 글", category="보도자료")
    wr_id = board.add_post("가운데 글", category="보도자료")
    newer = board.add_post("다음 글")
    post = board.live(wr_id)
    assert post is not None
    doc = _view(board, skin, post)
    links = doc.css(".wz_view_nav a::attr(href), .post-nav a::attr(href)").getall()
    ids = [_query(h).get("wr_id") for h in links]
    assert ids == [str(newer), None, str(older)] if skin == "cards" else [str(newer), str(older)]
    shown = doc.css(".wz_view_cate::text, .breadcrumb-item.active::text").get()
    assert shown == "보도자료"
