"""What a GnuBoard board's pages read, field by field and from where: ``probe``'s report.

``survey(lists, views)`` reads list pages and view pages of one board (``(html, url)`` pairs;
two of each tell a skin's template from its posts) as the crawl will, and answers per field
its value on the first page, its ``Source`` (a skin selector, an engine invariant, the shape
of a text, pages compared, or not found) and where it was read, with what is uncertain said
in words: a field found on one view page and not the other, a body that cannot be told from
the template, a list without pagination. ``selectors`` is what a board's configuration needs
beyond the invariants: the body container found by comparing pages (so an incremental run
need not fetch other posts to find it again). Pure: no I/O.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from archive.selectors import Selectors
from crawler.pages.g5 import body
from crawler.pages.g5.listing import ListReading, read_list
from crawler.pages.g5.readings import Precision, Reading, ShownTime, Source
from crawler.pages.g5.rows import RowReading
from crawler.pages.g5.view import ViewReading, read_view

Page = tuple[str, str]  # (html, url)

#: what the crawl does with a view date shown short (``crawler.pages.posted``)
_SHORT = {
    Precision.DAY: "the crawl takes the time from the list row where it shows today's HH:MM, "
    "else keeps the day (posted_on)",
    Precision.MONTH_DAY_MINUTE: "the crawl takes the year from the list row where it shows "
    "one for the same day, else from the feed, else from when the post must have been written "
    "(after older posts and the last clean run, before it was fetched) where one year fits, "
    "else records no posted time (a year is never guessed)",
    Precision.MONTH_DAY: "the crawl takes the year from the list row where it shows one and "
    "keeps the day (posted_on), else from when the post must have been written where one "
    "year fits, else records no posted time (a year is never guessed)",
    Precision.TIME: "the crawl records no posted time from it",
    Precision.RELATIVE: "the crawl takes the time from the board's feed where it lies in that "
    "span, else keeps the day the span lies in (posted_on); the date it shows later is no edit",
}


@dataclass(frozen=True, slots=True)
class Field:
    """One field as the pages read it."""

    page: str  # "list" or "view"
    name: str
    value: str  # as shown to a person ("-" when not found)
    source: Source
    where: str | None
    note: str | None = None


@dataclass(slots=True)
class Survey:
    """The report: fields, what is uncertain, and the selectors the board needs."""

    fields: list[Field] = field(default_factory=list)
    uncertain: list[str] = field(default_factory=list)
    selectors: dict[str, str] = field(default_factory=dict)


def survey(lists: Sequence[Page], views: Sequence[Page], skin: Selectors | None = None) -> Survey:
    """Survey list pages ``lists`` (page 1 first) and view pages ``views`` of one board, read
    with ``skin``'s selectors preferred (the basic skin's by default)."""
    skin = skin or Selectors()
    report = Survey()
    listings = [read_list(html, url, skin=skin) for html, url in lists]
    if listings:
        _list_fields(report, listings)
    finding = body.find_body(views) if len(views) >= 2 else None
    path = finding.selector if finding is not None else None
    readings = [read_view(html, url, skin=skin, body_path=path) for html, url in views]
    if readings:
        _view_fields(report, readings, finding)
        if readings[0].body.where == body.BODY_ID and (doubt := body.doubt_container(views)):
            report.uncertain.append(f"view body: {doubt}")
    return report


def _list_fields(report: Survey, listings: list[ListReading]) -> None:
    first = listings[0]
    counts = ", ".join(f"page {r.page}: {len(r.rows)}" for r in listings)
    where = first.rows[0].where if first.rows else None
    report.fields.append(Field("list", "rows", counts, Source.ENGINE, where, _row_note(first)))
    if not first.rows:
        report.uncertain.append("list page 1 shows no posts: nothing else can be surveyed")
        return
    last = first.last_page
    _add(report, "list", "last page", last, str)
    if not last.found:
        report.uncertain.append(
            "no pagination links: the crawl walks page=N until a page brings no new posts"
        )
    _add(report, "list", "total", first.total, lambda n: f"{n}건")
    if len(listings) > 1 and not listings[1].rows:
        report.uncertain.append(f"list page 2 ({listings[1].url}) shows no posts")
    elif len(listings) > 1 and {r.post_id for r in listings[1].rows} <= {
        r.post_id for r in first.rows
    }:
        report.uncertain.append(
            f"list page 2 ({listings[1].url}) shows the posts of page 1: the board may ignore "
            "page=N"
        )
    row = _regular(first.rows)
    for name, reading, show in (
        ("row title", row.title, str),
        ("row author", row.author, str),
        ("row date", row.date, _time),
        ("row views", row.views, str),
        ("row comments", row.comment_count, str),
        ("row category", row.category, str),
    ):
        _add(report, "list", name, reading, show)


def _view_fields(
    report: Survey, readings: list[ViewReading], finding: body.BodyFinding | None
) -> None:
    first = readings[0]
    for name, get, show, needed in (
        ("title", lambda r: r.title, str, True),
        ("author", lambda r: r.author, str, True),
        ("posted", lambda r: r.posted, _time, True),
        ("views", lambda r: r.views, str, False),
        ("comment count", lambda r: r.comment_count, str, False),
        ("category", lambda r: r.category, str, False),
    ):
        _add(report, "view", name, get(first), show)
        found = [get(r).found for r in readings]
        if needed and not any(found):
            report.uncertain.append(f"view {name}: not found on any view page")
        elif needed and not all(found):
            missing = ", ".join(r.url for r, ok in zip(readings, found, strict=True) if not ok)
            report.uncertain.append(f"view {name}: found on some view pages, not on {missing}")
    posted = first.posted.value
    if posted is not None and posted.precision in _SHORT:
        report.uncertain.append(
            f"view posted: the page shows {posted.precision.value}; {_SHORT[posted.precision]}"
        )
    _add(report, "view", "body", first.body, lambda b: b.text)
    if first.body.source is Source.COMPARED and first.body.where:
        report.selectors["view_body"] = first.body.where
    elif not first.body.found:
        why = finding.reason if finding is not None else "only one view page to compare"
        report.uncertain.append(
            f"view body: cannot be told from the template ({why}); set view_body in "
            "[boards.NAME.selectors]"
        )
    names = ", ".join(f.name for f in first.files) or "-"
    report.fields.append(
        Field("view", "attachments", f"{len(first.files)} ({names})", Source.ENGINE, None)
    )
    report.fields.append(Field("view", "comments", str(len(first.comments)), Source.ENGINE, None))


def _add(
    report: Survey, page: str, name: str, reading: Reading[Any], show: Callable[[Any], str]
) -> None:
    value = show(reading.value) if reading.value is not None else "-"
    short = value.replace("\n", " / ")
    short = short if len(short) <= 60 else short[:59] + "…"
    report.fields.append(Field(page, name, short, reading.source, reading.where, reading.note))


def _time(shown: ShownTime) -> str:
    return f"{shown.text} ({shown.precision.value})"


def _regular(rows: Sequence[RowReading]) -> RowReading:
    return next((r for r in rows if not r.notice.value and not r.secret.value), rows[0])


def _row_note(listing: ListReading) -> str | None:
    notices = sum(1 for r in listing.rows if r.notice.value)
    return f"{notices} pinned notices among them" if notices else None
