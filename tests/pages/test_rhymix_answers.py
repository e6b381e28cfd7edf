"""Rhymix as a real install answers (tests/pages/samples/rhymix, from Rhymix 2.1.35): a secret
document is HTTP 403 with its header and a password form, a deleted or never-existing one
HTTP 404 with "대상을 찾을 수 없습니다."; any other 403 or 404 is an error, never a deletion."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from archive.items import Post, PostNotFound, SecretPost
from crawler.pages.errors import ParseError
from crawler.pages.profiles import builtin

SAMPLES = Path(__file__).parent / "samples" / "rhymix"
VIEW = "http://127.0.0.1:8070/index.php?mid=notice&document_srl="
SEOUL = ZoneInfo("Asia/Seoul")
RHYMIX = builtin("rhymix")


def view(name: str, srl: int, status: int) -> Post | PostNotFound | SecretPost:
    html = (SAMPLES / f"{name}.html").read_text(encoding="utf-8")
    return RHYMIX.parse_view(html, f"{VIEW}{srl}", status=status, tz=SEOUL)


def status_of(name: str) -> int:
    first = (SAMPLES / f"{name}.headers.txt").read_text(encoding="utf-8").splitlines()[0]
    return int(first.split()[1])


def test_a_secret_document_is_a_secret_post_with_its_header() -> None:
    assert status_of("document_117_secret") == 403
    outcome = view("document_117_secret", 117, 403)
    assert outcome == SecretPost(
        post_id="117",
        url=f"{VIEW}117",
        title="[학사] 안전 교육 신청 안내 (12)",
        author="관리자",
        posted_on=date(2026, 3, 3),
        views=126,
    )


@pytest.mark.parametrize(
    ("name", "srl"), [("document_115_deleted", 115), ("document_99999999_never_existed", 99999999)]
)
def test_the_boards_404_is_its_not_found(name: str, srl: int) -> None:
    assert status_of(name) == 404
    assert view(name, srl, 404) == PostNotFound(post_id=str(srl), url=f"{VIEW}{srl}")


def test_other_403s_and_404s_are_errors() -> None:
    """A 404 without the board's text (a web server's, a wrong path) deletes nothing; a 403
    without the password form (a firewall, a ban) is no secret post."""
    plain_404 = "<html><body><h1>Not Found</h1></body></html>"
    with pytest.raises(ParseError, match="HTTP 404, not the board's own answer"):
        RHYMIX.parse_view(plain_404, f"{VIEW}115", status=404, tz=SEOUL)
    with pytest.raises(ParseError, match="HTTP 403, not the board's own answer"):
        RHYMIX.parse_view("<html><body>Forbidden</body></html>", f"{VIEW}1", status=403)
    secret_as_404 = (SAMPLES / "document_117_secret.html").read_text(encoding="utf-8")
    with pytest.raises(ParseError):  # the form on a 404 is no answer either
        RHYMIX.parse_view(secret_as_404, f"{VIEW}117", status=404, tz=SEOUL)
    with pytest.raises(ParseError, match="HTTP 500"):
        RHYMIX.parse_view("<html></html>", f"{VIEW}1", status=500)


def test_a_readable_document_and_the_list() -> None:
    post = view("document_108_attachment_comments", 108, 200)
    assert isinstance(post, Post)
    assert (post.title, post.author, post.views) == ("[총무] 학사 일정 유의사항 (5)", "관리자", 149)
    assert post.posted_at is not None
    assert post.posted_at.astimezone(SEOUL).strftime("%Y.%m.%d %H:%M") == "2026.01.09 08:21"
    html = (SAMPLES / "notice_list_p1.html").read_text(encoding="utf-8")
    listing = RHYMIX.parse_list(html, "http://127.0.0.1:8070/notice", today=date(2026, 12, 4))
    assert [r.post_id for r in listing.rows if r.notice] == ["151", "106"]
    assert [r.post_id for r in listing.rows if r.secret] == ["142"]
    assert listing.last_page == 3
