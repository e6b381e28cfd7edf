from datetime import UTC, date, datetime

import pytest

from crawler.pages.dates import (
    SEOUL,
    find_local_datetime,
    parse_comment_time,
    parse_local_datetime,
    resolve_list_date,
    today_in,
)

TODAY = date(2026, 11, 24)


def test_time_of_day_means_today() -> None:
    assert resolve_list_date("23:24", TODAY) == TODAY
    assert resolve_list_date(" 09:05 ", TODAY) == TODAY
    assert resolve_list_date("00:00:10", TODAY) == TODAY


def test_month_day_is_this_year_when_not_in_the_future() -> None:
    assert resolve_list_date("11-23", TODAY) == date(2026, 11, 23)
    assert resolve_list_date("11-24", TODAY) == date(2026, 11, 24)
    assert resolve_list_date("09-16", TODAY) == date(2026, 9, 16)
    assert resolve_list_date("11-25", TODAY) == date(2025, 11, 25)  # tomorrow: last year's


def test_month_day_year_rollover() -> None:
    new_year = date(2027, 1, 2)
    assert resolve_list_date("12-30", new_year) == date(2026, 12, 30)
    assert resolve_list_date("01-02", new_year) == date(2027, 1, 2)
    assert resolve_list_date("01-03", new_year) == date(2026, 1, 3)
    assert resolve_list_date("01-01", new_year) == date(2027, 1, 1)


def test_leap_day_goes_back_to_the_last_leap_year() -> None:
    assert resolve_list_date("02-29", date(2028, 3, 1)) == date(2028, 2, 29)
    assert resolve_list_date("02-29", date(2028, 2, 29)) == date(2028, 2, 29)
    assert resolve_list_date("02-29", date(2028, 2, 28)) == date(2024, 2, 29)
    assert resolve_list_date("02-29", date(2027, 3, 1)) == date(2024, 2, 29)
    assert resolve_list_date("02-28", date(2027, 3, 1)) == date(2027, 2, 28)


def test_dates_with_a_year() -> None:
    assert resolve_list_date("26-11-09", TODAY) == date(2026, 11, 9)
    assert resolve_list_date("2019-01-31", TODAY) == date(2019, 1, 31)
    assert resolve_list_date("22.03.07", TODAY) == date(2022, 3, 7)
    assert resolve_list_date("99-12-31", TODAY) == date(1999, 12, 31)
    assert resolve_list_date("22-03-07 09:29", TODAY) == date(2022, 3, 7)


@pytest.mark.parametrize("text", ["", "어제", "13-01", "02-30", "24:99x", "26-02-30", "1-2-3-4"])
def test_unreadable_list_dates_are_none(text: str) -> None:
    assert resolve_list_date(text, TODAY) is None


def test_view_date_is_seoul_time_returned_in_utc() -> None:
    got = parse_local_datetime("22-03-07 09:29")
    assert got == datetime(2022, 3, 7, 0, 29, tzinfo=UTC)
    assert got.tzinfo is UTC
    assert parse_local_datetime("2022-03-07 09:29:41") == datetime(
        2022, 3, 7, 0, 29, 41, tzinfo=UTC
    )
    # before 09:00 in Seoul is the previous day in UTC
    assert parse_local_datetime("26-01-01 08:59") == datetime(2025, 12, 31, 23, 59, tzinfo=UTC)


def test_view_date_with_an_offset_and_inside_text() -> None:
    assert parse_local_datetime("2026-08-13T02:06:00+09:00") == datetime(
        2026, 8, 12, 17, 6, tzinfo=UTC
    )
    assert find_local_datetime("작성일 26-11-17 23:14 조회") == datetime(
        2026, 11, 17, 14, 14, tzinfo=UTC
    )
    assert find_local_datetime("조회 2,306회") is None
    with pytest.raises(ValueError, match="not a date"):
        parse_local_datetime("어제")


def test_comment_time_prefers_the_datetime_attribute() -> None:
    want = datetime(2026, 8, 12, 17, 6, tzinfo=UTC)
    assert parse_comment_time("26-08-13 02:06", "2026-08-13T02:06:00+09:00") == want
    assert parse_comment_time("26-08-13 02:06", None) == want
    assert parse_comment_time("26-08-13 02:06", "garbage") == want
    assert parse_comment_time("", None) is None


def test_today_in_seoul() -> None:
    assert today_in(SEOUL, datetime(2026, 11, 24, 14, 59, tzinfo=UTC)) == date(2026, 11, 24)
    assert today_in(SEOUL, datetime(2026, 11, 24, 15, 0, tzinfo=UTC)) == date(2026, 11, 25)
    assert isinstance(today_in(), date)
    with pytest.raises(ValueError):
        today_in(SEOUL, datetime(2026, 11, 24, 15, 0))
