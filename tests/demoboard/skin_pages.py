"""Reading the "webzine" and "cards" skins' pages in tests: the row links of a list page, the
text of an element, and the fields each skin shows where it shows them."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

from parsel import Selector

from board_archive.demoboard import Post
from board_archive.demoboard.render import Skin

BASE = "http://127.0.0.1:8056"
THIRD_PARTY: tuple[Skin, ...] = ("webzine", "cards")
_ROW_LINK = re.compile(r"/bbs/board\.php\?bo_table=press&wr_id=(\d+)")

# where each skin shows a field (the tests' knowledge of the skins, not the crawler's)
LIST_ROWS = {
    "webzine": ".wz_notice_item, .wz_featured, .wz_item",
    "cards": ".board-cards-grid .card",
}
LIST_TITLE = {
    "webzine": ".wz_notice_link, .wz_featured_tit, .wz_item_tit",
    "cards": ".card-title a",
}
LIST_DATE = {"webzine": ".wz_notice_date, .wz_date", "cards": ".card-date"}
LIST_AUTHOR = {"webzine": ".sv_member", "cards": ".card-author"}
VIEW_TITLE = {"webzine": "h2.wz_view_tit", "cards": "h1.post-title"}
VIEW_AUTHOR = {"webzine": ".wz_view_name .sv_member", "cards": ".post-author"}
VIEW_DATE = {"webzine": ".wz_view_date", "cards": ".post-date"}
VIEW_BODY = {"webzine": "#bo_v_con", "cards": ".post-content"}
COMMENT_TEXT = {"webzine": ".wz_cmt_content", "cards": ".cmt-text"}
COMMENT_DATE = {"webzine": "time.wz_cmt_date", "cards": ".cmt-date"}


def text(sel: Selector | None) -> str:
    """The element's text, its pieces stripped and joined by single spaces."""
    if sel is None:
        return ""
    return " ".join(t.strip() for t in sel.css("::text").getall() if t.strip())


def own_text(sel: Selector) -> str:
    """The element's own text (not its children's), stripped."""
    return " ".join(t.strip() for t in sel.xpath("./text()").getall() if t.strip())


def lines(sel: Selector) -> str:
    """The element's text pieces, stripped, one a line (a ``<br>`` ends a line)."""
    return "\n".join(t.strip() for t in sel.css("::text").getall() if t.strip())


def row_ids(html: str) -> list[int]:
    """The posts the page's content links to (``board.php?bo_table=press&wr_id=N``), in order."""
    ids: list[int] = []
    for href in Selector(text=html).css("#container a::attr(href)").getall():
        m = _ROW_LINK.search(href)
        if m and int(m.group(1)) not in ids:
            ids.append(int(m.group(1)))
    return ids


def list_page_links(html: str) -> set[int]:
    """The list pages (``page=N`` without ``wr_id``) the page links to, but for the theme's
    link to the mobile version of the page itself (``…&device=mobile``)."""
    pages = set()
    for href in Selector(text=html).css("a::attr(href)").getall():
        query = parse_qs(urlsplit(href).query)
        if "page" in query and "wr_id" not in query and "device" not in query:
            pages.add(int(query["page"][0]))
    return pages


def body_text(body_html: str) -> str:
    return text(Selector(text=f"<div>{body_html}</div>").css("div")[0])


def shown_title(post: Post, cut: int = 60) -> str:
    return post.title if len(post.title) <= cut else post.title[:cut] + "…"
