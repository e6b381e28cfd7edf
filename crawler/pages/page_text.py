"""The one-line texts of a whole page's elements, read in one walk (pure, no I/O).

Readers of an unknown skin ask for the text of nearly every element of a page (the element
that says "Total N건", the one that shows a view's subject, a row's plain author name), and
``markup.text`` walks an element's whole subtree each time: a page's text was walked again at
every depth. ``PageText`` walks the document once, keeps its text as one string and every
element's place in it, and answers an element's text with a slice of it, less the slices of the
``strip`` selector's matches inside the element; ``reading(root)`` makes one such index serve
every text asked for while a page is read, once a page has been asked for enough of them to
pay for the walk (a view of a known skin asks for a few: they are read as before).

The answer is ``markup.text(el, strip=strip)`` (one line) exactly: the same pieces in the same
order, the same separators, the same whitespace rule. Only ``strip`` selectors whose matches do
not depend on where the search starts (alternatives of tag, class and id selectors, such as
``.sound_only, i.fa, img``) are indexed: the page's matches inside an element are then the
element's. Elements inside script, style and form controls, and elements of another tree (a
reader's copy), are not indexed; their text is read as before. The page must not change while
it is read.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from functools import lru_cache

from lxml import etree

from crawler.pages import html as markup

#: a ``strip`` alternative whose matches do not depend on the element searched from
_SIMPLE = re.compile(r"[A-Za-z][\w-]*|[A-Za-z]*(?:[.#][\w-]+)+")

#: the texts asked for before the page is indexed: a view of a known skin asks for 8 to 25, a
#: list of an unknown skin for a thousand (``bench/page_reading.py``)
_INDEX_AFTER = 40

_READING: ContextVar[_Reading | None] = ContextVar("page_text_reading", default=None)


class PageText:
    """The one-line text of every element of the document under ``root`` (``markup.text``
    without ``block``), from one walk of the document; ``strip``'s matches are cut out of the
    walked text when asked for."""

    def __init__(self, root: etree._Element) -> None:
        self._root = root
        self._text, self._places = _walk(root)
        self._stripped: dict[str, tuple[list[int], list[_Place]]] = {}

    def text(self, el: etree._Element, strip: str | None = None) -> str | None:
        """``el``'s text without ``strip``'s matches inside it, or None when ``el`` is not
        indexed (see the module notes)."""
        place = self._places.get(el)
        if place is None:
            return None
        pieces: list[str] = []
        cursor = place.start
        if strip:
            order, cut = self._matches(strip)
            for i in range(bisect_right(order, place.order), bisect_right(order, place.last)):
                if cut[i].outer_start >= cursor:  # not inside a match already cut
                    pieces.append(self._text[cursor : cut[i].outer_start])
                    cursor = cut[i].outer_end
        pieces.append(self._text[cursor : place.end])
        return " ".join("".join(pieces).split())

    def _matches(self, strip: str) -> tuple[list[int], list[_Place]]:
        """The walked elements matching ``strip``, in document order, and their places."""
        found = self._stripped.get(strip)
        if found is None:
            places = (self._places.get(m) for m in markup.matches(self._root, strip))
            cut = sorted((p for p in places if p is not None), key=lambda p: p.order)
            found = self._stripped[strip] = ([p.order for p in cut], cut)
        return found


@dataclass(slots=True)
class _Place:
    """Where an element is in the walked text: its document order and its last descendant's,
    its text's span (``start``..``end``) and its whole span with the separators around it."""

    order: int
    outer_start: int
    start: int
    last: int = 0
    end: int = 0
    outer_end: int = 0


@lru_cache(maxsize=256)
def indexable(strip: str | None) -> bool:
    """Whether ``strip``'s matches under an element are the page's matches inside it."""
    if strip is None:
        return True
    return all(_SIMPLE.fullmatch(part.strip()) for part in strip.split(","))


class _Reading:
    def __init__(self, root: etree._Element) -> None:
        self.root = root
        self.index: PageText | None = None
        self.asked = 0


@contextmanager
def reading(root: etree._Element) -> Iterator[None]:
    """Within the block, ``text`` answers from one index of the page ``root``, made once the
    page has been asked for ``_INDEX_AFTER`` texts."""
    token = _READING.set(_Reading(root))
    try:
        yield
    finally:
        _READING.reset(token)


def text(el: etree._Element, strip: str | None) -> str | None:
    """``el``'s one-line text from the page being read (``reading``), or None when no page is
    being read, the page is not indexed yet (the first texts asked for), ``strip`` cannot be
    indexed or ``el`` is not indexed."""
    current = _READING.get()
    if current is None or not indexable(strip):
        return None
    if current.index is None:
        current.asked += 1
        if current.asked < _INDEX_AFTER:
            return None  # a few texts are read faster without walking the page
        current.index = PageText(current.root)
    return current.index.text(el, strip)


def _walk(root: etree._Element) -> tuple[str, dict[etree._Element, _Place]]:
    """The page's text (what ``markup.text``'s walk appends, whitespace as found) and each
    walked element's place in it."""
    out: list[str] = []
    size = 0
    places: dict[etree._Element, _Place] = {}
    stack: list[etree._Element | str | _Place] = [root]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            out.append(item)
            size += len(item)
            continue
        if isinstance(item, _Place):
            item.last, item.end = len(places) - 1, size
            if item.outer_end < 0:  # a block: the separator after it
                out.append(" ")
                size += 1
            item.outer_end = size
            continue
        tag = item.tag.lower() if isinstance(item.tag, str) else ""
        if not tag or tag in markup.SKIP:
            continue
        block = tag in markup.BLOCK
        place = _Place(len(places), size, size)
        places[item] = place
        if tag == "br" or block or (tag in markup.CELLS and markup.follows_cell(item)):
            out.append(" ")
            size += 1
            place.start = size
        place.outer_end = -1 if block else 0
        stack.append(place)
        for child in reversed(item):
            if child.tail:
                stack.append(child.tail)
            stack.append(child)
        if item.text:
            stack.append(item.text)
    return "".join(out), places
