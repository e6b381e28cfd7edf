"""A view page's info line (author, posted time, views, comment count), wherever a skin puts it.

Skins print ``$view['name']`` (the engine's name markup), ``$view['wr_datetime']`` in a
format of their own, ``wr_hit`` and ``wr_comment`` near the title. The info region is the part
of the page after the title and before the body (then, if that holds nothing, after the body
up to the comments, then the part of the post's block before the title, the block being the
nearest element holding both the title and the body: a skin printing the author and date
above the subject; with the body not known, after the title up to the comments), without
the comments, the attachment entries and the links to other posts (previous/next, whose dates
are theirs). In it, in page order:

- author: the skin's ``view_author`` where known, else the engine's name markup
  (``sv_member``, ``sv_guest``, ``member``, ``guest``), else (a skin printing the plain
  ``wr_name``) an element named for the author or labelled ``작성자``/``글쓴이``;
- posted time: the skin's ``view_date``, else the first element whose whole text is a date
  (``작성일`` and the like before it allowed), else the first date with a year in an element's
  own text (an info line such as ``작성일 22-03-07 09:29 | 조회 5``); its precision is what the
  page shows;
- views: ``view_views``, else ``조회 N``/``Hit N``, ``N회``, or a number beside ``fa-eye``;
- comment count: ``view_comment_count``, else ``댓글 N``, ``N건``, or a number beside an
  ``fa-comment`` icon or in a link to ``#bo_vc``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from lxml import etree

from archive.selectors import Selectors
from crawler.pages import html as markup
from crawler.pages.g5 import nodes
from crawler.pages.g5.readings import Reading, ShownTime, Source, css_path, not_found
from crawler.pages.g5.times import find_shown_time, shown_time

T = TypeVar("T")
_VIEWS = re.compile(
    r"^(?:(?P<label>조회수?|hits?|views?|읽음)\s*[:：]?\s*)?(?P<n>\d[\d,]*)\s*(?P<unit>회)?$", re.I
)
_COMMENTS = re.compile(r"^(?:(?P<label>댓글)\s*[:：]?\s*)?(?P<n>\d[\d,]*)\s*(?P<unit>건|개)?$")


@dataclass(frozen=True, slots=True)
class InfoRegion:
    """The elements of the info region, in page order (see the module notes)."""

    first: tuple[etree._Element, ...]  # between the title and the body
    then: tuple[etree._Element, ...]  # after the body, up to the comments
    before: tuple[etree._Element, ...] = ()  # in the post's block, before the title

    @classmethod
    def of(
        cls,
        root: etree._Element,
        title: etree._Element | None,
        body: etree._Element | None,
        excluded: Sequence[etree._Element],
    ) -> InfoRegion:
        order = list(nodes.elements(root))
        index = {el: i for i, el in enumerate(order)}
        start = _end(title, index) if title is not None else None
        body_start = index.get(body) if body is not None else None
        after = _end(body, index) if body is not None else None
        stop = min(
            (index[e] for e in excluded if index.get(e, -1) > (after or start or 0)),
            default=len(order),
        )
        skip = {*excluded, *[el for el in (title, body) if el is not None]}

        def pick(lo: int | None, hi: int | None) -> tuple[etree._Element, ...]:
            if lo is None or hi is None or hi <= lo:
                return ()
            return tuple(el for el in order[lo + 1 : hi] if not nodes.inside(el, skip))

        if body is None and start is not None:  # body not known: up to the comments, files
            return cls(pick(start, stop), ())  # or other posts' links after the title
        first = pick(start, body_start)
        then = pick(after, stop) if after is not None and start is not None else ()
        before: tuple[etree._Element, ...] = ()
        if title is not None and body is not None:
            block = nodes.common_ancestor([title, body])
            top, title_at = index.get(block) if block is not None else None, index.get(title)
            above = set(nodes.ancestors(title))
            before = tuple(el for el in pick(top, title_at) if el not in above)
        return cls(first, then, before)

    def parts(self) -> Iterable[tuple[etree._Element, ...]]:
        return (self.first, self.then, self.before)


def _end(el: etree._Element, index: dict[etree._Element, int]) -> int:
    """The page-order index of the last element inside ``el``."""
    return max((index[d] for d in el.iter() if d in index), default=index.get(el, 0))


def _scan(
    region: InfoRegion, read: Callable[[etree._Element], T | None]
) -> tuple[T, etree._Element] | None:
    for part in region.parts():
        for el in part:
            value = read(el)
            if value is not None:
                return value, el
    return None


def _skin(root: etree._Element, skin: Selectors | None, field: str) -> list[etree._Element]:
    css = getattr(skin, field, "") if skin is not None else ""
    if not css:
        return []
    return [s.root for alt in markup.split_alternatives(css) for s in nodes.selector(root).css(alt)]


def read_author(root: etree._Element, region: InfoRegion, skin: Selectors | None) -> Reading[str]:
    for el in _skin(root, skin, "view_author"):
        name = nodes.element_text(el, strip=nodes.AUTHOR_STRIP)
        if name:
            return Reading(name, Source.SKIN, getattr(skin, "view_author", None))
    hit = _scan(region, lambda el: nodes.author(el) if _is_author(el) else None)
    if hit:
        return Reading(hit[0][0], Source.ENGINE, hit[0][1])
    menu = _scan(region, lambda el: nodes.sideview_author(el) if len(el) else None)
    if menu:
        return Reading(menu[0][0], Source.ENGINE, menu[0][1])
    shaped = _scan(region, nodes.plain_author)
    return Reading(shaped[0], Source.SHAPE, css_path(shaped[1])) if shaped else not_found()


def _is_author(el: etree._Element) -> bool:
    return any(c in nodes.classes(el) for c in ("sv_member", "sv_guest", "member", "guest"))


def read_posted(
    root: etree._Element, region: InfoRegion, skin: Selectors | None
) -> Reading[ShownTime]:
    for el in _skin(root, skin, "view_date"):
        shown = shown_time(nodes.element_text(el, strip=".sound_only"))
        if shown is not None:
            return Reading(shown, Source.SKIN, getattr(skin, "view_date", None))
    hit = _scan(region, lambda el: shown_time(nodes.element_text(el, strip=".sound_only")))
    if hit:
        return Reading(hit[0], Source.SHAPE, css_path(hit[1]))
    hit = _scan(region, lambda el: find_shown_time(" ".join(nodes.own_texts(el))))
    if hit:
        return Reading(hit[0], Source.SHAPE, f"{css_path(hit[1])} (in its text)")
    return not_found("no date in the info region")


def read_views(root: etree._Element, region: InfoRegion, skin: Selectors | None) -> Reading[int]:
    for el in _skin(root, skin, "view_views"):
        m = _VIEWS.match(nodes.element_text(el, strip=".sound_only"))
        if m and (m.group("label") or m.group("unit")):
            return Reading(
                markup.to_int(m.group("n")), Source.SKIN, getattr(skin, "view_views", None)
            )
    hit = _scan(
        region, lambda el: _count(el, _VIEWS, "fa-eye", ("조회", "hit", "view", "읽음"), "회")
    )
    return Reading(hit[0], Source.SHAPE, css_path(hit[1])) if hit else not_found()


def read_comment_count(
    root: etree._Element, region: InfoRegion, skin: Selectors | None
) -> Reading[int]:
    for el in _skin(root, skin, "view_comment_count"):
        m = _COMMENTS.match(nodes.element_text(el, strip=".sound_only"))
        if m and (m.group("label") or m.group("unit")):
            return Reading(
                markup.to_int(m.group("n")), Source.SKIN, getattr(skin, "view_comment_count", None)
            )
    hit = _scan(region, lambda el: _count(el, _COMMENTS, "fa-comment", ("댓글",), "건"))
    return Reading(hit[0], Source.SHAPE, css_path(hit[1])) if hit else not_found()


def _count(
    el: etree._Element, pattern: re.Pattern[str], icon: str, labels: tuple[str, ...], unit: str
) -> int | None:
    """A counter: the element's text is ``LABEL N``, ``N UNIT``, or a bare ``N`` with the
    icon inside it, the label just before it (``<span class=sound_only>조회</span>``) or, for
    comments, a link to ``#bo_vc``."""
    text = nodes.element_text(el)
    m = pattern.match(text)
    if m is None:
        return None
    has_icon = any(icon in c for i in el.iter("i") for c in nodes.classes(i))
    labelled = any(_text_before(el).lower().endswith(label) for label in labels)
    to_comments = unit == "건" and (el.get("href") or "").endswith("#bo_vc")
    if m.group("label") or m.group("unit") or has_icon or labelled or to_comments:
        return markup.to_int(m.group("n"))
    return None


def _text_before(el: etree._Element) -> str:
    """The text just before ``el``: its previous sibling's text and tail, or its parent's."""
    prev = el.getprevious()
    if prev is not None:
        return " ".join(f"{nodes.element_text(prev)} {prev.tail or ''}".split())
    parent = el.getparent()
    return " ".join((parent.text or "").split()) if parent is not None else ""
