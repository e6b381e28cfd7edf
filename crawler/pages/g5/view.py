"""A GnuBoard 5 view page read by its invariants: title, author, time, body, files, comments.

``read_view(html, url)`` reads a page that is a post (tell the engine's other answers first
with ``answers.engine_answer``). Per field, in order (each ``Reading`` says which one):

- title: the skin's ``view_title`` where known; else the subject ``board.php`` puts in the
  ``<title>``: ``strip_tags(conv_subject(subject, 255)) > BOARD`` and ``head.sub.php`` adds
  `` | SITE`` (``SUBJECT > BOARD | SITE`` in 5.4 and 5.6, ``SUBJECT > BOARD`` on older sites),
  so the subject is what comes before the last `` > `` (or before `` > BOARD`` when the
  board's name is given). The element showing that text is the title element (where the info
  region starts); a skin's title cut short (the basic skin cuts at 70 characters) is noted.
- body: the skin's ``view_body``; else ``#bo_v_con`` (kept by most skins: the engine's image
  resizing script targets it); else ``body_path``, a selector found by comparing view pages of
  the board (``body.find_body``); else not found: nothing else is taken for the body.
- author, posted time, views, comment count: ``view_info``; attachments and attached images:
  ``attachments``; comments: ``comments``; category: the skin's ``view_category``.
"""

from __future__ import annotations

from dataclasses import dataclass

from lxml import etree
from parsel import Selector

from archive.selectors import Selectors
from crawler.pages import html as markup
from crawler.pages import page_text
from crawler.pages.errors import ParseError
from crawler.pages.g5 import links, nodes, view_info
from crawler.pages.g5.attachments import FileReading, ImageLink, find_files, read_images
from crawler.pages.g5.comments import CommentReading, find_comments
from crawler.pages.g5.readings import Reading, ShownTime, Source, css_path, not_found
from crawler.pages.g5.row_title import TITLE_STRIP

#: the body container most skins keep (the engine's ``viewimageresize`` targets it)
BODY_ID = "#bo_v_con"


@dataclass(frozen=True, slots=True)
class Body:
    """The post's own content: the container's inner HTML and text (``markup`` rules)."""

    html: str
    text: str
    images: tuple[str, ...]  # absolute ``<img src>`` URLs in it


@dataclass(frozen=True, slots=True)
class ViewReading:
    """A view page (a post the visitor may read)."""

    post_id: str
    url: str
    bo_table: str
    title: Reading[str]
    category: Reading[str]
    author: Reading[str]
    posted: Reading[ShownTime]
    views: Reading[int]
    comment_count: Reading[int]
    body: Reading[Body]
    files: tuple[FileReading, ...]
    images: tuple[ImageLink, ...]
    comments: tuple[CommentReading, ...]


def read_view(
    html: str | Selector,
    url: str,
    *,
    bo_table: str | None = None,
    skin: Selectors | None = None,
    body_path: str | None = None,
    board_title: str | None = None,
) -> ViewReading:
    """Read the view page ``html`` fetched from ``url``. ``skin``: a skin's selectors to
    prefer where they match (None: invariants only); ``body_path``: the body's selector found
    by comparing pages; ``board_title``: the board's name, to cut the ``<title>`` exactly.
    Raises ``ParseError`` when the URL names no board or no post."""
    table = bo_table or links.board_table(url)
    post_id = links.post_id(url, table) if table else None
    if table is None or post_id is None:
        raise ParseError(url, reason="no bo_table and wr_id in the view URL")
    root = markup.doc(html).root
    with page_text.reading(root):
        return _read(root, url, table, post_id, skin, body_path, board_title)


def _read(
    root: etree._Element,
    url: str,
    table: str,
    post_id: str,
    skin: Selectors | None,
    body_path: str | None,
    board_title: str | None,
) -> ViewReading:
    title, title_el = _title(root, skin, board_title)
    body, body_el = _body(root, url, skin, body_path)
    inside_body = [body_el] if body_el is not None else []
    comments = find_comments(root, url, table, skin=skin, exclude=inside_body)
    files = find_files(root, url, table, post_id)
    boxes = [box for box, _ in comments] + [box for box, _ in files]
    excluded = boxes + other_posts(root, url, table, post_id)
    region = view_info.InfoRegion.of(root, title_el, body_el, excluded)
    return ViewReading(
        post_id=post_id,
        url=url,
        bo_table=table,
        title=title,
        category=_category(root, skin),
        author=view_info.read_author(root, region, skin),
        posted=view_info.read_posted(root, region, skin),
        views=view_info.read_views(root, region, skin),
        comment_count=view_info.read_comment_count(root, region, skin),
        body=body,
        files=tuple(f for _, f in files),
        images=read_images(root, url, table),
        comments=tuple(c for _, c in comments),
    )


# ---- title ---------------------------------------------------------------------------------


def title_subject(root: etree._Element, board_title: str | None = None) -> str | None:
    """The subject in the page's ``<title>`` (``SUBJECT > BOARD | SITE``), or None."""
    head = next(root.iter("title"), None)
    full = " ".join((head.text or "").split()) if head is not None else ""
    if board_title:
        cut = full.rfind(f" > {' '.join(board_title.split())}")
        if cut > 0:
            return full[:cut].strip() or None
    subject, sep, _ = full.rpartition(" > ")
    return subject.strip() or None if sep else None


def _title(
    root: etree._Element, skin: Selectors | None, board_title: str | None
) -> tuple[Reading[str], etree._Element | None]:
    subject = title_subject(root, board_title)
    if skin is not None:
        found = markup.first(nodes.selector(root), skin.view_title)
        text = nodes.element_text(found.root, strip=skin.title_strip) if found is not None else ""
        if found is not None and text:
            cut = subject is not None and subject != text and subject.startswith(text.rstrip("…"))
            note = f"cut short; the <title> has {subject!r}" if cut else None
            return Reading(text, Source.SKIN, skin.view_title, note), found.root
    if subject is None:
        return not_found("no 'SUBJECT > BOARD' <title>"), None
    shown = showing(root, subject)
    where = f"<title> (shown in {css_path(shown)})" if shown is not None else "<title>"
    note = None if shown is not None else "no element shows the subject"
    return Reading(subject, Source.ENGINE, where, note), shown


def showing(root: etree._Element, subject: str) -> etree._Element | None:
    """The first element outside ``<head>`` and links whose text is ``subject`` (a cut
    subject's start will do), headings first."""
    body = next(root.iter("body"), root)
    stem = subject.rstrip("…").strip()
    matches = [
        el
        for el in nodes.elements(body)
        if nodes.tag(el) != "a"
        and not any(nodes.tag(a) == "a" for a in nodes.ancestors(el))
        and (text := nodes.element_text(el, strip=TITLE_STRIP))
        and (text == subject or (stem != subject and text.startswith(stem)))
    ]
    headings = [m for m in matches if nodes.tag(m) in ("h1", "h2", "h3", "h4", "h5", "h6")]
    return (headings or matches or [None])[0]


# ---- body ------------------------------------------------------------------------------------


def _body(
    root: etree._Element, url: str, skin: Selectors | None, body_path: str | None
) -> tuple[Reading[Body], etree._Element | None]:
    tries = [
        (skin.view_body if skin is not None else "", Source.SKIN),
        (BODY_ID, Source.SKIN),
        (body_path or "", Source.COMPARED),
    ]
    for css, source in tries:
        found = markup.first(nodes.selector(root), css) if css else None
        if found is not None:
            body = Body(
                html=markup.inner_html(found.root),
                text=markup.text(found, block=True),
                images=markup.image_urls(found, url),
            )
            return Reading(body, source, css), found.root
    return not_found("no #bo_v_con: compare view pages (body.find_body) or set view_body"), None


def _category(root: etree._Element, skin: Selectors | None) -> Reading[str]:
    if skin is None or not skin.view_category:
        return not_found()
    found = markup.first(nodes.selector(root), skin.view_category)
    text = nodes.element_text(found.root, strip=".sound_only") if found is not None else ""
    return Reading(text, Source.SKIN, skin.view_category) if text else not_found()


def other_posts(root: etree._Element, url: str, table: str, post_id: str) -> list[etree._Element]:
    """Links to other posts with their parent (where the other post's date sits: previous and
    next post links): never the post's own info."""
    boxes = []
    for a, link in nodes.links(root, url):
        other = links.post_id(link, table)
        if other is not None and other != post_id:
            parent = a.getparent()
            boxes.append(parent if parent is not None else a)
    return boxes
