"""Page rendering: the list, view, alert and password pages of one board, as GnuBoard serves them.

Four skins:

- ``"basic"``: GnuBoard 5.6.34's default theme and basic board skin (the ``v5.6`` samples).
- ``"legacy"``: the list page of GnuBoard 5.4 (same ids, older theme) and the 2017-era 5.2 view
  page (``v5.2-seed``): plain-text info line, relative links, no download nonce.
- ``"webzine"`` and ``"cards"``: board skins of the demo board's own that differ from basic as
  third-party skins do (no list table, other paging or none, dates without a year or a time,
  other view and comment markup), on the 5.6 engine and theme (``skin_webzine``,
  ``skin_cards``).

The engine's answers are the same whatever the skin: the 302 to ``password.php`` for a secret
post, the alert pages (5.4's for "legacy", 5.6's for the others), downloads.

A ``Renderer`` is bound to a base URL (``http://127.0.0.1:8056``) and a board; it only reads
board records, so a page is a pure function of the board, "now" and the request.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal
from urllib.parse import quote, quote_plus

from board_archive.demoboard.content import Board, Post
from board_archive.demoboard.render_view import BasicView, LegacyView
from board_archive.demoboard.settings import HOT_VIEWS, NEW_HOURS, SUBJECT_LEN, WRITE_PAGES
from board_archive.demoboard.skin_cards import CardsSkin
from board_archive.demoboard.skin_kit import ListContext
from board_archive.demoboard.skin_webzine import WebzineSkin
from board_archive.demoboard.template import FRAGMENTS, Template, fragment
from board_archive.demoboard.text import (
    attr,
    cut_str,
    get_text,
    js_string,
    list_date,
    paging,
    seoul,
)

Skin = Literal["basic", "legacy", "webzine", "cards"]
Disposition = Literal["urlencode", "rfc5987", "cp949", "utf-8"]
SKINS: tuple[Skin, ...] = ("basic", "legacy", "webzine", "cards")

NOT_FOUND_MESSAGE = "글이 존재하지 않습니다.\\n\\n글이 삭제되었거나 이동된 경우입니다."
BAD_ACCESS_MESSAGE = "잘못된 접근입니다."
NO_BOARD_MESSAGE = "존재하지 않는 게시판입니다."
NO_FILE_MESSAGE = "파일 정보가 존재하지 않습니다."


@dataclass(frozen=True, slots=True)
class ListRequest:
    """What a list page depends on besides the board."""

    page: int | None = None  # the ``page`` parameter as given (None: absent)
    query: str | None = None  # the raw query string, for the links GnuBoard echoes back


@dataclass(frozen=True, slots=True)
class ViewRequest:
    wr_id: int
    page: int | None = None
    query: str | None = None
    session: str = ""  # the PHPSESSID; download nonces depend on it


class Renderer:
    """Renders one board's pages for one base URL (no trailing slash)."""

    def __init__(self, board: Board, base_url: str, skin: Skin = "basic") -> None:
        if skin not in SKINS:
            raise ValueError(f"unknown skin {skin!r} (known: {', '.join(SKINS)})")
        self.board = board
        self.base_url = base_url.rstrip("/")
        self.skin: Skin = skin
        #: the "cards" skin shows the last day's posts as Eyoom does ("1시간 19분전")
        self.relative_times = False
        #: off: the basic and webzine skins print no author anywhere (a skin the reader misses)
        self.show_author = True
        #: the "cards" skin's list dates: ``YYYY.MM.DD``, or without it ``MM-DD`` (no year anywhere)
        self.list_year = True
        #: on: the basic skin's ``#bo_v_con`` holds a box of its own (a map) and the post comes
        #: after it, outside, as an estate agents' listing skin prints it (the body is elsewhere)
        self.body_beside_container = False
        consts = {"g5_url": self.base_url, "bo_table": board.bo_table}
        theme = "legacy" if skin == "legacy" else "basic"  # the theme and the engine's pages
        self._head = _head(skin).bind(consts)
        self._list_top = fragment(f"{theme}/list_top").bind(consts)
        self._row = fragment(f"{theme}/row").bind(consts)
        self._list_bottom = fragment(f"{theme}/list_bottom").bind(consts)
        self._tail = fragment(f"{theme}/tail").bind(consts)
        self._alert = fragment(f"{theme}/alert").bind(consts)
        self._password = fragment("password").bind(consts)
        self._skin: WebzineSkin | CardsSkin | None = None  # the skins of the demo board's own
        if skin == "webzine":
            self._skin = WebzineSkin(self)
        elif skin == "cards":
            self._skin = CardsSkin(self)
        self._view = self._skin or (BasicView(self) if skin == "basic" else LegacyView(self))

    # ---- shared pieces -----------------------------------------------------------------

    @property
    def bbs(self) -> str:
        return f"{self.base_url}/bbs"

    def board_url(self, query: str = "") -> str:
        """``…/bbs/board.php?bo_table=x`` plus ``&amp;``-joined extra parameters."""
        url = f"{self.bbs}/board.php?bo_table={self.board.bo_table}"
        return f"{url}&amp;{query}" if query else url

    def view_href(self, wr_id: int, page: int | None = None) -> str:
        extra = f"&amp;page={page}" if page is not None else ""
        return f"{self.board_url()}&amp;wr_id={wr_id}{extra}"

    def now(self) -> datetime:
        return self.board.now()

    def page_head(self, title: str) -> str:
        return self._head.render({"title": title, "visit": "1"})

    def page_tail(self, request_uri: str, query: str) -> str:
        mobile_qs = f"{attr(query)}&amp;" if query else ""
        return self._tail.render(
            {"ol_url": quote_plus(request_uri, safe=""), "mobile_qs": mobile_qs}
        )

    # ---- list page ---------------------------------------------------------------------

    def list_page(self, request: ListRequest | None = None, *, page_rows: int = 15) -> str:
        req = request or ListRequest()
        page = req.page if req.page is not None and req.page > 0 else 1
        ctx = self._list_context(page, page_rows, req.page)
        query = req.query if req.query is not None else self._list_query(req.page)
        body = self._skin.list_body(ctx) if self._skin is not None else self._table_body(ctx)
        return self.page_head(ctx.title) + body + self.page_tail(f"/bbs/board.php?{query}", query)

    def _list_context(self, page: int, page_rows: int, requested: int | None) -> ListContext:
        data = self.board.list_page(page, page_rows)
        label = str(requested) if requested is not None else ""
        title = f"{get_text(self.board.subject)} {label} 페이지"
        return ListContext(requested, page, data, title, self.now())

    def skin_list_body(self, page: int, page_rows: int, requested: int | None) -> str | None:
        """The list of a skin of the demo board's own (no page head or tail), as a skin that
        loads its list by AJAX gets it; None on the basic and legacy skins."""
        if self._skin is None:
            return None
        return self._skin.list_body(self._list_context(page, page_rows, requested))

    def _table_body(self, ctx: ListContext) -> str:
        """The list of the basic and legacy skins: a table, ``get_paging()`` links."""
        data, now = ctx.data, ctx.now
        label = str(ctx.requested) if ctx.requested is not None else ""
        parts = [self._list_top_html(ctx.title, label, ctx.page, data.total)]
        index = 0
        for post in data.notices:
            parts.append(self._row_html(post, index, None, ctx.requested, now))
            index += 1
        for k, post in enumerate(data.rows):
            parts.append(self._row_html(post, index, data.first_number - k, ctx.requested, now))
            index += 1
        empty = (
            "" if index else '<tr><td colspan="5" class="empty_table">게시물이 없습니다.</td></tr>'
        )
        nav = paging(WRITE_PAGES, ctx.page, data.total_pages, self.board_url("page="))
        parts.append(self._list_bottom.render({"empty_row": empty, "paging": nav}))
        return "".join(parts)

    def _list_query(self, page: int | None) -> str:
        base = f"bo_table={self.board.bo_table}"
        return f"{base}&page={page}" if page is not None else base

    def _list_top_html(self, title: str, label: str, page: int, total: int) -> str:
        board = self.board
        prefix = self.bbs if self.skin == "basic" else "/bbs"
        sort = f"{prefix}/board.php?bo_table={board.bo_table}"
        tail = "&amp;sfl=&amp;stx=&amp;sca="
        if label:
            sort_hit = f"{sort}&amp;page={label}&amp;sop=and&amp;sst=wr_hit&amp;sod=desc{tail}"
            sort_date = (
                f"{sort}&amp;page={label}&amp;sop=and&amp;sst=wr_datetime&amp;sod=desc{tail}"
            )
        else:
            sort_hit = f"{sort}&amp;sop=and&amp;sst=wr_hit&amp;sod=desc{tail}&amp;page={page}"
            sort_date = f"{sort}&amp;sop=and&amp;sst=wr_datetime&amp;sod=desc{tail}&amp;page={page}"
        return self._list_top.render(
            {
                "title_attr": attr(title),
                "bo_subject": get_text(board.subject),
                "category_nav": self._category_nav(),
                "page": str(page),
                "total": f"{total:,}",
                "sort_hit": sort_hit,
                "sort_date": sort_date,
            }
        )

    def _category_nav(self) -> str:
        board = self.board
        if not board.categories:
            return ""
        items = [f'<li><a href="{self.board_url()}" id="bo_cate_on">전체</a></li>']
        items.extend(
            f'<li><a href="{self.board_url("sca=" + quote_plus(c))}">{get_text(c)}</a></li>'
            for c in board.categories
        )
        return (
            '<nav id="bo_cate">\r\n'
            f"        <h2>{get_text(board.subject)} 카테고리</h2>\r\n"
            '        <ul id="bo_cate_ul">\r\n'
            f"            {''.join(items)}\r\n"
            "        </ul>\r\n"
            "    </nav>\r\n    "
        )

    def _row_html(
        self, post: Post, index: int, number: int | None, page: int | None, now: datetime
    ) -> str:
        notice = number is None
        even = "even" if index % 2 == 0 else ""
        icons = ""
        if post.posted_at >= now - timedelta(hours=NEW_HOURS):
            icons += '<span class="new_icon">N<span class="sound_only">새글</span></span>'
        if post.views >= HOT_VIEWS:
            icons += '<i class="fa fa-heart" aria-hidden="true"></i>'
        if post.attachments:
            icons += '<i class="fa fa-download" aria-hidden="true"></i>'
        count = len(post.comments)
        comments = (
            '<span class="sound_only">댓글</span>'
            f'<span class="cnt_cmt">{count}</span><span class="sound_only">개</span>'
            if count
            else ""
        )
        category = ""
        if self.board.categories and post.category:
            href = self.board_url("sca=" + quote_plus(post.category))
            category = (
                f'<a href="{href}" class="bo_cate_link">{get_text(post.category)}</a>\r\n'
                "                "
            )
        return self._row.render(
            {
                "tr_class": f"{'bo_notice' if notice else ''} {even}",
                "num": '<strong class="notice_icon">공지</strong>' if notice else str(number),
                "category": category,
                "href": self.view_href(post.wr_id, page),
                "reply": "",
                "secret": '<i class="fa fa-lock" aria-hidden="true"></i>' if post.secret else "",
                "subject": get_text(cut_str(post.title, SUBJECT_LEN)),
                "icons": icons,
                "comments": comments,
                "name": self.author_html(post.author),
                "hit": str(post.views),
                "date": list_date(post.posted_at, now),
            }
        )

    def author_html(self, name: str) -> str:
        if not self.show_author:  # a skin that prints no author (tests of the run's health)
            return ""
        return f'<span class="sv_member">{get_text(name)}</span>'

    # ---- view page ---------------------------------------------------------------------

    def view_page(self, request: ViewRequest) -> str:
        """The view page of a live, readable post (the caller handles missing and secret)."""
        post = self.board.live(request.wr_id)
        if post is None:
            raise KeyError(request.wr_id)
        return self._view.render(post, request)

    def download_nonce(self, session: str, wr_id: int, no: int) -> str:
        """A GnuBoard-5.6-looking nonce ("salt|expiry|hash"); it varies per session and hour."""
        expiry = int(self.now().timestamp()) // 3600 * 3600 + 86400
        salt = hashlib.sha1(f"{session}:{wr_id}".encode()).hexdigest()[:20]
        digest = hashlib.sha1(f"{salt}|{expiry}|{session}|{wr_id}|{no}".encode()).hexdigest()
        return f"{salt}|{expiry}|{digest}"

    # ---- alerts and the password form --------------------------------------------------

    def alert_page(self, message: str, url: str | None, *, close: bool = False) -> str:
        """GnuBoard's ``alert()`` page; ``message`` uses ``\\n`` escapes like the PHP source."""
        if close:
            js_url, href = "", "javascript:window.close();"
        else:
            target = url or self.base_url
            js_url = target if self.skin == "legacy" else js_string(target)
            href = target
        html_msg = get_text(message).replace("\\n", "<br>")
        page = self._alert.render(
            {"js_msg": message, "js_url": js_url, "html_msg": html_msg, "url": href}
        )
        if close:
            page = page.replace('document.location.replace("");', "window.close();")
        return page

    def not_found_page(self) -> str:
        return self.alert_page(
            NOT_FOUND_MESSAGE, f"{self.bbs}/board.php?bo_table={self.board.bo_table}"
        )

    def bad_access_page(self, wr_id: int) -> str:
        url = f"{self.bbs}/board.php?bo_table={self.board.bo_table}&wr_id={wr_id}"
        return self.alert_page(BAD_ACCESS_MESSAGE, url)

    def no_board_page(self) -> str:
        return self.alert_page(NO_BOARD_MESSAGE, self.base_url)

    def no_file_page(self) -> str:
        return self.alert_page(NO_FILE_MESSAGE, None, close=True)

    def password_page(self, post: Post) -> str:
        return self._password.render({"subject": get_text(post.title), "wr_id": str(post.wr_id)})

    def secret_location(self, wr_id: int, page: int | None = None) -> str:
        extra = f"&page={page}" if page is not None else ""
        return f"{self.bbs}/password.php?w=s&bo_table={self.board.bo_table}&wr_id={wr_id}{extra}"

    @staticmethod
    def content_disposition(name: str, style: Disposition = "urlencode") -> str:
        """The header as GnuBoard sends it (``urlencode``, its ``download.php``), or as other
        servers do: ``rfc5987`` (``filename*=UTF-8''…``), or the raw name in ``cp949`` (EUC-KR)
        or ``utf-8`` bytes (a str of those bytes read as Latin-1, which is what goes out)."""
        if style == "rfc5987":
            return f"attachment; filename*=UTF-8''{quote(name, safe='')}"
        if style in ("cp949", "utf-8"):
            raw = name.encode(style, errors="replace").decode("latin-1")
            return f'attachment; filename="{raw}"'
        return f'attachment; filename="{quote_plus(name, safe="")}"'


def view_datetime(when: datetime) -> str:
    return seoul(when).strftime("%y-%m-%d %H:%M")


def _head(skin: Skin) -> Template:
    """The page head: the theme's, linking the board skin's stylesheet."""
    if skin in ("basic", "legacy"):
        return fragment(f"{skin}/head")
    return Template(FRAGMENTS["basic/head"].replace("/skin/board/basic/", f"/skin/board/{skin}/"))
