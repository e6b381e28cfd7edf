"""The typed results of reading a GnuBoard page by its invariants: what was read, from where.

Every field is a ``Reading``: its value (None when not found), its ``Source`` and ``where``
(the selector or the engine feature it came from, for ``probe`` to show and to write into a
board's configuration). Times are ``ShownTime``: the parts a page shows and nothing else, with
their ``Precision``; a date shown without a year stays without one until a caller resolves it
against the crawl day on purpose (``ShownTime.resolved_date``).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone, tzinfo
from typing import Generic, TypeVar

from lxml import etree

from crawler.pages.dates import resolve_list_date

T = TypeVar("T")


class Source(enum.Enum):
    """Where a field's value came from."""

    SKIN = "skin selector"  # a known skin's (or the board's configured) selector matched
    ENGINE = "engine invariant"  # markup or URLs GnuBoard itself emits, whatever the skin
    SHAPE = "text shape"  # text of the right shape where the engine puts the value
    COMPARED = "compared pages"  # what differs between view pages of one board
    NOT_FOUND = "not found"


class Precision(enum.Enum):
    """How much of a moment a page shows."""

    SECOND = "date and time to the second"
    MINUTE = "date and time to the minute"
    DAY = "date only"
    MONTH_DAY_MINUTE = "month, day and time, no year"
    MONTH_DAY = "month and day, no year"
    TIME = "time of day only (a list's mark for today's posts)"
    RELATIVE = "time before the page was made (3시간 전)"
    NONE = "none"


@dataclass(frozen=True, slots=True)
class ShownTime:
    """A moment as a page shows it: only the parts shown (``None`` for the others)."""

    text: str  # the text it was read from, as shown
    year: int | None = None
    month: int | None = None
    day: int | None = None
    hour: int | None = None
    minute: int | None = None
    second: int | None = None
    offset_seconds: int | None = None  # from an ISO ``datetime`` attribute, if it had one
    # a relative time ("1시간 19분 전"): the moment lies between these many seconds before the
    # page was made (``ago_from``, inclusive) and ``ago_to`` (exclusive)
    ago_from: int | None = None
    ago_to: int | None = None

    @property
    def precision(self) -> Precision:
        if self.ago_from is not None:
            return Precision.RELATIVE
        has_date = self.month is not None and self.day is not None
        has_time = self.hour is not None and self.minute is not None
        if has_date and self.year is not None:
            if has_time:
                return Precision.SECOND if self.second is not None else Precision.MINUTE
            return Precision.DAY
        if has_date:
            return Precision.MONTH_DAY_MINUTE if has_time else Precision.MONTH_DAY
        return Precision.TIME if has_time else Precision.NONE

    def date_shown(self) -> date | None:
        """The calendar date when the page shows year, month and day; else None."""
        if self.year is None or self.month is None or self.day is None:
            return None
        try:
            return date(self.year, self.month, self.day)
        except ValueError:
            return None

    def day_before(self, now: datetime, tz: tzinfo) -> date | None:
        """For a relative time: the day (in ``tz``) it falls on, when the page was made at
        ``now``, if its whole span lies in one day; else None."""
        if self.ago_from is None or self.ago_to is None:
            return None
        latest = (now - timedelta(seconds=self.ago_from)).astimezone(tz)
        earliest = (now - timedelta(seconds=self.ago_to) + timedelta(seconds=1)).astimezone(tz)
        return latest.date() if latest.date() == earliest.date() else None

    def resolved_date(self, today: date) -> date | None:
        """The date as a list means it, seen on the crawl day ``today``: a shown year is kept;
        ``MM-DD`` is the latest such date not after ``today``; ``HH:MM`` alone is ``today``.
        A choice the caller makes on purpose (the precision says what was shown)."""
        if self.year is not None:
            return self.date_shown()
        if self.month is not None and self.day is not None:
            return resolve_list_date(f"{self.month:02d}-{self.day:02d}", today)
        return today if self.precision is Precision.TIME else None

    def moment(self, tz: tzinfo) -> datetime | None:
        """The aware UTC moment when the page shows the date and the time to the minute (read
        in ``tz`` unless the page gave an offset); else None: nothing is made up."""
        day = self.date_shown()
        if day is None or self.hour is None or self.minute is None:
            return None
        zone = (
            tz if self.offset_seconds is None else timezone(timedelta(seconds=self.offset_seconds))
        )
        try:
            local = datetime(
                day.year, day.month, day.day, self.hour, self.minute, self.second or 0, tzinfo=zone
            )
            return local.astimezone(UTC)
        except (ValueError, OverflowError):
            return None


@dataclass(frozen=True, slots=True)
class Reading(Generic[T]):
    """One field's value and where it came from. ``value`` is None when not found."""

    value: T | None
    source: Source
    where: str | None = None  # the selector, path or engine feature read
    note: str | None = None  # what a reader should know (a doubt, a fallback taken)

    @property
    def found(self) -> bool:
        return self.value is not None


def not_found(note: str | None = None) -> Reading[T]:
    """A field nothing on the page gave."""
    return Reading(None, Source.NOT_FOUND, None, note)


# ---- element paths ------------------------------------------------------------------------


def css_step(el: etree._Element) -> str:
    """One step of a CSS path: ``tag#id`` or ``tag.class1.class2``, with ``:nth-of-type(k)``
    when a sibling of the same tag would match the step too."""
    tag = el.tag.lower() if isinstance(el.tag, str) else "*"
    ident = (el.get("id") or "").strip()
    if ident and _plain(ident):
        return f"{tag}#{ident}"
    classes = [c for c in (el.get("class") or "").split() if _plain(c)]
    parent = el.getparent()
    siblings = [] if parent is None else [c for c in parent if c.tag == el.tag and c is not el]
    step = tag + "".join(f".{c}" for c in classes)
    if any(set(classes) <= set((c.get("class") or "").split()) for c in siblings):
        step += f":nth-of-type({_type_index(el)})"
    return step


def css_path(el: etree._Element) -> str:
    """A CSS selector of ``el``: steps from its nearest ancestor with an id (or the root)."""
    steps: list[str] = []
    node: etree._Element | None = el
    while node is not None and isinstance(node.tag, str):
        step = css_step(node)
        steps.append(step)
        if "#" in step or node.tag in ("html", "body"):
            break
        node = node.getparent()
    return " > ".join(reversed(steps))


def _type_index(el: etree._Element) -> int:
    return 1 + sum(1 for sib in el.itersiblings(preceding=True) if sib.tag == el.tag)


def _plain(name: str) -> bool:
    """Whether a class or id can go into a CSS selector as it is."""
    return name[:1].isalpha() and all(ch.isalnum() or ch in "-_" for ch in name)
