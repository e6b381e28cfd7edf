"""A post's posted time where its view page shows less than the date and the time (pure).

Many skins print ``wr_datetime`` cut short: ``10-10 17:17`` (no year), ``2026.11.21`` (no time).
The engine gives the rest elsewhere, and only what is shown is combined; a year is never
guessed:

- the list row: a row dated with its year (``2026.11.21``, ``26-11-21``) gives the year of a
  view showing ``MM-DD HH:MM`` for the same month and day; a row showing only ``HH:MM`` (the
  engine's mark for today's posts) gives the time of a view showing today's date;
- the board's RSS feed (``crawler.pages.g5.feed``), which gives the full time of its newest
  posts, where everything the view shows agrees with it;
- the archive: the posted time archived before for the post, where everything the view shows
  agrees with it (a re-check without its list row keeps the time, and records no edit).

A time shown relative to when the page was made (``1시간 19분 전``, ``3 hours ago``) is the
feed's or the archived time where that lies in its span, else the day the span lies in (with
``SKEW`` for the board's clock); never a minute computed from it.

``complete`` returns ``(posted_at, posted_on)``: the moment when the date and the time are
known (the precision is the minute), else the day when only the day is (the precision is the
day), else neither.

Where none of these completes a view showing ``MM-DD HH:MM`` or ``MM-DD`` (no year), the
bounds the crawl knows decide it (``within``): the post was posted after ``earliest`` (the
posted time of an archived post with a smaller id, which the engine wrote before it, or the
start of the last clean run, which listed every post there was and not this one) and before
``latest`` (when the page was fetched, and the first comment's full time); where exactly one
year puts the shown month and day in that span, that is the year, else none is chosen.

A comment's time shown in part (``comment_time``): ``MM-DD HH:MM`` lies between its post's
posted time and now, so it is that span's one such day while the span is shorter than a year;
``HH:MM`` alone is today's, as on lists (not within ``SKEW`` of midnight, where the board's today
may not be ours); a relative time stays unknown (a later run reads the date once the skin shows
it, and the archive keeps the first time it learns).
"""

from __future__ import annotations

import dataclasses
from datetime import date, datetime, timedelta, tzinfo

from crawler.pages.g5.readings import Precision, ShownTime
from crawler.pages.g5.times import shown_time

#: how far the board's clock may be from ours when it prints "N분 전"
SKEW = timedelta(minutes=5)


def complete(
    shown: str | None,
    row_date: str | None,
    archived: datetime | None,
    tz: tzinfo,
    today: date,
    feed: datetime | None = None,
    now: datetime | None = None,
) -> tuple[datetime | None, date | None]:
    """The posted moment (or day) of a view showing ``shown``, with its list row's date as
    shown (``row_date``, None when the view was not reached from a row), the posted time
    ``archived`` for it and the one the board's feed gives (``feed``); ``today`` is the crawl
    day in the board's zone ``tz``, ``now`` the time the page was fetched."""
    view = shown_time(shown)
    if view is None:
        return None, None
    if view.precision is Precision.RELATIVE:
        return _relative(view, archived, tz, feed, now)
    row = shown_time(row_date)
    moment = (
        _with_row(view, row, today, tz)
        or _agreeing(view, feed, tz)
        or _agreeing(view, archived, tz)
    )
    if moment is not None:
        return moment, None
    return None, view.date_shown() or _day_with_row(view, row)


def _relative(
    view: ShownTime,
    archived: datetime | None,
    tz: tzinfo,
    feed: datetime | None,
    now: datetime | None,
) -> tuple[datetime | None, date | None]:
    """A view showing ``3시간 전``: the feed's or the archived time where it lies in that
    span (give or take ``SKEW`` for the server's clock), else the day the span lies in."""
    if now is None or view.ago_from is None or view.ago_to is None:
        return None, None
    latest = now - timedelta(seconds=view.ago_from) + SKEW
    earliest = now - timedelta(seconds=view.ago_to) - SKEW
    for moment in (feed, archived):
        if moment is not None and earliest < moment <= latest:
            return moment, None
    wide = dataclasses.replace(
        view,
        ago_from=max(view.ago_from - int(SKEW.total_seconds()), 0),
        ago_to=view.ago_to + int(SKEW.total_seconds()),
    )
    return None, wide.day_before(now, tz)


def _day_with_row(view: ShownTime, row: ShownTime | None) -> date | None:
    """The day of a view showing ``MM-DD`` (with or without the time) whose list row shows
    the same month and day with its year."""
    if row is None or row.year is None or view.month is None or view.day is None:
        return None
    if (row.month, row.day) != (view.month, view.day):
        return None
    return dataclasses.replace(view, year=row.year).date_shown()


def _with_row(view: ShownTime, row: ShownTime | None, today: date, tz: tzinfo) -> datetime | None:
    if row is None:
        return None
    if (
        view.precision is Precision.MONTH_DAY_MINUTE
        and row.year is not None
        and (row.month, row.day) == (view.month, view.day)
    ):
        return dataclasses.replace(view, year=row.year).moment(tz)
    if (
        view.precision is Precision.DAY
        and row.precision is Precision.TIME
        and view.date_shown() == today
    ):
        return dataclasses.replace(view, hour=row.hour, minute=row.minute).moment(tz)
    return None


def _agreeing(view: ShownTime, moment: datetime | None, tz: tzinfo) -> datetime | None:
    """``moment`` (the feed's, or the archived one) where every part the view shows agrees."""
    if moment is None:
        return None
    local = moment.astimezone(tz)
    parts = {
        "year": local.year,
        "month": local.month,
        "day": local.day,
        "hour": local.hour,
        "minute": local.minute,
    }
    shown = {name: getattr(view, name) for name in parts}
    agrees = all(value is None or value == parts[name] for name, value in shown.items())
    return moment if agrees and view.month is not None and view.day is not None else None


def comment_time(
    shown: str | None, post_day: date | None, tz: tzinfo, now: datetime | None
) -> datetime | None:
    """The moment of a comment whose page shows ``shown`` (less than the date and the time),
    on a post posted on ``post_day`` (in ``tz``), fetched at ``now``; None where it cannot be
    told."""
    view = shown_time(shown)
    if view is None or now is None:
        return None
    local_now = now.astimezone(tz)
    if view.precision is Precision.TIME:
        midnight = local_now.replace(hour=0, minute=0, second=0, microsecond=0)
        if local_now - midnight < SKEW:
            return None
        today = local_now.date()
        moment = dataclasses.replace(
            view, year=today.year, month=today.month, day=today.day
        ).moment(tz)
        return moment if moment is not None and moment <= now + SKEW else None
    if view.precision is not Precision.MONTH_DAY_MINUTE or post_day is None:
        return None
    start, end = post_day, local_now.date()
    if not 0 <= (end - start).days < 365:
        return None
    for year in sorted({start.year, end.year}):
        candidate = dataclasses.replace(view, year=year)
        day = candidate.date_shown()
        if day is not None and start <= day <= end:
            return candidate.moment(tz)
    return None


def within(
    shown: str | None,
    earliest: datetime | None,
    latest: datetime | None,
    tz: tzinfo,
) -> tuple[datetime | None, date | None]:
    """The moment (``MM-DD HH:MM``) or day (``MM-DD``) of a view showing no year, where
    exactly one year puts it between ``earliest`` and ``latest`` (give or take ``SKEW``);
    else ``(None, None)``: the span holds no such moment, or more than one."""
    view = shown_time(shown)
    if view is None or earliest is None or latest is None or earliest > latest + SKEW:
        return None, None
    if view.precision not in (Precision.MONTH_DAY_MINUTE, Precision.MONTH_DAY):
        return None, None
    low, high = (earliest - SKEW).astimezone(tz), (latest + SKEW).astimezone(tz)
    fits: list[tuple[datetime | None, date | None]] = []
    for year in range(low.year, high.year + 1):
        candidate = dataclasses.replace(view, year=year)
        day = candidate.date_shown()
        if day is None or not low.date() <= day <= high.date():
            continue
        if view.precision is Precision.MONTH_DAY:
            fits.append((None, day))
            continue
        moment = candidate.moment(tz)
        if moment is not None and low <= moment <= high:
            fits.append((moment, None))
    return fits[0] if len(fits) == 1 else (None, None)
