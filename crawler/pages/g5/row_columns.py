"""A list row's cells by their column's label: a table's header (``th``), or the header row of
a list of ``div`` rows (Eyoom's ``bl-head``: an element before the row whose cells are labels
such as 번호, 글쓴이, 날짜, 조회)."""

from __future__ import annotations

import re

from lxml import etree

from crawler.pages.g5 import nodes

_COLUMNS = {
    "number": re.compile(r"^(번호|no\.?|num|number)$", re.I),
    "author": re.compile(r"^(글쓴이|작성자|이름|name|writer|author)$", re.I),
    "date": re.compile(r"^(날짜|작성일|등록일|일자|date)$", re.I),
    "views": re.compile(r"^(조회|조회수|hit|hits|views?)$", re.I),
}


def column(box: etree._Element, kind: str) -> etree._Element | None:
    """The cell of ``box`` under the header matching ``kind``: a table's, or the header row
    of a list of ``div`` rows (an element before the row whose cells are labels)."""
    if nodes.tag(box) == "tr":
        table = next((a for a in nodes.ancestors(box) if nodes.tag(a) == "table"), None)
        header = (
            next((tr for tr in table.iter("tr") if tr.find("th") is not None), None)
            if table is not None
            else None
        )
        is_cell: tuple[str, ...] = ("th", "td")
    else:
        header, is_cell = _div_header(box), ()
    if header is None or header is box:
        return None
    labels = [
        nodes.element_text(c, strip=".sound_only")
        for c in header
        if isinstance(c.tag, str) and (not is_cell or nodes.tag(c) in is_cell)
    ]
    cells = [c for c in box if isinstance(c.tag, str) and (not is_cell or nodes.tag(c) in is_cell)]
    for i, label in enumerate(labels):
        if _COLUMNS[kind].match(label) and i < len(cells) and len(labels) == len(cells):
            return cells[i]
    return None


def _div_header(box: etree._Element) -> etree._Element | None:
    """The element before ``box`` among its siblings whose children are column labels (at
    least two of 번호, 글쓴이, 날짜, 조회…), as many as ``box`` has."""
    width = len([c for c in box if isinstance(c.tag, str)])
    for sibling in box.itersiblings(preceding=True):
        kids = [c for c in sibling if isinstance(c.tag, str)]
        if len(kids) == width >= 3:
            labels = [nodes.element_text(c, strip=".sound_only") for c in kids]
            if sum(any(r.match(x) for r in _COLUMNS.values()) for x in labels) >= 2:
                return sibling
    return None
