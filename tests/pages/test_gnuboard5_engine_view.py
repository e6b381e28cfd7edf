"""GnuBoard 5 view pages read by the engine's invariants (``crawler.pages.g5``): the basic
skin (5.6, 5.4, the 5.2 seed), two real third-party skins, the engine's answers (secret, not
found) and hand-made mutations of the basic page.

Expected values are read off the sample HTML; on the basic pages the readings must also give
exactly what the basic-skin parser gives."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from archive.items import Post
from archive.selectors import Selectors
from crawler.pages import gnuboard5
from crawler.pages import html as markup
from crawler.pages.dates import SEOUL
from crawler.pages.errors import ParseError
from crawler.pages.g5 import items
from crawler.pages.g5.answers import AnswerKind, engine_answer
from crawler.pages.g5.readings import Precision, Source
from crawler.pages.g5.view import ViewReading, read_view, title_subject

from ._sample import SEED_URL, board_url, load

SKIN_HOST = "http://127.0.0.1:8056"
BASIC_VIEWS = [
    ("v5.6/press_view_normal_wr130", "130"),
    ("v5.6/press_view_normal_wr125_edited", "125"),
    ("v5.6/press_view_notice_wr85", "85"),
    ("v5.6/press_view_attachment_wr54_with_comments", "54"),
    ("v5.4/press_view_attachment_wr10", "10"),
    ("v5.4/press_view_comments_wr12", "12"),
    ("v5.2-seed/press_view_seed", "212"),
]


def _url(name: str, wr_id: str) -> str:
    version = name.split("/")[0]
    return SEED_URL if version == "v5.2-seed" else board_url(version, f"&wr_id={wr_id}")


def _skin_view(skin: str, table: str, name: str, wr_id: int) -> ViewReading:
    sample = load(f"skins/{skin}/{name}")
    assert sample.status == 200
    return read_view(sample.html, f"{SKIN_HOST}/bbs/board.php?bo_table={table}&wr_id={wr_id}")


def _comments(reading: ViewReading) -> list[tuple[str, str | None, str | None, str | None]]:
    return [
        (
            c.comment_id,
            c.author.value,
            c.time.value.text if c.time.value else None,
            c.text.value,
        )
        for c in reading.comments
    ]


# ---- the basic skin: the same as the basic-skin parser -----------------------------------------


@pytest.mark.parametrize(("name", "wr_id"), BASIC_VIEWS)
@pytest.mark.parametrize("skin", [None, Selectors()], ids=["invariants", "basic-selectors"])
def test_basic_views_read_as_the_basic_parser_reads_them(
    name: str, wr_id: str, skin: Selectors | None
) -> None:
    sample = load(name)
    url = _url(name, wr_id)
    expected = gnuboard5.parse_view(sample.html, url, raw_page=sample.raw)
    assert isinstance(expected, Post)
    got = items.post(read_view(sample.html, url, skin=skin), raw_page=sample.raw)
    assert got == expected


def test_basic_v56_by_invariants_says_where_each_field_came_from() -> None:
    reading = read_view(
        load("v5.6/press_view_attachment_wr54_with_comments").html, _url("v5.6", "54")
    )
    assert reading.title.value == "하늘항공, 업무협약 체결 … 시장 반응 주목"
    assert (reading.title.source, reading.title.where) == (
        Source.ENGINE,
        "<title> (shown in h2#bo_v_title)",
    )
    assert (reading.author.value, reading.author.where) == ("관리자", ".sv_member")
    posted = reading.posted.value
    assert posted is not None and (posted.text, posted.precision) == (
        "26-08-12 20:06",
        Precision.MINUTE,
    )
    assert (
        reading.posted.where
        == "section#bo_v_info > div.profile_info > div.profile_info_ct > strong.if_date"
    )
    assert (reading.views.value, reading.comment_count.value) == (1, 3)
    assert (reading.body.source, reading.body.where) == (Source.SKIN, "#bo_v_con")
    (file,) = reading.files
    assert (file.no, file.name, file.size_text, file.download_count) == (
        0,
        "press_보도자료_050.pdf",
        "220byte",
        0,
    )
    assert file.uploaded is not None and file.uploaded.precision is Precision.SECOND
    assert [c.comment_id for c in reading.comments] == ["55", "56", "57"]
    assert {c.text.where for c in reading.comments} == {
        "#save_comment_55",
        "#save_comment_56",
        "#save_comment_57",
    }


def test_the_v52_seed_info_line_and_attached_image() -> None:
    reading = read_view(load("v5.2-seed/press_view_seed").html, SEED_URL)
    assert (
        reading.title.value == "'스마트제조 미래 대응 전략 포럼' 창원서 열려"
    )  # "SUBJECT > BOARD"
    assert reading.posted.value is not None and reading.posted.value.text == "22-03-07 09:29"
    assert (reading.views.value, reading.comment_count.value) == (2306, 0)
    assert [(i.name, i.url.endswith("fn=2022030709290001.jpg")) for i in reading.images] == [
        ("2022030709290001.jpg", True)
    ]
    (file,) = reading.files
    assert (file.no, file.name, file.size_text, file.download_count, file.uploaded_text) == (
        1,
        "포럼_발표자료.pdf",
        "1.2M",
        37,
        "2022-03-07 09:29:41",
    )


# ---- third-party skins ---------------------------------------------------------------------


def test_pt_webzine_view_with_comments() -> None:
    reading = _skin_view("pt_webzine", "skin2", "view-26-comments", 26)
    assert reading.title.value == "웹진 26호 - 탄소중립 로드맵"
    assert reading.title.where == (
        "<title> (shown in article#bsk_view_wrap > header.bsk_view_header > h2.bsk_view_tit)"
    )
    assert reading.author.value == "최고관리자"
    posted = reading.posted.value
    assert posted is not None and (posted.text, posted.precision) == (
        "2026-07-15 16:34",
        Precision.MINUTE,
    )
    assert posted.moment(SEOUL) == datetime(2026, 7, 15, 7, 34, tzinfo=UTC)
    assert (reading.views.value, reading.comment_count.value) == (1, 2)
    body = reading.body.value
    assert body is not None
    assert body.text.startswith("탄소중립 로드맵 관련 소식을 알려드립니다. (제26호)\n")
    assert body.text.endswith("\n문의: 홍보팀 (관련 링크)")
    assert "공유하기" not in body.text
    assert (reading.files, reading.images) == ((), ())
    assert _comments(reading) == [
        ("39", "최고관리자", "26-07-15 17:27", "일정 변경 여부도 알려주세요."),
        ("40", "최고관리자", "26-07-15 18:27", "네, 변동 없습니다."),
    ]
    assert {c.time.value.precision for c in reading.comments if c.time.value} == {Precision.MINUTE}


def test_pt_webzine_view_with_an_attachment() -> None:
    reading = _skin_view("pt_webzine", "skin2", "view-7-attach", 7)
    assert reading.title.value == "웹진 7호 - 해외 판로 개척"
    assert reading.posted.value is not None and reading.posted.value.text == "2025-05-01 15:54"
    (file,) = reading.files
    assert (file.no, file.name, file.size_text, file.download_count, file.uploaded) == (
        0,
        "보도자료_원문.pdf",
        "594byte",
        0,
        None,  # the skin shows no upload time
    )
    assert "bo_table=skin2&wr_id=7&no=0&nonce=" in file.url
    assert _comments(reading) == [
        ("36", "최고관리자", "25-05-01 16:47", "확인했습니다. 감사합니다."),
        ("37", "최고관리자", "25-05-01 17:47", "첨부 자료 잘 받았습니다."),
    ]


def test_coto_news_view_with_comments() -> None:
    reading = _skin_view("coto_news", "skin4", "view-28-comments", 28)
    assert reading.title.value == "뉴스 28: 물류 혁신 플랫폼 관련 보도"
    assert reading.title.where == "<title> (shown in h1#bo_v_title)"
    posted = reading.posted.value  # the bare <strong> after the title
    assert posted is not None and (posted.text, posted.precision) == (
        "26-08-30 09:12",
        Precision.MINUTE,
    )
    # its info section is an HTML comment: author, views and count are not on the page
    assert (reading.author.source, reading.views.source, reading.comment_count.source) == (
        Source.NOT_FOUND,
        Source.NOT_FOUND,
        Source.NOT_FOUND,
    )
    assert reading.body.value is not None
    assert reading.body.value.text.startswith("물류 혁신 플랫폼 관련 소식을 알려드립니다. (제28호)")
    assert _comments(reading) == [
        ("39", "최고관리자", "2026-08-30T10:05:00+09:00", "첨부 자료 잘 받았습니다."),
        ("40", "최고관리자", "2026-08-30T11:05:00+09:00", "일정 변경 여부도 알려주세요."),
    ]
    first = reading.comments[0].time.value
    assert first is not None and first.moment(SEOUL) == datetime(2026, 8, 30, 1, 5, tzinfo=UTC)


def test_coto_news_view_with_an_attachment() -> None:
    reading = _skin_view("coto_news", "skin4", "view-9-attach", 9)
    assert reading.posted.value is not None and reading.posted.value.text == "25-06-17 17:25"
    (file,) = reading.files  # its upload time "DATE : …" is not taken for the post's
    assert (file.name, file.size_text, file.download_count, file.uploaded_text) == (
        "참고자료_요약.txt",
        "66byte",
        0,
        "2025-06-17 17:25:55",
    )
    assert [c.comment_id for c in reading.comments] == ["36", "37"]
    post = items.post(reading)
    assert post.posted_at == datetime(2025, 6, 17, 8, 25, tzinfo=UTC)
    assert post.author is None and post.views is None


# ---- the engine's answers -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "url", "wr_id"),
    [
        ("v5.6/press_view_secret_wr133", board_url("v5.6", "&wr_id=133"), "133"),
        ("v5.4/press_view_secret_wr40", board_url("v5.4", "&wr_id=40"), "40"),
        ("skins/pt_webzine/secret-12", f"{SKIN_HOST}/bbs/board.php?bo_table=skin2&wr_id=12", "12"),
        ("skins/coto_news/secret-14", f"{SKIN_HOST}/bbs/board.php?bo_table=skin4&wr_id=14", "14"),
    ],
)
def test_secret_posts_whatever_the_skin(name: str, url: str, wr_id: str) -> None:
    sample = load(name)
    assert sample.status == 302
    answer = engine_answer(sample.status, sample.location, sample.html, url)
    assert answer is not None and (answer.kind, answer.post_id) == (AnswerKind.SECRET, wr_id)
    assert items.answer(answer, url) == gnuboard5.parse_view(
        sample.html, url, status=sample.status, location=sample.location
    )


def test_the_followed_secret_redirect_is_the_password_form() -> None:
    sample = load("v5.6/press_view_secret_wr133_followed")
    url = "http://127.0.0.1:8056/bbs/password.php?w=s&bo_table=press&wr_id=133"
    answer = engine_answer(sample.status, sample.location, sample.html, url)
    assert answer is not None
    assert (answer.kind, answer.post_id, answer.title) == (
        AnswerKind.SECRET,
        "133",
        "누리소프트, 신임 대표이사 선임",
    )


@pytest.mark.parametrize(
    ("name", "wr_id"),
    [("v5.6/press_view_deleted_wr120", "120"), ("v5.4/press_view_deleted_wr45", "45")],
)
def test_not_found_is_the_engines_alert(name: str, wr_id: str) -> None:
    sample = load(name)
    url = _url(name, wr_id)
    answer = engine_answer(sample.status, sample.location, sample.html, url)
    assert answer is not None and (answer.kind, answer.post_id) == (AnswerKind.NOT_FOUND, wr_id)
    assert items.answer(answer, url) == gnuboard5.parse_view(sample.html, url)


def test_other_answers_are_errors() -> None:
    refused = load("v5.6/download_wr10_nocookie")
    url = board_url("v5.6", "&wr_id=10")
    answer = engine_answer(200, None, refused.html, url)
    assert answer is not None and (answer.kind, answer.message) == (
        AnswerKind.ALERT,
        "잘못된 접근입니다.",
    )
    with pytest.raises(ParseError, match="잘못된 접근입니다"):
        items.answer(answer, url)
    login = engine_answer(302, "http://127.0.0.1:8056/bbs/login.php?url=x", "", url)
    assert login is not None and login.kind is AnswerKind.REDIRECT
    assert engine_answer(500, None, "", url).kind is AnswerKind.HTTP_ERROR  # type: ignore[union-attr]
    html = load("v5.6/press_view_normal_wr130").html
    assert engine_answer(200, None, html, _url("v5.6", "130")) is None  # a post to read


# ---- titles --------------------------------------------------------------------------------


def test_the_title_subject_is_before_the_last_separator() -> None:
    def subject(title: str, board: str | None = None) -> str | None:
        root = markup.doc(f"<html><head><title>{title}</title></head></html>").root
        return title_subject(root, board)

    assert subject("A &gt; B 소식 &gt; 보도자료 | 사이트") == "A > B 소식"
    assert subject("공지 | 안내 > 보도자료 | 사이트 | 홈") == "공지 | 안내"
    assert subject("제목 > 보도 > 자료 | 사이트", board="보도 > 자료") == "제목"
    assert subject("보도자료 2 페이지 | 사이트") is None  # a list page's title


def test_a_long_title_the_skin_cuts_is_noted() -> None:
    long_subject = "가" * 80
    html = load("v5.6/press_view_normal_wr130").html
    html = html.replace("하늘항공, 개인정보 처리방침 개정 (종합) &gt;", f"{long_subject} &gt;", 1)
    html = html.replace("하늘항공, 개인정보 처리방침 개정 (종합) >", f"{long_subject} >", 1)
    html = html.replace(
        "            하늘항공, 개인정보 처리방침 개정 (종합)</span>", f"{'가' * 70}…</span>"
    )
    by_skin = read_view(html, _url("v5.6", "130"), skin=Selectors())
    assert by_skin.title.value == "가" * 70 + "…"
    assert by_skin.title.note is not None and long_subject in by_skin.title.note
    assert read_view(html, _url("v5.6", "130")).title.value == long_subject


def test_a_view_url_without_a_post_is_an_error() -> None:
    with pytest.raises(ParseError, match="wr_id"):
        read_view(load("v5.6/press_view_normal_wr130").html, board_url("v5.6", ""))
