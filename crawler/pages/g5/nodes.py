"""Element helpers shared by the GnuBoard invariant readers (lxml elements, no I/O).

The readers walk lxml elements (ancestors, document order) and read text through
``crawler.pages.html`` (``element_text`` wraps an element for ``markup.text``), so every text
follows the same rules as the basic-skin parser.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from lxml import etree
from parsel import Selector

from crawler.pages import html as markup
from crawler.pages import page_text

#: the author markup the engine emits: ``get_sideview`` (``sv_member``/``sv_guest``) or, with
#: the side view off, ``<span class="member|guest">`` (comments) / ``sv_member|sv_guest`` (lists)
AUTHOR_CSS = ".sv_member, .sv_guest, .member, .guest"
#: parts of an author's markup that are not the name: the side view's menu (the engine's, or
#: a skin's dropdown of it), profile images
AUTHOR_STRIP = ".sound_only, .sv, .sv_nojs, .profile_img, .dropdown-menu"
#: the links of the engine's side view (``get_sideview``): 쪽지보내기, 메일보내기, 자기소개,
#: 아이디로/이름으로 검색, 전체게시물
_SIDEVIEW = re.compile(
    r"memo_form\.php\?me_recv_mb_id=|formmail\.php\?mb_id=|profile\.php\?mb_id="
    r"|[?&]sfl=(?:mb_id|wr_name)(?:,|%2C)|new\.php\?mb_id=",
    re.I,
)
#: class name parts of an element holding a plain author name (``plain_author``)
#: the engine's side-view menu items (쪽지보내기, 메일보내기, 자기소개, 아이디로 검색, …)
_MENU_LABEL = re.compile(
    r"쪽지|메일|자기소개|검색|게시물|홈페이지|회원정보|포인트|memo|mail|profile", re.I
)
#: what a skin prints in the author's place on a pinned notice (no name)
_NOTICE_LABEL = re.compile(r"\[?\s*(?:공지|공지사항|notice)\s*\]?", re.I)
_AUTHOR_CLASSES = ("author", "writer", "wr_name", "name", "nick")
_AUTHOR_LABEL = re.compile(r"^(?:작성자|글쓴이|writer|author)\s*[:：]?\s*", re.I)
#: elements that are never a post's text
_NOT_TEXT = frozenset({"script", "style", "template", "noscript", "textarea", "select", "button"})


def selector(el: etree._Element) -> Selector:
    """``el`` as a parsel ``Selector`` (for CSS queries and ``markup.text``)."""
    return Selector(root=el, type="html")


def element_text(
    el: etree._Element | None, *, strip: str | None = None, block: bool = False
) -> str:
    """``markup.text`` of ``el`` ("" for None); one line from the page's text index while the
    page is read (``page_text.reading``)."""
    if el is None:
        return ""
    indexed = None if block else page_text.text(el, strip)
    return indexed if indexed is not None else markup.text(selector(el), strip=strip, block=block)


def css(el: etree._Element, query: str) -> list[etree._Element]:
    """The elements under ``el`` (itself included) matching CSS ``query``."""
    return [s.root for s in selector(el).css(query)]


def classes(el: etree._Element) -> list[str]:
    return (el.get("class") or "").lower().split()


def tag(el: etree._Element) -> str:
    return el.tag.lower() if isinstance(el.tag, str) else ""


def elements(root: etree._Element) -> Iterator[etree._Element]:
    """Elements under ``root`` (itself included) in document order, script/style and form
    controls left out with their content."""
    stack = [root]
    while stack:
        el = stack.pop()
        name = tag(el)
        if not name or name in _NOT_TEXT:
            continue
        yield el
        stack.extend(reversed([c for c in el if isinstance(c.tag, str)]))


def ancestors(
    el: etree._Element, *, upto: etree._Element | None = None
) -> Iterator[etree._Element]:
    """The ancestors of ``el``, nearest first, stopping before ``upto``."""
    node = el.getparent()
    while node is not None and node is not upto:
        yield node
        node = node.getparent()


def inside(el: etree._Element, containers: Iterable[etree._Element]) -> bool:
    """Whether ``el`` is one of ``containers`` or inside one (a set is used as given: a
    caller asking for many elements builds it once)."""
    boxes = containers if isinstance(containers, (set, frozenset)) else set(containers)
    if not boxes:
        return False
    node: etree._Element | None = el
    while node is not None:
        if node in boxes:
            return True
        node = node.getparent()
    return False


def common_ancestor(els: Iterable[etree._Element]) -> etree._Element | None:
    """The lowest element containing every one of ``els`` (itself, for one)."""
    chains = [[el, *ancestors(el)] for el in els]
    if not chains:
        return None
    shared = set(chains[0]).intersection(*map(set, chains[1:]))
    return next((node for node in chains[0] if node in shared), None)


def links(root: etree._Element, base_url: str) -> Iterator[tuple[etree._Element, str]]:
    """Every ``<a href>`` under ``root`` with its absolute URL; links within the page
    (``#…``), scripts, mail and links that are no URL are left out."""
    for a in root.iter("a"):
        href = (a.get("href") or "").strip()
        if href and not href.lower().startswith(("#", "javascript:", "mailto:")):
            url = markup.join_url(base_url, href)
            if url is not None:
                yield a, url


def author(el: etree._Element) -> tuple[str, str] | None:
    """The first author name in the engine's markup under ``el`` and the class it had."""
    for found in css(el, AUTHOR_CSS):
        name = element_text(found, strip=AUTHOR_STRIP)
        if name:
            kind = next(
                c for c in ("sv_member", "sv_guest", "member", "guest") if c in classes(found)
            )
            return name, f".{kind}"
    return None


def sideview_author(el: etree._Element) -> tuple[str, str] | None:
    """The author name under ``el`` beside the engine's side-view links that a skin wraps in
    its own menu (a Bootstrap dropdown) without the engine's classes: the text of the menu's
    owner without the menu, and where it was. A lone side-view link whose text is a name, not a
    menu label (``<a href="memo_form.php?me_recv_mb_id=…">김민지</a>``), is the name."""
    found = [a for a in el.iter("a") if _SIDEVIEW.search(a.get("href") or "")]
    if len(found) == 1:
        name = element_text(found[0], strip=AUTHOR_STRIP)
        if _a_name(name) and not _MENU_LABEL.search(name):
            return name, "the side view's link"
    for a in found:
        menu = a
        while (parent := menu.getparent()) is not None and parent is not el:
            if not all(_SIDEVIEW.search(x.get("href") or "") for x in parent.iter("a")):
                break
            menu = parent
        owner = menu.getparent()
        if owner is None or menu is a:
            continue
        kids = [c for c in owner if isinstance(c.tag, str) and c is not menu]
        parts = [p for p in (element_text(c, strip=AUTHOR_STRIP) for c in kids) if p]
        parts += own_texts(owner)
        name = " ".join(" ".join(parts).split())
        if _a_name(name):
            return name, "the side view's menu"
    return None


def _a_name(text: str) -> bool:
    return bool(text) and len(text) <= 30 and not re.fullmatch(r"[\d\s,.:/-]*", text)


def plain_author(el: etree._Element) -> str | None:
    """The name in ``el`` when it is a skin's plain ``wr_name`` (no engine markup): an element
    named for the author (``…author…``, ``…writer…``, ``…name…``, ``…nick…``) or labelled
    ``작성자``/``글쓴이``, holding a short name that is no date or number. An element so named
    inside one so named is the name (``.bg-author`` around ``.comment-name`` and a time)."""
    named = any(w in c for c in classes(el) for w in _AUTHOR_CLASSES)
    if named:
        for inner in el.iterdescendants():
            if isinstance(inner.tag, str) and any(
                w in c for c in classes(inner) for w in _AUTHOR_CLASSES
            ):
                found = plain_author(inner)
                if found:
                    return found
    text = element_text(el, strip=AUTHOR_STRIP)
    label = _AUTHOR_LABEL.match(text)
    if label:
        text = text[label.end() :].strip()
    elif not named:
        return None
    if not text or len(text) > 30 or re.fullmatch(r"[\d\s,.:/-]*", text):
        return None
    return None if _NOTICE_LABEL.fullmatch(text) else text


def own_texts(el: etree._Element) -> list[str]:
    """The text directly in ``el`` (its text and its children's tails), stripped, non-empty."""
    parts = [el.text or ""] + [child.tail or "" for child in el]
    return [" ".join(p.split()) for p in parts if p and p.strip()]
