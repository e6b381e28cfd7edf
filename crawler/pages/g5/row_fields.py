"""What a list row shows, read the skin's way where a skin selector is known and matches, else
by what the engine puts in every skin's rows.

Per field, in order (the ``Reading`` says which one gave the value):

- title: the skin's ``row_title``; else the text of the row's link to the post (the longest,
  so a thumbnail link's "no image" loses), without badges, category and comment count; a card
  wrapped whole in its link gives the part of it that is the title (``title_parts``);
- author: ``row_author``; else the engine's name markup (``sv_member``, ``sv_guest``, …);
  else a table column headed 글쓴이/작성자/이름;
- date: ``row_date``; else a column headed 날짜/작성일/등록일; else the first element whose
  whole text is a date (``23:24``, ``09-16``, ``2026-10-22``, ``26-10-22 09:29``);
- views: ``row_views``; else a column headed 조회/Hit; else ``조회 N`` or an ``fa-eye`` icon
  beside a number;
- comment count: the engine's ``.cnt_cmt``; else a separate ``[N]``/``(N)``/``댓글 N``; on a
  page where some row has ``.cnt_cmt``, a row without one has 0 (the engine prints nothing for
  0), otherwise it is not found;
- notice: ``row_notice``; else a class or id with "notice" on the row or the rows' own
  containers (not one every row shares); else a badge whose whole text is 공지/Notice;
- secret, attachment: ``row_secret``/``row_attachment``; else the engine's icons
  (``fa-lock``, ``fa-download``) or images and classes named so; False means no marker seen;
- category: ``row_category``; else a link to the list with ``sca=``;
- number: ``row_number``; else a column headed 번호/No (공지 on a notice, as shown); else a
  bare number before the row's first link.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from lxml import etree

from archive.selectors import Selectors
from crawler.pages import html as markup
from crawler.pages.g5 import links, nodes
from crawler.pages.g5.readings import Reading, Source, css_step, not_found
from crawler.pages.g5.row_columns import column
from crawler.pages.g5.row_title import (
    BADGES,
    clean_title,
    comment_badge,
    first_line,
    title_parts,
    title_text,
)
from crawler.pages.g5.times import shown_time

T = TypeVar("T")
_NOTICE_WORDS = frozenset({"공지", "공지사항", "notice"})
_VIEWS = re.compile(r"^(?:조회수?|hits?|views?)\s*[:：]?\s*(\d[\d,]*)\s*회?$", re.I)
#: a bare number right after the title link in an element so named is its comment count
_COUNT_BADGE = re.compile(r"badge|cmt|comment|reply|count", re.I)
_BRACKET_COUNT = re.compile(r"^(?:\[\s*(\d[\d,]*)\s*\]|\(\s*(\d[\d,]*)\s*\)|댓글\s*(\d[\d,]*))$")
#: a row's markers: the engine's icon, else an icon (an element with no text) whose class or
#: image file is named with one of the words, as a whole part of the name (``icon_lock``,
#: ``na-file``; never ``fa-clock-o`` or ``profile``)
_SECRET = (".fa-lock", frozenset({"lock", "secret"}))
_ATTACHED = (".fa-download", frozenset({"attach", "attachment", "file", "paperclip", "clip"}))
_NAME_PARTS = re.compile(r"[-_./\s]+")


@dataclass(frozen=True, slots=True)
class RowContext:
    """What the rows of one page share: the skin, the rows' own containers, table headers."""

    base_url: str
    bo_table: str
    skin: Selectors | None
    between: frozenset[etree._Element]  # elements between a row and what all rows share
    shared_notice_tokens: frozenset[str]  # "notice" classes every row has: no marker
    shared_notice_icons: frozenset[str] = frozenset()  # notice icons every row has: none

    @classmethod
    def of(
        cls,
        containers: Sequence[etree._Element],
        scope: etree._Element,
        base_url: str,
        bo_table: str,
        skin: Selectors | None,
    ) -> RowContext:
        top = nodes.common_ancestor(containers) if len(containers) > 1 else scope
        between = {a for c in containers for a in nodes.ancestors(c, upto=top)}
        token_sets = [set(_notice_tokens(c)) for c in containers]
        shared = set.intersection(*token_sets) if len(token_sets) >= 3 else set()
        icon_sets = [set(_notice_icons(c)) for c in containers]
        icons = set.intersection(*icon_sets) if len(icon_sets) >= 3 else set()
        return cls(
            base_url, bo_table, skin, frozenset(between), frozenset(shared), frozenset(icons)
        )


def read_fields(
    wr_id: str, containers: Sequence[etree._Element], ctx: RowContext
) -> dict[str, Reading[Any]]:
    """Every field of one row (see the module notes); ``containers[0]`` is the main one."""
    main = containers[0]
    title_link = title_parts(main, wr_id, ctx.base_url, ctx.bo_table)[0]
    fields: dict[str, Reading[Any]] = {
        "title": _first(containers, lambda c: _title(c, wr_id, ctx)),
        "author": _first(containers, lambda c: _author(c, ctx)),
        "date": _first(containers, lambda c: _date(c, title_link, ctx)),
        "views": _first(containers, lambda c: _views(c, ctx)),
        "comment_count": _first(containers, lambda c: _comment_count(c, title_link, ctx)),
        "category": _first(containers, lambda c: _category(c, ctx)),
        "number": _number(main, ctx),
        "notice": _first(containers, lambda c: _notice(c, title_link, ctx), flag=True),
        "secret": _first(containers, lambda c: _marker(c, "row_secret", _SECRET, ctx), flag=True),
        "has_attachment": _first(
            containers, lambda c: _marker(c, "row_attachment", _ATTACHED, ctx), flag=True
        ),
    }
    return fields


def _first(
    containers: Sequence[etree._Element],
    read: Callable[[etree._Element], Reading[T]],
    *,
    flag: bool = False,
) -> Reading[T]:
    """The first container's reading that found something (for flags: that is True)."""
    last: Reading[T] = not_found()
    for box in containers:
        last = read(box)
        if last.found and (not flag or last.value):
            return last
    return last


def _skin(box: etree._Element, ctx: RowContext, field: str) -> etree._Element | None:
    css = getattr(ctx.skin, field, "") if ctx.skin is not None else ""
    found = markup.first(nodes.selector(box), css) if css else None
    return found.root if found is not None else None


def _skin_text(box: etree._Element, ctx: RowContext, field: str, strip: str) -> Reading[str]:
    el = _skin(box, ctx, field)
    text = nodes.element_text(el, strip=strip) if el is not None else ""
    return Reading(text, Source.SKIN, getattr(ctx.skin, field, None)) if text else not_found()


# ---- title ---------------------------------------------------------------------------------


def _title(box: etree._Element, wr_id: str, ctx: RowContext) -> Reading[str]:
    el = _skin(box, ctx, "row_title")
    if el is not None and nodes.tag(el) == "a" and first_line(el):
        el = None  # the selector picked a link holding the whole card: its title line is read
    text = title_text(el, ctx.skin.title_strip) if el is not None and ctx.skin else ""
    if text and text.lower() not in BADGES:  # a thumbnail's link holding a "New" badge: no title
        return Reading(clean_title(text), Source.SKIN, ctx.skin.row_title if ctx.skin else None)
    return title_parts(box, wr_id, ctx.base_url, ctx.bo_table)[1]


# ---- author, date, views, number ---------------------------------------------------------------


def _author(box: etree._Element, ctx: RowContext) -> Reading[str]:
    skin = _skin_text(box, ctx, "row_author", nodes.AUTHOR_STRIP)
    if skin.found:
        return skin
    found = nodes.author(box) or nodes.sideview_author(box)
    if found:
        return Reading(found[0], Source.ENGINE, found[1])
    cell = column(box, "author")
    text = nodes.element_text(cell, strip=nodes.AUTHOR_STRIP) if cell is not None else ""
    if text:
        return Reading(text, Source.SHAPE, "column 글쓴이")
    for el in nodes.elements(box):  # a skin's plain name (``span.bl-name-in``)
        plain = nodes.plain_author(el) if el is not box and not _links_post(el) else None
        if plain:
            return Reading(plain, Source.SHAPE, css_step(el))
    return not_found()


def _links_post(el: etree._Element) -> bool:
    """Whether ``el`` is or holds a link to a post (a title, whose text is no author)."""
    return any("wr_id=" in (a.get("href") or "") for a in el.iter("a"))


def _date(box: etree._Element, title_link: etree._Element | None, ctx: RowContext) -> Reading[Any]:
    el = _skin(box, ctx, "row_date")
    shown = shown_time(nodes.element_text(el, strip=".sound_only")) if el is not None else None
    if shown is not None:
        return Reading(shown, Source.SKIN, getattr(ctx.skin, "row_date", None))
    cell = column(box, "date")
    shown = shown_time(nodes.element_text(cell, strip=".sound_only")) if cell is not None else None
    if shown is not None:
        return Reading(shown, Source.SHAPE, "column 날짜")
    # a card link holding the date after its title line is searched, not skipped
    card = title_link is not None and nodes.tag(title_link) == "a" and first_line(title_link)
    skip = [title_link] if title_link is not None and not card else []
    skip += [a for a, url in nodes.links(box, ctx.base_url) if links.category(url, ctx.bo_table)]
    for el in nodes.elements(box):
        if nodes.inside(el, skip):
            continue
        texts = [nodes.element_text(el, strip=".sound_only"), *_pieces(el)]
        shown = next((s for s in map(shown_time, texts) if s is not None), None)
        if shown is not None:
            return Reading(shown, Source.SHAPE, css_step(el))
    return not_found()


def _pieces(el: etree._Element) -> list[str]:
    """The element's own texts split at the separators of an info line (·, |)."""
    return [p for t in nodes.own_texts(el) for p in re.split(r"\s*[·•|｜]\s*", t) if p]


def _views(box: etree._Element, ctx: RowContext) -> Reading[int]:
    el = _skin(box, ctx, "row_views")
    value = markup.to_int(nodes.element_text(el)) if el is not None else None
    if value is not None:
        return Reading(value, Source.SKIN, getattr(ctx.skin, "row_views", None))
    cell = column(box, "views")
    value = markup.to_int(nodes.element_text(cell)) if cell is not None else None
    if value is not None:
        return Reading(value, Source.SHAPE, "column 조회")
    return labelled_views(box)


def labelled_views(box: etree._Element) -> Reading[int]:
    """``조회 N``/``Hit N`` text, or a number beside an ``fa-eye`` icon, under ``box``."""
    for el in nodes.elements(box):
        text = nodes.element_text(el)
        m = _VIEWS.match(text)
        if m:
            return Reading(markup.to_int(m.group(1)), Source.SHAPE, css_step(el))
        eye = el.find(".//i")
        if (
            eye is not None
            and "fa-eye" in nodes.classes(eye)
            and re.fullmatch(r"\d[\d,]*회?", text)
        ):
            return Reading(markup.to_int(text), Source.SHAPE, f"{css_step(el)} (fa-eye)")
    return not_found()


def _number(box: etree._Element, ctx: RowContext) -> Reading[str]:
    skin = _skin_text(box, ctx, "row_number", ".sound_only")
    if skin.found:
        return skin
    cell = column(box, "number")
    text = nodes.element_text(cell) if cell is not None else ""
    if text:
        return Reading(text, Source.SHAPE, "column 번호")
    first_link = next(box.iter("a"), None)
    for el in nodes.elements(box):
        if el is first_link:
            break
        text = nodes.element_text(el)
        if re.fullmatch(r"\d[\d,]*", text) and not len(el):
            return Reading(text, Source.SHAPE, css_step(el))
    return not_found()


# ---- counts, category, flags -----------------------------------------------------------------


def _comment_count(
    box: etree._Element, title_link: etree._Element | None, ctx: RowContext
) -> Reading[int]:
    el = _skin(box, ctx, "row_comment_count")
    value = markup.to_int(nodes.element_text(el)) if el is not None else None
    if value is not None:
        return Reading(value, Source.SKIN, getattr(ctx.skin, "row_comment_count", None))
    for el in nodes.css(box, ".cnt_cmt"):
        value = markup.to_int(nodes.element_text(el))
        if value is not None:
            return Reading(value, Source.ENGINE, ".cnt_cmt")
    for el in nodes.elements(box):
        m = _BRACKET_COUNT.match(nodes.element_text(el))
        if m and el is not box:
            return Reading(
                markup.to_int(next(g for g in m.groups() if g)), Source.SHAPE, css_step(el)
            )
    for a in box.iter("a"):
        badge = comment_badge(a)
        if badge is not None:
            where = "a .sound_only(댓글) + * (the labelled count)"
            return Reading(markup.to_int(nodes.element_text(badge)), Source.ENGINE, where)
        if any(nodes.element_text(m) == "댓글" for m in nodes.css(a, ".sound_only")):
            m2 = re.search(r"(\d[\d,]*)\s*$", nodes.element_text(a, strip=".sound_only"))
            if m2:
                return Reading(markup.to_int(m2.group(1)), Source.SHAPE, "a (댓글 N)")
    beside = title_link.getnext() if title_link is not None else None
    if beside is not None and _COUNT_BADGE.search(" ".join(nodes.classes(beside))):
        value = markup.to_int(nodes.element_text(beside))
        if value is not None and re.fullmatch(r"\d[\d,]*", nodes.element_text(beside)):
            return Reading(value, Source.SHAPE, f"{css_step(beside)} (beside the title)")
    return not_found()


def _category(box: etree._Element, ctx: RowContext) -> Reading[str]:
    skin = _skin_text(box, ctx, "row_category", ".sound_only")
    if skin.found:
        return skin
    for a, url in nodes.links(box, ctx.base_url):
        if links.category(url, ctx.bo_table):
            text = nodes.element_text(a, strip=".sound_only")
            if text:
                return Reading(text, Source.ENGINE, "a[href*=sca=]")
    return not_found()


def _notice_tokens(el: etree._Element) -> list[str]:
    names = [*nodes.classes(el), (el.get("id") or "").lower()]
    return [n for n in names if "notice" in n]


#: class name parts of a notice's icon (an element with no text): ``span.na-notice``,
#: ``i.fa-bullhorn``, a pin
_NOTICE_ICON = re.compile(r"(?:^|[-_])(?:notice|bullhorn|megaphone|thumb-?tack|pushpin)(?:$|[-_])")


def _notice_icons(box: etree._Element) -> list[str]:
    """The classes of the icons under ``box`` named as a notice's."""
    return [
        c
        for el in nodes.elements(box)
        if el is not box and not nodes.element_text(el) and not _links_post(el)
        for c in nodes.classes(el)
        if _NOTICE_ICON.search(c)
    ]


def _notice(
    box: etree._Element, title_link: etree._Element | None, ctx: RowContext
) -> Reading[bool]:
    if _skin(box, ctx, "row_notice") is not None:
        return Reading(True, Source.SKIN, getattr(ctx.skin, "row_notice", None))
    for el in (box, *[a for a in nodes.ancestors(box) if a in ctx.between]):
        tokens = [t for t in _notice_tokens(el) if t not in ctx.shared_notice_tokens]
        if tokens:
            return Reading(True, Source.SHAPE, f"{nodes.tag(el)}.{tokens[0]}")
    # a card link holding the date after its title line is searched, not skipped
    card = title_link is not None and nodes.tag(title_link) == "a" and first_line(title_link)
    skip = [title_link] if title_link is not None and not card else []
    skip += [a for a, url in nodes.links(box, ctx.base_url) if links.category(url, ctx.bo_table)]
    for el in nodes.elements(box):
        badge = nodes.element_text(el) or (el.get("alt") or "" if nodes.tag(el) == "img" else "")
        if badge.lower() in _NOTICE_WORDS and not nodes.inside(el, skip):
            return Reading(True, Source.SHAPE, f"{css_step(el)} ({badge})")
    icons = [c for c in _notice_icons(box) if c not in ctx.shared_notice_icons]
    if icons:
        return Reading(True, Source.SHAPE, f".{icons[0]} (a notice's icon)")
    return Reading(False, Source.NOT_FOUND, None, "no notice marker")


def _marker(
    box: etree._Element, field: str, rules: tuple[str, frozenset[str]], ctx: RowContext
) -> Reading[bool]:
    if _skin(box, ctx, field) is not None:
        return Reading(True, Source.SKIN, getattr(ctx.skin, field, None))
    engine, words = rules
    found = nodes.css(box, engine)
    if found:
        return Reading(True, Source.ENGINE, css_step(found[0]))
    for el in nodes.elements(box):
        if el is not box and _named(el, words) and not nodes.element_text(el):
            return Reading(True, Source.SHAPE, css_step(el))
    return Reading(False, Source.NOT_FOUND, None, "no marker")


def _named(el: etree._Element, words: frozenset[str]) -> bool:
    """Whether a class of ``el`` (or its image's file name) has one of ``words`` as a part."""
    names = [*nodes.classes(el)]
    if nodes.tag(el) == "img":
        names.append((el.get("src") or "").lower().rsplit("/", 1)[-1])
    return any(part in words for name in names for part in _NAME_PARTS.split(name))
