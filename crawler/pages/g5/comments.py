"""A view page's comments, found by the anchors the engine's comment code needs in any skin.

GnuBoard's comment script (``comment_box``) works on elements named after the comment's id:
``edit_ID``, ``reply_ID``, ``secret_comment_ID`` (a hidden input whose value is ``secret`` for
a secret comment) and ``save_comment_ID`` (a hidden ``<textarea>`` holding the comment's text
as the engine stores it); skins wrap each comment in ``#c_ID`` (what ``board.php`` redirects a
comment's own URL to) and link its actions with ``c_id=ID``/``comment_id=ID``. A comment is
known by ``#c_ID``, ``save_comment_ID``, ``secret_comment_ID`` or such a link; its container is
``#c_ID`` when that wraps it, else the largest element around its anchors holding no other
comment's.

Per comment: author from the engine's name markup (``member``/``guest``, ``sv_member``/
``sv_guest``); time from ``<time datetime>``, else the first element whose text is a date;
text from the skin's ``comment_text`` where known, else ``save_comment_ID`` (lines stripped,
empty lines dropped, as ``markup.text`` does), else the container's text without its header,
author, time and action links.
A secret comment the visitor may not read shows the engine's placeholder ("비밀글 입니다.").
"""

from __future__ import annotations

import copy
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from lxml import etree

from archive.selectors import Selectors
from crawler.pages import html as markup
from crawler.pages.g5 import links, nodes
from crawler.pages.g5.readings import Reading, ShownTime, Source, css_path, css_step, not_found
from crawler.pages.g5.times import iso_time, shown_time

_ANCHOR = re.compile(r"^(c|save_comment|secret_comment|edit|reply)_([0-9]{1,18})$")
_STRONG = frozenset({"c", "save_comment", "secret_comment", "link"})  # enough to be a comment
_CHROME = (
    "header, h1, h2, h3, time, footer, .sv_member, .sv_guest, .member, .guest, .sound_only, "
    '[class*="author"], [class*="writer"], [class*="name"], [class*="nick"]'
)
_BOUNDARY = frozenset({"section", "ul", "ol", "form", "body", "html", "table", "tbody"})


@dataclass(frozen=True, slots=True)
class CommentReading:
    """One comment as the view page shows it."""

    comment_id: str
    where: str  # CSS path of its container
    author: Reading[str]
    time: Reading[ShownTime]
    text: Reading[str]
    secret: Reading[bool]


def read_comments(
    root: etree._Element,
    base_url: str,
    bo_table: str,
    *,
    skin: Selectors | None = None,
    exclude: Iterable[etree._Element] = (),
) -> tuple[CommentReading, ...]:
    """The comments under ``root`` in page order (anchors inside ``exclude``, the post's
    body, do not count)."""
    return tuple(r for _, r in find_comments(root, base_url, bo_table, skin=skin, exclude=exclude))


def find_comments(
    root: etree._Element,
    base_url: str,
    bo_table: str,
    *,
    skin: Selectors | None = None,
    exclude: Iterable[etree._Element] = (),
) -> list[tuple[etree._Element, CommentReading]]:
    """``read_comments`` with each comment's container."""
    anchors = _anchors(root, base_url, bo_table, list(exclude))
    owners: dict[etree._Element, set[str]] = defaultdict(set)
    for cid, found in anchors.items():
        for el, _ in found:
            for node in (el, *nodes.ancestors(el)):
                owners[node].add(cid)
    found_boxes = [(_container(cid, found, owners), cid, found) for cid, found in anchors.items()]
    return [(box, _reading(box, cid, found, skin)) for box, cid, found in found_boxes]


def _anchors(
    root: etree._Element, base_url: str, bo_table: str, exclude: list[etree._Element]
) -> dict[str, list[tuple[etree._Element, str]]]:
    found: dict[str, list[tuple[etree._Element, str]]] = {}
    for el in root.iter():
        m = _ANCHOR.match(el.get("id") or "") if isinstance(el.tag, str) else None
        if m and not nodes.inside(el, exclude):
            found.setdefault(m.group(2), []).append((el, m.group(1)))
    for a, url in nodes.links(root, base_url):
        cid = links.comment_id(url)
        if cid and links.board_table(url) in (bo_table, None) and not nodes.inside(a, exclude):
            found.setdefault(cid, []).append((a, "link"))
    strong = {cid: f for cid, f in found.items() if any(kind in _STRONG for _, kind in f)}
    order = {el: i for i, el in enumerate(root.iter())}
    return dict(sorted(strong.items(), key=lambda item: min(order[el] for el, _ in item[1])))


def _container(
    cid: str, found: list[tuple[etree._Element, str]], owners: dict[etree._Element, set[str]]
) -> etree._Element:
    wrapper = next((el for el, kind in found if kind == "c"), None)
    others = [el for el, kind in found if kind != "c"]
    wraps = wrapper is not None and all(nodes.inside(o, [wrapper]) for o in others)
    if wrapper is not None and wraps and (others or nodes.element_text(wrapper)):
        return wrapper  # "#c_ID" holds the comment (not an empty jump anchor)
    node = nodes.common_ancestor(el for el, _ in found)
    assert node is not None  # found is never empty
    while (parent := node.getparent()) is not None and owners.get(parent) == {cid}:
        if nodes.tag(parent) in _BOUNDARY:
            break
        node = parent
    return node


def _reading(
    box: etree._Element, cid: str, found: list[tuple[etree._Element, str]], skin: Selectors | None
) -> CommentReading:
    return CommentReading(
        comment_id=cid,
        where=css_path(box),
        author=_author(box, skin),
        time=_time(box, skin),
        text=_text(box, cid, skin),
        secret=_secret(box, cid, found, skin),
    )


def _skin(box: etree._Element, skin: Selectors | None, field: str) -> etree._Element | None:
    css = getattr(skin, field, "") if skin is not None else ""
    found = markup.first(nodes.selector(box), css) if css else None
    return found.root if found is not None else None


def _author(box: etree._Element, skin: Selectors | None) -> Reading[str]:
    el = _skin(box, skin, "comment_author")
    name = nodes.element_text(el, strip=nodes.AUTHOR_STRIP) if el is not None else ""
    if name:
        return Reading(name, Source.SKIN, getattr(skin, "comment_author", None))
    found = nodes.author(box) or nodes.sideview_author(box)
    if found:
        return Reading(found[0], Source.ENGINE, found[1])
    for el in nodes.elements(box):
        plain = nodes.plain_author(el) if el is not box else None
        if plain:
            return Reading(plain, Source.SHAPE, css_step(el))
    return not_found()


def _time(box: etree._Element, skin: Selectors | None) -> Reading[ShownTime]:
    el = _skin(box, skin, "comment_time")
    if el is not None:
        shown = iso_time(el.get("datetime")) or shown_time(nodes.element_text(el))
        if shown is not None:
            return Reading(shown, Source.SKIN, getattr(skin, "comment_time", None))
    for time_el in box.iter("time"):
        stamp = iso_time(time_el.get("datetime"))
        shown = stamp or shown_time(nodes.element_text(time_el))
        if shown is not None:
            return Reading(shown, Source.SHAPE, "time[datetime]" if stamp else "time")
    for el in nodes.elements(box):
        shown = shown_time(nodes.element_text(el, strip=".sound_only"))
        if shown is not None:
            return Reading(shown, Source.SHAPE, css_step(el))
    return not_found()


def _text(box: etree._Element, cid: str, skin: Selectors | None) -> Reading[str]:
    el = _skin(box, skin, "comment_text")
    text = nodes.element_text(el, block=True) if el is not None else ""
    if text:
        return Reading(text, Source.SKIN, getattr(skin, "comment_text", None))
    saved = next((t for t in box.iter("textarea") if t.get("id") == f"save_comment_{cid}"), None)
    if saved is not None:
        lines = (" ".join(line.split()) for line in (saved.text or "").splitlines())
        return Reading("\n".join(ln for ln in lines if ln), Source.ENGINE, f"#save_comment_{cid}")
    text = nodes.element_text(_without_chrome(box), block=True)
    where = "the comment's text without its header"
    return Reading(text, Source.SHAPE, where) if text else not_found()


def _without_chrome(box: etree._Element) -> etree._Element:
    """A copy of ``box`` without its header, author, time and action links."""
    clone = copy.deepcopy(box)
    marked = set(nodes.css(clone, _CHROME))
    chrome = [
        el
        for el in nodes.elements(clone)
        if el is not clone
        and (
            el in marked
            or (nodes.tag(el) == "a" and re.search(r"[?&](c_id|comment_id)=", el.get("href") or ""))
            or shown_time(nodes.element_text(el, strip=".sound_only")) is not None
        )
    ]
    for el in chrome:
        _drop(el)
    return clone


def _drop(el: etree._Element) -> None:
    """Remove ``el`` from its parent, keeping the text after it."""
    parent = el.getparent()
    if parent is None:
        return
    if el.tail:
        prev = el.getprevious()
        if prev is not None:
            prev.tail = (prev.tail or "") + el.tail
        else:
            parent.text = (parent.text or "") + el.tail
    parent.remove(el)


def _secret(
    box: etree._Element, cid: str, found: list[tuple[etree._Element, str]], skin: Selectors | None
) -> Reading[bool]:
    flag = next((el for el, kind in found if kind == "secret_comment"), None)
    if flag is not None:
        secret = "secret" in (flag.get("value") or "")
        return Reading(secret, Source.ENGINE, f"#secret_comment_{cid}")
    if _skin(box, skin, "comment_secret") is not None:
        return Reading(True, Source.SKIN, getattr(skin, "comment_secret", None))
    marker = nodes.css(box, 'img[src*="secret"], .fa-lock, a[href*="password.php"][href*="w=sc"]')
    if marker:
        return Reading(True, Source.SHAPE, css_step(marker[0]))
    return Reading(False, Source.NOT_FOUND, None, "no secret marker")
