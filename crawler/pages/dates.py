"""Dates as GnuBoard shows them, read in the board's zone (Asia/Seoul) and returned in UTC.

List pages show ``HH:MM`` for today's posts and ``MM-DD`` (no year) otherwise; some skins show
``YY-MM-DD``. View pages show ``y-m-d H:i`` ("22-03-07 09:29"); attachment and comment stamps
may be ``Y-m-d H:i:s`` or an ISO ``datetime`` attribute with an offset. Everything here is pure:
"today" is always passed in.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, tzinfo
from zoneinfo import ZoneInfo

SEOUL = ZoneInfo("Asia/Seoul")

_TIME = re.compile(r"^(\d{1,2}):(\d{2})(?::\d{2})?$")
_MONTH_DAY = re.compile(r"^(\d{1,2})[-./](\d{1,2})$")
_YMD = re.compile(r"^(\d{4}|\d{2})[-./](\d{1,2})[-./](\d{1,2})(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?$")
_DATETIME = re.compile(
    r"(?<!\d)(\d{4}|\d{2})[-./](\d{1,2})[-./](\d{1,2})[ T]+(\d{1,2}):(\d{2})(?::(\d{2}))?(?!\d)"
)


def today_in(tz: tzinfo = SEOUL, now: datetime | None = None) -> date:
    """The calendar day in ``tz`` at ``now`` (default: the current time)."""
    moment = now if now is not None else datetime.now(UTC)
    if moment.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    return moment.astimezone(tz).date()


def full_year(year: int) -> int:
    """A two-digit year as GnuBoard prints it ("y"): 00-69 are 20xx, 70-99 are 19xx."""
    if year >= 100:
        return year
    return 2000 + year if year < 70 else 1900 + year


def resolve_list_date(text: str, today: date) -> date | None:
    """The date a list row's date column means, seen on ``today`` (the board's local day).

    ``"HH:MM"`` is ``today``; ``"MM-DD"`` is the most recent such date not after ``today`` (so on
    2027-01-02 ``"12-30"`` is 2026-12-30, and ``"02-29"`` goes back to the last leap year);
    ``"YY-MM-DD"`` / ``"YYYY-MM-DD"`` (optionally with a time) are taken as they are.
    Anything else, or an impossible date, is ``None``.
    """
    value = " ".join(text.split())
    if _TIME.match(value):
        return today
    m = _MONTH_DAY.match(value)
    if m:
        month, day = int(m.group(1)), int(m.group(2))
        if not (1 <= month <= 12 and 1 <= day <= 31):
            return None
        for year in range(today.year, today.year - 9, -1):  # 8 years always holds a leap day
            try:
                candidate = date(year, month, day)
            except ValueError:  # 02-29 in a common year, 04-31, ...
                continue
            if candidate <= today:
                return candidate
        return None
    m = _YMD.match(value)
    if m:
        try:
            return date(full_year(int(m.group(1))), int(m.group(2)), int(m.group(3)))
        except ValueError:
            return None
    return None


def find_local_datetime(text: str, tz: tzinfo = SEOUL) -> datetime | None:
    """The first ``y-m-d H:i[:s]`` stamp in ``text``, read in ``tz``, as an aware UTC datetime."""
    m = _DATETIME.search(text)
    if not m:
        return None
    year, month, day, hour, minute = (int(g) for g in m.groups()[:5])
    second = int(m.group(6) or 0)
    try:
        local = datetime(full_year(year), month, day, hour, minute, second, tzinfo=tz)
        return local.astimezone(UTC)
    except (ValueError, OverflowError):  # 02-30; or a stamp at the end of year 9999 in UTC
        return None


def parse_local_datetime(text: str, tz: tzinfo = SEOUL) -> datetime:
    """Parse a view/comment date ("22-03-07 09:29", "2022-03-07 09:29:41", ISO with an offset).

    A stamp without an offset is read in ``tz``. Returns an aware UTC datetime; raises
    ``ValueError`` when ``text`` holds no date and time.
    """
    value = text.strip()
    iso = _parse_iso_with_offset(value)
    if iso is not None:
        return iso
    found = find_local_datetime(value, tz)
    if found is None:
        raise ValueError(f"not a date and time: {text!r}")
    return found


def parse_comment_time(
    text: str | None, datetime_attr: str | None = None, tz: tzinfo = SEOUL
) -> datetime | None:
    """A comment's time: the ``<time datetime>`` attribute if usable, else the shown text."""
    for candidate in (datetime_attr, text):
        if candidate and candidate.strip():
            try:
                return parse_local_datetime(candidate, tz)
            except ValueError:
                continue
    return None


def _parse_iso_with_offset(value: str) -> datetime | None:
    if "T" not in value:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    if parsed.tzinfo is None:
        return None
    try:
        return parsed.astimezone(UTC)
    except OverflowError:  # "0001-01-01T00:00+09:00" is before year 1 in UTC
        return None
