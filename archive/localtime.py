"""Times as people read and write them: in a board's zone, or in the archive's display zone.

The archive stores UTC. Each board has a ``timezone`` (its config, kept in ``boards.timezone``
so that the read side, which only reads the database, knows it): a board's posts, versions and
runs are shown in it. Times across boards (the ``changes`` table, the UI's boards, runs and
search lists) are shown in the archive's display zone, ``[archive] timezone``. Both default to
Asia/Seoul.

:func:`parse_since` is the one reading of a time a user gives, for the CLI's ``--since`` and the
UI's ``?new_since=`` alike: a span back from now (``7d``) or a date (``2026-11-01``: midnight) or
a date and time, read in the zone of what is asked for: the board's when one board is, else the
display zone (:func:`archive.reports.zone_of` picks it).
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta, tzinfo
from zoneinfo import ZoneInfo

DEFAULT_TIMEZONE = "Asia/Seoul"
DEFAULT_ZONE = ZoneInfo(DEFAULT_TIMEZONE)

_SPAN = re.compile(r"^(\d+)\s*([smhdw])$")
_UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days", "w": "weeks"}


def zone(name: str | None) -> ZoneInfo:
    """The zone of an IANA name (``Asia/Seoul`` for None or ""); ``ZoneInfo`` keeps one each."""
    return ZoneInfo(name or DEFAULT_TIMEZONE)


def zone_label(tz: tzinfo) -> str:
    """How a time's zone is written next to it: its abbreviation (``KST``, ``JST``, ``UTC``),
    or its name (``Europe/Berlin``) where the abbreviation changes over the year or is only an
    offset (``+07``)."""
    year = datetime.now(UTC).year
    names = {datetime(year, month, 1, 12, tzinfo=tz).tzname() for month in (1, 7)}
    abbreviation = names.pop() if len(names) == 1 else None
    if abbreviation and abbreviation[0].isalpha():
        return abbreviation
    return zone_name(tz)


def zone_name(tz: tzinfo) -> str:
    """The IANA name of a zone (``Asia/Seoul``), or what the zone calls itself."""
    key = getattr(tz, "key", None)
    return str(key) if key else str(tz)


def describe(tz: tzinfo) -> str:
    """``Asia/Seoul (KST)``; just ``UTC`` or ``Europe/Berlin`` where the label is the name."""
    name, label = zone_name(tz), zone_label(tz)
    return name if name == label else f"{name} ({label})"


def format_local(value: datetime | None, tz: tzinfo) -> str:
    """An aware time as "YYYY-MM-DD HH:MM" in ``tz`` ("" for None)."""
    return value.astimezone(tz).strftime("%Y-%m-%d %H:%M") if value is not None else ""


def local_day(value: datetime, tz: tzinfo) -> date:
    """The calendar day of an aware time in ``tz``."""
    return value.astimezone(tz).date()


def start_of_day(day: date, tz: tzinfo) -> datetime:
    """Midnight at the start of ``day`` in ``tz``, as an aware UTC time."""
    return datetime.combine(day, datetime.min.time(), tz).astimezone(UTC)


def parse_since(text: str, tz: tzinfo, now: datetime | None = None) -> datetime:
    """The instant a user means by ``text``, as an aware UTC time.

    ``30m``, ``12h``, ``7d``, ``2w`` (also ``s``): that long before ``now`` (default: the current
    time). ``2026-11-01``: midnight starting that day in ``tz``. ``2026-11-01T09:00`` (or with a
    space): that time in ``tz``; with an offset (``…+00:00``), that instant. Anything else raises
    ``ValueError``.
    """
    value = text.strip()
    moment = now if now is not None else datetime.now(UTC)
    if moment.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    match = _SPAN.match(value)
    if match:
        back = timedelta(**{_UNITS[match.group(2)]: int(match.group(1))})
        return (moment - back).astimezone(UTC)
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise ValueError(f"expected e.g. 7d, 12h, 2w or 2026-11-01, not {text!r}") from None
    return (parsed if parsed.tzinfo else parsed.replace(tzinfo=tz)).astimezone(UTC)
