"""The engine's URLs and the shown times with their precision (``crawler.pages.g5``)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from parsel import Selector

from crawler.pages import html as markup
from crawler.pages.dates import SEOUL
from crawler.pages.g5 import links
from crawler.pages.g5.readings import Precision, ShownTime, css_path
from crawler.pages.g5.times import find_shown_time, iso_time, shown_time

B = "https://x.or.kr/bbs/board.php"


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (f"{B}?bo_table=press&wr_id=12", "12"),
        (f"{B}?bo_table=press&wr_id=12&page=3&sca=%EB%B3%B4", "12"),  # a row of page 3
        (f"{B}?wr_id=12&bo_table=press", "12"),
        ("https://x.or.kr/press/12", "12"),  # short URLs
        ("https://x.or.kr/g5/press/12/?page=2", "12"),
        (f"{B}?bo_table=other&wr_id=12", None),
        (f"{B}?bo_table=press&wr_id=12#c_40", None),  # a comment
        (f"{B}?bo_table=press&wr_id=12&c_id=40&w=c", None),  # a comment's reply link
        (f"{B}?bo_table=press&wr_id=abc", None),
        (f"{B}?bo_table=press", None),
        ("https://x.or.kr/bbs/write.php?w=r&bo_table=press&wr_id=12", None),
        ("https://x.or.kr/other/12", None),
    ],
)
def test_row_links(url: str, expected: str | None) -> None:
    assert links.post_id(url, "press") == expected


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (f"{B}?bo_table=press&page=3", 3),
        (f"{B}?bo_table=press&sca=&page=3", 3),
        ("https://x.or.kr/press?page=4", 4),
        (f"{B}?bo_table=press&page=3&sst=wr_hit&sod=desc", None),  # a sort link
        (f"{B}?bo_table=press&page=3&device=mobile", None),
        (f"{B}?bo_table=press&stx=x&page=2", None),  # a search's pages
        (f"{B}?bo_table=press&wr_id=5&page=3", None),
        (f"{B}?bo_table=other&page=3", None),
        (f"{B}?bo_table=press", None),
    ],
)
def test_list_page_links(url: str, expected: int | None) -> None:
    assert links.list_page(url, "press") == expected


def test_boards_files_images_and_comments() -> None:
    assert links.board_table(f"{B}?bo_table=press&page=2") == "press"
    assert links.board_table("https://x.or.kr/press") == "press"
    assert links.board_table("https://x.or.kr/press/12") == "press"
    assert links.board_table("https://x.or.kr/bbs/new.php") is None
    got = links.file_link("https://x.or.kr/bbs/download.php?bo_table=press&wr_id=5&no=1&nonce=a|b")
    assert got == links.FileLink("press", "5", 1)
    assert links.file_link("https://x.or.kr/bbs/download.php?bo_table=press&wr_id=5") is None
    image = "https://x.or.kr/bbs/view_image.php?bo_table=press&fn=20220307.jpg"
    assert links.image_name(image) == "20220307.jpg"
    assert links.comment_id(f"{B}?bo_table=press&wr_id=5&c_id=8&w=cu") == "8"
    assert links.comment_id("https://x.or.kr/bbs/delete_comment.php?comment_id=9&token=t") == "9"
    assert links.comment_id("https://x.or.kr/bbs/password.php?w=sc&bo_table=p&wr_id=10") == "10"
    assert links.comment_id(f"{B}?bo_table=press&wr_id=5#c_11") == "11"
    assert links.comment_id(f"{B}?bo_table=press&wr_id=5") is None


@pytest.mark.parametrize(
    ("text", "precision", "parts"),
    [
        ("26-10-22 09:29", Precision.MINUTE, (2026, 10, 22, 9, 29, None)),  # basic view: y-m-d H:i
        ("2026-10-22 09:29:41", Precision.SECOND, (2026, 10, 22, 9, 29, 41)),
        ("작성일 : 2026-10-22 09:29", Precision.MINUTE, (2026, 10, 22, 9, 29, None)),
        ("2026-10-22(목) 09:29", Precision.MINUTE, (2026, 10, 22, 9, 29, None)),
        ("2026-10-22", Precision.DAY, (2026, 10, 22, None, None, None)),
        ("26.10.22", Precision.DAY, (2026, 10, 22, None, None, None)),
        ("2026년 10월 22일", Precision.DAY, (2026, 10, 22, None, None, None)),
        ("10-22", Precision.MONTH_DAY, (None, 10, 22, None, None, None)),  # a list's m-d
        ("10-22 09:29", Precision.MONTH_DAY_MINUTE, (None, 10, 22, 9, 29, None)),
        ("09:29", Precision.TIME, (None, None, None, 9, 29, None)),  # a list's "today"
    ],
)
def test_shown_times_keep_their_precision(
    text: str, precision: Precision, parts: tuple[int | None, ...]
) -> None:
    shown = shown_time(text)
    assert shown is not None and shown.precision is precision
    assert (shown.year, shown.month, shown.day, shown.hour, shown.minute, shown.second) == parts


@pytest.mark.parametrize(
    ("text", "span"),
    [
        ("1시간 19분전", (4740, 4800)),  # Eyoom's date_time
        ("13분 전", (780, 840)),  # Nariya's na_date "before"
        ("30초전", (30, 31)),
        ("2일 전", (172800, 259200)),
        ("작성일 : 5분 전", (300, 360)),
        ("3 hours ago", (10800, 14400)),
        ("방금", (0, 60)),
    ],
)
def test_relative_times_keep_their_span(text: str, span: tuple[int, int]) -> None:
    shown = shown_time(text)
    assert shown is not None and shown.precision is Precision.RELATIVE
    assert (shown.ago_from, shown.ago_to) == span
    assert shown.date_shown() is None and shown.moment(SEOUL) is None  # no moment by itself


@pytest.mark.parametrize(
    "text",
    ["02-30", "2026-02-29", "25:00", "1.5", "02-123-6700", "Total 119", "", "조회 3", "1분 1분 전"],
)
def test_what_is_no_date(text: str) -> None:
    assert shown_time(text) is None


def test_dates_inside_a_line() -> None:
    found = find_shown_time("작성자 관리자 작성일 22-03-07 09:29 조회 2,306회")
    assert found is not None and (found.text, found.precision) == (
        "22-03-07 09:29",
        Precision.MINUTE,
    )
    assert find_shown_time("문의: 02-123-6700 (홍보팀)") is None
    assert find_shown_time("v1.2.3, 10-22") is None  # a month-day alone is too weak in a line


def test_no_year_is_guessed_silently() -> None:
    today = date(2027, 1, 2)
    month_day = shown_time("12-30")
    assert month_day is not None
    assert (month_day.date_shown(), month_day.moment(SEOUL)) == (None, None)
    assert month_day.resolved_date(today) == date(2026, 12, 30)  # asked for, on purpose
    time_only = shown_time("09:29")
    assert time_only is not None and time_only.moment(SEOUL) is None
    assert time_only.resolved_date(today) == today
    day = shown_time("2026-10-22")
    assert day is not None and day.moment(SEOUL) is None and day.date_shown() == date(2026, 10, 22)
    minute = shown_time("26-10-22 09:29")
    assert minute is not None
    assert minute.moment(SEOUL) == datetime(2026, 10, 22, 0, 29, tzinfo=UTC)


def test_iso_times_keep_their_offset() -> None:
    shown = iso_time("2026-08-13T02:06:00+09:00")
    assert shown is not None and shown.precision is Precision.SECOND
    assert shown.moment(UTC) == datetime(2026, 8, 12, 17, 6, tzinfo=UTC)  # the offset wins
    assert iso_time("26-08-13 02:06") is None
    assert ShownTime("x").precision is Precision.NONE


def test_css_paths_name_one_element() -> None:
    root = markup.doc(
        "<div id='a'><ul><li class='x'>1</li><li class='x y'>2</li><li>3</li></ul><p>4</p></div>"
    ).root
    lis = list(root.iter("li"))
    assert [css_path(li) for li in lis] == [
        "div#a > ul > li.x:nth-of-type(1)",
        "div#a > ul > li.x.y",  # no other li has both classes
        "div#a > ul > li:nth-of-type(3)",
    ]
    page = Selector(root=root, type="html")
    for li in lis:
        (found,) = page.css(css_path(li))
        assert found.root is li
