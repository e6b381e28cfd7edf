"""GnuBoard 5 page objects: pure functions from a fetched page to items (no I/O, no Scrapy).

``parse_list`` reads a list page (``bbs/board.php?bo_table=x&page=n``) into a ``ListPage``;
``parse_view`` reads a view page (``…&wr_id=n``) into a ``Post``, or recognises the board's
definitive answers ``PostNotFound`` (the "글이 존재하지 않습니다" alert) and ``SecretPost`` (a
redirect to, or the page of, the password form). Anything else (other alert pages such as
"잘못된 접근입니다", permission alerts, login redirects, pages that are neither a list nor a
view of the board) raises ``ParseError``; such a page never becomes an item.
``GnuBoard5Parser`` is the ``gnuboard5`` profile's parser: these two functions with the
profile's selectors.

Both read a page by the skin's selectors where they match and by what the engine keeps in
every skin where they do not (``crawler.pages.g5``): row links ``board.php?bo_table&wr_id``,
``page=N`` links, the ``<title>``'s subject, ``download.php``/``view_image.php`` links, comment
anchors, the ``sv_member`` author markup. The selectors (``archive.selectors.Selectors``, the
basic skin's by default, overridable per board) say where a skin differs; a board on an
unknown skin needs none. Decisions:

- ``body_html`` is the inner HTML of the body container (the skin's ``view_body``, else
  ``#bo_v_con``, which most skins keep), re-serialised by lxml; URLs inside it are kept as
  served. Where neither is on the page, the body is not read (``BodyNotFound``, a
  ``ParseError``): the spider finds the container by comparing view pages of the board
  (``GnuBoard5Parser.find_body``), or the board sets ``view_body``. Template text is never
  archived as a body.
- Images the skin shows from ``view_image.php`` links are attached files (GnuBoard leaves them
  out of the file list), not the author's text: each becomes an ``Attachment`` named by its
  stored file name with that link as ``url``. An attachment's ``uploaded_at`` is the upload
  time as the entry shows it ("DATE : …", kept as the string shown); ``images`` are the
  ``<img src>`` URLs of the body, made absolute.
- ``body_text``: text of the body with script/style dropped and images ignored; ``<br>`` and
  block elements end a line; table cells of a row are joined by a tab; runs of other
  whitespace become one space; lines are stripped and empty lines dropped. Comment texts
  follow the same rules.
- ``posted_at`` is set only when the page shows the date with its year and the time; a list
  row's date is kept as shown (``list_date``) and as the day it means (``posted_on``).
- The password form page (what a secret post's 302 leads to, when followed) is a ``SecretPost``
  (with the title the form shows), never a ``Post``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, tzinfo

from archive.items import ListPage, Post, PostNotFound, SecretPost
from archive.selectors import Selectors
from crawler.pages import html as markup
from crawler.pages.dates import SEOUL
from crawler.pages.errors import ParseError
from crawler.pages.g5 import body, items
from crawler.pages.g5.answers import NOT_FOUND_TEXT, engine_answer, page_alert
from crawler.pages.g5.listing import read_list
from crawler.pages.g5.view import read_view
from crawler.pages.profile import Profile

__all__ = [
    "NOT_FOUND_TEXT",
    "GnuBoard5Parser",
    "page_from_url",
    "parse_list",
    "parse_view",
    "post_id_from_url",
]

DEFAULT_SELECTORS = Selectors()


@dataclass(frozen=True, slots=True)
class GnuBoard5Parser:
    """The ``gnuboard5`` profile's ``PageParser``: ``parse_list``/``parse_view`` below, with the
    profile's selectors, and the body container found by comparing view pages."""

    def parse_list(self, profile: Profile, html: str, url: str, *, today: date) -> ListPage:
        return parse_list(html, url, today=today, selectors=profile.selectors)

    def parse_view(
        self,
        profile: Profile,
        html: str,
        url: str,
        *,
        status: int,
        location: str | None,
        raw_page: bytes,
        tz: tzinfo,
    ) -> Post | PostNotFound | SecretPost:
        return parse_view(
            html,
            url,
            status=status,
            location=location,
            selectors=profile.selectors,
            raw_page=raw_page,
            tz=tz,
        )

    def find_body(self, pages: Sequence[tuple[str, str]]) -> tuple[str | None, str]:
        """The body container's selector in view pages ``(html, url)`` of one board, found by
        comparing them, or None and why it cannot be told."""
        finding = body.find_body(pages)
        return finding.selector, finding.reason

    def doubt_body(self, pages: Sequence[tuple[str, str]]) -> str | None:
        """Why ``#bo_v_con`` (read when no ``view_body`` is configured) may not hold the post
        of view pages ``(html, url)`` of one board (``body.doubt_container``), or None."""
        return body.doubt_container(pages)


def post_id_from_url(url: str | None) -> str | None:
    """The ``wr_id`` query parameter of ``url`` (ASCII digits only), or None."""
    value = markup.query_param(url, "wr_id")
    return value if value and value.isascii() and value.isdigit() and len(value) <= 18 else None


def page_from_url(url: str) -> int:
    """The ``page`` query parameter of a list URL; 1 when absent or not a positive number."""
    value = markup.query_param(url, "page") or ""
    number = int(value) if value.isascii() and value.isdigit() and len(value) <= 18 else 0
    return number or 1


def parse_list(html: str, url: str, *, today: date, selectors: Selectors | None = None) -> ListPage:
    """Parse a list page. ``today`` is the crawl day in the board's zone (for list dates).

    A page past the end has zero rows (and the board's list form, or the engine's list
    ``<title>`` "BOARD N 페이지"); a page with none of them is not a list of the board and
    raises ``ParseError``.
    """
    page = markup.doc(html)  # parsed once, read twice
    alert = page_alert(page)
    if alert is not None:
        raise ParseError(url, reason=f"alert page: {alert!r}")
    reading = read_list(page, url, skin=selectors or DEFAULT_SELECTORS)
    if not reading.board_form and reading.view_subject is not None:
        raise ParseError(
            url, reason=f"a view page (<title> {reading.view_subject!r} > …), not the list"
        )
    if not reading.rows and not reading.board_form and not reading.list_title:
        raise ParseError(
            url,
            reason=f"not a list page of board {reading.bo_table!r}: no links to its posts "
            f"(bo_table={reading.bo_table}&wr_id=N) and no list form (if a browser shows "
            'posts there, a script builds the list: render = "browser")',
        )
    return items.list_page(reading, today)


def parse_view(
    html: str,
    url: str,
    *,
    status: int = 200,
    location: str | None = None,
    selectors: Selectors | None = None,
    raw_page: bytes = b"",
    tz: tzinfo = SEOUL,
) -> Post | PostNotFound | SecretPost:
    """Parse a view page fetched from ``url`` (``status`` and ``Location`` as received).

    A redirect to ``password.php`` (or the password form itself) is a ``SecretPost``; the
    "글이 존재하지 않습니다" alert is a ``PostNotFound``; other alerts, other redirects, error
    statuses and pages without a post raise ``ParseError`` (``BodyNotFound`` when only the
    body container is not known).
    """
    page = markup.doc(html)  # parsed once, read twice
    answer = engine_answer(status, location, page, url)
    if answer is not None:
        return items.answer(answer, url)
    reading = read_view(page, url, skin=selectors or DEFAULT_SELECTORS)
    return items.post(reading, raw_page=raw_page, tz=tz)
