"""GnuBoard 5 list pages read by the engine's invariants (``crawler.pages.g5``), on the basic
skin (5.6, 5.4), two real third-party skins and hand-made mutations of the basic page.

Expected values are read off the sample HTML; on the basic pages the readings must also give
exactly what the basic-skin parser gives."""

from __future__ import annotations

import re
from datetime import date

import pytest

from archive.selectors import Selectors
from crawler.pages import gnuboard5
from crawler.pages.errors import ParseError
from crawler.pages.g5 import items
from crawler.pages.g5.listing import ListReading, read_list
from crawler.pages.g5.readings import Precision, Source

from ._sample import board_url, load

SKIN_HOST = "http://127.0.0.1:8056"


def _skin_list(skin: str, table: str, page: int) -> tuple[ListReading, date]:
    sample = load(f"skins/{skin}/list-p{page}")
    assert sample.status == 200 and sample.fetched_on == date(2026, 12, 4)
    query = "" if page == 1 else f"&page={page}"
    url = f"{SKIN_HOST}/bbs/board.php?bo_table={table}{query}"
    return read_list(sample.html, url), sample.fetched_on


def _ids(reading: ListReading, flag: str | None = None) -> list[str]:
    return [r.post_id for r in reading.rows if flag is None or getattr(r, flag).value]


def _dates(reading: ListReading) -> dict[str, tuple[str, Precision]]:
    return {
        r.post_id: (r.date.value.text, r.date.value.precision)
        for r in reading.rows
        if r.date.value is not None
    }


# ---- the basic skin: the same as the basic-skin parser, field by field --------------------------


@pytest.mark.parametrize(
    ("name", "query"),
    [
        ("v5.6/press_list_p1", ""),
        ("v5.6/press_list_p2", "&page=2"),
        ("v5.6/press_list_p9", "&page=9"),
        ("v5.4/press_list_p1", ""),
    ],
)
@pytest.mark.parametrize("skin", [None, Selectors()], ids=["invariants", "basic-selectors"])
def test_basic_lists_read_as_the_basic_parser_reads_them(
    name: str, query: str, skin: Selectors | None
) -> None:
    sample = load(name)
    url = board_url(name.split("/")[0], query)
    assert sample.fetched_on is not None
    expected = gnuboard5.parse_list(sample.html, url, today=sample.fetched_on)
    got = items.list_page(read_list(sample.html, url, skin=skin), sample.fetched_on)
    assert got == expected


def test_basic_v56_page1_by_invariants() -> None:
    reading = read_list(load("v5.6/press_list_p1").html, board_url("v5.6", ""))
    assert (reading.bo_table, reading.page, reading.board_form) == ("press", 1, True)
    assert _ids(reading) == [
        "85", "19", "137", "136", "135", "134", "133", "132", "131", "130", "129", "128",
        "127", "126", "125",
    ]  # fmt: skip
    assert _ids(reading, "notice") == ["85", "19"]
    assert _ids(reading, "secret") == ["133", "128"]
    assert _ids(reading, "has_attachment") == ["137", "127"]
    assert (reading.last_page.value, reading.last_page.source, reading.last_page.where) == (
        8,
        Source.ENGINE,
        "a.pg_end",
    )
    assert (reading.total.value, reading.total.where) == (119, "div#bo_list_total > span")
    rows = {r.post_id: r for r in reading.rows}
    assert rows["137"].title.value == "다온금융, 분기 실적 발표 (2보)"  # no "N 새글" badge
    assert rows["137"].title.source is Source.ENGINE
    assert _dates(reading)["137"] == ("23:24", Precision.TIME)
    assert _dates(reading)["85"] == ("09-16", Precision.MONTH_DAY)
    assert rows["85"].number.value == "공지" and rows["137"].number.value == "117"
    assert (rows["125"].views.value, rows["125"].author.value) == (2, "관리자")
    assert rows["125"].author.where == ".sv_member"
    # no row shows a .cnt_cmt on this page: the count is not found, not guessed
    assert {r.comment_count.source for r in reading.rows} == {Source.NOT_FOUND}


def test_basic_v54_page1_by_invariants() -> None:
    reading = read_list(load("v5.4/press_list_p1").html, board_url("v5.4", ""))
    assert _ids(reading) == [
        "46",
        "34",
        "50",
        "49",
        "48",
        "47",
        "41",
        "40",
        "39",
        "36",
        "35",
        "33",
        "32",
        "31",
        "30",
    ]  # fmt: skip  (the sidebar's notice board links 14-11 are another board's)
    assert _ids(reading, "notice") == ["46", "34"]
    assert _ids(reading, "secret") == ["48", "41", "40"]
    assert _ids(reading, "has_attachment") == ["50", "35"]
    assert _dates(reading)["46"] == ("11-20", Precision.MONTH_DAY)
    assert _dates(reading)["50"] == ("23:26", Precision.TIME)
    assert _dates(reading)["30"] == ("10-24", Precision.MONTH_DAY)
    assert (reading.last_page.value, reading.total.value) == (3, 39)


def test_a_page_past_the_end_has_no_rows_and_the_highest_page_link() -> None:
    reading = read_list(load("v5.6/press_list_p9").html, board_url("v5.6", "&page=9"))
    assert (reading.rows, reading.page, reading.board_form) == ((), 9, True)
    assert reading.last_page.value == 8  # sort and "모바일버전" links keep page=9: not paging
    assert reading.last_page.note is not None  # no "맨끝" link: a lower bound


# ---- third-party skins ---------------------------------------------------------------------


def test_pt_webzine_page1() -> None:
    reading, today = _skin_list("pt_webzine", "skin2", 1)
    assert _ids(reading) == [str(n) for n in [4, 35, *range(34, 21, -1)]]
    assert _ids(reading, "notice") == ["4"]  # in ul.bsk_wz_notices, with a 공지 badge
    rows = {r.post_id: r for r in reading.rows}
    assert rows["4"].where == "form#fboardlist > ul.bsk_wz_notices > li.bsk_wz_notice_item"
    assert rows["35"].where == "form#fboardlist > div.bsk_wz_featured"  # the featured block
    assert rows["4"].title.value == "웹진 4호 - 친환경 모빌리티"
    assert rows["35"].title.value == "웹진 35호 - 지역 상생 협약"
    assert rows["26"].title.value == "웹진 26호 - 탄소중립 로드맵"  # "[2]" is the count
    assert rows["26"].comment_count.value == 2
    assert {r.comment_count.value for r in reading.rows if r.post_id != "26"} == {0}
    assert _dates(reading)["4"] == ("02-21", Precision.MONTH_DAY)
    assert _dates(reading)["35"] == ("22:25", Precision.TIME)
    assert _dates(reading)["34"] == ("21:55", Precision.TIME)
    assert _dates(reading)["33"] == ("12-03", Precision.MONTH_DAY)
    assert [rows[i].date.value.resolved_date(today) for i in ("35", "33", "4")] == [  # type: ignore[union-attr]
        date(2026, 12, 4),
        date(2026, 12, 3),
        date(2026, 2, 21),
    ]
    assert {rows[i].author.value for i in rows if i != "4"} == {"최고관리자"}
    assert rows["4"].author.value is None  # the notice list shows no author
    assert rows["35"].views.value == 0 and rows["34"].views.value is None
    assert (reading.last_page.value, reading.total.value) == (3, 34)
    assert (
        reading.total.where == "form#fboardlist > div.bsk_toolbar:nth-of-type(1) > span.bsk_total"
    )


def test_pt_webzine_page2() -> None:
    reading, _ = _skin_list("pt_webzine", "skin2", 2)
    assert _ids(reading) == [str(n) for n in [21, *range(19, 5, -1)]]
    assert _ids(reading, "notice") == []
    assert _ids(reading, "secret") == ["12"]  # its card's fa-lock badge
    counts = {r.post_id: r.comment_count.value for r in reading.rows if r.comment_count.value}
    assert counts == {"18": 1, "7": 2}
    assert (reading.page, reading.last_page.value, reading.linked_pages) == (2, 3, (1, 3))


def test_coto_news_page1() -> None:
    reading, _ = _skin_list("coto_news", "skin4", 1)
    assert _ids(reading) == [str(n) for n in [6, *range(35, 22, -1), 21]]
    assert _ids(reading, "notice") == ["6"]  # the 공지 mark in its thumbnail link
    rows = {r.post_id: r for r in reading.rows}
    assert rows["6"].where == "ul#gall_ul > li.gall_li:nth-of-type(1)"
    assert rows["6"].title.value == "뉴스 6: 탄소중립 로드맵 관련 보도"
    assert rows["35"].title.value == "뉴스 35: 지역 상생 협약 관련 보도"  # not "no image"
    assert _dates(reading)["6"] == ("2025-04-08", Precision.DAY)
    assert _dates(reading)["35"] == ("2026-12-04", Precision.DAY)
    assert (rows["6"].number.value, rows["35"].number.value, rows["21"].number.value) == (
        "0",
        "33",
        "20",
    )
    assert {r.author.source for r in reading.rows} == {Source.NOT_FOUND}  # commented out
    assert {r.views.value for r in reading.rows} == {None}
    assert reading.total.value is None  # its "Total 34건" is in an HTML comment
    assert reading.last_page.value == 3


def test_coto_news_page2() -> None:
    reading, _ = _skin_list("coto_news", "skin4", 2)
    assert _ids(reading) == [str(n) for n in [*range(20, 6, -1), 5]]
    rows = {r.post_id: r for r in reading.rows}
    assert rows["20"].title.value == "뉴스 20: 스마트시티 실증사업 관련 보도"
    assert (rows["20"].comment_count.value, rows["9"].comment_count.value) == (1, 2)
    # the skin marks no secret post (14 is one): no marker read, none made up
    assert rows["14"].secret.value is False and rows["14"].secret.source is Source.NOT_FOUND
    assert _dates(reading)["14"] == ("2025-10-10", Precision.DAY)


# ---- mutations: the same board, other markup -----------------------------------------------------


def _as_cards(html: str, *, notice_class: bool = True) -> str:
    """The basic v5.6 list with its table turned into ``<div>`` cards (no th, td or tr)."""
    html = re.sub(r"<caption>.*?</caption>|<thead>.*?</thead>|</?tbody>", "", html, flags=re.S)
    html = html.replace("<table>", '<div class="cards">').replace("</table>", "</div>")
    html = re.sub(r'<tr class="([^"]*)">', r'<div class="card \1">', html)
    html = re.sub(r"<td ([^>]*)>", r"<span \1>", html).replace("</td>", "</span>")
    html = html.replace("</tr>", "</div>")
    if not notice_class:
        html = html.replace("bo_notice", "pinned")
    assert "<td" not in html and "<tr" not in html
    return html


@pytest.mark.parametrize("notice_class", [True, False])
def test_basic_rows_turned_into_cards_read_the_same(notice_class: bool) -> None:
    html = load("v5.6/press_list_p1").html
    url = board_url("v5.6", "")
    original = read_list(html, url)
    cards = read_list(_as_cards(html, notice_class=notice_class), url)
    assert _ids(cards) == _ids(original)
    assert [r.title.value for r in cards.rows] == [r.title.value for r in original.rows]
    assert _ids(cards, "notice") == ["85", "19"]  # by class, or by the 공지 badge alone
    assert _ids(cards, "secret") == ["133", "128"]
    assert _ids(cards, "has_attachment") == ["137", "127"]
    assert _dates(cards) == _dates(original)
    assert [r.author.value for r in cards.rows] == [r.author.value for r in original.rows]
    assert [r.number.value for r in cards.rows][2:] == [str(n) for n in range(117, 104, -1)]
    assert (cards.last_page.value, cards.total.value) == (8, 119)


LINKS_PAGE = """<html><head><title>보도 1 페이지 | 사이트</title></head><body>
<aside><a href="/bbs/board.php?bo_table=press&wr_id=90">사이드 최신글</a> <span>12-01</span></aside>
<form name="fboardlist" action="./board_list_update.php">
<input type="hidden" name="bo_table" value="press">
<a href="/bbs/board.php?bo_table=press&sca=%EB%B3%B4%EB%8F%84">보도</a>
<a href="/bbs/write.php?bo_table=press">글쓰기</a>
<a href="/bbs/board.php?bo_table=press&sfl=wr_subject&stx=x">검색</a>
<div class="hero"><a href="/bbs/board.php?bo_table=press&wr_id=12">특집 제목</a>
  <span>10:05</span></div>
<ul class="list">
 <li><a href="/bbs/board.php?bo_table=press&wr_id=12">특집 제목</a> <span>10:05</span>
   <a href="/bbs/board.php?bo_table=press&wr_id=12#c_40">댓글 보기</a></li>
 <li><a href="/press/11">짧은 주소 글 <b class="count">(4)</b></a> <em>조회 7</em>
   <span>11-30</span></li>
 <li><a href="/bbs/board.php?bo_table=press&wr_id=10&page=1">셋째 글</a>
   <a href="/bbs/board.php?bo_table=press&wr_id=10&c_id=3&w=c">답글</a>
   <a href="/bbs/board.php?bo_table=other&wr_id=99">다른 게시판</a> <span>2026-11-29</span></li>
</ul>
<nav><a href="/bbs/board.php?bo_table=press&page=2">2</a><a href="/press?page=5">5</a></nav>
<p>총 41건</p></form></body></html>"""


def test_only_row_links_make_rows() -> None:
    reading = read_list(LINKS_PAGE, "https://x.or.kr/bbs/board.php?bo_table=press")
    assert _ids(reading) == ["12", "11", "10"]  # not 90 (outside the list form), not 99
    rows = {r.post_id: r for r in reading.rows}
    assert rows["12"].where == "body > form > ul.list > li:nth-of-type(1)"  # not the hero
    assert rows["11"].url == "https://x.or.kr/press/11"
    assert (rows["11"].title.value, rows["11"].comment_count.value) == ("짧은 주소 글", 4)
    assert rows["11"].views.value == 7
    assert _dates(reading) == {
        "12": ("10:05", Precision.TIME),
        "11": ("11-30", Precision.MONTH_DAY),
        "10": ("2026-11-29", Precision.DAY),
    }
    assert (reading.linked_pages, reading.last_page.value, reading.total.value) == ((2, 5), 5, 41)


def test_a_page_that_names_no_board_is_an_error() -> None:
    with pytest.raises(ParseError, match="bo_table"):
        read_list(LINKS_PAGE, "https://x.or.kr/bbs/new.php")


def test_a_view_page_is_no_list_page() -> None:
    html = load("v5.6/press_view_normal_wr130").html
    assert read_list(html, board_url("v5.6", "")).board_form is False


CARDS_PAGE = """<html><head><title>보도 1 페이지 | 사이트</title></head><body>
<form id="fboardlist" action="/bbs/board_list_update.php"><div class="grid">
 <a class="card" href="/bbs/board.php?bo_table=press&wr_id=7"><span class="badge">보도</span>
  <h3>첫 카드 제목</h3><p>요약 문장이 여기에 길게 이어집니다. 제목보다 훨씬 긴 요약입니다.</p>
  <span class="meta"><span class="sv_member">홍길동</span> · 2026.10.22</span></a>
 <a class="card" href="/bbs/board.php?bo_table=press&wr_id=6"><img src="t.jpg" alt="사진">
  <div>둘째 카드</div><div>10-21</div></a>
</div></form></body></html>"""


def test_cards_wrapped_whole_in_their_link() -> None:
    reading = read_list(CARDS_PAGE, "https://x.or.kr/bbs/board.php?bo_table=press")
    assert _ids(reading) == ["7", "6"]
    first, second = reading.rows
    assert first.where == "form#fboardlist > div.grid > a.card:nth-of-type(1)"
    assert (first.title.value, first.title.where) == ("첫 카드 제목", "a[href*=wr_id] h3")
    assert second.title.value == "둘째 카드"  # its first line that is no date
    assert first.author.value == "홍길동"
    assert _dates(reading) == {
        "7": ("2026.10.22", Precision.DAY),
        "6": ("10-21", Precision.MONTH_DAY),
    }
    assert _ids(reading, "notice") == []
