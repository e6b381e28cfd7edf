"""A view page's files, from the links the engine makes whatever the skin.

- Attachments: ``bbs/download.php?bo_table=T&wr_id=N&no=K`` links (``view.php``'s
  ``$view['file'][K]['href']``), one per ``no`` in page order. The entry is the largest element
  around the link holding no other file's link (an ``li``, a ``tr``); the name is the link's
  text: the part of it that is a file name (``<strong>name.pdf</strong>`` in most skins), else
  the text without the size and counters. Size (``get_filesize``: ``220byte``, ``1.2K``,
  ``3.4M``), download count (``N회 다운로드``) and upload time (``DATE : 2026-11-24 23:24:23``,
  or any date with a year in the entry) are read where the entry shows them.
- Attached images: ``bbs/view_image.php?bo_table=T&fn=NAME`` links (``view_file_link``),
  named by ``fn``; the body's own resized pictures link ``view_image.php?fn=`` without
  ``bo_table`` and stay part of the body.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lxml import etree

from crawler.pages import html as markup
from crawler.pages.g5 import links, nodes
from crawler.pages.g5.readings import ShownTime, css_path
from crawler.pages.g5.times import find_shown_time

_FILE_NAME = re.compile(r"\S.*\.[A-Za-z0-9]{1,10}$")
_SIZE = re.compile(
    r"\(\s*(\d[\d,.]*\s*(?:bytes?|[KMGT]i?B?|[KMGT]))\s*\)|(\d[\d,.]*\s*(?:bytes?|[KMGT]i?B))\b",
    re.I,
)
_DOWNLOADS = re.compile(r"(\d[\d,]*)\s*회\s*다운로드|다운로드\s*[:：]?\s*(\d[\d,]*)\s*회?")
_UPLOADED = re.compile(r"DATE\s*[:：]\s*(\d{4}-\d\d-\d\d(?:\s+\d\d:\d\d(?::\d\d)?)?)", re.I)


@dataclass(frozen=True, slots=True)
class FileReading:
    """One attachment as the view page shows it."""

    no: int  # the engine's file number (``no=`` of the link)
    name: str
    url: str  # absolute download link (may carry a nonce)
    where: str  # CSS path of its entry
    size_text: str | None = None
    download_count: int | None = None
    uploaded: ShownTime | None = None
    uploaded_text: str | None = None  # the upload time as shown ("2026-11-24 23:24:23")


@dataclass(frozen=True, slots=True)
class ImageLink:
    """An attached image shown through ``view_image.php``."""

    name: str  # the stored file name (``fn``)
    url: str


def read_files(
    root: etree._Element, base_url: str, bo_table: str, post_id: str
) -> tuple[FileReading, ...]:
    """The attachments of post ``post_id`` linked under ``root``, by ``no``."""
    return tuple(r for _, r in find_files(root, base_url, bo_table, post_id))


def find_files(
    root: etree._Element, base_url: str, bo_table: str, post_id: str
) -> list[tuple[etree._Element, FileReading]]:
    """``read_files`` with each attachment's entry."""
    found: dict[int, list[tuple[etree._Element, str]]] = {}
    for a, url in nodes.links(root, base_url):
        link = links.file_link(url)
        if link is None or link.bo_table not in (None, bo_table):
            continue
        if link.wr_id not in (None, post_id):
            continue
        found.setdefault(link.no, []).append((a, url))
    owners: dict[etree._Element, set[int]] = {}
    for no, anchors in found.items():
        for a, _ in anchors:
            for node in (a, *nodes.ancestors(a)):
                owners.setdefault(node, set()).add(no)
    return [_reading(no, anchors, owners) for no, anchors in found.items()]


def read_images(root: etree._Element, base_url: str, bo_table: str) -> tuple[ImageLink, ...]:
    """The attached images (``view_image.php?bo_table=…&fn=…``) under ``root``, each once."""
    seen: dict[str, ImageLink] = {}
    for _, url in nodes.links(root, base_url):
        name = links.image_name(url)
        if name and links.board_table(url) == bo_table and url not in seen:
            seen[url] = ImageLink(name=name, url=url)
    return tuple(seen.values())


def _reading(
    no: int, anchors: list[tuple[etree._Element, str]], owners: dict[etree._Element, set[int]]
) -> tuple[etree._Element, FileReading]:
    a, url = max(anchors, key=lambda pair: len(nodes.element_text(pair[0])))
    entry = a
    while (parent := entry.getparent()) is not None and owners.get(parent) == {no}:
        if nodes.tag(parent) in ("ul", "ol", "table", "tbody", "section", "body", "article"):
            break
        entry = parent
    text = nodes.element_text(entry, strip=".sound_only")
    size = _SIZE.search(nodes.element_text(a, strip=".sound_only")) or _SIZE.search(text)
    count = _DOWNLOADS.search(text)
    uploaded = _UPLOADED.search(text)
    shown = find_shown_time(uploaded.group(1) if uploaded else _outside(entry, a))
    shown = shown or find_shown_time(text)  # a skin that puts it inside the link
    return entry, FileReading(
        no=no,
        name=file_name(a, entry),
        url=url,
        where=css_path(entry),
        size_text=" ".join((size.group(1) or size.group(2)).split()) if size else None,
        download_count=markup.to_int(count.group(1) or count.group(2)) if count else None,
        uploaded=shown,
        uploaded_text=" ".join(uploaded.group(1).split()) if uploaded else None,
    )


def file_name(a: etree._Element, entry: etree._Element | None = None) -> str:
    """A download link's file name: the part of the link that is a file name (an element, or
    a text beside icons and counters); where the link only says "다운로드", the file name in
    its entry; else the link's text without the size, counters and date."""
    for box in (a, entry):  # the entry only where nothing in the link names a file
        if box is None:
            continue
        inner = [el for el in nodes.elements(box) if box is a or not nodes.inside(el, [a])]
        for el in inner:  # an element that is the name (<strong>name.pdf</strong>) first
            text = nodes.element_text(el, strip=".sound_only")
            if (el is not entry) and _is_name(text):
                return text
        for el in inner:  # then a text beside icons and counters
            for piece in nodes.own_texts(el):
                if _is_name(piece):
                    return piece
    text = nodes.element_text(a, strip=".sound_only")
    text = _SIZE.sub("", _DOWNLOADS.sub("", text))
    return " ".join(text.split())


def _is_name(text: str) -> bool:
    """Whether ``text`` is a file name (``공고문.hwp``; not a size such as ``1.2M``)."""
    size = re.fullmatch(r"[\d.,\s]+(?:bytes?|[KMGT]i?B?)?", text, re.I)
    return bool(_FILE_NAME.fullmatch(text)) and not _SIZE.search(text) and not size


def _outside(entry: etree._Element, a: etree._Element) -> str:
    """The entry's text outside the link (where a skin puts the upload time)."""
    parts = [nodes.element_text(el) for el in entry if isinstance(el.tag, str) and el is not a]
    return " ".join([*parts, *nodes.own_texts(entry)])
