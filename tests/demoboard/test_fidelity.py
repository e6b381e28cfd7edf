"""The rendered pages against the real GnuBoard pages in gnuboard5-samples.

Where the demo board can hold exactly the sample's data, the page must come out byte for byte
(only the visitor counter and the download nonce may differ); elsewhere the element structure
(ids and classes inside ``#bo_list`` / ``#bo_v``) must match.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from parsel import Selector

from board_archive.demoboard import SEOUL, Attachment, Board, Comment, Post, Renderer, SettableClock
from board_archive.demoboard.render import ListRequest, Skin, ViewRequest
from board_archive.demoboard.rss import render_rss
from board_archive.demoboard.text import paging
from tests.demoboard.conftest import NOW, sample_text

BASE = "http://127.0.0.1:8056"


def _normalise(html: str) -> str:
    html = re.sub(r'(class="visit-num">\r?\n)\d+', r"\g<1>N", html)
    return re.sub(r"nonce=[0-9a-f]+\|\d+\|[0-9a-f]+", "nonce=X", html)


def _first_diff(a: str, b: str) -> str:
    for i, (x, y) in enumerate(zip(a.splitlines(True), b.splitlines(True), strict=False)):
        if x != y:
            return f"line {i + 1}:\n  ours:   {x!r}\n  sample: {y!r}"
    return f"lengths differ: {len(a)} vs {len(b)}"


def _assert_same(ours: str, sample: str) -> None:
    ours, sample = _normalise(ours), _normalise(sample)
    assert ours == sample, _first_diff(ours, sample)


def _sample_board() -> Board:
    """The sample board's page 1: rows read off press_list_p1.html, older filler below."""
    board = Board(clock=SettableClock(NOW))
    doc = Selector(text=sample_text("v5.6/press_list_p1.html"))
    notices = []
    for tr in doc.css("#bo_list tbody tr"):
        href = tr.css("td.td_subject a::attr(href)").get() or ""
        wr_id = int(href.rsplit("wr_id=", 1)[1])
        date = tr.css("td.td_datetime::text").get() or ""
        if ":" in date:
            hh, mm = date.split(":")
            when = NOW.replace(hour=int(hh), minute=int(mm), second=0)
        else:
            month, day = date.split("-")
            when = NOW.replace(month=int(month), day=int(day), hour=10, minute=0, second=0)
        files = (Attachment("f.pdf", b"x"),) if tr.css(".fa-download") else ()
        board.insert(
            Post(
                wr_id=wr_id,
                title=" ".join(tr.css(".bo_tit a::text").getall()).strip(),
                author="관리자",
                posted_at=when,
                body_html="<p></p>",
                views=int(tr.css("td.td_num::text").get() or 0),
                secret=bool(tr.css(".fa-lock")),
                attachments=files,
            )
        )
        if tr.css(".notice_icon"):
            notices.append(wr_id)
    for wr_id in reversed(notices):
        board.set_notice(wr_id)
    filler = [i for i in range(124, 0, -1) if i not in (85, 19, 120)][:104]
    for k, wr_id in enumerate(filler):
        when = NOW - timedelta(days=20 + k)
        board.insert(Post(wr_id, f"filler {wr_id}", "관리자", when, "<p></p>", views=1))
    return board


def test_list_page_1_is_the_sample() -> None:
    board = _sample_board()
    assert board.total == 119
    html = Renderer(board, BASE).list_page(ListRequest(None, "bo_table=press"))
    _assert_same(html, sample_text("v5.6/press_list_p1.html"))


def test_page_past_the_end_is_the_sample() -> None:
    html = Renderer(_sample_board(), BASE).list_page(ListRequest(9, "bo_table=press&page=9"))
    _assert_same(html, sample_text("v5.6/press_list_p9.html"))


def test_paging_matches_the_samples() -> None:
    url = f"{BASE}/bbs/board.php?bo_table=press&amp;page="
    for page, name in ((1, "p1"), (2, "p2"), (9, "p9")):
        sample = sample_text(f"v5.6/press_list_{name}.html").replace("\r\n", "\n")
        nav = re.search(r'<nav class="pg_wrap">.*?</nav>', sample, re.S)
        assert nav is not None
        assert paging(10, page, 8, url) == nav.group(0)


def test_view_page_is_the_sample() -> None:
    sample = sample_text("v5.6/press_view_attachment_wr54_with_comments.html")
    body = re.search(r'<div id="bo_v_con">(.*?)</div>', sample, re.S)
    assert body is not None
    board = Board(clock=SettableClock(NOW))

    def at(day: int, hour: int, month: int = 8) -> datetime:
        return datetime(2026, month, day, hour, 6, tzinfo=SEOUL)

    board.insert(Post(53, "동해에너지, 신제품 출시", "관리자", at(10, 9), "<p></p>"))
    texts = ("문의 드린 건 답변 기다리겠습니다.", "첨부파일이 안 열려요. 확인 부탁드립니다.")
    comments = tuple(
        Comment(55 + k, "관리자", at(13, 2 + k), texts[k % 2 if k < 2 else 0]) for k in range(3)
    )
    file = Attachment(
        "press_보도자료_050.pdf",
        b"x" * 220,
        "첨부 자료 50",
        uploaded_at=datetime(2026, 11, 24, 23, 24, 23, tzinfo=SEOUL),
    )
    board.insert(
        Post(
            54,
            "하늘항공, 업무협약 체결 … 시장 반응 주목",
            "관리자",
            at(12, 20),
            body.group(1),
            views=1,
            attachments=(file,),
            comments=comments,
        )
    )
    board.insert(Post(58, "서울바이오, 사회공헌 활동 (2보)", "관리자", at(13, 9), "<p></p>"))
    html = Renderer(board, BASE).view_page(ViewRequest(54, None, "bo_table=press&wr_id=54"))
    _assert_same(html, sample)


def test_alert_pages_are_the_samples(board: Board) -> None:
    r = Renderer(board, BASE)
    _assert_same(r.not_found_page(), sample_text("v5.6/press_view_deleted_wr120.html"))
    _assert_same(r.bad_access_page(10), sample_text("v5.6/download_wr10_nocookie.html"))
    legacy = Renderer(board, "http://127.0.0.1:8054", "legacy")
    _assert_same(legacy.not_found_page(), sample_text("v5.4/press_view_deleted_wr45.html"))


def test_password_page_is_the_sample(board: Board) -> None:
    post = Post(133, "누리소프트, 신임 대표이사 선임", "관리자", NOW, "", secret=True)
    html = Renderer(board, BASE).password_page(post)
    _assert_same(html, sample_text("v5.6/press_view_secret_wr133_followed.html"))


# ---- structure -------------------------------------------------------------------------


def structure(html: str, root: str) -> set[str]:
    """``tag#id`` and ``tag.class`` of every element under ``root`` (digits in ids as N), the
    post's own content (inside ``#bo_v_con``) left out."""
    out: set[str] = set()
    doc = Selector(text=html)
    outside_body = "[not(ancestor::*[@id='bo_v_con'])]"
    for el in doc.css(root).xpath(f"descendant-or-self::*{outside_body}"):
        tag = el.root.tag if isinstance(el.root.tag, str) else ""
        if not tag:
            continue
        if el.attrib.get("id"):
            out.add(f"{tag}#{re.sub(r'[0-9]+', 'N', el.attrib['id'])}")
        out.update(f"{tag}.{c}" for c in el.attrib.get("class", "").split())
        out.add(tag)
    return out


# ids/classes the generated board may show that the samples happen not to
EXTRAS = {"i.fa-heart", "img"}


def test_list_structure_matches_the_samples(board: Board) -> None:
    cases: tuple[tuple[Skin, tuple[str, ...]], ...] = (
        ("basic", ("v5.6/press_list_p1", "v5.6/press_list_p2")),
        ("legacy", ("v5.4/press_list_p1",)),  # only a first page: no "처음" link in it
    )
    for skin, names in cases:
        r = Renderer(board, BASE, skin)
        ours = structure(r.list_page(), "#bo_list") | structure(
            r.list_page(ListRequest(2)), "#bo_list"
        )
        theirs: set[str] = set()
        for name in names:
            theirs |= structure(sample_text(f"{name}.html"), "#bo_list")
        assert theirs - ours == set(), skin
        assert ours - theirs <= EXTRAS | {"a.pg_start"}, skin


def test_view_structure_matches_the_samples(board: Board) -> None:
    post = next(p for p in board.posts() if p.attachments and p.comments and not p.secret)
    r = Renderer(board, BASE)
    ours = structure(r.view_page(ViewRequest(post.wr_id)), "#bo_v")
    theirs = structure(sample_text("v5.6/press_view_attachment_wr54_with_comments.html"), "#bo_v")
    assert theirs - ours == set()
    assert ours - theirs <= EXTRAS
    legacy = Renderer(board, BASE, "legacy")
    ours = structure(legacy.view_page(ViewRequest(post.wr_id)), "#bo_v")
    theirs = structure(sample_text("v5.2-seed/press_view_seed.html"), "#bo_v")
    comment_parts = {
        "section#bo_vc", "article#c_N", "header", "h1", "time", "span#edit_N", "span#reply_N",
        "input#secret_comment_N", "textarea#save_comment_N", "span.member", "span.bo_vc_hdinfo",
        "p", "img", "input", "textarea",
    }  # fmt: skip
    assert theirs - ours <= {"a.view_image"}, "the seed's image is an attached picture"
    assert ours - theirs <= comment_parts


def test_rss_is_the_sample() -> None:
    sample = sample_text("v5.6/press_rss.xml")
    now = datetime(2026, 11, 24, 23, 24, 25, tzinfo=SEOUL)
    board = Board(clock=SettableClock(now))
    item = re.compile(
        r"<item>\n<title>(.*?)</title>\n<link>.*?wr_id=(\d+)</link>\n"
        r"<description><!\[CDATA\[(.*?)\]\]></description>\n<dc:creator>(.*?)</dc:creator>\n"
        r"<dc:date>(.*?)</dc:date>",
        re.S,
    )
    for title, wr_id, body, author, date in item.findall(sample):
        board.insert(Post(int(wr_id), title, author, datetime.fromisoformat(date), body))
    for secret_id in (133, 128):
        board.insert(Post(secret_id, "비밀글", "관리자", now, "<p></p>", secret=True))
    board.insert(Post(1, "오래된 글", "관리자", now - timedelta(days=300), "<p></p>"))
    assert render_rss(board, BASE) == sample
