"""A list page's rows, found from the row links the engine makes whatever the skin.

Every post on a GnuBoard list is linked as ``board.php?bo_table=T&wr_id=N`` (or ``/T/N``),
which ``links.post_id`` tells from comment, action, category, paging and other boards' links.
A row is the largest element around a post's link that holds no other post's link: a table's
``tr``, a card's ``li``/``div``, a featured block; an ``li`` that is the only item of its
list stays the row when that list sits among other rows (a notice list). The climb stops
below the board's list form (the
``fboardlist`` form posting to ``board_list_update.php``, which skins keep for the engine's
bulk actions), below ``body``, at a ``tr``, and below an element holding the pagination.
Without that form, links in side widgets (``aside``, ``…latest…``) and in the theme's frame
(``#hd``, ``#ft`` and its latest posts) are left out.

A post linked from two places (a featured block repeating a card) is one row: its fields come
from the container whose parent holds the most rows (the main list), then from the others; it
is a notice when any of its containers says so.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from dataclasses import dataclass

from lxml import etree

from archive.selectors import Selectors
from crawler.pages.g5 import links, nodes
from crawler.pages.g5.readings import Reading, ShownTime, Source, css_path
from crawler.pages.g5.row_fields import RowContext, read_fields

_WIDGET_WORDS = ("aside", "sidebar", "latest", "widget", "footer", "ft_cnt")
#: the page frame of GnuBoard's themes (head.php's #hd, tail.php's #ft with its latest posts)
_FRAME_IDS = frozenset({"hd", "ft", "ft_wr", "header", "footer", "aside"})


@dataclass(frozen=True, slots=True)
class RowReading:
    """One post's row on a list page."""

    post_id: str
    url: str  # absolute, as linked
    where: str  # CSS path of the row's (main) container
    title: Reading[str]
    notice: Reading[bool]
    author: Reading[str]
    date: Reading[ShownTime]
    views: Reading[int]
    comment_count: Reading[int]
    secret: Reading[bool]
    has_attachment: Reading[bool]
    category: Reading[str]
    number: Reading[str]  # the display number as shown; never an identity


@dataclass(frozen=True, slots=True)
class _Row:
    post_id: str
    url: str
    containers: tuple[etree._Element, ...]  # the main one first


def list_scope(root: etree._Element, base_url: str, bo_table: str) -> etree._Element:
    """The board's list form when it holds row links, else ``root``."""
    for form in root.iter("form"):
        action = form.get("action") or ""
        named = "fboardlist" in (form.get("name"), form.get("id"))
        if ("board_list_update" in action or named) and any(
            links.post_id(url, bo_table) for _, url in nodes.links(form, base_url)
        ):
            return form
    return root


def find_rows(
    root: etree._Element, base_url: str, bo_table: str, skin: Selectors | None = None
) -> tuple[RowReading, ...]:
    """The rows of the list page under ``root``, in page order, one per ``wr_id``."""
    scope = list_scope(root, base_url, bo_table)
    rows = _rows(scope, base_url, bo_table)
    if not rows:
        return ()
    every = [c for row in rows for c in row.containers]
    context = RowContext.of(every, scope, base_url, bo_table, skin)
    return tuple(_settle([_reading(row, context) for row in rows]))


def _rows(scope: etree._Element, base_url: str, bo_table: str) -> list[_Row]:
    found: list[tuple[etree._Element, str, str]] = []
    for a, url in nodes.links(scope, base_url):
        wr_id = links.post_id(url, bo_table)
        if wr_id is not None and (scope.tag == "form" or not _in_widget(a, scope)):
            found.append((a, wr_id, url))
    ids_under: dict[etree._Element, set[str]] = defaultdict(set)
    for a, wr_id, _ in found:
        for node in (a, *nodes.ancestors(a)):
            ids_under[node].add(wr_id)
    paging = {
        node
        for a, url in nodes.links(scope, base_url)
        if links.list_page(url, bo_table) is not None
        for node in nodes.ancestors(a)
    }
    containers: dict[str, list[etree._Element]] = {}
    first_url: dict[str, str] = {}
    for a, wr_id, url in found:
        box = _climb(a, wr_id, ids_under, paging, scope)
        boxes = containers.setdefault(wr_id, [])
        if box not in boxes:
            boxes.append(box)
        first_url.setdefault(wr_id, url)
    per_parent: dict[etree._Element | None, int] = defaultdict(int)
    for boxes in containers.values():
        for box in boxes:
            per_parent[box.getparent()] += 1
    return [
        _Row(
            wr_id, first_url[wr_id], tuple(sorted(boxes, key=lambda b: -per_parent[b.getparent()]))
        )
        for wr_id, boxes in containers.items()
    ]


def _climb(
    a: etree._Element,
    wr_id: str,
    ids_under: dict[etree._Element, set[str]],
    paging: set[etree._Element],
    scope: etree._Element,
) -> etree._Element:
    node = a
    while nodes.tag(node) != "tr":
        parent = node.getparent()
        if parent is None or parent is scope or nodes.tag(parent) in ("body", "html", "form"):
            break
        if ids_under[parent] != {wr_id} or parent in paging:
            break
        if nodes.tag(node) == "li" and nodes.tag(parent) in ("ul", "ol"):
            outer = parent.getparent()
            if outer is None or ids_under[outer] != {wr_id}:
                break  # the item of a list of its own (a notice list) is the row
        node = parent
    return node


def _in_widget(a: etree._Element, scope: etree._Element) -> bool:
    for node in nodes.ancestors(a, upto=scope):
        if nodes.tag(node) == "aside" or (node.get("id") or "").lower() in _FRAME_IDS:
            return True
        names = " ".join([*nodes.classes(node), (node.get("id") or "").lower()])
        if any(word in names for word in _WIDGET_WORDS):
            return True
    return False


def _reading(row: _Row, context: RowContext) -> RowReading:
    fields = read_fields(row.post_id, row.containers, context)
    return RowReading(post_id=row.post_id, url=row.url, where=css_path(row.containers[0]), **fields)


def _settle(rows: list[RowReading]) -> list[RowReading]:
    """Page-level rules: a row without ``.cnt_cmt`` on a page that has some shows 0."""
    if not any(r.comment_count.source is Source.ENGINE for r in rows):
        return rows
    zero = Reading(0, Source.ENGINE, ".cnt_cmt", "no .cnt_cmt: the engine prints none for 0")
    return [
        dataclasses.replace(r, comment_count=zero) if not r.comment_count.found else r for r in rows
    ]
