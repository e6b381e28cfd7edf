"""A posted time the view shows only in part, completed from the list row or the archive
(``crawler.pages.posted``): only what is shown is combined, and a year is never guessed."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from crawler.pages.dates import SEOUL
from crawler.pages.posted import comment_time, complete, within

TODAY = date(2026, 12, 5)
KST_1717 = datetime(2026, 10, 10, 8, 17, tzinfo=UTC)  # 2026-10-10 17:17 in Seoul


@pytest.mark.parametrize(
    ("shown", "row", "archived", "expected"),
    [
        # the view has no year: the row's year, for the same month and day
        ("10-10 17:17", "2026.10.10", None, (KST_1717, None)),
        ("10-10 17:17", "26-10-10", None, (KST_1717, None)),
        ("10-10 17:17", "2025.10.11", None, (None, None)),  # another day: nothing combined
        ("10-10 17:17", "10-10", None, (None, None)),  # no year on the row either
        ("10-10 17:17", None, None, (None, None)),  # no year anywhere: none guessed
        ("10-10", "2026.10.10", None, (None, date(2026, 10, 10))),  # the day, with the row's year
        ("10-10", "2025.10.11", None, (None, None)),
        ("10-10", None, None, (None, None)),
        # the view has no time: a row dated today shows the time
        ("2026.12.05", "09:30", None, (datetime(2026, 12, 5, 0, 30, tzinfo=UTC), None)),
        ("2026.11.21", "11-21", None, (None, date(2026, 11, 21))),  # the day alone
        ("2026.11.21", None, None, (None, date(2026, 11, 21))),
        # a re-check without its row keeps the archived time where the view agrees with it
        ("10-10 17:17", None, KST_1717, (KST_1717, None)),
        ("2026.10.10", None, KST_1717, (KST_1717, None)),
        ("10-10 17:18", None, KST_1717, (None, None)),  # edited: the archive's is not taken
        ("2026.10.11", None, KST_1717, (None, date(2026, 10, 11))),
        (None, "2026.10.10", None, (None, None)),
        ("조회 12", "2026.10.10", None, (None, None)),
    ],
)
def test_what_is_shown_is_combined(
    shown: str | None,
    row: str | None,
    archived: datetime | None,
    expected: tuple[datetime | None, date | None],
) -> None:
    assert complete(shown, row, archived, SEOUL, TODAY) == expected


@pytest.mark.parametrize(
    ("shown", "expected"),
    [
        ("2026.10.10", (KST_1717, None)),  # the webzine's date-only view
        ("10-10 17:17", (KST_1717, None)),
        ("10-10", (KST_1717, None)),
        ("2026.10.11", (None, date(2026, 10, 11))),  # the feed's time is another day's
        ("10-10 17:18", (None, None)),
    ],
)
def test_the_feed_gives_the_time_where_the_view_agrees(
    shown: str, expected: tuple[datetime | None, date | None]
) -> None:
    assert complete(shown, "10-10", None, SEOUL, TODAY, feed=KST_1717) == expected


NOW = datetime(2026, 12, 5, 3, 0, tzinfo=UTC)  # 12:00 in Seoul
FEED = datetime(2026, 12, 4, 23, 30, tzinfo=UTC)  # 08:30 in Seoul


@pytest.mark.parametrize(
    ("shown", "feed", "expected"),
    [
        # the day the span lies in (with five minutes for the board's clock)
        ("1시간 19분전", None, (None, date(2026, 12, 5))),
        ("3 hours ago", None, (None, date(2026, 12, 5))),
        ("방금", None, (None, date(2026, 12, 5))),
        ("13시간 전", None, (None, date(2026, 12, 4))),  # 22:00–23:00 the day before
        ("12시간 전", None, (None, None)),  # 23:00–00:00 (and five minutes): either day
        ("1일 전", None, (None, None)),  # a whole day's span: never one day
        # the feed's time where it lies in the span (08:00–09:00): to the minute
        ("3시간 전", FEED, (FEED, None)),
        ("1시간 전", FEED, (None, date(2026, 12, 5))),  # 10:00–11:00: not the feed's
    ],
)
def test_a_relative_time_gives_its_day_or_an_agreeing_time(
    shown: str, feed: datetime | None, expected: tuple[datetime | None, date | None]
) -> None:
    assert complete(shown, None, None, SEOUL, TODAY, feed=feed, now=NOW) == expected
    assert complete(shown, None, None, SEOUL, TODAY, feed=feed) == (None, None)  # no "now"


NOON = datetime(2026, 12, 5, 3, 0, tzinfo=UTC)  # 2026-12-05 12:00 in Seoul


@pytest.mark.parametrize(
    ("shown", "post_day", "now", "expected"),
    [
        # MM-DD HH:MM lies between the post's day and now: one such day while under a year
        ("10-10 17:17", date(2026, 10, 1), NOON, KST_1717),
        ("10-10 17:17", date(2026, 10, 10), NOON, KST_1717),
        ("10-10 17:17", date(2026, 10, 11), NOON, None),  # before its post: not this year's
        (
            "01-02 08:00",
            date(2025, 12, 30),
            datetime(2026, 1, 10, tzinfo=UTC),
            datetime(2026, 1, 1, 23, 0, tzinfo=UTC),
        ),  # across the new year
        (
            "12-31 08:00",
            date(2025, 12, 30),
            datetime(2026, 1, 10, tzinfo=UTC),
            datetime(2025, 12, 30, 23, 0, tzinfo=UTC),
        ),
        ("10-10 17:17", date(2025, 12, 5), NOON, None),  # a year or more: two such days
        ("10-10 17:17", None, NOON, None),  # the post's day unknown
        ("02-29 10:00", date(2026, 1, 1), NOON, None),  # no such day in the span
        # HH:MM alone is today's, once it is not in the future
        ("09:30", date(2026, 12, 1), NOON, datetime(2026, 12, 5, 0, 30, tzinfo=UTC)),
        ("12:30", date(2026, 12, 1), NOON, None),  # later than now: not today's
        ("23:58", date(2026, 12, 1), datetime(2026, 12, 5, 15, 2, tzinfo=UTC), None),  # 00:02
        # a relative time or nothing shown: unknown
        ("3시간 전", date(2026, 12, 1), NOON, None),
        ("10-10 17:17", date(2026, 10, 1), None, None),
        (None, date(2026, 10, 1), NOON, None),
    ],
)
def test_a_comment_time_shown_in_part_lies_between_its_post_and_now(
    shown: str | None, post_day: date | None, now: datetime | None, expected: datetime | None
) -> None:
    assert comment_time(shown, post_day, SEOUL, now) == expected


def kst(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=SEOUL).astimezone(UTC)


@pytest.mark.parametrize(
    ("shown", "earliest", "latest", "expected"),
    [
        # posted after last night's clean run, fetched now: this year's 12-05 09:30
        (
            "12-05 09:30",
            kst(2026, 12, 4, 23),
            kst(2026, 12, 5, 10),
            (kst(2026, 12, 5, 9, 30), None),
        ),
        # the span crosses new year's day: the month and day tell the year
        ("12-31 23:50", kst(2026, 12, 30), kst(2027, 1, 2), (kst(2026, 12, 31, 23, 50), None)),
        ("01-01 00:10", kst(2026, 12, 30), kst(2027, 1, 2), (kst(2027, 1, 1, 0, 10), None)),
        # an older post's id neighbour (posted before it) and its first comment bound it
        ("03-02 11:00", kst(2025, 10, 1), kst(2026, 6, 1), (kst(2026, 3, 2, 11), None)),
        ("03-02", kst(2025, 10, 1), kst(2026, 6, 1), (None, date(2026, 3, 2))),
        # a span of more than a year holds the month and day twice: no year is chosen
        ("03-02 11:00", kst(2024, 10, 1), kst(2026, 6, 1), (None, None)),
        # nothing in the span (a post moved in from another board keeps its old date)
        ("07-01 11:00", kst(2026, 12, 4, 23), kst(2026, 12, 5, 10), (None, None)),
        ("12-05 11:00", kst(2026, 12, 4, 23), kst(2026, 12, 5, 10), (None, None)),  # after latest
        # no lower bound (a first crawl, no older post with a time): none guessed
        ("12-05 09:30", None, kst(2026, 12, 5, 10), (None, None)),
        # a view that shows its year is not this function's; nor are inconsistent bounds
        ("2026-12-05 09:30", kst(2026, 12, 4), kst(2026, 12, 6), (None, None)),
        ("12-05 09:30", kst(2026, 12, 6), kst(2026, 12, 5), (None, None)),
        ("02-29 10:00", kst(2027, 1, 1), kst(2027, 6, 1), (None, None)),  # no such day that year
    ],
)
def test_a_view_with_no_year_takes_the_one_year_its_bounds_allow(
    shown: str,
    earliest: datetime | None,
    latest: datetime,
    expected: tuple[datetime | None, date | None],
) -> None:
    assert within(shown, earliest, latest, SEOUL) == expected
