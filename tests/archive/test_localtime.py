"""Times as people read and write them: zone labels, formatting, and the one reading of --since."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from archive.localtime import (
    describe,
    format_local,
    local_day,
    parse_since,
    start_of_day,
    zone,
    zone_label,
)

SEOUL = ZoneInfo("Asia/Seoul")
NOW = datetime(2026, 11, 24, 14, 30, tzinfo=UTC)  # 23:30 on the 24th in Seoul


@pytest.mark.parametrize(
    ("name", "label", "described"),
    [
        ("Asia/Seoul", "KST", "Asia/Seoul (KST)"),
        ("Asia/Tokyo", "JST", "Asia/Tokyo (JST)"),
        ("UTC", "UTC", "UTC"),
        ("Europe/Berlin", "Europe/Berlin", "Europe/Berlin"),  # CET in winter, CEST in summer
        ("Asia/Ho_Chi_Minh", "Asia/Ho_Chi_Minh", "Asia/Ho_Chi_Minh"),  # only "+07"
    ],
)
def test_zone_labels(name: str, label: str, described: str) -> None:
    assert zone_label(zone(name)) == label
    assert describe(zone(name)) == described


def test_default_zone_and_formatting() -> None:
    assert zone(None) == zone("") == SEOUL
    assert format_local(NOW, SEOUL) == "2026-11-24 23:30"
    assert format_local(NOW, zone("UTC")) == "2026-11-24 14:30"
    assert format_local(None, SEOUL) == ""
    assert local_day(NOW, SEOUL) == date(2026, 11, 24)
    assert local_day(NOW + timedelta(minutes=30), SEOUL) == date(2026, 11, 25)
    assert start_of_day(date(2026, 11, 1), SEOUL) == datetime(2026, 10, 31, 15, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "back"),
    [
        ("7d", timedelta(days=7)),
        ("12h", timedelta(hours=12)),
        ("30m", timedelta(minutes=30)),
        ("2w", timedelta(weeks=2)),
        (" 90s ", timedelta(seconds=90)),
    ],
)
def test_a_span_is_back_from_now_whatever_the_zone(text: str, back: timedelta) -> None:
    for tz in (SEOUL, zone("UTC"), zone("America/New_York")):
        got = parse_since(text, tz, NOW)
        assert got == NOW - back and got.tzinfo == UTC


@pytest.mark.parametrize(
    ("text", "tz", "instant"),
    [
        ("2026-11-01", "Asia/Seoul", datetime(2026, 10, 31, 15, tzinfo=UTC)),
        ("2026-11-01", "UTC", datetime(2026, 11, 1, tzinfo=UTC)),
        ("2026-11-01", "Asia/Tokyo", datetime(2026, 10, 31, 15, tzinfo=UTC)),
        ("2026-11-01", "America/New_York", datetime(2026, 11, 1, 4, tzinfo=UTC)),  # EDT
        ("2026-11-02", "America/New_York", datetime(2026, 11, 2, 5, tzinfo=UTC)),  # EST
        ("2026-11-01T09:00", "Asia/Seoul", datetime(2026, 11, 1, 0, tzinfo=UTC)),
        ("2026-11-01 09:00", "UTC", datetime(2026, 11, 1, 9, tzinfo=UTC)),
        ("2026-11-01T09:00+00:00", "Asia/Seoul", datetime(2026, 11, 1, 9, tzinfo=UTC)),
    ],
)
def test_a_date_is_midnight_in_the_zone_asked_for(text: str, tz: str, instant: datetime) -> None:
    got = parse_since(text, zone(tz), NOW)
    assert got == instant and got.tzinfo == UTC


@pytest.mark.parametrize("text", ["", "soon", "7 days", "-1d", "2026-13-01", "d7"])
def test_anything_else_is_refused(text: str) -> None:
    with pytest.raises(ValueError, match="7d, 12h, 2w or 2026-11-01"):
        parse_since(text, SEOUL, NOW)


def test_now_must_be_aware() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        parse_since("7d", SEOUL, datetime(2026, 11, 24))
