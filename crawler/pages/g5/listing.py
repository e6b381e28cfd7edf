"""A GnuBoard 5 list page read by its invariants: rows, pagination, the board's post count.

``read_list(html, url)`` finds the board (``bo_table``) from the list URL, the rows from their
links (``rows``), and:

- ``last_page``: the ``page=N`` of the engine's "맨끝" link (``get_paging``'s ``a.pg_end``,
  exact) or else the highest ``page=N`` linked to this board's list (the current page counts
  when the page has rows); without any ``page=N`` link it is not found: one page, or a skin
  that prints no pagination (the crawl must then walk ``page=N`` itself);
- ``total``: the count a skin prints from the engine's ``$total_count`` (``Total 119건``,
  ``전체 34건``, ``총 34건``), outside the rows; not found when the skin shows none;
- ``board_form``: whether the page has this board's list form (``bo_table`` in a form posting
  to ``board_list_update.php``), which tells an empty list page from another page;
- ``view_subject``: the subject in a view page's ``<title>`` (``SUBJECT > BOARD``; a list's is
  ``BOARD N 페이지``), which tells a view page (with links to other posts) from the list;
- ``list_title``: whether the ``<title>`` is that list title (``board.php`` sets it, whatever
  the skin), which tells an empty list page of a skin without the list form.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lxml import etree
from parsel import Selector

from archive.selectors import Selectors
from crawler.pages import html as markup
from crawler.pages import page_text
from crawler.pages.errors import ParseError
from crawler.pages.g5 import links, nodes
from crawler.pages.g5.readings import Reading, Source, css_path, not_found
from crawler.pages.g5.rows import RowReading, find_rows
from crawler.pages.g5.view import title_subject

_TOTAL = re.compile(
    r"(?:^|\s)(?:(total)|전체|총)\s*[:：]?\s*(\d[\d,]*)\s*(건|개|posts?)?(?!\s*(?:페이지|page))",
    re.I,
)


_LIST_TITLE = re.compile(r"\s(\d*) 페이지(?:\s+\||\s*$)")


@dataclass(frozen=True, slots=True)
class ListReading:
    """A list page: its rows and what it says about the board's size."""

    url: str
    bo_table: str
    page: int  # the page asked for (``page=N`` of the URL; 1 without)
    rows: tuple[RowReading, ...]
    last_page: Reading[int]
    total: Reading[int]
    linked_pages: tuple[int, ...]  # every ``page=N`` linked, ascending
    board_form: bool
    # the subject of a view page's ``<title>`` (``SUBJECT > BOARD``); a list's title is
    # ``BOARD N 페이지``, so a page with it is a view page, not the list
    view_subject: str | None
    # whether the ``<title>`` is the engine's list title ``BOARD N 페이지`` (N this page, blank
    # on page 1 without ``page=``): what tells an empty list page of a skin without the form
    list_title: bool


def read_list(
    html: str | Selector, url: str, *, bo_table: str | None = None, skin: Selectors | None = None
) -> ListReading:
    """Read the list page ``html`` fetched from ``url`` (of board ``bo_table``, by default the
    one the URL names). ``skin`` is a skin's selectors to prefer where they match; None reads
    by the invariants only. Raises ``ParseError`` when no board can be named."""
    table = bo_table or links.board_table(url)
    if table is None:
        raise ParseError(url, reason="no bo_table in the list URL")
    root = markup.doc(html).root
    with page_text.reading(root):
        return _read(root, url, table, skin)


def _read(root: etree._Element, url: str, table: str, skin: Selectors | None) -> ListReading:
    rows = find_rows(root, url, table, skin)
    page = links.list_page(url, table) or 1
    pages = sorted({n for _, u in nodes.links(root, url) if (n := links.list_page(u, table))})
    return ListReading(
        url=url,
        bo_table=table,
        page=page,
        rows=rows,
        last_page=_last_page(root, url, table, pages, page if rows else None),
        total=_total(root),
        linked_pages=tuple(pages),
        board_form=_board_form(root, table),
        view_subject=title_subject(root),
        list_title=_list_title(root, page),
    )


def _last_page(
    root: etree._Element, url: str, table: str, pages: list[int], current: int | None
) -> Reading[int]:
    for a, link in nodes.links(root, url):
        number = links.list_page(link, table)
        if number is not None and "pg_end" in nodes.classes(a):
            return Reading(max(number, current or 0), Source.ENGINE, "a.pg_end")
    if not pages:
        return not_found("no page=N links: one page, or a skin without pagination")
    return Reading(
        max([*pages, current or 0]),
        Source.ENGINE,
        "a[href*=page=]",
        "the highest page linked: a pagination window may stop short of the last page",
    )


def _total(root: etree._Element) -> Reading[int]:
    """The deepest short text with ``Total N건`` (its first match in page order)."""
    best: tuple[etree._Element, int] | None = None
    for el in nodes.elements(root):
        text = nodes.element_text(el, strip=".sound_only")
        m = _TOTAL.search(text) if len(text) <= 40 else None
        value = markup.to_int(m.group(2)) if m and (m.group(1) or m.group(3)) else None
        if value is None or _in_link(el):
            continue
        if best is not None and best[0] not in nodes.ancestors(el):
            break  # past the first match's element
        best = (el, value)
    if best is None:
        return not_found("no Total N건")
    return Reading(best[1], Source.SHAPE, css_path(best[0]))


def _in_link(el: etree._Element) -> bool:
    """Whether ``el`` is in a link (a title such as "총 3건 모집" is no count)."""
    return any(nodes.tag(a) == "a" for a in (el, *nodes.ancestors(el)))


def _list_title(root: etree._Element, page: int) -> bool:
    head = next(root.iter("title"), None)
    m = _LIST_TITLE.search(head.text or "") if head is not None else None
    return m is not None and m.group(1) in ("", str(page))


def _board_form(root: etree._Element, table: str) -> bool:
    for form in root.iter("form"):
        action = form.get("action") or ""
        named = "fboardlist" in (form.get("name"), form.get("id"))
        if ("board_list_update" in action or named) and any(
            i.get("value") == table for i in form.iter("input") if i.get("name") == "bo_table"
        ):
            return True
    return False
