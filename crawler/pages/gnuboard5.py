"""GnuBoard 5 page objects: pure functions from a fetched page to items (no I/O, no Scrapy).

``parse_list`` reads a list page (``bbs/board.php?bo_table=x&page=n``) into a ``ListPage``;
``parse_view`` reads a view page (``…&wr_id=n``) into a ``Post``, or recognises the board's
definitive answers ``PostNotFound`` (the "글이 존재하지 않습니다" alert) and ``SecretPost`` (a
redirect to, or the page of, the password form). Anything else (other alert pages such as
"잘못된 접근입니다", permission alerts, login redirects, pages without the expected structure)
raises ``ParseError``; such a page never becomes an item.

What is read where is in ``archive.selectors.Selectors`` (overridable per board). Decisions:

- ``body_html`` is the inner HTML of the body container (``#bo_v_con``) only, re-serialised by
  lxml; URLs inside it are kept as served. Images the skin shows in ``#bo_v_img`` are attached
  files (GnuBoard leaves them out of the ``#bo_v_file`` list), not the author's text, and their
  markup is generated (thumbnail names and sizes depend on board settings), so they are not in
  the body: each becomes an ``Attachment`` named by its stored file name (the ``fn`` of its
  ``view_image.php`` link) with that link as ``url`` and no size or count.
- ``body_text``: text of the body with script/style dropped and images ignored; ``<br>`` and
  block elements (p, div, li, tr, headings, …) end a line; table cells of a row are joined by a
  tab; runs of other whitespace (including ``&nbsp;``) become one space; lines are stripped and
  empty lines dropped. Comment texts follow the same rules.
- The password form page (what a secret post's 302 leads to, when followed) is a ``SecretPost``
  (with the title the form shows), never a ``Post``.
"""

from __future__ import annotations

import html as html_lib
import re
from collections.abc import Callable, Iterator
from datetime import date, tzinfo
from urllib.parse import parse_qs, urljoin, urlsplit

from lxml import etree
from parsel import Selector

from archive.items import Attachment, Comment, ListPage, ListRow, Post, PostNotFound, SecretPost
from archive.selectors import Selectors, split_alternatives
from crawler.pages.dates import SEOUL, find_local_datetime, parse_comment_time, resolve_list_date
from crawler.pages.errors import ParseError

NOT_FOUND_TEXT = "글이 존재하지 않습니다"
DEFAULT_SELECTORS = Selectors()

_BLOCK_TAGS = (
    "address article aside blockquote caption center dd details dir div dl dt fieldset "
    "figcaption figure footer form h1 h2 h3 h4 h5 h6 header hr legend li main menu nav ol p "
    "pre section summary table tbody tfoot thead tr ul"
)
_BLOCK = frozenset(_BLOCK_TAGS.split())
_CELLS = frozenset({"td", "th"})
_SKIP = frozenset({"script", "style", "template", "noscript", "textarea", "select", "button"})
_WS = re.compile(r"\s+")
_ALERT = re.compile(r"""^\s*alert\(\s*(?:"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)')""", re.S)
_JS_ESCAPE = re.compile(r"\\(u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|.)", re.S)
_NUMBER = re.compile(r"\d[\d,]*")
_VIEWS = re.compile(r"^(?:조회수?\s*:?\s*)?(\d[\d,]*)\s*회$")
_COMMENTS = re.compile(r"^(?:댓글\s*:?\s*)?(\d[\d,]*)\s*건$")
_BARE = re.compile(r"^(\d[\d,]*)$")
_SIZE = re.compile(r"\(\s*([^()]*?)\s*\)\s*$")
_DOWNLOADS = re.compile(r"(\d[\d,]*)\s*회")
_TOTAL = re.compile(r"Total\s*(\d[\d,]*)|(\d[\d,]*)\s*건", re.I)


# ---- small public helpers ------------------------------------------------------------------


def post_id_from_url(url: str | None) -> str | None:
    """The ``wr_id`` query parameter of ``url`` (digits only), or None."""
    value = _query_param(url, "wr_id")
    return value if value and value.isdigit() else None


def page_from_url(url: str) -> int:
    """The ``page`` query parameter of a list URL; 1 when absent or not a positive number."""
    value = _query_param(url, "page")
    return int(value) if value and value.isdigit() and int(value) > 0 else 1


def page_alert(html: str | Selector) -> str | None:
    """The message of a GnuBoard alert page (``alert()`` as the page's own script), or None.

    Alerts inside functions (form validation) do not count: only a ``<script>`` whose code
    starts with ``alert(``, or the ``<noscript>`` fallback box ``#validation_check``.
    """
    doc = _doc(html)
    for code in doc.css("script::text").getall():
        m = _ALERT.match(code)
        if m:
            return _js_unescape(m.group(1) if m.group(1) is not None else m.group(2))
    box = doc.css("#validation_check .cbg, #validation_check p")
    if box:
        return _text(box[0], block=True) or None
    return None


def is_not_found(html: str | Selector) -> bool:
    """Whether the page is the board's "글이 존재하지 않습니다" answer (deleted or never was)."""
    alert = page_alert(html)
    return alert is not None and NOT_FOUND_TEXT in alert


def is_secret_redirect(status: int, location: str | None) -> bool:
    """Whether a response is the redirect of a secret post's view to ``password.php``."""
    if not 300 <= status < 400 or not location:
        return False
    return urlsplit(location).path.rstrip("/").endswith("password.php")


def is_password_form(html: str | Selector) -> bool:
    """Whether the page is the secret-post password form (``password.php?w=s``)."""
    doc = _doc(html)
    return bool(doc.css('form[action*="password_check"] input[name="w"][value="s"]'))


# ---- list pages ----------------------------------------------------------------------------


def parse_list(html: str, url: str, *, today: date, selectors: Selectors | None = None) -> ListPage:
    """Parse a list page. ``today`` is the crawl day in the board's zone (for list dates).

    A page past the end has zero rows; a page that is not a list raises ``ParseError``.
    """
    s = selectors or DEFAULT_SELECTORS
    doc = _doc(html)
    if _first(doc, s.list_container) is None:
        alert = page_alert(doc)
        raise ParseError(url, s.list_container, f"alert page: {alert!r}" if alert else None)
    rows: list[ListRow] = []
    for tr in doc.css(s.list_rows):
        link = _first(tr, s.row_link)
        if link is None:
            if tr.css(s.list_empty) or not _text(tr):
                continue
            raise ParseError(url, s.row_link, "in a list row")
        rows.append(_parse_row(tr, link, url, today, s))
    if not rows and not doc.css(s.list_empty):
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
    row_url = urljoin(url, href)
    post_id = post_id_from_url(row_url)
    if post_id is None:
        raise ParseError(url, s.row_link, f"link {href!r} has no wr_id")
    title_el = _first(tr, s.row_title) or link
    title = _text(title_el, strip=s.title_strip)
    legacy_count = None
    # older skins put the comment count in the link: "제목 <.sound_only>댓글</>3<.sound_only>개</>"
    if any(_text(m) == "댓글" for m in title_el.css(".sound_only")):
        m = re.match(r"^(.*?)\s*(\d[\d,]*)$", title)
        if m:
            title, legacy_count = m.group(1), _to_int(m.group(2))
    count_el = _first(tr, s.row_comment_count)
    comment_count = _to_int(_text(count_el)) if count_el is not None else None
    list_date = _text_or_none(_first(tr, s.row_date)) or ""
    return ListRow(
        post_id=post_id,
        url=row_url,
        title=title,
        author=_text_or_none(_first(tr, s.row_author), strip=".sound_only, .sv"),
        list_date=list_date,
        posted_on=resolve_list_date(list_date, today) if list_date else None,
        views=_to_int(_text(_first(tr, s.row_views))),
        comment_count=comment_count if comment_count is not None else (legacy_count or 0),
        notice=_first(tr, s.row_notice) is not None,
        secret=_first(tr, s.row_secret) is not None,
        has_attachment=_first(tr, s.row_attachment) is not None,
        category=_text_or_none(_first(tr, s.row_category)),
        number=_text_or_none(_first(tr, s.row_number)),
    )


def _last_page(doc: Selector, url: str, s: Selectors) -> int | None:
    nav = _first(doc, s.pagination)
    if nav is None:
        return None
    end = _first(nav, s.pagination_last)
    if end is not None and (href := end.attrib.get("href")):
        return page_from_url(urljoin(url, href))
    pages = [
        page_from_url(urljoin(url, a.attrib["href"]))
        for a in nav.css(s.pagination_pages)
        if "page=" in a.attrib.get("href", "")
    ]
    current = _to_int(_text(_first(nav, s.pagination_current)))
    if current is not None:  # the last page shows no "맨끝" link; a page past the end no current
        pages.append(current)
    return max(pages) if pages else page_from_url(url)


def _total(doc: Selector, s: Selectors) -> int | None:
    el = _first(doc, s.list_total)
    m = _TOTAL.search(_text(el)) if el is not None else None
    return _to_int(m.group(1) or m.group(2)) if m else None


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
    doc = _doc(html)
    alert = page_alert(doc)
    if alert is not None:
        if NOT_FOUND_TEXT in alert and post_id:
            return PostNotFound(post_id=post_id, url=url)
        raise ParseError(url, reason=f"alert page: {alert!r}")
    if is_password_form(doc):
        form_id = doc.css('form[action*="password_check"] input[name="wr_id"]::attr(value)').get()
        secret_id = post_id or (form_id if form_id and form_id.isdigit() else None)
        if secret_id is None:
            raise ParseError(url, reason="password form without a wr_id")
        title = _text_or_none(_first(doc, "#pw_confirm h1, .mbskin h1"))
        return SecretPost(post_id=secret_id, url=url, title=title)
    if _first(doc, s.view_container) is None:
        raise ParseError(url, s.view_container, "not a view page")
    if post_id is None:
        raise ParseError(url, reason="no wr_id in the URL")
    title_el = _first(doc, s.view_title)
    if title_el is None:
        raise ParseError(url, s.view_title)
    body = _first(doc, s.view_body)
    if body is None:
        raise ParseError(url, s.view_body)
    date_text = _matching(doc, s.view_date, lambda t: find_local_datetime(t, tz) is not None)
    return Post(
        post_id=post_id,
        url=url,
        title=_text(title_el, strip=s.title_strip),
        author=_text_or_none(_first(doc, s.view_author), strip=".sound_only, .sv"),
        posted_at=find_local_datetime(date_text, tz) if date_text else None,
        body_html=_inner_html(body.root),
        body_text=_text(body, block=True),
        category=_text_or_none(_first(doc, s.view_category)),
        views=_counter(doc, s.view_views, _VIEWS),
        comment_count=_counter(doc, s.view_comment_count, _COMMENTS),
        attachments=tuple(_images(doc, url, s)) + tuple(_attachments(doc, url, s)),
        comments=tuple(_comments(doc, url, s, tz)),
        raw_page=raw_page,
    )


def _counter(doc: Selector, css: str, pattern: re.Pattern[str]) -> int | None:
    text = _matching(doc, css, lambda t: pattern.match(t) is not None)
    if text is None:  # a precise override may point at a bare number
        found = [t for t in _candidates(doc, css) if t]
        text = found[0] if len(found) == 1 and _BARE.match(found[0]) else None
    m = (pattern.match(text) or _BARE.match(text)) if text else None
    return _to_int(m.group(1)) if m else None


def _images(doc: Selector, url: str, s: Selectors) -> Iterator[Attachment]:
    for a in doc.css(s.view_images):
        href = urljoin(url, a.attrib.get("href", ""))
        src = urlsplit(a.css("img::attr(src)").get() or "").path
        name = _query_param(href, "fn") or src.rsplit("/", 1)[-1]
        if name:
            yield Attachment(name=name, url=href)


def _attachments(doc: Selector, url: str, s: Selectors) -> Iterator[Attachment]:
    for entry in doc.css(s.attachments):
        link = _first(entry, s.attachment_link)
        name = _text(_first(entry, s.attachment_name), strip=".sound_only")
        if link is None or not name:
            continue
        size = _SIZE.search(_text(_first(entry, s.attachment_size), strip=".sound_only"))
        count = _DOWNLOADS.search(_text(_first(entry, s.attachment_download_count)))
        yield Attachment(
            name=name,
            size_text=(size.group(1) or None) if size else None,
            url=urljoin(url, link.attrib.get("href", "")) or None,
            download_count=_to_int(count.group(1)) if count else None,
        )


def _comments(doc: Selector, url: str, s: Selectors, tz: tzinfo) -> Iterator[Comment]:
    for art in doc.css(s.comments):
        id_el = _first(art, s.comment_id)
        m = re.search(r"\d+", id_el.attrib.get("id", "")) if id_el is not None else None
        if m is None:
            raise ParseError(url, s.comment_id, "in a comment")
        time_el = _first(art, s.comment_time)
        text_el = _first(art, s.comment_text)
        yield Comment(
            comment_id=m.group(0),
            author=_text_or_none(_first(art, s.comment_author), strip=".sound_only, .sv"),
            posted_at=parse_comment_time(_text(time_el), time_el.attrib.get("datetime"), tz)
            if time_el is not None
            else None,
            text=_text(text_el, block=True) if text_el is not None else "",
            secret=_first(art, s.comment_secret) is not None,
        )


# ---- selection and text --------------------------------------------------------------------


def _doc(html: str | Selector) -> Selector:
    return (
        html if isinstance(html, Selector) else Selector(text=html or "<html></html>", type="html")
    )


def _first(sel: Selector, css: str) -> Selector | None:
    """The first match of the first alternative of ``css`` that matches anything."""
    for alternative in split_alternatives(css):
        found = sel.css(alternative)
        if found:
            return found[0]
    return None


def _candidates(sel: Selector, css: str) -> Iterator[str]:
    """Texts of every match, alternative by alternative."""
    for alternative in split_alternatives(css):
        yield from (_text(el, strip=".sound_only") for el in sel.css(alternative))


def _matching(sel: Selector, css: str, accept: Callable[[str], bool]) -> str | None:
    return next((t for t in _candidates(sel, css) if accept(t)), None)


def _text(sel: Selector | None, *, strip: str | None = None, block: bool = False) -> str:
    """Readable text of ``sel`` minus elements matching ``strip`` (see the module notes)."""
    if sel is None:
        return ""
    root = sel.root
    skip = {el.root for el in sel.css(strip) if el.root is not root} if strip else set()
    out: list[str] = []
    sep = "\n" if block else " "  # what <br> and block boundaries become

    def walk(node: etree._Element) -> None:
        tag = node.tag.lower() if isinstance(node.tag, str) else ""
        if not tag or tag in _SKIP or node in skip:
            return
        if tag == "br" or tag in _BLOCK:
            out.append(sep)
        elif tag in _CELLS and _follows_cell(node):
            out.append("\t" if block else " ")
        if node.text:
            out.append(_WS.sub(" ", node.text))
        for child in node:
            walk(child)
            if child.tail:
                out.append(_WS.sub(" ", child.tail))
        if tag in _BLOCK:
            out.append(sep)

    walk(root)
    if not block:
        return " ".join("".join(out).split())
    lines = (
        "\t".join(" ".join(c.split()) for c in ln.split("\t")) for ln in "".join(out).split("\n")
    )
    return "\n".join(ln for ln in lines if ln.strip())


def _text_or_none(sel: Selector | None, *, strip: str | None = ".sound_only") -> str | None:
    return _text(sel, strip=strip) or None


def _follows_cell(node: etree._Element) -> bool:
    return any(
        isinstance(sib.tag, str) and sib.tag.lower() in _CELLS
        for sib in node.itersiblings(preceding=True)
    )


def _inner_html(el: etree._Element) -> str:
    parts = [html_lib.escape(el.text, quote=False)] if el.text else []
    parts.extend(
        etree.tostring(child, method="html", encoding="unicode", with_tail=True) for child in el
    )
    return "".join(parts).strip()


def _query_param(url: str | None, name: str) -> str | None:
    if not url:
        return None
    values = parse_qs(urlsplit(url).query).get(name)
    return values[0].strip() if values else None


def _to_int(text: str | None) -> int | None:
    m = _NUMBER.search(text or "")
    return int(m.group(0).replace(",", "")) if m else None


def _js_unescape(text: str) -> str:
    simple = {"n": "\n", "t": "\t", "r": "\r", "b": "\b", "f": "\f", "v": "\v", "0": "\0"}

    def replace(m: re.Match[str]) -> str:
        code = m.group(1)
        if code[0] in "ux" and len(code) > 1:
            return chr(int(code[1:], 16))
        return simple.get(code, code)

    return _JS_ESCAPE.sub(replace, text)
