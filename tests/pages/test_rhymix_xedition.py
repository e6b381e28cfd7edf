"""The rhymix profile on the board skin Rhymix ships besides the default one, ``xedition``
(tests/pages/samples/rhymix_xedition, from a real Rhymix 2.1.35 install: board ``free`` on the
xedition skin, documents and comments written through the site's forms by the admin and by
guests, dates moved back by SQL; see the README there). The values asserted are the ones in
Rhymix's database (``rx_documents``, ``rx_comments``): the guest author, printed by xedition
as bare text in ``.meta .author`` (no member link), is read; a secret document is the 403 with
its header; the pinned notice is listed at the top and again in its place."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from zoneinfo import ZoneInfo

from archive.items import Post, SecretPost
from crawler.pages.profiles import builtin

SAMPLES = Path(__file__).parent / "samples" / "rhymix_xedition"
BOARD = "http://127.0.0.1:8774/free"
SEOUL = ZoneInfo("Asia/Seoul")
RHYMIX = builtin("rhymix")


def _view(name: str, srl: int, status: int = 200) -> Post | SecretPost:
    html = (SAMPLES / f"{name}.html").read_text(encoding="utf-8")
    outcome = RHYMIX.parse_view(html, f"{BOARD}/{srl}", status=status, tz=SEOUL)
    assert isinstance(outcome, Post | SecretPost)
    return outcome


def _shown(post: Post) -> str | None:
    return post.posted_at.astimezone(SEOUL).strftime("%Y-%m-%d %H:%M") if post.posted_at else None


def test_a_guests_document() -> None:
    post = _view("view-140-guest", 140)
    assert isinstance(post, Post)
    assert (post.title, post.author, _shown(post)) == (
        "창업보육센터 입주기업 모집",
        "박서현",  # nick_name of a guest: bare text, no member link
        "2026-09-15 15:26",  # regdate 20260915152634
    )
    assert post.body_text == (
        "창업보육센터 입주기업 모집에 대해 알려드립니다.\n"
        "신청 기간: 2026년 2월 2일 ~ 11일\n문의: 기업지원팀 (☎ 031-123-4001)"
    )


def test_a_members_document_with_comments_by_members_and_guests() -> None:
    post = _view("view-143-comments", 143)
    assert isinstance(post, Post)
    assert (post.title, post.author, _shown(post)) == (
        "입주기업 간담회 개최 결과",
        "관리자",
        "2026-09-25 14:52",
    )
    comments = [
        (c.comment_id, c.author, c.text, c.posted_at.astimezone(SEOUL).strftime("%H:%M"))
        for c in post.comments
        if c.posted_at is not None
    ]
    assert comments == [
        ("167", "김민지", "간담회 자료도 공유 부탁드립니다.", "15:55"),
        ("170", "관리자", "자료는 다음 주 중에 올리겠습니다.", "16:22"),
        ("172", "박서현", "좋은 자리 마련해 주셔서 감사합니다!", "16:40"),
    ]


def test_the_secret_document_and_the_notice() -> None:
    secret = _view("secret-165", 165, status=403)
    assert isinstance(secret, SecretPost) and secret.post_id == "165"
    notice = _view("view-166-notice", 166)
    assert isinstance(notice, Post)
    assert (notice.title, notice.author, _shown(notice)) == (
        "[공지] 게시판 이용 규칙",
        "관리자",
        "2026-12-04 07:54",
    )


def test_the_list_pages() -> None:
    ids = []
    for name, url in (("list-p1", BOARD), ("list-p2", f"{BOARD}?page=2")):
        html = (SAMPLES / f"{name}.html").read_text(encoding="utf-8")
        listing = RHYMIX.parse_list(html, url, today=date(2026, 12, 6))
        assert listing.last_page == 2
        assert [r.post_id for r in listing.rows if r.notice] == ["166"]
        ids += [r.post_id for r in listing.rows if not r.notice]
    # the 18 documents, newest first, each once; the secret one is marked on its row
    assert ids == [
        *("166", "165", "163", "162", "160", "158", "157", "155", "153", "152"),
        *("150", "148", "147", "145", "143", "142", "140", "138"),
    ]
