"""Dates and times in the shapes GnuBoard skins print them, read into ``ShownTime``.

The engine hands skins ``wr_datetime`` (``Y-m-d H:i:s``) and, on lists, ``datetime``
(``Y-m-d``) and ``datetime2`` (``H:i`` for today's posts, ``m-d`` otherwise); skins print them
as they are or through PHP ``date()``: ``y-m-d H:i`` (basic view), ``Y-m-d H:i``, ``y.m.d``,
``Y년 m월 d일``, and run together (``ymd H:i``: ``261127 02:20``, only with a time, as a
six- or eight-digit number alone is no date). Comments have ``y-m-d H:i`` and often a
``<time datetime>`` in ISO form.

``shown_time`` reads a text that is one date (an optional label such as ``작성일 :`` before it);
``find_shown_time`` finds the first date in a longer text (an info line), requiring a year or
a time so that a phone number or a version is not taken for one. Two-digit years are PHP's
``y`` (00-69 are 20xx, 70-99 19xx: ``dates.full_year``), which is what the engine printed, not a
guess. Impossible dates (``02-30``, ``25:00``) are no dates.
"""

from __future__ import annotations

import re
from datetime import date, datetime

from crawler.pages.dates import full_year
from crawler.pages.g5.readings import ShownTime

_LABEL = (
    r"(?:(?:작성일시?|등록일시?|작성일자|등록일자|작성|등록|날짜|일자|일시|게시일|"
    r"date|posted|written)\s*[:：]?\s*)?"
)
_HM = r"(?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2}))?"
_YMD = r"(?P<y>\d{4}|\d{2})(?P<sep>[-./])(?P<m>\d{1,2})(?P=sep)(?P<d>\d{1,2})\.?"
_KYMD = r"(?P<y>\d{4}|\d{2})\s*년\s*(?P<m>\d{1,2})\s*월\s*(?P<d>\d{1,2})\s*일"
_MD = r"(?P<m>\d{2})[-./](?P<d>\d{2})"  # zero-padded, as date("m-d") prints
_KMD = r"(?P<m>\d{1,2})\s*월\s*(?P<d>\d{1,2})\s*일"
_CYMD = r"(?P<y>\d{4}|\d{2})(?P<m>\d{2})(?P<d>\d{2})"  # date("ymd"), date("Ymd")
_WEEKDAY = r"(?:\s*\(\s*[월화수목금토일]\s*\))?"

_LABEL_ONLY = re.compile(rf"^{_LABEL}", re.I)
_UNIT_SECONDS = {
    "초": 1, "분": 60, "시간": 3600, "일": 86400,
    "second": 1, "seconds": 1, "sec": 1, "secs": 1, "minute": 60, "minutes": 60, "min": 60,
    "mins": 60, "hour": 3600, "hours": 3600, "day": 86400, "days": 86400,
}  # fmt: skip
_AMOUNT = re.compile(
    r"(\d{1,4})\s*(초|분|시간|일|seconds?|secs?|minutes?|mins?|hours?|days?)", re.I
)
_RELATIVE = re.compile(r"(?P<amounts>(?:\d{1,4}\s*(?:초|분|시간|일)\s*){1,3})\s*전")
_RELATIVE_EN = re.compile(
    r"(?P<amounts>(?:\d{1,4}\s*(?:seconds?|secs?|minutes?|mins?|hours?|days?)\s*){1,3})ago",
    re.I,
)
_JUST_NOW = re.compile(r"방금(?:\s*전)?|just now", re.I)

#: whole-text shapes, most specific first
_WHOLE = tuple(
    re.compile(rf"^{_LABEL}{shape}$", re.I)
    for shape in (
        rf"{_YMD}{_WEEKDAY}(?:\s+{_HM})?",
        rf"{_KYMD}{_WEEKDAY}(?:\s+{_HM})?",
        rf"{_MD}(?:\s+{_HM})?",
        rf"{_KMD}(?:\s+{_HM})?",
        rf"{_CYMD}\s+{_HM}",
        _HM,
    )
)
#: shapes searched for inside a longer text: a year, or a month-day with a time
_INSIDE = tuple(
    re.compile(rf"(?<![\d.:/-]){shape}(?![\d:])", re.I)
    for shape in (
        rf"{_YMD}{_WEEKDAY}(?:\s+{_HM})?",
        rf"{_KYMD}{_WEEKDAY}(?:\s+{_HM})?",
        rf"{_MD}\s+{_HM}",
        rf"{_CYMD}\s+{_HM}",
    )
)


def shown_time(text: str | None) -> ShownTime | None:
    """``text`` read as one date/time (an optional label before it), or None."""
    value = " ".join((text or "").split())
    if not value or len(value) > 40:
        return None
    iso = iso_time(value) or relative_time(value)
    if iso is not None:
        return iso
    for pattern in _WHOLE:
        m = pattern.match(value)
        if m:
            return _from_match(m, value)
    return None


def find_shown_time(text: str | None) -> ShownTime | None:
    """The first date with a year (or a month-day with a time) inside ``text``, or None."""
    value = " ".join((text or "").split())
    found: list[tuple[int, ShownTime]] = []
    for pattern in _INSIDE:
        for m in pattern.finditer(value):
            shown = _from_match(m, m.group(0))
            if shown is not None:
                found.append((m.start(), shown))
                break
    return min(found, key=lambda f: f[0])[1] if found else None


def relative_time(value: str) -> ShownTime | None:
    """A time shown relative to when the page was made (``방금``, ``30초 전``, ``13분전``,
    ``1시간 19분 전``, ``2일 전``, ``3 hours ago``), with the span it stands for: ``N분 전``
    is from N to N+1 minutes before, ``N시간 전`` from N to N+1 hours."""
    text = _LABEL_ONLY.sub("", value, count=1).strip()
    if _JUST_NOW.fullmatch(text):
        return ShownTime(text=value, ago_from=0, ago_to=60)
    m = _RELATIVE.fullmatch(text) or _RELATIVE_EN.fullmatch(text)
    if m is None:
        return None
    parts = [(int(n), _UNIT_SECONDS[u.lower()]) for n, u in _AMOUNT.findall(m.group("amounts"))]
    if not parts or len({unit for _, unit in parts}) != len(parts):
        return None
    start = sum(n * unit for n, unit in parts)
    return ShownTime(text=value, ago_from=start, ago_to=start + min(u for _, u in parts))


def iso_time(value: str | None) -> ShownTime | None:
    """An ISO 8601 stamp with a ``T`` (``<time datetime="2026-08-13T02:06:00+09:00">``)."""
    text = (value or "").strip()
    if "T" not in text or not re.match(r"^\d{4}-\d\d-\d\dT\d\d:\d\d", text):
        return None
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        return None
    offset = parsed.utcoffset()
    return ShownTime(
        text=text,
        year=parsed.year,
        month=parsed.month,
        day=parsed.day,
        hour=parsed.hour,
        minute=parsed.minute,
        second=parsed.second if re.match(r"^[^T]*T\d\d:\d\d:\d\d", text) else None,
        offset_seconds=int(offset.total_seconds()) if offset is not None else None,
    )


def _from_match(m: re.Match[str], text: str) -> ShownTime | None:
    groups = m.groupdict()

    def number(name: str) -> int | None:
        value = groups.get(name)
        return int(value) if value is not None else None

    year = number("y")
    shown = ShownTime(
        text=text,
        year=full_year(year) if year is not None else None,
        month=number("m"),
        day=number("d"),
        hour=number("H"),
        minute=number("M"),
        second=number("S"),
    )
    return shown if _possible(shown) else None


def _possible(t: ShownTime) -> bool:
    if t.month is not None and not 1 <= t.month <= 12:
        return False
    if t.day is not None and not 1 <= t.day <= 31:
        return False
    if t.hour is not None and not 0 <= t.hour <= 23:
        return False
    if t.minute is not None and not 0 <= t.minute <= 59:
        return False
    if t.second is not None and not 0 <= t.second <= 59:
        return False
    if t.month is not None and t.day is not None:
        year = t.year if t.year is not None else 2000  # a leap year: 02-29 may be
        try:
            date(year, t.month, t.day)
        except ValueError:  # 02-30, 04-31
            return False
    return True
