"""The body container of a skin, found by comparing view pages of one board.

A skin prints the same template around every post; the post is what differs. Given two or
more view pages of one board (``(html, url)`` pairs, different posts), ``find_body``:

1. takes the text of each page, leaving out what the engine tells apart already: the
   ``<head>``, the title (the ``<title>``'s subject, and any text holding it), comments,
   attachment entries, links to other posts with their parents (previous/next), dates and
   counters (``26-08-12 20:06``, ``3건``, ``1회``);
2. calls a text *template* when the same string is on every page, *the post's* otherwise;
3. keeps the elements found once on every page by the same path (tag, id and classes from the
   nearest ancestor with an id; no positions, so a block present on one page only does not
   shift them) that hold neither the title nor a comment, at least ``RECALL`` of each page's
   post text, and whose text is at least ``PRECISION`` the post's;
4. answers the one whose text is most nearly the post's text and nothing else (the highest
   F1 of the two shares, averaged over the pages; on a tie the least text, then the deepest),
   as a selector that picks that element alone on every page. An element holding the
   engine's attachment entries (``download.php`` links) comes after every one that holds none:
   a file list's label shows on some pages only and would pass for the post's text.

When no element qualifies (fewer than two pages, identical pages, a post spread over blocks
with the template between them) it says it cannot tell, and why: the body is then not read
(``view_body`` has to be set), never guessed.

``check_body`` weighs a container the pages name already (``#bo_v_con``, kept by most skins)
the same way: the share of each page's post text (what differs, as above) it holds. A skin can
keep ``#bo_v_con`` for something else (a map and an address) and print the post below it; its
share is then small, and what it holds would be archived as the body.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from lxml import etree

from crawler.pages import html as markup
from crawler.pages.g5 import links, nodes
from crawler.pages.g5.attachments import find_files
from crawler.pages.g5.comments import find_comments
from crawler.pages.g5.times import shown_time
from crawler.pages.g5.view import other_posts, showing, title_subject

RECALL = 0.6
PRECISION = 0.5
DOUBTED = 0.5  # a container holding less of the post's text than this on every page
BODY_ID = "#bo_v_con"
_COUNTER = re.compile(
    r"^(?:(?:조회수?|댓글|추천|비추천|hits?|views?)\s*[:：]?\s*)?\d[\d,]*\s*(?:건|회|개)?$", re.I
)

Key = tuple[tuple[str, str, frozenset[str]], ...]


@dataclass(frozen=True, slots=True)
class BodyFinding:
    """The body container's selector, or None with the reason it cannot be told."""

    selector: str | None
    reason: str
    coverage: tuple[float, ...] = ()  # per page: the share of the post's text it holds


@dataclass(frozen=True, slots=True)
class _Page:
    root: etree._Element
    texts: tuple[tuple[etree._Element, str], ...]  # (element holding it, text), page order
    fenced: frozenset[etree._Element]  # the title and the comments: never inside the body
    files: frozenset[etree._Element]  # the attachment entries: outside the body where it can be
    keys: dict[Key, list[etree._Element]]


def find_body(pages: Sequence[tuple[str, str]]) -> BodyFinding:
    """The body container of the view pages ``pages`` (``(html, url)``), see the notes."""
    if len(pages) < 2:
        return BodyFinding(None, "cannot tell: needs two or more view pages of the board")
    parsed = [_page(html, url) for html, url in pages]
    counts: dict[str, int] = defaultdict(int)
    for page in parsed:
        for text in {t for _, t in page.texts}:
            counts[text] += 1
    template = {t for t, n in counts.items() if n == len(parsed)}
    sums = [_sums(page, template) for page in parsed]
    found: list[tuple[bool, float, int, int, str, tuple[float, ...]]] = []
    for key in set.intersection(*(set(p.keys) for p in parsed)):
        judged = _judge(key, parsed, sums)
        if judged is not None:
            found.append(judged)
    if not found:
        return BodyFinding(None, "cannot tell: no element holds the text that differs alone")
    *_, selector, coverage = min(found)
    return BodyFinding(selector, "the element holding what differs between the pages", coverage)


def check_body(pages: Sequence[tuple[str, str]], selector: str) -> tuple[float, ...] | None:
    """Per page, the share of the post's text (what differs between ``pages``) inside the
    first element ``selector`` picks (0 where it picks none); None when it cannot be told (fewer
    than two pages, or a page with no text of its own)."""
    if len(pages) < 2:
        return None
    parsed = [_page(html, url) for html, url in pages]
    counts: dict[str, int] = defaultdict(int)
    for page in parsed:
        for text in {t for _, t in page.texts}:
            counts[text] += 1
    template = {t for t, n in counts.items() if n == len(parsed)}
    shares = []
    for page in parsed:
        counted = _sums(page, template)
        if not counted.post_total:
            return None
        found = markup.first(nodes.selector(page.root), selector)
        held = counted.post.get(found.root, 0) if found is not None else 0
        shares.append(round(held / counted.post_total, 3))
    return tuple(shares)


def doubt_container(pages: Sequence[tuple[str, str]]) -> str | None:
    """Why ``#bo_v_con`` may not be the post's body on the view pages ``pages`` that have one:
    on every one it holds less than ``DOUBTED`` of the post's text (``check_body``), with
    the element comparing finds instead, if any; None when it holds the post on some page, or
    when it cannot be told (fewer than two such pages)."""
    having = [(html, url) for html, url in pages if markup.first(markup.doc(html), BODY_ID)]
    shares = check_body(having, BODY_ID)
    if shares is None or max(shares) >= DOUBTED:
        return None
    finding = find_body(having)
    instead = f"; comparing them finds {finding.selector}" if finding.selector else ""
    return (
        f"{BODY_ID} holds at most {max(shares):.0%} of the text that differs between "
        f"{len(having)} view pages: the post is elsewhere on the page, and the body read is "
        f"the skin's template{instead}; set view_body in the board's selectors"
    )


@dataclass(frozen=True, slots=True)
class _Sums:
    post: dict[etree._Element, int]  # characters of the post's text inside each element
    every: dict[etree._Element, int]  # characters of all text inside each element
    post_total: int


def _sums(page: _Page, template: set[str]) -> _Sums:
    post: dict[etree._Element, int] = defaultdict(int)
    every: dict[etree._Element, int] = defaultdict(int)
    for el, text in page.texts:
        mine = text not in template
        for node in (el, *nodes.ancestors(el)):
            every[node] += len(text)
            if mine:
                post[node] += len(text)
    total = sum(len(t) for _, t in page.texts if t not in template)
    return _Sums(post, every, total)


def _page(html: str, url: str) -> _Page:
    root = markup.doc(html).root
    table = links.board_table(url) or ""
    post = links.post_id(url, table) or ""
    subject = title_subject(root)
    title = showing(root, subject) if subject else None
    comments = [box for box, _ in find_comments(root, url, table)]
    files = [box for box, _ in find_files(root, url, table, post)]
    skipped = {
        *comments,
        *files,
        *other_posts(root, url, table, post),
        *root.iter("head"),
        *_authors(root),
    }
    texts = []
    for el in nodes.elements(root):
        if not nodes.inside(el, skipped) and (title is None or not nodes.inside(el, [title])):
            texts += [(el, t) for t in nodes.own_texts(el) if not _engine_text(t, subject)]
    keys: dict[Key, list[etree._Element]] = defaultdict(list)
    for el in nodes.elements(root):
        keys[_key(el)].append(el)
    fenced = frozenset([*comments, *([title] if title is not None else [])])
    unique = {k: v for k, v in keys.items() if len(v) == 1}
    return _Page(root, tuple(texts), fenced, frozenset(files), unique)


def _authors(root: etree._Element) -> list[etree._Element]:
    """The author's name: the engine's name markup, or a short element named for the author
    (a short post would otherwise be mostly its author's name, which differs too)."""
    marked = [found.root for found in nodes.selector(root).css(nodes.AUTHOR_CSS)]
    return [*marked, *(el for el in nodes.elements(root) if nodes.plain_author(el) is not None)]


def _engine_text(text: str, subject: str | None) -> bool:
    """Text the engine gives every post: the subject, dates, counters."""
    if subject and subject in text:
        return True
    return shown_time(text) is not None or _COUNTER.match(text) is not None


def _key(el: etree._Element) -> Key:
    steps = []
    node: etree._Element | None = el
    while node is not None and isinstance(node.tag, str):
        ident = node.get("id") or ""
        steps.append((nodes.tag(node), ident, frozenset(nodes.classes(node))))
        if ident or nodes.tag(node) in ("html", "body"):
            break
        node = node.getparent()
    return tuple(reversed(steps))


def _selector(key: Key) -> str | None:
    """A CSS selector of the path ``key``; None when a name cannot be quoted in one."""
    names = [n for _, ident, classes in key for n in (ident, *classes)]
    if any(not _quotable(n) for n in names):
        return None
    steps = []
    for tag, ident, classes in key:
        if ident:
            steps.append(f"{tag}#{ident}" if _plain(ident) else f'{tag}[id="{ident}"]')
        else:
            quoted = "".join(f".{c}" if _plain(c) else f'[class~="{c}"]' for c in sorted(classes))
            steps.append(f"{tag}{quoted}:not([id])" + ("" if classes else ":not([class])"))
    return " > ".join(steps)


def _quotable(name: str) -> bool:
    return not any(ch in name for ch in '"\\') and all(ch.isprintable() for ch in name)


def _plain(name: str) -> bool:
    return name[:1].isalpha() and all(ch.isalnum() or ch in "-_" for ch in name)


def _judge(
    key: Key, pages: list[_Page], sums: list[_Sums]
) -> tuple[bool, float, int, int, str, tuple[float, ...]] | None:
    """(whether it holds attachment entries, minus its mean F1, its text's size, minus its
    depth, its selector, its recall per page) when ``key`` qualifies: the best sorts first,
    the deeper of two equals."""
    selector = _selector(key)
    if selector is None:
        return None
    recalls, scores = [], []
    size = 0
    holds_files = False
    for page, counted in zip(pages, sums, strict=True):
        (el,) = page.keys[key]
        post, every = counted.post.get(el, 0), counted.every.get(el, 0)
        if not counted.post_total or not post:
            return None
        recall, precision = post / counted.post_total, post / every
        if recall < RECALL or precision < PRECISION:
            return None
        if any(nodes.inside(f, [el]) for f in page.fenced):
            return None
        picked = nodes.selector(page.root).css(selector)
        if len(picked) != 1 or picked[0].root is not el:
            return None
        holds_files = holds_files or any(nodes.inside(f, [el]) for f in page.files)
        recalls.append(round(recall, 3))
        scores.append(2 * recall * precision / (recall + precision))
        size += every
    depth = sum(1 for _ in nodes.ancestors(pages[0].keys[key][0]))
    return holds_files, -sum(scores) / len(scores), size, -depth, selector, tuple(recalls)
