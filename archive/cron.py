"""Crontab lines as APScheduler 3 triggers, and fire-time arithmetic on them.

Weekdays are read as crontab reads them: 0 or 7 is Sunday, 1 is Monday, names (``mon-fri``) work
too. (APScheduler 3's ``CronTrigger.from_crontab`` counts from Monday = 0, which would move
``0 4 * * 0`` to Mondays.)

Nothing here knows the configuration or the database: :mod:`archive.config` validates its cron
keys with :func:`crontab_trigger`, so this module must not import it.
"""

from __future__ import annotations

from datetime import datetime, timedelta, tzinfo
from zoneinfo import ZoneInfo

from apscheduler.triggers.cron import CronTrigger

_WEEKDAYS = ("sun", "mon", "tue", "wed", "thu", "fri", "sat")  # crontab numbering, 0 = Sunday


def crontab_trigger(expr: str, timezone: str | tzinfo, jitter: int | None = None) -> CronTrigger:
    """A trigger for a five-field crontab line (minute hour day month weekday) in ``timezone``.

    Weekdays count as in crontab: 0 and 7 are Sunday, 1 is Monday; names (``mon-fri``) work too.
    """
    fields = expr.split()
    if len(fields) != 5:
        raise ValueError(f"expected 5 fields (minute hour day month weekday), got {len(fields)}")
    minute, hour, day, month, weekday = fields
    return CronTrigger(
        minute=minute,
        hour=hour,
        day=day,
        month=month,
        day_of_week=_crontab_weekdays(weekday),
        timezone=ZoneInfo(timezone) if isinstance(timezone, str) else timezone,
        jitter=jitter or None,
    )


def _crontab_weekdays(field: str) -> str:
    """A crontab weekday field as an explicit list of day names, which APScheduler reads the same.

    ``*/2`` is Sunday, Tuesday, Thursday, Saturday in crontab; spelled out, no numbering differs.
    """
    if field in ("*", "?"):
        return "*"
    days: set[int] = set()
    for part in field.lower().split(","):
        span, slash, step_text = part.partition("/")
        step = int(step_text) if slash else 1
        if step < 1:
            raise ValueError(f"weekday step must be 1 or more: {part!r}")
        if span == "*":
            first, last = 0, 6
        elif "-" in span:
            a, b = span.split("-", 1)
            first, last = _weekday(a), _weekday(b)
        else:
            first = _weekday(span)
            last = 7 if slash else first
        if first > last:
            raise ValueError(f"weekday range runs backwards: {part!r}")
        days.update(d % 7 for d in range(first, last + 1, step))
    return ",".join(_WEEKDAYS[d] for d in sorted(days))


def _weekday(text: str) -> int:
    if text in _WEEKDAYS:
        return _WEEKDAYS.index(text)
    if not text.isdigit() or int(text) > 7:
        raise ValueError(f"not a weekday (0-7 or sun-sat): {text!r}")
    return int(text)


def next_fire_times(trigger: CronTrigger, now: datetime, count: int) -> list[datetime]:
    times: list[datetime] = []
    fire = trigger.get_next_fire_time(None, now)
    while fire is not None and len(times) < count:
        times.append(fire)
        fire = trigger.get_next_fire_time(fire, fire)
    return times


def previous_fire_time(trigger: CronTrigger, now: datetime, within: timedelta) -> datetime | None:
    """The latest start of ``trigger`` (give it no jitter) in [now - within, now], or None."""
    last = None
    fire = trigger.get_next_fire_time(None, now - within)
    while fire is not None and fire <= now:
        last = fire
        fire = trigger.get_next_fire_time(fire, fire)
    return last
