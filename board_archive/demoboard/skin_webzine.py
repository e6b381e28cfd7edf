"""The "webzine" skin: a board skin of the demo board's own, laid out like third-party webzine
skins (such as ``gnuboard5-samples/skins/pt_webzine``), on GnuBoard 5.6's engine and theme.

List page (``templates/webzine/``): no table. ``Total N건`` above the rows; the notices (page 1)
in ``ul.wz_notices``; the first row of every page as a featured block (``div.wz_featured``, with
an excerpt of the text), the others as cards (``ul.wz_grid > li.wz_item``); each row links to
``board.php?bo_table=T&wr_id=N`` (``&page=P`` when the list had a page); dates ``HH:MM`` for
today's posts, ``MM-DD`` otherwise (no year); the author in ``sv_member`` markup; paging as
Bootstrap's ``ul.pagination`` with relative links (``./board.php?bo_table=T&amp;page=N``).

View page: title ``h2.wz_view_tit``; the date ``YYYY.MM.DD`` (no time); views and comments as bare
numbers beside icons; the body in ``div.wz_view_content#bo_v_con``; pictures as the engine's
``view_image.php`` links in ``#bo_v_img`` (``board_archive.demoboard.pictures``); the other files
in ``section.wz_view_files`` (``download.php`` links); comments ``article#c_ID.wz_cmt_item`` with
``time.wz_cmt_date`` ``MM-DD HH:MM`` (no year), the author ``sv_member`` when they wrote the post,
``sv_guest`` otherwise.
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING
from urllib.parse import quote, quote_plus

from board_archive.demoboard.content import Attachment, Comment, Post
from board_archive.demoboard.pictures import view_file_link
from board_archive.demoboard.render_view import comment_values
from board_archive.demoboard.settings import NEW_HOURS, SUBJECT_LEN, WRITE_PAGES
from board_archive.demoboard.skin_kit import (
    ListContext,
    excerpt,
    file_list,
    pictures_and_files,
    thumbnail,
)
from board_archive.demoboard.template import fragment
from board_archive.demoboard.text import (
    attr,
    cut_str,
    get_text,
    list_date,
    number_format,
    seoul,
)

if TYPE_CHECKING:
    from board_archive.demoboard.render import Renderer, ViewRequest

NO_IMAGE = '<span class="wz_no_img"><i class="fa fa-image"></i></span>'
LOCK = '<i class="fa fa-lock" aria-hidden="true"></i> '
COMMENT_DATE = "%m-%d %H:%M"  # no year, as many webzine skins show it
PARTS = (  # the fragments in templates/webzine/
    "list_top", "notice", "featured", "item", "list_bottom",
    "view", "files", "file_item", "nav", "nav_item", "comment",
)  # fmt: skip


class WebzineSkin:
    """Renders the list body and the view page of the "webzine" skin."""

    def __init__(self, renderer: Renderer) -> None:
        self.r = renderer
        consts = {"g5_url": renderer.base_url, "bo_table": renderer.board.bo_table}
        self._t = {name: fragment(f"webzine/{name}").bind(consts) for name in PARTS}

    # ---- list page ---------------------------------------------------------------------

    def list_body(self, ctx: ListContext) -> str:
        r, data = self.r, ctx.data
        rows = list(data.rows)
        top = self._t["list_top"].render(
            {
                "title_attr": attr(ctx.title),
                "bo_subject": get_text(r.board.subject),
                "page": str(ctx.page),
                "total": number_format(data.total),
                "category_nav": self._category_nav(),
                "notices": self._notices(ctx),
                "featured": self._row("featured", rows[0], ctx) if rows else "",
            }
        )
        items = "".join(self._row("item", post, ctx) for post in rows[1:])
        empty = "" if rows or data.notices else '<p class="wz_empty">게시물이 없습니다.</p>'
        link = f"./board.php?bo_table={r.board.bo_table}&amp;page="
        paging = pager(WRITE_PAGES, ctx.page, data.total_pages, link)
        return top + items + self._t["list_bottom"].render({"empty": empty, "paging": paging})

    def _category_nav(self) -> str:
        r = self.r
        if not r.board.categories:
            return ""
        items = [f'<li class="wz_cate_on"><a href="{r.board_url()}">전체</a></li>']
        items.extend(
            f'<li><a href="{r.board_url("sca=" + quote_plus(c))}">{get_text(c)}</a></li>'
            for c in r.board.categories
        )
        return f'<ul class="wz_cate">{"".join(items)}</ul>\n'

    def _notices(self, ctx: ListContext) -> str:
        if not ctx.data.notices:
            return ""
        items = "".join(
            self._t["notice"].render(
                {
                    "href": self.r.view_href(post.wr_id, ctx.requested),
                    "secret": LOCK if post.secret else "",
                    "subject": get_text(cut_str(post.title, SUBJECT_LEN)),
                    "date": list_date(post.posted_at, ctx.now),
                }
            )
            for post in ctx.data.notices
        )
        return f'\n<ul class="wz_notices">\n{items}</ul>\n'

    def _row(self, part: str, post: Post, ctx: ListContext) -> str:
        r = self.r
        thumb = thumbnail(r.base_url, r.board.bo_table, post)
        count = len(post.comments)
        icons = ""
        if post.posted_at >= ctx.now - timedelta(hours=NEW_HOURS):
            icons += '<span class="wz_badge wz_badge_new">N</span>'
        if post.attachments:
            icons += '<i class="fa fa-paperclip" aria-hidden="true"></i>'
        category = ""
        if r.board.categories and post.category:
            category = f'<span class="wz_cate_badge">{get_text(post.category)}</span>\n        '
        return self._t[part].render(
            {
                "href": r.view_href(post.wr_id, ctx.requested),
                "thumb": f'<img src="{thumb}" alt="">' if thumb else NO_IMAGE,
                "category": category,
                "secret": LOCK if post.secret else "",
                "subject": get_text(cut_str(post.title, SUBJECT_LEN)),
                "comments": (
                    f'<span class="wz_list_cmt">[<span class="cnt_cmt">{count}</span>]</span>'
                    if count
                    else ""
                ),
                "excerpt": excerpt(post),
                "name": r.author_html(post.author),
                "date": list_date(post.posted_at, ctx.now),
                "hit": number_format(post.views),
                "icons": icons,
            }
        )

    # ---- view page ---------------------------------------------------------------------

    def render(self, post: Post, req: ViewRequest) -> str:
        r = self.r
        board = r.board
        pictures, files = pictures_and_files(post)
        category = ""
        if board.categories and post.category:
            category = f'<span class="wz_view_cate">{get_text(post.category)}</span>\n        '
        body = self._t["view"].render(
            {
                "title_attr": attr(f"{post.title} > {board.subject}"),
                "bo_subject": get_text(board.subject),
                "category": category,
                "subject": get_text(post.title),
                "name": r.author_html(post.author),
                "date": seoul(post.posted_at).strftime("%Y.%m.%d"),
                "hit": number_format(post.views),
                "comment_count": number_format(len(post.comments)),
                "wr_id": str(post.wr_id),
                "pictures": "".join(
                    view_file_link(r.base_url, board.bo_table, post.wr_id, a) for a in pictures
                ),
                "content": post.body_html,
                "share_url": quote(r.view_href(post.wr_id).replace("&amp;", "&"), safe=""),
                "files": self._files(post, files, req.session),
                "nav": self._nav(post),
                "comments": "".join(
                    self._comment(post, c, len(post.comments) + 1 - i)
                    for i, c in enumerate(post.comments)
                ),
                "comments_empty": ""
                if post.comments
                else '    <p class="wz_cmt_empty">등록된 댓글이 없습니다.</p>\n',
            }
        )
        title = f"{get_text(post.title)} > {get_text(board.subject)}"
        query = req.query or f"bo_table={board.bo_table}&wr_id={post.wr_id}"
        return r.page_head(title) + body + r.page_tail(f"/bbs/board.php?{query}", query)

    def _files(self, post: Post, files: list[Attachment], session: str) -> str:
        nonce = self.r.download_nonce
        return file_list(self._t["files"], self._t["file_item"], post, files, session, nonce)

    def _nav(self, post: Post) -> str:
        newer, older = self.r.board.neighbours(post.wr_id)
        items = ""
        for neighbour, css, label in (
            (newer, "wz_nav_prev", '<i class="fa fa-chevron-up"></i> 이전글'),
            (older, "wz_nav_next", '<i class="fa fa-chevron-down"></i> 다음글'),
        ):
            if neighbour is not None:
                items += self._t["nav_item"].render(
                    {
                        "href": self.r.view_href(neighbour.wr_id),
                        "class": css,
                        "label": label,
                        "subject": get_text(cut_str(neighbour.title, 255)),
                    }
                )
        return self._t["nav"].render({"items": items}) if items else ""

    def _comment(self, post: Post, c: Comment, zindex: int) -> str:
        values = comment_values(self.r, c)
        markup = "sv_member" if c.author == post.author else "sv_guest"
        values |= {
            "wr_id": str(post.wr_id),
            "zindex": str(zindex),
            "author": f'<span class="{markup}">{get_text(c.author)}</span>',
            "secret_icon": LOCK if c.secret else "",
            "datetime": seoul(c.posted_at).strftime(COMMENT_DATE),
        }
        return self._t["comment"].render(values)


def pager(write_pages: int, cur_page: int, total_page: int, url: str) -> str:
    """The page links as Bootstrap's ``ul.pagination``, by ``get_paging()``'s rules."""
    items: list[str] = []

    def link(page: int, label: str, aria: str = "") -> str:
        extra = f' aria-label="{aria}"' if aria else ""
        return (
            f'<li class="page-item"><a class="page-link" href="{url}{page}"{extra}>{label}</a></li>'
        )

    start = ((cur_page - 1) // write_pages) * write_pages + 1
    end = min(start + write_pages - 1, total_page)
    if cur_page > 1:
        items.append(link(1, "&laquo;", "처음"))
    if start > 1:
        items.append(link(start - 1, "&lsaquo;", "이전"))
    if total_page > 1:
        for k in range(start, end + 1):
            if k == cur_page:
                items.append(
                    '<li class="page-item active" aria-current="page">'
                    f'<span class="page-link">{k}</span></li>'
                )
            else:
                items.append(link(k, str(k)))
    if total_page > end:
        items.append(link(end + 1, "&rsaquo;", "다음"))
    if cur_page < total_page:
        items.append(link(total_page, "&raquo;", "맨끝"))
    if not items:
        return ""
    return (
        '<nav class="wz_pager" aria-label="페이지">\n<ul class="pagination">\n'
        + "\n".join(items)
        + "\n</ul>\n</nav>\n"
    )
