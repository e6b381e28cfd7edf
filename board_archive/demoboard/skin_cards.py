"""The "cards" skin: a board skin of the demo board's own, laid out like third-party card and
gallery skins built on Bootstrap, on GnuBoard 5.6's engine and theme.

List page (``templates/cards/``): no table and no count of posts. Every row, notices (page 1)
first, is a Bootstrap card (``div.board-cards-grid > div.col > div.card``) linking to
``board.php?bo_table=T&wr_id=N`` (``&page=P`` when the list had a page), with an excerpt of the
text; dates ``YYYY.MM.DD`` (no time; ``MM-DD`` with the renderer's ``list_year`` off, so that
no page shows a post's year); the author as plain text (no ``sv_member``). There are no
page links: a "더보기" button loads the next page by script, and the board still answers
``page=N``.

View page: title ``h1.post-title``; the date ``MM-DD HH:MM`` (no year; with the renderer's
``relative_times``, the last day's posts in the list and the view as ``1시간 19분전``); the body in
``div.post-content`` (no ``#bo_v_con``); pictures in ``figure.post-figure`` with
``view_image.php`` links of the skin's own markup (no ``a.view_image``); the other files in
``ul.post-files`` (``download.php`` links); comments ``li.post-comment`` holding an ``a#c_ID``
anchor and a ``comment_id=ID`` reply link, dated ``YYYY.MM.DD HH:MM``, authors as plain text.
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import quote_plus

from board_archive.demoboard.content import Attachment, Comment, Post
from board_archive.demoboard.pictures import data_url, stored_name, view_image_url
from board_archive.demoboard.render_view import comment_values
from board_archive.demoboard.settings import SUBJECT_LEN
from board_archive.demoboard.skin_kit import (
    ListContext,
    excerpt,
    file_list,
    pictures_and_files,
    shown_date,
    thumbnail,
)
from board_archive.demoboard.template import fragment
from board_archive.demoboard.text import attr, cut_str, get_text, number_format, seoul

if TYPE_CHECKING:
    from board_archive.demoboard.render import Renderer, ViewRequest

LOCK = '<i class="fa fa-lock" aria-hidden="true"></i> '
NO_IMAGE = '<div class="card-img-top card-noimg"><i class="fa fa-picture-o"></i></div>'
PARTS = (  # the fragments in templates/cards/
    "list_top", "card", "list_bottom", "view", "picture", "files", "file_item", "comment",
)  # fmt: skip
LIST_DATE = "%Y.%m.%d"
VIEW_DATE = "%m-%d %H:%M"
COMMENT_DATE = "%Y.%m.%d %H:%M"


class CardsSkin:
    """Renders the list body and the view page of the "cards" skin."""

    def __init__(self, renderer: Renderer) -> None:
        self.r = renderer
        consts = {"g5_url": renderer.base_url, "bo_table": renderer.board.bo_table}
        self._t = {name: fragment(f"cards/{name}").bind(consts) for name in PARTS}

    # ---- list page ---------------------------------------------------------------------

    def list_body(self, ctx: ListContext) -> str:
        r, data = self.r, ctx.data
        top = self._t["list_top"].render(
            {
                "title_attr": attr(ctx.title),
                "bo_subject": get_text(r.board.subject),
                "category_nav": self._category_nav(),
            }
        )
        cards = [self._card(post, ctx, notice=True) for post in data.notices]
        cards.extend(self._card(post, ctx, notice=False) for post in data.rows)
        empty = (
            ""
            if cards
            else '    <p class="text-center text-muted py-5 board-cards-empty">'
            "게시물이 없습니다.</p>\n"
        )
        more = (
            '    <div class="text-center my-4"><button type="button" '
            'class="btn btn-outline-secondary btn-more" onclick="bc_more(this)">더보기</button>'
            "</div>\n"
            if ctx.page < data.total_pages
            else ""
        )
        bottom = self._t["list_bottom"].render(
            {"empty": empty, "more": more, "page": str(ctx.page), "last": str(data.total_pages)}
        )
        return top + "".join(cards) + bottom

    def _category_nav(self) -> str:
        r = self.r
        if not r.board.categories:
            return ""
        items = [
            f'<li class="nav-item"><a class="nav-link active" href="{r.board_url()}">전체</a></li>'
        ]
        items.extend(
            f'<li class="nav-item"><a class="nav-link" '
            f'href="{r.board_url("sca=" + quote_plus(c))}">{get_text(c)}</a></li>'
            for c in r.board.categories
        )
        return f'    <ul class="nav nav-pills mb-3 board-cards-cate">{"".join(items)}</ul>\n'

    def _card(self, post: Post, ctx: ListContext, *, notice: bool) -> str:
        r = self.r
        thumb = thumbnail(r.base_url, r.board.bo_table, post)
        badges = '<span class="badge bg-danger me-1">공지</span>' if notice else ""
        if r.board.categories and post.category:
            badges += f'<span class="badge bg-secondary me-1">{get_text(post.category)}</span>'
        count = len(post.comments)
        return self._t["card"].render(
            {
                "card_class": " border-danger" if notice else "",
                "thumb": f'<img src="{thumb}" class="card-img-top" alt="">' if thumb else NO_IMAGE,
                "badges": badges,
                "href": r.view_href(post.wr_id, ctx.requested),
                "secret": LOCK if post.secret else "",
                "subject": get_text(cut_str(post.title, SUBJECT_LEN)),
                "excerpt": excerpt(post),
                "name": get_text(post.author),
                "date": shown_date(
                    r.now(), post.posted_at, LIST_DATE if r.list_year else "%m-%d", r.relative_times
                ),
                "comments": (
                    f' <span class="ms-2"><i class="fa fa-comment-o"></i> {count}</span>'
                    if count
                    else ""
                ),
            }
        )

    # ---- view page ---------------------------------------------------------------------

    def render(self, post: Post, req: ViewRequest) -> str:
        r = self.r
        board = r.board
        pictures, files = pictures_and_files(post)
        category = ""
        if board.categories and post.category:
            category = (
                f'            <li class="breadcrumb-item active">{get_text(post.category)}</li>\n'
            )
        newer, older = board.neighbours(post.wr_id)
        body = self._t["view"].render(
            {
                "title_attr": attr(f"{post.title} > {board.subject}"),
                "bo_subject": get_text(board.subject),
                "category": category,
                "subject": get_text(post.title),
                "name": get_text(post.author),
                "date": shown_date(r.now(), post.posted_at, VIEW_DATE, r.relative_times),
                "hit": number_format(post.views),
                "comment_count": number_format(len(post.comments)),
                "wr_id": str(post.wr_id),
                "pictures": "".join(self._picture(post, a) for a in pictures),
                "content": post.body_html,
                "files": self._files(post, files, req.session),
                "prev": self._nb(newer, "이전글"),
                "next": self._nb(older, "다음글"),
                "comments": "".join(self._comment(post, c) for c in post.comments),
                "comments_empty": ""
                if post.comments
                else '        <p class="card-body text-muted mb-0">아직 댓글이 없습니다.</p>\n',
            }
        )
        title = f"{get_text(post.title)} > {get_text(board.subject)}"
        query = req.query or f"bo_table={board.bo_table}&wr_id={post.wr_id}"
        return r.page_head(title) + body + r.page_tail(f"/bbs/board.php?{query}", query)

    def _picture(self, post: Post, file: Attachment) -> str:
        r = self.r
        table = r.board.bo_table
        name = stored_name(table, post.wr_id, file)
        return self._t["picture"].render(
            {
                "view_url": view_image_url(r.base_url, table, name),
                "src": data_url(r.base_url, table, name),
                "caption": get_text(file.description),
            }
        )

    def _files(self, post: Post, files: list[Attachment], session: str) -> str:
        nonce = self.r.download_nonce
        return file_list(self._t["files"], self._t["file_item"], post, files, session, nonce)

    def _nb(self, neighbour: Post | None, label: str) -> str:
        if neighbour is None:
            return "<span></span>"
        href = self.r.view_href(neighbour.wr_id)
        title = attr(neighbour.title)
        return (
            f'<a href="{href}" class="btn btn-outline-secondary btn-sm" title="{title}">{label}</a>'
        )

    def _comment(self, post: Post, c: Comment) -> str:
        values = comment_values(self.r, c)
        values |= {
            "wr_id": str(post.wr_id),
            "datetime": seoul(c.posted_at).strftime(COMMENT_DATE),
        }
        return self._t["comment"].render(values)
