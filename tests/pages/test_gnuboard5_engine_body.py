"""The body found by comparing view pages of one board, and comments and files in markup the
readers have never seen (``crawler.pages.g5``): mutations of the sample pages."""

from __future__ import annotations

import re

import pytest

from crawler.pages.errors import ParseError
from crawler.pages.g5 import items
from crawler.pages.g5.body import find_body
from crawler.pages.g5.readings import Source
from crawler.pages.g5.view import read_view

from ._sample import board_url, load

SKIN_HOST = "http://127.0.0.1:8056"
BASIC = [
    ("v5.6/press_view_normal_wr130", board_url("v5.6", "&wr_id=130")),
    ("v5.6/press_view_normal_wr125_edited", board_url("v5.6", "&wr_id=125")),
    ("v5.6/press_view_attachment_wr54_with_comments", board_url("v5.6", "&wr_id=54")),
]
PT = [
    ("skins/pt_webzine/view-26-comments", f"{SKIN_HOST}/bbs/board.php?bo_table=skin2&wr_id=26"),
    ("skins/pt_webzine/view-7-attach", f"{SKIN_HOST}/bbs/board.php?bo_table=skin2&wr_id=7"),
]
COTO = [
    ("skins/coto_news/view-28-comments", f"{SKIN_HOST}/bbs/board.php?bo_table=skin4&wr_id=28"),
    ("skins/coto_news/view-9-attach", f"{SKIN_HOST}/bbs/board.php?bo_table=skin4&wr_id=9"),
]


def _pages(names: list[tuple[str, str]], old: str = "", new: str = "") -> list[tuple[str, str]]:
    return [
        (load(name).html.replace(old, new) if old else load(name).html, url) for name, url in names
    ]


@pytest.mark.parametrize("pages", [BASIC, PT, COTO], ids=["basic", "pt_webzine", "coto_news"])
def test_the_kept_body_container_is_what_differs(pages: list[tuple[str, str]]) -> None:
    found = find_body(_pages(pages))
    assert found.selector == "div#bo_v_con"
    assert all(share > 0.9 for share in found.coverage)


@pytest.mark.parametrize(
    ("pages", "renamed", "selector"),
    [
        (BASIC, 'id="post_body"', "div#post_body"),
        (BASIC, "", "section#bo_v_atc > div:not([id]):not([class])"),
        (
            PT,
            "",
            "article#bsk_view_wrap > section.bsk_view_body:not([id])"
            " > div.bsk_view_content:not([id])",
        ),
        (COTO, 'class="content"', "section#bo_v_atc > div.content:not([id])"),
    ],
)
def test_a_renamed_body_container_is_found_by_comparing_pages(
    pages: list[tuple[str, str]], renamed: str, selector: str
) -> None:
    originals = _pages(pages)
    mutated = _pages(pages, 'id="bo_v_con"', renamed)
    html, url = mutated[0]
    unread = read_view(html, url)
    assert unread.body.source is Source.NOT_FOUND  # no #bo_v_con and nothing compared yet
    with pytest.raises(ParseError, match="body"):
        items.post(unread)  # never the template as the body
    found = find_body(mutated)
    assert found.selector == selector
    for (html, url), (original, _) in zip(mutated, originals, strict=True):
        reading = read_view(html, url, body_path=found.selector)
        assert reading.body.source is Source.COMPARED
        expected = read_view(original, url).body.value
        assert reading.body.value == expected


def test_one_page_or_identical_pages_cannot_tell() -> None:
    (page,) = _pages(BASIC[:1])
    assert find_body([page]).selector is None
    assert "two or more" in find_body([page]).reason
    same = find_body([page, page])
    assert same.selector is None and same.reason.startswith("cannot tell")


def test_a_post_spread_over_blocks_between_the_template_cannot_tell() -> None:
    def page(wr_id: int, first: str, second: str) -> tuple[str, str]:
        html = (
            "<html><head><title>글 > 보도 | 사이트</title></head><body><article>"
            f"<h1>글</h1><div class='part'><p>{first}</p></div>"
            "<div class='share'><a href='#'>페이스북으로 공유하기</a>"
            " <a href='#'>트위터로 공유하기</a>"
            " <span>이 글을 추천하거나 스크랩하고 목록으로 돌아가기</span></div>"
            f"<div class='part'><p>{second}</p></div></article></body></html>"
        )
        return html, f"https://x.or.kr/bbs/board.php?bo_table=press&wr_id={wr_id}"

    found = find_body([page(1, "첫 글의 앞", "첫 글의 뒤"), page(2, "둘째 앞", "둘째 뒤")])
    assert found.selector is None and found.reason.startswith("cannot tell")


def test_comments_in_other_markup_are_found_by_their_anchors() -> None:
    name, url = BASIC[2]
    html = load(name).html
    html = re.sub(r'<article id="c_(\d+)" >', r'<li class="reply">', html)
    html = html.replace("</article>", "</li>").replace('<section id="bo_vc">', "<ul>")
    html = html.replace(
        '<input type="hidden" value="" id="secret_comment_56">',
        '<input type="hidden" value="secret" id="secret_comment_56">',
    )
    reading = read_view(html, url)
    assert [c.comment_id for c in reading.comments] == ["55", "56", "57"]
    assert reading.comments[0].where == "article#bo_v > ul:nth-of-type(2) > li.reply:nth-of-type(1)"
    assert [c.author.value for c in reading.comments] == ["관리자"] * 3
    assert [c.time.value.text for c in reading.comments if c.time.value] == [
        "2026-08-13T02:06:00+09:00",
        "2026-08-13T03:06:00+09:00",
        "2026-08-13T04:06:00+09:00",
    ]
    assert [c.text.value for c in reading.comments] == [
        "문의 드린 건 답변 기다리겠습니다.",
        "첨부파일이 안 열려요. 확인 부탁드립니다.",
        "문의 드린 건 답변 기다리겠습니다.",
    ]
    assert [c.secret.value for c in reading.comments] == [False, True, False]


def test_a_comment_known_only_by_its_links() -> None:
    html = (
        "<html><head><title>글 > 보도 | 사이트</title></head><body><h1>글</h1>"
        "<div id='bo_v_con'><p>본문</p></div><div class='cmts'>"
        "<div class='cmt'><b class='guest'>손님</b> <i>2026.10.22</i><p>좋은 글</p>"
        "<a href='/bbs/board.php?bo_table=press&wr_id=5&c_id=8&w=cu'>수정</a>"
        "<a href='/bbs/delete_comment.php?bo_table=press&comment_id=8&token=t'>삭제</a></div>"
        "<div class='cmt'><b class='member'>회원</b> <i>10-23 08:00</i>"
        "<a href='/bbs/password.php?w=sc&bo_table=press&wr_id=9'>댓글내용 확인</a></div>"
        "</div></body></html>"
    )
    reading = read_view(html, "https://x.or.kr/bbs/board.php?bo_table=press&wr_id=5")
    assert [(c.comment_id, c.author.value) for c in reading.comments] == [
        ("8", "손님"),
        ("9", "회원"),
    ]
    first, second = reading.comments
    assert first.text.value == "좋은 글" and first.text.source is Source.SHAPE
    assert first.time.value is not None and first.time.value.text == "2026.10.22"
    assert second.secret.value is True  # the engine's "댓글내용 확인" link of a secret comment
    assert second.time.value is not None and second.time.value.year is None  # never guessed


def test_attachments_in_other_markup_are_found_by_their_links() -> None:
    name, url = BASIC[2]
    html = load(name).html
    html = html.replace('<section id="bo_v_file">', '<div class="downloads">')
    html = html.replace("<h2>첨부파일</h2>", "").replace("</ul>\n    </section>", "</ul></div>")
    html = html.replace('class="view_file_download"', 'class="dl"')
    reading = read_view(html, url)
    (file,) = reading.files
    assert (file.no, file.name, file.size_text, file.download_count, file.uploaded_text) == (
        0,
        "press_보도자료_050.pdf",
        "220byte",
        0,
        "2026-11-24 23:24:23",
    )
