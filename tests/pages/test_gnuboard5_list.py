import re
from datetime import date

import pytest

from archive.items import ListPage, ListRow
from archive.selectors import Selectors
from crawler.pages.errors import ParseError
from crawler.pages.gnuboard5 import page_from_url, parse_list

from ._sample import board_url, load

X_URL = "http://x/bbs/board.php?bo_table=press"


def _parse(name: str, query: str = "") -> ListPage:
    version = name.split("/")[0]
    sample = load(name)
    assert sample.status == 200
    assert sample.fetched_on == date(2026, 11, 24)  # 23:2x in Seoul on the 24th
    return parse_list(sample.html, board_url(version, query), today=sample.fetched_on)


def _ids(page: ListPage, flag: str | None = None) -> list[str]:
    return [r.post_id for r in page.rows if flag is None or getattr(r, flag)]


def test_v56_page1_rows() -> None:
    page = _parse("v5.6/press_list_p1")
    assert page.url == "http://127.0.0.1:8056/bbs/board.php?bo_table=press"
    assert (page.page, page.last_page, page.total) == (1, 8, 119)
    assert _ids(page) == [
        "85", "19", "137", "136", "135", "134", "133", "132", "131", "130", "129", "128",
        "127", "126", "125",
    ]  # fmt: skip
    assert _ids(page, "notice") == ["85", "19"]
    assert _ids(page, "secret") == ["133", "128"]
    assert _ids(page, "has_attachment") == ["137", "127"]
    assert {r.comment_count for r in page.rows} == {0}
    assert {r.author for r in page.rows} == {"관리자"}
    assert {r.category for r in page.rows} == {None}
    assert [r.views for r in page.rows if r.views != 1] == [2]  # wr_id 125, edited


def test_v56_page1_row_details() -> None:
    rows = {r.post_id: r for r in _parse("v5.6/press_list_p1").rows}
    assert rows["137"] == ListRow(
        post_id="137",
        url="http://127.0.0.1:8056/bbs/board.php?bo_table=press&wr_id=137",
        title="다온금융, 분기 실적 발표 (2보)",  # no "N 새글" badge, no download icon
        author="관리자",
        list_date="23:24",
        posted_on=date(2026, 11, 24),
        views=1,
        comment_count=0,
        notice=False,
        secret=False,
        has_attachment=True,
        category=None,
        number="117",
    )
    notice = rows["85"]
    assert (notice.title, notice.notice, notice.number) == (
        "푸른식품, 분기 실적 발표 [사진]",
        True,
        "공지",
    )
    assert (notice.list_date, notice.posted_on) == ("09-16", date(2026, 9, 16))
    secret = rows["133"]
    assert (secret.title, secret.secret, secret.list_date) == (
        "누리소프트, 신임 대표이사 선임",
        True,
        "11-21",
    )
    assert secret.posted_on == date(2026, 11, 21)
    edited = rows["125"]
    assert (edited.title, edited.views, edited.posted_on) == (
        "[수정] 누리소프트 보도자료 정정",
        2,
        date(2026, 11, 9),
    )
    assert rows["134"].title == "서울바이오, 사회공헌 활동 … 시장 반응 주목"
    assert rows["132"].title == "한결건설, 사회공헌 활동 “품질로 승부”"


def test_v56_page2_rows_and_comment_count() -> None:
    page = _parse("v5.6/press_list_p2", "&page=2")
    assert (page.page, page.last_page, page.total) == (2, 8, 119)
    assert _ids(page) == [
        "124", "123", "122", "121", "119", "118", "117", "113", "112", "111", "110", "109",
        "108", "107", "106",
    ]  # fmt: skip
    assert _ids(page, "notice") == [] and _ids(page, "secret") == []
    assert _ids(page, "has_attachment") == ["117"]
    rows = {r.post_id: r for r in page.rows}
    assert rows["113"].comment_count == 3
    assert rows["113"].title == "다온금융, 친환경 공장 준공 (종합)"
    assert rows["124"].url == "http://127.0.0.1:8056/bbs/board.php?bo_table=press&wr_id=124&page=2"
    assert rows["124"].number == "104"  # the display number, not the id
    assert rows["106"].posted_on == date(2026, 10, 15)


def test_v56_page_past_the_end_has_no_rows() -> None:
    page = _parse("v5.6/press_list_p9", "&page=9")
    assert page.rows == ()
    assert (page.page, page.last_page, page.total) == (9, 8, 119)  # no pg_end: highest link


def test_v54_page1_rows() -> None:
    page = _parse("v5.4/press_list_p1")
    assert (page.page, page.last_page, page.total) == (1, 3, 39)
    assert len(page.rows) == 15
    assert _ids(page)[:5] == ["46", "34", "50", "49", "48"]
    assert _ids(page, "notice") == ["46", "34"]
    assert _ids(page, "secret") == ["48", "41", "40"]
    assert _ids(page, "has_attachment") == ["50", "35"]
    rows = {r.post_id: r for r in page.rows}
    assert rows["36"].comment_count == 2
    assert rows["36"].title == "푸른식품, 개인정보 처리방침 개정 [사진]"
    assert [r.post_id for r in page.rows if r.list_date == "23:26"] == ["50", "49", "48"]
    assert rows["50"].posted_on == date(2026, 11, 24)
    assert rows["48"].title == "누리소프트, 해외 수출 계약"
    assert rows["30"].url == "http://127.0.0.1:8054/bbs/board.php?bo_table=press&wr_id=30"


def test_page_number_comes_from_the_url() -> None:
    assert page_from_url("http://x/bbs/board.php?bo_table=a") == 1
    assert page_from_url("http://x/bbs/board.php?bo_table=a&page=") == 1
    assert page_from_url("http://x/bbs/board.php?bo_table=a&page=12") == 12
    assert page_from_url("http://x/bbs/board.php?bo_table=a&page=-3") == 1


@pytest.mark.parametrize(
    ("name", "why"),
    [
        ("v5.6/press_view_normal_wr130", "a view page"),
        ("v5.6/press_view_deleted_wr120", "alert page: '글이 존재하지 않습니다"),
        ("v5.6/download_wr10_nocookie", "alert page"),
        ("v5.6/press_view_secret_wr133_followed", "no list form"),
    ],
)
def test_pages_that_are_not_lists_raise(name: str, why: str) -> None:
    url = board_url("v5.6", "")
    with pytest.raises(ParseError) as info:
        parse_list(load(name).html, url, today=date(2026, 11, 24))
    assert url in str(info.value) and why in str(info.value)


def test_alert_page_reason_is_in_the_error() -> None:
    with pytest.raises(ParseError, match="잘못된 접근입니다"):
        parse_list(load("v5.6/download_wr10_nocookie").html, X_URL, today=date(2026, 1, 1))


def test_rows_the_selectors_miss_are_read_by_their_links() -> None:
    """A skin whose rows the selectors miss must not look like a page past the end: the rows
    are the links to the board's posts, whatever their markup."""
    p1 = load("v5.6/press_list_p1").html
    expected = parse_list(p1, X_URL, today=date(2026, 1, 1))
    renamed = p1.replace("<tbody>", '<tbody class="x">').replace("<tr", "<tr data-x")
    renamed = renamed.replace('id="bo_list"', 'id="board"')
    got = parse_list(renamed, X_URL, today=date(2026, 1, 1))
    assert [r.post_id for r in got.rows] == [r.post_id for r in expected.rows]
    assert len(got.rows) > 10


def test_a_page_past_the_end_is_told_by_the_board_form_or_its_title() -> None:
    p9 = load("v5.6/press_list_p9").html
    empty_row = '<tr><td colspan="5" class="empty_table">게시물이 없습니다.</td></tr>'
    assert empty_row in p9
    page = parse_list(p9.replace(empty_row, ""), X_URL, today=date(2026, 1, 1))
    assert page.rows == ()
    without_form = p9.replace("fboardlist", "other").replace("board_list_update", "x")
    page9 = f"{X_URL}&page=9"
    assert parse_list(without_form, page9, today=date(2026, 1, 1)).rows == ()  # its <title>
    with pytest.raises(ParseError, match="no list form"):  # the title of another page
        parse_list(without_form, f"{X_URL}&page=8", today=date(2026, 1, 1))
    with pytest.raises(ParseError, match="no list form"):
        parse_list(without_form.replace("9 페이지", "검색 결과"), page9, today=date(2026, 1, 1))


def test_a_row_without_a_post_link_is_no_row() -> None:
    html = load("v5.6/press_list_p1").html
    before = parse_list(html, X_URL, today=date(2026, 1, 1))
    page = parse_list(html.replace("&amp;wr_id=131", "&amp;id=131"), X_URL, today=date(2026, 1, 1))
    assert [r.post_id for r in page.rows] == [r.post_id for r in before.rows if r.post_id != "131"]


def test_on_the_last_page_the_current_page_counts() -> None:
    html = load("v5.6/press_list_p1").html
    end = (
        '<a href="http://127.0.0.1:8056/bbs/board.php?bo_table=press&amp;page=8" '
        'class="pg_page pg_end">맨끝</a>'
    )
    assert end in html
    html = html.replace(end, "").replace(
        '<strong class="pg_current">1</strong>', '<strong class="pg_current">9</strong>'
    )
    page = parse_list(html, board_url("v5.6", "&page=9"), today=date(2026, 11, 24))
    assert page.last_page == 9


def test_no_pagination_means_no_last_page() -> None:
    html = load("v5.6/press_list_p1").html
    html = re.sub(r'<a href="[^"]*[?&](?:amp;)?page=\d+"[^>]*>.*?</a>', "", html)
    assert "page=" not in html
    assert parse_list(html, X_URL, today=date(2026, 11, 24)).last_page is None


LEGACY_LIST = """<html><body>
<div id="bo_list"><div id="bo_list_total"><span>Total 1,234건</span> 3 페이지</div>
<form id="fboardlist"><table><tbody>
<tr class="bo_notice"><td class="td_num"><strong>공지</strong></td>
 <td class="td_subject"><a href="./board.php?bo_table=free&amp;wr_id=7">운영 공지</a></td>
 <td class="td_name sv_use"><span class="sv_guest">운영자</span></td>
 <td class="td_date">26-01-05</td><td class="td_num">1,024</td></tr>
<tr><td class="td_num">55</td>
 <td class="td_subject"><a href="./board.php?bo_table=free&amp;sca=%EA%B3%B5%EC%A7%80"
   class="bo_cate_link">공지</a>
  <a href="./board.php?bo_table=free&amp;wr_id=61&amp;page=3">질문 있습니다 <span
   class="sound_only">댓글</span>12<span class="sound_only">개</span></a>
  <img src="../skin/board/basic/img/icon_new.gif" alt="새글">
  <img src="../skin/board/basic/img/icon_file.gif" alt="첨부파일">
  <img src="../skin/board/basic/img/icon_secret.gif" alt="비밀글"></td>
 <td class="td_name sv_use"><span class="sv_wrap"><a href="#" class="sv_member">홍길동</a>
  <span class="sv"><a href="#">메일보내기</a><a href="#">자기소개</a></span></span></td>
 <td class="td_date">12-30</td><td class="td_num">7</td></tr>
</tbody></table></form></div>
<nav class="pg_wrap"><span class="pg"><a href="./board.php?bo_table=free&amp;page=1"
 class="pg_page pg_start">처음</a><strong class="pg_current">3</strong>
<a href="./board.php?bo_table=free&amp;page=4" class="pg_page">4</a></span></nav>
</body></html>"""


def test_older_skin_markup_with_default_selectors() -> None:
    """The 5.0-5.2 basic skin: image icons, bare comment count in the link, td_date, hits last."""
    url = "https://old.example.kr/bbs/board.php?bo_table=free&page=3"
    page = parse_list(LEGACY_LIST, url, today=date(2027, 1, 2))
    assert (page.page, page.last_page, page.total) == (3, 4, 1234)
    notice, row = page.rows
    assert (notice.post_id, notice.notice, notice.views, notice.number) == ("7", True, 1024, "공지")
    assert (notice.author, notice.posted_on) == ("운영자", date(2026, 1, 5))
    assert row == ListRow(
        post_id="61",
        url="https://old.example.kr/bbs/board.php?bo_table=free&wr_id=61&page=3",
        title="질문 있습니다",
        author="홍길동",
        list_date="12-30",
        posted_on=date(2026, 12, 30),
        views=7,
        comment_count=12,
        notice=False,
        secret=True,
        has_attachment=True,
        category="공지",
        number="55",
    )


def test_list_selector_overrides() -> None:
    html = load("v5.6/press_list_p1").html.replace('class="td_datetime"', 'class="when"')
    default = parse_list(html, X_URL, today=date(2026, 11, 24))  # dates read by their shape
    assert default.rows[2].list_date == "23:24"
    # an override is read first: here the number column, which holds no date
    custom = parse_list(
        html,
        X_URL,
        today=date(2026, 11, 24),
        selectors=Selectors.with_overrides({"row_date": "td.when"}),
    )
    assert custom.rows[2].list_date == "23:24"
    assert custom.rows[2].posted_on == date(2026, 11, 24)


def test_category_link_is_not_the_row_link() -> None:
    link = '<a href="http://127.0.0.1:8056/bbs/board.php?bo_table=press&amp;wr_id=130">'
    html = load("v5.6/press_list_p1").html
    assert html.count(link) == 1
    html = html.replace(
        link,
        '<a href="http://127.0.0.1:8056/bbs/board.php?bo_table=press&amp;sca=%EB%B3%B4%EB%8F%84" '
        'class="bo_cate_link">보도</a>' + link,
    )
    rows = {r.post_id: r for r in parse_list(html, X_URL, today=date(2026, 11, 24)).rows}
    assert (rows["130"].category, rows["130"].title) == (
        "보도",
        "하늘항공, 개인정보 처리방침 개정 (종합)",
    )
    assert rows["131"].category is None
