from datetime import UTC, datetime

import pytest

from archive.items import Attachment, Comment, Post, PostNotFound, SecretPost
from archive.selectors import Selectors
from crawler.pages.errors import BodyNotFound, ParseError
from crawler.pages.g5.answers import is_not_found, is_password_form, is_secret_redirect, page_alert
from crawler.pages.gnuboard5 import parse_view, post_id_from_url

from ._sample import SEED_URL, board_url, load


def _view(name: str, wr_id: str, **kwargs: object) -> Post | PostNotFound | SecretPost:
    version = name.split("/")[0]
    sample = load(name)
    url = SEED_URL if version == "v5.2-seed" else board_url(version, f"&wr_id={wr_id}")
    return parse_view(
        sample.html,
        url,
        status=sample.status,
        location=sample.location,
        raw_page=sample.raw,
        **kwargs,  # type: ignore[arg-type]
    )


def _post(name: str, wr_id: str) -> Post:
    post = _view(name, wr_id)
    assert isinstance(post, Post)
    assert post.post_id == wr_id
    assert post.raw_page == load(name).raw
    assert post.body_html.startswith("<p>") and post.body_html.endswith("</p>")
    for chrome in ("bo_v_share", "bo_v_img", "bo_v_file", "sns", "btn_", "목록", "댓글목록"):
        assert chrome not in post.body_html, chrome
    assert post.notice is None  # only the list row knows
    return post


V56_TABLE = "구분\t매출\n1분기\t668억 원\n2분기\t650억 원\n3분기\t509억 원"


def test_v56_normal_post() -> None:
    post = _post("v5.6/press_view_normal_wr130", "130")
    assert post.url == "http://127.0.0.1:8056/bbs/board.php?bo_table=press&wr_id=130"
    assert post.title == "하늘항공, 개인정보 처리방침 개정 (종합)"
    assert post.author == "관리자"
    assert post.posted_at == datetime(2026, 11, 17, 14, 14, tzinfo=UTC)  # 26-11-17 23:14 KST
    assert (post.views, post.comment_count, post.category) == (1, 0, None)
    assert (post.attachments, post.comments) == ((), ())
    assert post.body_text == (
        "전문가들은 국내 시장뿐 아니라 해외 시장에서도 경쟁력을 갖출 것으로 평가했다. "
        "이번 발표는 업계 관계자들 사이에서 큰 관심을 모았다.\n"
        "행사는 서울 코엑스에서 사흘간 진행된다. "
        "한편 지난해 같은 기간 영업이익은 120억 원을 기록했다.\n"
        "회사 측은 올해 하반기까지 관련 매출이 두 배 이상 늘어날 것으로 내다봤다. "
        "자세한 내용은 첨부된 자료를 참고하시기 바랍니다.\n"
        "전문가들은 국내 시장뿐 아니라 해외 시장에서도 경쟁력을 갖출 것으로 평가했다. "
        "자세한 내용은 첨부된 자료를 참고하시기 바랍니다.\n"
        f"{V56_TABLE}\n"
        "문의: 홍보팀 (02-123-5586)"
    )
    assert '<img src="/img/logo.png" alt="하늘항공 로고" width="120">' in post.body_html
    assert "<td>1분기</td><td>668억 원</td>" in post.body_html


def test_v56_edited_post() -> None:
    post = _post("v5.6/press_view_normal_wr125_edited", "125")
    assert post.title == "[수정] 누리소프트 보도자료 정정"
    assert post.posted_at == datetime(2026, 11, 9, 7, 19, tzinfo=UTC)  # unchanged by the edit
    assert (post.views, post.comment_count) == (2, 0)
    assert post.body_text.startswith("자세한 내용은 첨부된 자료를 참고하시기 바랍니다. 행사는")
    assert post.body_text.endswith("3분기\t398억 원\n문의: 홍보팀 (02-123-9206)")


def test_v56_notice_post() -> None:
    post = _post("v5.6/press_view_notice_wr85", "85")
    assert post.title == "푸른식품, 분기 실적 발표 [사진]"
    assert post.posted_at == datetime(2026, 9, 16, 11, 59, tzinfo=UTC)
    assert (post.views, post.comment_count, post.author) == (1, 0, "관리자")
    assert "1분기\t844억 원" in post.body_text


def test_v56_attachment_and_comments() -> None:
    post = _post("v5.6/press_view_attachment_wr54_with_comments", "54")
    assert post.title == "하늘항공, 업무협약 체결 … 시장 반응 주목"
    assert post.posted_at == datetime(2026, 8, 12, 11, 6, tzinfo=UTC)
    assert (post.views, post.comment_count) == (1, 3)
    assert post.attachments == (
        Attachment(
            name="press_보도자료_050.pdf",
            size_text="220byte",
            url="http://127.0.0.1:8056/bbs/download.php?bo_table=press&wr_id=54&no=0"
            "&nonce=37ad0d8ca847664af396|1795537497|be685e9a555faa2f744013a21678bb0626421876",
            download_count=0,
            uploaded_at="2026-11-24 23:24:23",
        ),
    )
    # the body's picture (on the board's own host), made absolute; the skin's logo is not body
    assert post.images == ("http://127.0.0.1:8056/img/logo.png",)
    waiting, broken = (
        "문의 드린 건 답변 기다리겠습니다.",
        "첨부파일이 안 열려요. 확인 부탁드립니다.",
    )
    assert post.comments == (
        Comment("55", "관리자", datetime(2026, 8, 12, 17, 6, tzinfo=UTC), waiting),
        Comment("56", "관리자", datetime(2026, 8, 12, 18, 6, tzinfo=UTC), broken),
        Comment("57", "관리자", datetime(2026, 8, 12, 19, 6, tzinfo=UTC), waiting),
    )
    assert "문의 드린 건" not in post.body_text


def test_v54_attachment() -> None:
    post = _post("v5.4/press_view_attachment_wr10", "10")
    assert post.url == "http://127.0.0.1:8054/bbs/board.php?bo_table=press&wr_id=10"
    assert post.title == "누리소프트, 채용 박람회 개최"
    assert post.posted_at == datetime(2026, 9, 17, 8, 16, tzinfo=UTC)
    assert (post.views, post.comment_count, post.comments) == (1, 0, ())
    assert post.attachments == (
        Attachment(
            name="press_보도자료_010.pdf",
            size_text="212byte",
            url="http://127.0.0.1:8054/bbs/download.php?bo_table=press&wr_id=10&no=0",
            download_count=0,
            uploaded_at="2026-11-24 23:26:11",
        ),
    )


def test_v54_comments() -> None:
    post = _post("v5.4/press_view_comments_wr12", "12")
    assert post.title == "서울바이오, 서비스 점검 안내 (2보)"
    assert post.posted_at == datetime(2026, 9, 22, 7, 2, tzinfo=UTC)
    assert (post.views, post.comment_count, post.attachments) == (1, 3, ())
    assert [(c.comment_id, c.author, c.text, c.secret) for c in post.comments] == [
        ("13", "관리자", "첨부파일이 안 열려요. 확인 부탁드립니다.", False),
        ("14", "관리자", "자료 감사합니다.", False),
        ("15", "관리자", "문의 드린 건 답변 기다리겠습니다.", False),
    ]
    assert [c.posted_at for c in post.comments] == [
        datetime(2026, 9, 22, 21, 2, tzinfo=UTC),
        datetime(2026, 9, 22, 22, 2, tzinfo=UTC),
        datetime(2026, 9, 22, 23, 2, tzinfo=UTC),
    ]


def test_v52_seed_post() -> None:
    post = _post("v5.2-seed/press_view_seed", "212")
    assert post.title == "'스마트제조 미래 대응 전략 포럼' 창원서 열려"
    assert post.author == "관리자"
    assert post.posted_at == datetime(2022, 3, 7, 0, 29, tzinfo=UTC)  # 22-03-07 09:29 KST
    assert (post.views, post.comment_count, post.comments) == (2306, 0, ())
    assert post.attachments == (
        # the image the skin shows in #bo_v_img (an attached file, not part of the body)
        Attachment(
            name="2022030709290001.jpg",
            url="https://www.example.or.kr/bbs/view_image.php?bo_table=press&fn=2022030709290001.jpg",
        ),
        Attachment(
            name="포럼_발표자료.pdf",
            size_text="1.2M",
            url="https://www.example.or.kr/bbs/download.php?bo_table=press&wr_id=212&no=1",
            download_count=37,
            uploaded_at="2022-03-07 09:29:41",  # the 5.2 skin's own "<span>DATE : …</span>"
        ),
    )
    assert post.images == ()  # the picture above the body is an attached file
    lines = post.body_text.split("\n")
    assert len(lines) == 5
    assert lines[0].startswith("[창원=뉴시스] 홍정명 기자= 22일 오후")
    assert lines[-1] == "◎공감언론 뉴시스 hjm@newsis.com"
    assert "thumb-2022030709290001" not in post.body_html
    assert "facebook" not in post.body_html and "이전글" not in post.body_text


@pytest.mark.parametrize(
    ("name", "wr_id"),
    [("v5.6/press_view_deleted_wr120", "120"), ("v5.4/press_view_deleted_wr45", "45")],
)
def test_deleted_post_is_not_found(name: str, wr_id: str) -> None:
    sample = load(name)
    assert sample.status == 200
    assert is_not_found(sample.html)
    assert (
        page_alert(sample.html) == "글이 존재하지 않습니다.\n\n글이 삭제되었거나 이동된 경우입니다."
    )
    version = name.split("/")[0]
    url = board_url(version, f"&wr_id={wr_id}")
    assert _view(name, wr_id) == PostNotFound(post_id=wr_id, url=url)


@pytest.mark.parametrize(
    ("name", "wr_id"),
    [("v5.6/press_view_secret_wr133", "133"), ("v5.4/press_view_secret_wr40", "40")],
)
def test_secret_redirect(name: str, wr_id: str) -> None:
    sample = load(name)
    assert sample.status == 302 and sample.location is not None
    assert sample.location.endswith(f"/bbs/password.php?w=s&bo_table=press&wr_id={wr_id}")
    assert is_secret_redirect(sample.status, sample.location)
    url = board_url(name.split("/")[0], f"&wr_id={wr_id}")
    assert _view(name, wr_id) == SecretPost(post_id=wr_id, url=url)


def test_secret_password_form_after_following_the_redirect() -> None:
    sample = load("v5.6/press_view_secret_wr133_followed")
    assert sample.status == 200  # the final response of the followed redirect
    assert is_password_form(sample.html) and not is_not_found(sample.html)
    url = "http://127.0.0.1:8056/bbs/password.php?w=s&bo_table=press&wr_id=133"
    expected = SecretPost(post_id="133", url=url, title="누리소프트, 신임 대표이사 선임")
    assert parse_view(sample.html, url) == expected
    # the spider may pass the URL it asked for instead of the redirected one
    view_url = board_url("v5.6", "&wr_id=133")
    got = parse_view(sample.html, view_url)
    assert isinstance(got, SecretPost) and got.post_id == "133" and got.url == view_url


def test_download_refusal_is_an_error_not_a_post() -> None:
    sample = load("v5.6/download_wr10_nocookie")
    assert sample.status == 200 and not is_not_found(sample.html)
    assert page_alert(sample.html) == "잘못된 접근입니다."
    url = "http://127.0.0.1:8056/bbs/download.php?bo_table=press&wr_id=10&no=0"
    with pytest.raises(ParseError, match="잘못된 접근입니다") as info:
        parse_view(sample.html, url)
    assert url in str(info.value)


def test_other_alerts_are_errors_not_not_found() -> None:
    html = load("v5.6/press_view_deleted_wr120").html.replace(
        "글이 존재하지 않습니다.\\n\\n글이 삭제되었거나 이동된 경우입니다.",
        "글을 읽을 권한이 없습니다.",
    )
    assert not is_not_found(html)
    with pytest.raises(ParseError, match="글을 읽을 권한이 없습니다"):
        parse_view(html, board_url("v5.6", "&wr_id=120"))


def test_body_mentioning_the_not_found_text_is_still_a_post() -> None:
    html = load("v5.6/press_view_normal_wr130").html.replace(
        "<p>문의: 홍보팀", '<p>alert("글이 존재하지 않습니다.")</p><p>문의: 홍보팀'
    )
    post = parse_view(html, board_url("v5.6", "&wr_id=130"))
    assert isinstance(post, Post)
    assert 'alert("글이 존재하지 않습니다.")' in post.body_text


def test_validation_alerts_inside_functions_do_not_make_an_alert_page() -> None:
    html = load("v5.6/press_view_attachment_wr54_with_comments").html
    assert 'alert("댓글을 입력하여 주십시오.")' in html
    assert page_alert(html) is None


@pytest.mark.parametrize(
    ("html", "status", "location", "match"),
    [
        ("", 302, "http://127.0.0.1:8056/bbs/login.php?url=%2Fbbs%2Fboard.php", "login.php"),
        ("", 302, None, "HTTP 302"),
        ("<html><body>Server error</body></html>", 500, None, "HTTP 500"),
        ("", 200, None, "no post title"),
        ("<html><body><p>maintenance</p></body></html>", 200, None, "no post title"),
    ],
)
def test_unexpected_responses_raise(
    html: str, status: int, location: str | None, match: str
) -> None:
    with pytest.raises(ParseError, match=match):
        parse_view(html, board_url("v5.6", "&wr_id=1"), status=status, location=location)


def test_list_page_is_not_a_view_page() -> None:
    with pytest.raises(ParseError, match="no post title") as info:
        parse_view(load("v5.6/press_list_p1").html, board_url("v5.6", "&wr_id=1"))
    assert not isinstance(info.value, BodyNotFound)  # no body to look for on a list page


def test_view_needs_a_wr_id() -> None:
    assert post_id_from_url("http://x/bbs/board.php?bo_table=a&wr_id=12&page=2") == "12"
    assert post_id_from_url("http://x/bbs/board.php?bo_table=a&wr_id=abc") is None
    with pytest.raises(ParseError, match="wr_id"):
        parse_view(load("v5.6/press_view_normal_wr130").html, "http://x/bbs/board.php?bo_table=a")


def test_customised_skin_with_another_body_id() -> None:
    html = load("v5.6/press_view_normal_wr130").html.replace('id="bo_v_con"', 'id="post_body"')
    url = board_url("v5.6", "&wr_id=130")
    with pytest.raises(BodyNotFound, match="no #bo_v_con") as info:
        parse_view(html, url)
    assert url in str(info.value)
    custom = Selectors.with_overrides({"view_body": "#post_body"})
    post = parse_view(html, url, selectors=custom)
    reference = _post("v5.6/press_view_normal_wr130", "130")
    assert isinstance(post, Post)
    assert (post.body_html, post.body_text) == (reference.body_html, reference.body_text)


def test_secret_comment_and_text_rules() -> None:
    html = load("v5.6/press_view_attachment_wr54_with_comments").html
    html = html.replace(
        '<input type="hidden" value="" id="secret_comment_56">',
        '<input type="hidden" value="secret" id="secret_comment_56">',
    ).replace(
        "<p>문의: 홍보팀 (02-123-6700)</p>",
        "<p>첫 줄<br>둘째&nbsp;&nbsp; 줄</p><ul><li>하나</li><li> 둘 </li></ul>"
        "<p>&nbsp;</p><script>var x = 1;</script><div>끝</div>",
    )
    post = parse_view(html, board_url("v5.6", "&wr_id=54"))
    assert isinstance(post, Post)
    assert [c.secret for c in post.comments] == [False, True, False]
    assert post.body_text.endswith("539억 원\n첫 줄\n둘째 줄\n하나\n둘\n끝")


def test_category_is_read_and_kept_out_of_the_title() -> None:
    html = load("v5.6/press_view_normal_wr130").html.replace(
        '<span class="bo_v_tit">', '<span class="bo_v_cate">보도</span> <span class="bo_v_tit">'
    )
    post = parse_view(html, board_url("v5.6", "&wr_id=130"))
    assert isinstance(post, Post)
    assert (post.category, post.title) == ("보도", "하늘항공, 개인정보 처리방침 개정 (종합)")
