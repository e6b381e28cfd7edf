"""``probe`` on a GnuBoard board: two list pages and two view pages, read field by field.

The skin may be any: each field is read as the crawl reads it (``crawler.pages.g5.survey``)
and the report says where it came from (the skin's selector, the engine's invariants, the
shape of a text, pages compared) and what could not be found or told. What the invariants do
not give (the body container, when it had to be found by comparing the two view pages) goes
into the configuration block the probe prints.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from http.client import HTTPException

from archive.items import ListPage
from crawler.pages.g5.survey import Survey, survey
from crawler.pages.profile import Profile

Write = Callable[[str], None]
Get = Callable[[str], tuple[int, str, str]]  # url -> (status, final url, text)
Allows = Callable[[str], bool]


@dataclass(slots=True)
class Fetched:
    """The pages the survey read, and the ones it could not fetch (with why)."""

    lists: list[tuple[str, str]] = field(default_factory=list)
    views: list[tuple[str, str]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def survey_board(
    profile: Profile,
    list_url: str,
    first_page: str,
    listing: ListPage,
    get: Get,
    allows: Allows,
    write: Write,
) -> Survey:
    """Fetch list page 2 and two view pages, survey them with list page 1, and print it."""
    fetched = Fetched(lists=[(first_page, list_url)])
    if listing.last_page is None or listing.last_page >= 2:  # no pagination: try page=2
        _fetch(profile.page_url(list_url, 2), get, allows, fetched.lists, fetched.problems)
    rows = [r for r in listing.rows if not r.notice and not r.secret] or list(listing.rows)
    for row in rows[:2]:
        _fetch(
            profile.view_url(list_url, row.post_id), get, allows, fetched.views, fetched.problems
        )
    report = survey(fetched.lists, fetched.views, profile.selectors)
    for problem in fetched.problems:
        report.uncertain.append(problem)
    show(report, fetched, write)
    return report


def _fetch(
    url: str, get: Get, allows: Allows, into: list[tuple[str, str]], problems: list[str]
) -> None:
    if not allows(url):
        problems.append(f"{url}: disallowed by robots.txt, not fetched")
        return
    try:
        status, _, text = get(url)
    except (OSError, ValueError, HTTPException) as exc:  # URLError is an OSError
        problems.append(f"{url}: cannot fetch ({exc})")
        return
    if status != 200:
        problems.append(f"{url}: HTTP {status}, not read")
        return
    into.append((text, url))


def show(report: Survey, fetched: Fetched, write: Write) -> None:
    """The survey as a table: page, field, value on the first page, source, where."""
    write(f"\nread {len(fetched.lists)} list pages and {len(fetched.views)} view pages:")
    for url in (u for _, u in (*fetched.lists, *fetched.views)):
        write(f"  {url}")
    write(f"\n  {'field':<18} {'source':<17} {'where':<34} value")
    for f in report.fields:
        where = f.where or "-"
        where = where if len(where) <= 34 else "…" + where[-33:]
        write(f"  {f.page + ' ' + f.name:<18} {f.source.value:<17} {where:<34} {f.value}")
        if f.note:
            write(f"  {'':<18} note: {f.note}")
    if report.uncertain:
        write("\nuncertain:")
        for line in report.uncertain:
            write(f"  - {line}")
    else:
        write("\nuncertain: nothing; every field was found on every page read")
