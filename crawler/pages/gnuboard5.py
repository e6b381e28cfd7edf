"""GnuBoard 5 page objects: pure functions from a fetched page to items (no I/O, no Scrapy).

``parse_list`` reads a list page (``bbs/board.php?bo_table=x&page=n``) into a ``ListPage``;
``parse_view`` reads a view page (``…&wr_id=n``) into a ``Post``, or recognises the board's
definitive answers ``PostNotFound`` (the "글이 존재하지 않습니다" alert) and ``SecretPost`` (a
redirect to, or the page of, the password form). Anything else (other alert pages such as
"잘못된 접근입니다", permission alerts, login redirects, pages without the expected structure)
raises ``ParseError``; such a page never becomes an item. ``GnuBoard5Parser`` is the
``gnuboard5`` profile's parser: these two functions with the profile's selectors.

What is read where is in ``archive.selectors.Selectors`` (overridable per board); the
engine-independent selection and text helpers are in ``crawler.pages.html``. Decisions:

- ``body_html`` is the inner HTML of the body container (``#bo_v_con``) only, re-serialised by
  lxml; URLs inside it are kept as served. Images the skin shows in ``#bo_v_img`` are attached
  files (GnuBoard leaves them out of the ``#bo_v_file`` list), not the author's text, and their
  markup is generated (thumbnail names and sizes depend on board settings), so they are not in
  the body: each becomes an ``Attachment`` named by its stored file name (the ``fn`` of its
  ``view_image.php`` link) with that link as ``url`` and no size or count.
- An attachment's ``uploaded_at`` is the upload time as the entry shows it ("DATE : …", kept as
  the string shown); ``images`` are the ``<img src>`` URLs of the body, made absolute.
- ``body_text``: text of the body with script/style dropped and images ignored; ``<br>`` and
  block elements (p, div, li, tr, headings, …) end a line; table cells of a row are joined by a
  tab; runs of other whitespace (including ``&nbsp;``) become one space; lines are stripped and
  empty lines dropped. Comment texts follow the same rules.
- The password form page (what a secret post's 302 leads to, when followed) is a ``SecretPost``
  (with the title the form shows), never a ``Post``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, tzinfo
from urllib.parse import urlsplit

from parsel import Selector

from archive.items import Attachment, Comment, ListPage, ListRow, Post, PostNotFound, SecretPost
from archive.selectors import Selectors
from crawler.pages import html as markup
from crawler.pages.dates import SEOUL, find_local_datetime, parse_comment_time, resolve_list_date
from crawler.pages.errors import ParseError
from crawler.pages.profile import Profile

NOT_FOUND_TEXT = "글이 존재하지 않습니다"
DEFAULT_SELECTORS = Selectors()

_ALERT = re.compile(r"""^\s*alert\(\s*(?:"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)')""", re.S)
_VIEWS = re.compile(r"^(?:조회수?\s*:?\s*)?(\d[\d,]*)\s*회$")
_COMMENTS = re.compile(r"^(?:댓글\s*:?\s*)?(\d[\d,]*)\s*건$")
_BARE = re.compile(r"^(\d[\d,]*)$")
_SIZE = re.compile(r"\(\s*([^()]*?)\s*\)\s*$")
_DOWNLOADS = re.compile(r"(\d[\d,]*)\s*회")
_UPLOADED = re.compile(r"DATE\s*:\s*(\d{4}-\d\d-\d\d(?:\s+\d\d:\d\d(?::\d\d)?)?)", re.I)
_TOTAL = re.compile(r"Total\s*(\d[\d,]*)|(\d[\d,]*)\s*건", re.I)
_ID = re.compile(r"[0-9]{1,18}")  # ASCII digits: "١٢" and "²" are str.isdigit() too


# ---- the parser of the gnuboard5 profile ---------------------------------------------------


@dataclass(frozen=True, slots=True)
class GnuBoard5Parser:
    """The ``gnuboard5`` profile's ``PageParser``: ``parse_list``/``parse_view`` below, with the
    profile's selectors."""

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


# ---- small public helpers ------------------------------------------------------------------


def post_id_from_url(url: str | None) -> str | None:
    """The ``wr_id`` query parameter of ``url`` (digits only), or None."""
    value = markup.query_param(url, "wr_id")
    return value if value and _ID.fullmatch(value) else None


def page_from_url(url: str) -> int:
    """The ``page`` query parameter of a list URL; 1 when absent or not a positive number."""
    value = markup.query_param(url, "page")
    number = markup.to_int(value) if value and _ID.fullmatch(value) else None
    return number if number else 1


def page_alert(html: str | Selector) -> str | None:
    """The message of a GnuBoard alert page (``alert()`` as the page's own script), or None.

    Alerts inside functions (form validation) do not count: only a ``<script>`` whose code
    starts with ``alert(``, or the ``<noscript>`` fallback box ``#validation_check``.
    """
    doc = markup.doc(html)
    for code in doc.css("script::text").getall():
        m = _ALERT.match(code)
        if m:
            return markup.storable(
                markup.js_unescape(m.group(1) if m.group(1) is not None else m.group(2))
            )
    box = doc.css("#validation_check .cbg, #validation_check p")
    if box:
        return markup.text(box[0], block=True) or None
    return None


def is_not_found(html: str | Selector) -> bool:
    """Whether the page is the board's "글이 존재하지 않습니다" answer (deleted or never was)."""
    alert = page_alert(html)
    return alert is not None and NOT_FOUND_TEXT in alert


def is_secret_redirect(status: int, location: str | None) -> bool:
    """Whether a response is the redirect of a secret post's view to ``password.php``."""
    if not 300 <= status < 400 or not location:
        return False
    joined = markup.join_url("", location)
    return joined is not None and urlsplit(joined).path.rstrip("/").endswith("password.php")


def is_password_form(html: str | Selector) -> bool:
    """Whether the page is the secret-post password form (``password.php?w=s``)."""
    doc = markup.doc(html)
    return bool(doc.css('form[action*="password_check"] input[name="w"][value="s"]'))


# ---- list pages ----------------------------------------------------------------------------


def parse_list(html: str, url: str, *, today: date, selectors: Selectors | None = None) -> ListPage:
    """Parse a list page. ``today`` is the crawl day in the board's zone (for list dates).

    A page past the end has zero rows; a page that is not a list raises ``ParseError``.
    """
    s = selectors or DEFAULT_SELECTORS
    doc = markup.doc(html)
    if markup.first(doc, s.list_container) is None:
        alert = page_alert(doc)
        raise ParseError(url, s.list_container, f"alert page: {alert!r}" if alert else None)
    rows: list[ListRow] = []
    for tr in markup.select(doc, s.list_rows):
        link = markup.first(tr, s.row_link)
        if link is None:
            if markup.select(tr, s.list_empty) or not markup.text(tr):
                continue
            raise ParseError(url, s.row_link, "in a list row")
        rows.append(_parse_row(tr, link, url, today, s))
    if not rows and not markup.select(doc, s.list_empty):
        raise ParseError(url, s.list_rows, f"and no empty-list marker {s.list_empty!r}")
    return ListPage(
        url=url,
        page=page_from_url(url),
        rows=tuple(rows),
        last_page=_last_page(doc, url, s),
        total=_total(doc, s),
    )


def _parse_row(tr: Selector, link: Selector, url: str, today: date, s: Selectors) -> ListRow:
    href = link.attrib.get("href", "")
    row_url = markup.join_url(url, href)
    post_id = post_id_from_url(row_url)
    if row_url is None or post_id is None:
        raise ParseError(url, s.row_link, f"link {href!r} has no wr_id")
    title_el = markup.first(tr, s.row_title) or link
    title = markup.text(title_el, strip=s.title_strip)
    legacy_count = None
    # older skins put the comment count in the link: "제목 <.sound_only>댓글</>3<.sound_only>개</>"
    if any(markup.text(m) == "댓글" for m in title_el.css(".sound_only")):
        m = re.match(r"^(.*?)\s*(\d[\d,]*)$", title)
        if m:
            title, legacy_count = m.group(1), markup.to_int(m.group(2))
    count_el = markup.first(tr, s.row_comment_count)
    comment_count = markup.to_int(markup.text(count_el)) if count_el is not None else None
    list_date = markup.text_or_none(markup.first(tr, s.row_date)) or ""
    return ListRow(
        post_id=post_id,
        url=row_url,
        title=title,
        author=markup.text_or_none(markup.first(tr, s.row_author), strip=".sound_only, .sv"),
        list_date=list_date,
        posted_on=resolve_list_date(list_date, today) if list_date else None,
        views=markup.to_int(markup.text(markup.first(tr, s.row_views))),
        comment_count=comment_count if comment_count is not None else (legacy_count or 0),
        notice=markup.first(tr, s.row_notice) is not None,
        secret=markup.first(tr, s.row_secret) is not None,
        has_attachment=markup.first(tr, s.row_attachment) is not None,
        category=markup.text_or_none(markup.first(tr, s.row_category)),
        number=markup.text_or_none(markup.first(tr, s.row_number)),
    )


def _last_page(doc: Selector, url: str, s: Selectors) -> int | None:
    nav = markup.first(doc, s.pagination)
    if nav is None:
        return None
    end = markup.first(nav, s.pagination_last)
    if end is not None and (href := end.attrib.get("href")):
        return page_from_url(markup.join_url(url, href) or url)
    pages = [
        page_from_url(joined)
        for a in markup.select(nav, s.pagination_pages)
        if "page=" in a.attrib.get("href", "")
        and (joined := markup.join_url(url, a.attrib["href"])) is not None
    ]
    current = markup.to_int(markup.text(markup.first(nav, s.pagination_current)))
    if current is not None:  # the last page shows no "맨끝" link; a page past the end no current
        pages.append(current)
    return max(pages) if pages else page_from_url(url)


def _total(doc: Selector, s: Selectors) -> int | None:
    el = markup.first(doc, s.list_total)
    m = _TOTAL.search(markup.text(el)) if el is not None else None
    return markup.to_int(m.group(1) or m.group(2)) if m else None


# ---- view pages ----------------------------------------------------------------------------


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
    statuses and pages without the view structure raise ``ParseError``.
    """
    s = selectors or DEFAULT_SELECTORS
    post_id = post_id_from_url(url)
    if 300 <= status < 400:
        secret_id = post_id or post_id_from_url(location)
        if is_secret_redirect(status, location) and secret_id:
            return SecretPost(post_id=secret_id, url=url)
        raise ParseError(url, reason=f"HTTP {status} redirect to {location!r}")
    if not 200 <= status < 300:
        raise ParseError(url, reason=f"HTTP {status}")
    doc = markup.doc(html)
    alert = page_alert(doc)
    if alert is not None:
        if NOT_FOUND_TEXT in alert and post_id:
            return PostNotFound(post_id=post_id, url=url)
        raise ParseError(url, reason=f"alert page: {alert!r}")
    if is_password_form(doc):
        form_id = doc.css('form[action*="password_check"] input[name="wr_id"]::attr(value)').get()
        secret_id = post_id or (form_id if form_id and _ID.fullmatch(form_id) else None)
        if secret_id is None:
            raise ParseError(url, reason="password form without a wr_id")
        title = markup.text_or_none(markup.first(doc, "#pw_confirm h1, .mbskin h1"))
        return SecretPost(post_id=secret_id, url=url, title=title)
    if markup.first(doc, s.view_container) is None:
        raise ParseError(url, s.view_container, "not a view page")
    if post_id is None:
        raise ParseError(url, reason="no wr_id in the URL")
    title_el = markup.first(doc, s.view_title)
    if title_el is None:
        raise ParseError(url, s.view_title)
    body = markup.first(doc, s.view_body)
    if body is None:
        raise ParseError(url, s.view_body)
    date_text = markup.matching(doc, s.view_date, lambda t: find_local_datetime(t, tz) is not None)
    return Post(
        post_id=post_id,
        url=url,
        title=markup.text(title_el, strip=s.title_strip),
        author=markup.text_or_none(markup.first(doc, s.view_author), strip=".sound_only, .sv"),
        posted_at=find_local_datetime(date_text, tz) if date_text else None,
        body_html=markup.inner_html(body.root),
        body_text=markup.text(body, block=True),
        category=markup.text_or_none(markup.first(doc, s.view_category)),
        views=_counter(doc, s.view_views, _VIEWS),
        comment_count=_counter(doc, s.view_comment_count, _COMMENTS),
        attachments=tuple(_images(doc, url, s)) + tuple(_attachments(doc, url, s)),
        comments=tuple(_comments(doc, url, s, tz)),
        images=markup.image_urls(body, url),
        raw_page=raw_page,
    )


def _counter(doc: Selector, css: str, pattern: re.Pattern[str]) -> int | None:
    text = markup.matching(doc, css, lambda t: pattern.match(t) is not None)
    if text is None:  # a precise override may point at a bare number
        found = [t for t in markup.candidates(doc, css) if t]
        text = found[0] if len(found) == 1 and _BARE.match(found[0]) else None
    m = (pattern.match(text) or _BARE.match(text)) if text else None
    return markup.to_int(m.group(1)) if m else None


def _images(doc: Selector, url: str, s: Selectors) -> Iterator[Attachment]:
    for a in markup.select(doc, s.view_images):
        href = markup.join_url(url, a.attrib.get("href", ""))
        src = markup.join_url(url, a.css("img::attr(src)").get() or "")
        name = markup.query_param(href, "fn") or urlsplit(src or "").path.rsplit("/", 1)[-1]
        if href is not None and name:
            yield Attachment(name=name, url=href)


def _attachments(doc: Selector, url: str, s: Selectors) -> Iterator[Attachment]:
    for entry in markup.select(doc, s.attachments):
        link = markup.first(entry, s.attachment_link)
        name = markup.text(markup.first(entry, s.attachment_name), strip=".sound_only")
        if link is None or not name:
            continue
        size = _SIZE.search(
            markup.text(markup.first(entry, s.attachment_size), strip=".sound_only")
        )
        count = _DOWNLOADS.search(markup.text(markup.first(entry, s.attachment_download_count)))
        date = markup.matching(entry, s.attachment_date, lambda t: _UPLOADED.search(t) is not None)
        uploaded = _UPLOADED.search(date) if date else None
        yield Attachment(
            name=name,
            size_text=(size.group(1) or None) if size else None,
            url=markup.join_url(url, link.attrib.get("href", "")) or None,
            download_count=markup.to_int(count.group(1)) if count else None,
            uploaded_at=" ".join(uploaded.group(1).split()) if uploaded else None,
        )


def _comments(doc: Selector, url: str, s: Selectors, tz: tzinfo) -> Iterator[Comment]:
    for art in markup.select(doc, s.comments):
        id_el = markup.first(art, s.comment_id)
        m = re.search(r"\d+", id_el.attrib.get("id", "")) if id_el is not None else None
        if m is None:
            raise ParseError(url, s.comment_id, "in a comment")
        time_el = markup.first(art, s.comment_time)
        text_el = markup.first(art, s.comment_text)
        yield Comment(
            comment_id=m.group(0),
            author=markup.text_or_none(
                markup.first(art, s.comment_author), strip=".sound_only, .sv"
            ),
            posted_at=parse_comment_time(markup.text(time_el), time_el.attrib.get("datetime"), tz)
            if time_el is not None
            else None,
            text=markup.text(text_el, block=True) if text_el is not None else "",
            secret=markup.first(art, s.comment_secret) is not None,
        )
