"""A list row's title: the text of the row's link to the post, whatever the skin.

The engine hands skins ``$list[$i]['subject']`` (cut to the board's length with "…") and the
row's ``href``; skins put badges (``N``, ``new``, 공지), icons, the category and the comment
count (``.cnt_cmt``, ``[3]``) around or inside the link. ``title_parts`` finds the link with
the longest text (a thumbnail link's "no image" loses); when one link wraps the whole card
(several lines: title, excerpt, date, author) the title is its heading, its ``…tit…`` or
``…subject…`` element, or its first line that is no date or number (an element holding just
that line, or the line itself where the skin prints the subject as the link's bare text
before an info block).
"""

from __future__ import annotations

import re

from lxml import etree

from archive.selectors import Selectors
from crawler.pages.g5 import links, nodes
from crawler.pages.g5.readings import Reading, Source, css_step, not_found
from crawler.pages.g5.times import shown_time

#: what is dropped from a title's text (the basic skin's list: badges, icons, counts)
TITLE_STRIP = Selectors().title_strip
BADGES = frozenset({"n", "new", "hot", "공지", "새글", "인기", "비밀글", "답변", "best"})
_TRAILING_COUNT = re.compile(r"\s*(?:\[\s*\d*\s*\]|\(\s*\d*\s*\))$")


def _title_link(
    box: etree._Element, wr_id: str, base_url: str, bo_table: str
) -> etree._Element | None:
    best: tuple[int, etree._Element] | None = None
    for a, url in nodes.links(box, base_url):
        if links.post_id(url, bo_table) == wr_id:
            size = len(nodes.element_text(a, strip=TITLE_STRIP))
            if best is None or size > best[0]:
                best = (size, a)
    return best[1] if best else None


def title_parts(
    box: etree._Element, wr_id: str, base_url: str, bo_table: str
) -> tuple[etree._Element | None, Reading[str]]:
    """The element holding a row's title and the title read from it: the row link's text;
    in a card wrapped whole in its link, the link's heading (or ``…tit…``/``…subject…``
    element, or first line that is no date or number); else such an element in the row."""
    link = _title_link(box, wr_id, base_url, bo_table)
    if link is not None:
        inner = _inner_title(link)
        if inner is not None:
            text = clean_title(title_text(inner))
            return inner, Reading(text, Source.SHAPE, f"a[href*=wr_id] {css_step(inner)}")
        line = first_line(link)
        if line:
            where = "a[href*=wr_id] (the first line of the card link's text)"
            return link, Reading(clean_title(line), Source.SHAPE, where)
        text = clean_title(title_text(link))
        if text:
            return link, Reading(text, Source.ENGINE, "a[href*=wr_id] (the row link's text)")
    for el in nodes.elements(box):
        if any("subject" in c or "tit" in c for c in nodes.classes(el)):
            text = clean_title(title_text(el))
            if text:
                return el, Reading(text, Source.SHAPE, css_step(el))
    return None, not_found()


def _inner_title(link: etree._Element) -> etree._Element | None:
    """The title inside a link that holds a whole card (several lines), or None."""
    lines = nodes.element_text(link, strip=TITLE_STRIP, block=True).split("\n")
    if len(lines) < 2:
        return None
    parts = [el for el in link.iterdescendants() if isinstance(el.tag, str)]
    for el in parts:
        named = any("subject" in c or "tit" in c for c in nodes.classes(el))
        if (named or nodes.tag(el) in ("h1", "h2", "h3", "h4", "h5", "h6")) and title_text(el):
            return el
    line = _title_line(lines)
    return next((el for el in parts if line and title_text(el) == line), None)


def _title_line(lines: list[str]) -> str:
    return next(
        (ln for ln in lines if not shown_time(ln) and not re.fullmatch(r"[\d,\s]*", ln)), ""
    )


def first_line(link: etree._Element) -> str:
    """The title line of a link holding a whole card (several lines), or "" when the link's
    text is one line (its text is then the title)."""
    lines = nodes.element_text(link, strip=TITLE_STRIP, block=True).split("\n")
    return _title_line(lines) if len(lines) >= 2 else ""


def title_text(el: etree._Element, strip: str = TITLE_STRIP) -> str:
    """A title element's text without the badges, icons and counts skins put in it (and
    without what ``strip`` selects)."""
    text = nodes.element_text(el, strip=strip)
    badge = comment_badge(el)
    count = nodes.element_text(badge) if badge is not None else ""
    if count and text.startswith(count + " "):  # "<.sound_only>댓글</><span>2</>… 제목"
        text = text[len(count) + 1 :]
    elif any(nodes.element_text(m) == "댓글" for m in nodes.css(el, ".sound_only")):
        text = re.sub(r"\s*\d[\d,]*$", "", text)  # "제목 <.sound_only>댓글</>3<…>개</>"
    for child in el.iterdescendants():
        badge = nodes.element_text(child) if isinstance(child.tag, str) else ""
        if badge and badge.lower() in BADGES and badge != text:
            if text.endswith(" " + badge):
                text = text[: -len(badge) - 1]
            elif text.startswith(badge + " "):
                text = text[len(badge) + 1 :]
    return text


def comment_badge(el: etree._Element) -> etree._Element | None:
    """The comment count inside ``el`` that the engine's screen-reader label names: the
    element right after ``<span class="sound_only">댓글</span>`` when it holds a number."""
    for label in nodes.css(el, ".sound_only"):
        count = label.getnext() if nodes.element_text(label) == "댓글" else None
        if count is not None and re.fullmatch(r"\d[\d,]*", nodes.element_text(count)):
            return count
    return None


def clean_title(text: str) -> str:
    """``text`` without a trailing comment count (``[3]``, ``(3)``, or its empty brackets)."""
    return _TRAILING_COUNT.sub("", text).strip()
