"""Page objects driven wholly by a profile: its selectors, id rules, dates and markers.

Used by the ``rhymix`` profile and by ``generic`` boards, whose config gives the selectors.
A selector is CSS, or XPath when written ``xpath://…``; like the GnuBoard selectors it may list
alternatives separated by top-level commas (``css1, css2``), tried in order. An empty selector
means the board has no such field.

``SelectorParser`` is the profiles' ``PageParser`` for these two functions:

- ``parse_list``: ``list_container`` must match (else ``ParseError`` naming it); each
  ``list_rows`` match with a ``row_link`` whose URL holds a post id is a row; no rows and no
  ``list_empty`` marker is a ``ParseError`` naming ``list_rows``. The last page is the highest
  page number among the ``pagination`` links (and ``pagination_current``).
- ``parse_view``: a page holding one of the profile's ``not_found`` texts is ``PostNotFound``;
  one matching a ``secret`` selector is ``SecretPost``; otherwise ``view_container``,
  ``view_title`` and ``view_body`` must match. Dates: the profile's ``date_formats`` first,
  then the GnuBoard readings (``2026.05.01 12:34``, ``26-05-01``, ``12:34`` today, …).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, tzinfo
from urllib.parse import urljoin

from parsel import Selector

from archive.items import Attachment, Comment, ListPage, ListRow, Post, PostNotFound, SecretPost
from archive.selectors import split_alternatives
from crawler.pages import html as markup
from crawler.pages.dates import SEOUL, find_local_datetime, resolve_list_date
from crawler.pages.errors import ParseError
from crawler.pages.profile import Profile

XPATH = "xpath:"
_SIZE = re.compile(r"(\d[\d.,]*\s*[KMGT]?i?B)\b", re.I)


# ---- selection (CSS or XPath) --------------------------------------------------------------


def select(sel: Selector, expr: str) -> list[Selector]:
    """Every match of the first alternative of ``expr`` that matches anything."""
    for alternative in split_alternatives(expr) if not expr.startswith(XPATH) else (expr,):
        found = _one(sel, alternative)
        if found:
            return found
    return []


def first(sel: Selector, expr: str) -> Selector | None:
    found = select(sel, expr)
    return found[0] if found else None


def select_all(sel: Selector, expr: str) -> list[Selector]:
    """Every match of every alternative, each once, in document order (as a CSS group)."""
    return _one(sel, expr)


def _one(sel: Selector, alternative: str) -> list[Selector]:
    if alternative.startswith(XPATH):
        return list(sel.xpath(alternative[len(XPATH) :]))
    return list(sel.css(alternative))


def text_of(sel: Selector, expr: str, *, block: bool = False) -> str | None:
    el = first(sel, expr) if expr else None
    return (markup.text(el, strip=".sound_only", block=block) or None) if el is not None else None


# ---- the parser of a profile ---------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SelectorParser:
    """A profile's ``PageParser`` reading pages wholly by its selectors, rules and markers."""

    def parse_list(self, profile: Profile, html: str, url: str, *, today: date) -> ListPage:
        return parse_list(profile, html, url, today=today)

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
            profile, html, url, status=status, location=location, raw_page=raw_page, tz=tz
        )

    def find_body(self, pages: Sequence[tuple[str, str]]) -> tuple[str | None, str]:
        """Never asked: these pages' body is the profile's ``view_body`` or a ``ParseError``."""
        return None, "this profile reads the body by its view_body selector only"

    def doubt_body(self, pages: Sequence[tuple[str, str]]) -> str | None:
        """Never doubted: the body is the profile's own ``view_body``."""
        return None


# ---- list pages ----------------------------------------------------------------------------


def parse_list(profile: Profile, html: str, url: str, *, today: date) -> ListPage:
    s = profile.selectors
    doc = markup.doc(html)
    if not s.list_container or first(doc, s.list_container) is None:
        raise ParseError(url, s.list_container or "list_container", "not a list page")
    rows: list[ListRow] = []
    for tr in select_all(doc, s.list_rows):
        link = first(tr, s.row_link)
        href = link.attrib.get("href", "") if link is not None else ""
        post_id = profile.post_id(urljoin(url, href)) if href else None
        if post_id is None:
            continue  # header rows, "no posts" rows, rows of another kind
        rows.append(_row(profile, tr, link, url, post_id, today))  # type: ignore[arg-type]
    if not rows and not (s.list_empty and first(doc, s.list_empty) is not None):
        raise ParseError(url, s.list_rows, f"no row with a post link ({s.row_link!r})")
    return ListPage(
        url=url,
        page=profile.page_number(url),
        rows=tuple(rows),
        last_page=_last_page(profile, doc, url),
        total=None,
    )


def _row(
    profile: Profile, tr: Selector, link: Selector, url: str, post_id: str, today: date
) -> ListRow:
    s = profile.selectors
    title_el = first(tr, s.row_title) if s.row_title else link
    list_date = text_of(tr, s.row_date) or "" if s.row_date else ""
    return ListRow(
        post_id=post_id,
        url=urljoin(url, link.attrib.get("href", "")),
        title=markup.text(title_el or link, strip=s.title_strip or None),
        author=text_of(tr, s.row_author) if s.row_author else None,
        list_date=list_date,
        posted_on=_list_day(profile, list_date, today) if list_date else None,
        views=markup.to_int(text_of(tr, s.row_views)) if s.row_views else None,
        comment_count=(markup.to_int(text_of(tr, s.row_comment_count)) or 0)
        if s.row_comment_count
        else 0,
        notice=bool(s.row_notice and first(tr, s.row_notice) is not None),
        secret=bool(s.row_secret and first(tr, s.row_secret) is not None),
        has_attachment=bool(s.row_attachment and first(tr, s.row_attachment) is not None),
        category=text_of(tr, s.row_category) if s.row_category else None,
        number=text_of(tr, s.row_number) if s.row_number else None,
    )


def _last_page(profile: Profile, doc: Selector, url: str) -> int | None:
    s = profile.selectors
    nav = first(doc, s.pagination) if s.pagination else None
    if nav is None:
        return None
    pages = [
        profile.page_number(urljoin(url, a.attrib["href"]))
        for a in select_all(nav, s.pagination_pages or "a")
        if a.attrib.get("href")
    ]
    if s.pagination_current:
        current = markup.to_int(text_of(nav, s.pagination_current))
        pages += [current] if current else []
    return max(pages) if pages else profile.page_number(url)


# ---- view pages ----------------------------------------------------------------------------


def parse_view(
    profile: Profile,
    html: str,
    url: str,
    *,
    status: int = 200,
    location: str | None = None,
    raw_page: bytes = b"",
    tz: tzinfo = SEOUL,
) -> Post | PostNotFound | SecretPost:
    s = profile.selectors
    post_id = profile.post_id(url)
    if 300 <= status < 400:
        raise ParseError(url, reason=f"HTTP {status} redirect to {location!r}")
    answer = status in profile.answer_statuses  # the page says what it is (Rhymix's 403/404)
    if not (200 <= status < 300 or answer):
        raise ParseError(url, reason=f"HTTP {status}")
    if post_id is None:
        raise ParseError(url, reason=f"no post id in the URL ({profile.name} profile)")
    doc = markup.doc(html)
    page_text = markup.text(first(doc, "body") or doc)
    if status != 403 and any(marker in page_text for marker in profile.not_found):
        return PostNotFound(post_id=post_id, url=url)
    if status != 404 and any(first(doc, marker) is not None for marker in profile.secret):
        return _secret(profile, doc, post_id, url, tz)
    if answer and not 200 <= status < 300:
        raise ParseError(url, reason=f"HTTP {status}, not the board's own answer")
    for name in ("view_container", "view_title", "view_body"):
        expr = getattr(s, name)
        if not expr or first(doc, expr) is None:
            raise ParseError(url, expr or name, "not a view page")
    body = first(doc, s.view_body)
    assert body is not None
    date_text = text_of(doc, s.view_date) if s.view_date else None
    return Post(
        post_id=post_id,
        url=url,
        title=markup.text(first(doc, s.view_title), strip=s.title_strip or None),
        author=text_of(doc, s.view_author) if s.view_author else None,
        posted_at=_datetime(profile, date_text, tz) if date_text else None,
        body_html=markup.inner_html(body.root),
        body_text=markup.text(body, block=True),
        category=text_of(doc, s.view_category) if s.view_category else None,
        views=markup.to_int(text_of(doc, s.view_views)) if s.view_views else None,
        comment_count=markup.to_int(text_of(doc, s.view_comment_count))
        if s.view_comment_count
        else None,
        attachments=tuple(_attachments(profile, doc, url)),
        comments=tuple(_comments(profile, doc, tz)),
        images=markup.image_urls(body, url),
        raw_page=raw_page,
    )


def _secret(profile: Profile, doc: Selector, post_id: str, url: str, tz: tzinfo) -> SecretPost:
    """A secret post, with what its page still shows (Rhymix: title, author, date, views)."""
    s = profile.selectors
    title = first(doc, s.view_title) if s.view_title else None
    date_text = text_of(doc, s.view_date) if s.view_date else None
    posted = _datetime(profile, date_text, tz) if date_text else None
    return SecretPost(
        post_id=post_id,
        url=url,
        title=markup.text(title, strip=s.title_strip or None) or None if title else None,
        author=text_of(doc, s.view_author) if s.view_author else None,
        posted_on=posted.astimezone(tz).date() if posted else None,
        views=markup.to_int(text_of(doc, s.view_views)) if s.view_views else None,
    )


def _attachments(profile: Profile, doc: Selector, url: str) -> Iterator[Attachment]:
    s = profile.selectors
    for entry in select_all(doc, s.attachments) if s.attachments else []:
        link = first(entry, s.attachment_link) if s.attachment_link else entry
        name_el = first(entry, s.attachment_name) if s.attachment_name else link
        name = markup.text(name_el, strip=".fileSize, .sound_only") if name_el else ""
        if link is None or not name:
            continue
        size = _SIZE.search(text_of(entry, s.attachment_size) or "") if s.attachment_size else None
        yield Attachment(
            name=name,
            size_text=size.group(1) if size else None,
            url=urljoin(url, link.attrib.get("href", "")) or None,
        )


def _comments(profile: Profile, doc: Selector, tz: tzinfo) -> Iterator[Comment]:
    s = profile.selectors
    for item in select_all(doc, s.comments) if s.comments else []:
        id_el = first(item, s.comment_id) if s.comment_id else item
        m = re.search(r"\d+", id_el.attrib.get("id", "")) if id_el is not None else None
        if m is None:
            continue
        when = text_of(item, s.comment_time) if s.comment_time else None
        yield Comment(
            comment_id=m.group(0),
            author=text_of(item, s.comment_author) if s.comment_author else None,
            posted_at=_datetime(profile, when, tz) if when else None,
            text=text_of(item, s.comment_text, block=True) or "" if s.comment_text else "",
            secret=bool(s.comment_secret and first(item, s.comment_secret) is not None),
        )


# ---- dates ---------------------------------------------------------------------------------


def _datetime(profile: Profile, text: str, tz: tzinfo) -> datetime | None:
    value = " ".join(text.split())
    for fmt in profile.date_formats:
        try:
            return datetime.strptime(value, fmt).replace(tzinfo=tz).astimezone(UTC)
        except ValueError:
            continue
    return find_local_datetime(value, tz)


def _list_day(profile: Profile, text: str, today: date) -> date | None:
    value = " ".join(text.split())
    for fmt in profile.date_formats:
        try:
            return datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    return resolve_list_date(value, today)
