"""The view page (``board.php?bo_table=x&wr_id=n``) of the two skins."""

from __future__ import annotations

from typing import TYPE_CHECKING

from board_archive.demoboard.content import Comment, Post
from board_archive.demoboard.template import fragment
from board_archive.demoboard.text import attr, cut_str, filesize, get_text, number_format, seoul

if TYPE_CHECKING:
    from board_archive.demoboard.render import Renderer, ViewRequest

SECRET_COMMENT_TEXT = "비밀글 입니다."
SECRET_ICON = "/skin/board/basic/img/icon_secret.gif"


def _view_datetime(post: Post) -> str:
    return seoul(post.posted_at).strftime("%y-%m-%d %H:%M")


class BasicView:
    """GnuBoard 5.6 basic skin (``view.skin.php`` and ``view_comment.skin.php``)."""

    def __init__(self, renderer: Renderer) -> None:
        self.r = renderer
        consts = {"g5_url": renderer.base_url, "bo_table": renderer.board.bo_table}
        self._body = fragment("basic/view_body").bind(consts)
        self._comment = fragment("basic/comment").bind(consts)
        self._files_head = fragment("basic/files_head").render({})
        self._file = fragment("basic/file_item").bind(consts)
        self._files_tail = fragment("basic/files_tail").render({})
        self._prev = fragment("basic/nb_prev")
        self._next = fragment("basic/nb_next")

    def render(self, post: Post, req: ViewRequest) -> str:
        r = self.r
        board = r.board
        subject = get_text(post.title)
        title = f"{subject} > {get_text(board.subject)}"
        category = ""
        if board.categories and post.category:
            category = f'<span class="bo_v_cate">{get_text(post.category)}</span> \r\n            '
        body = self._body.render(
            {
                "title_attr": attr(f"{post.title} > {board.subject}"),
                "bo_subject": get_text(board.subject),
                "category": category,
                "subject": subject,
                "name": r.author_html(post.author),
                "comment_count": number_format(len(post.comments)),
                "hit": number_format(post.views),
                "datetime": _view_datetime(post),
                "wr_id": str(post.wr_id),
                "content": _beside(post.body_html) if r.body_beside_container else post.body_html,
                "files": self._files(post, req.session),
                "nb": self._nb(post),
                "comments": "".join(
                    self._comment_html(post, c, len(post.comments) + 1 - i)
                    for i, c in enumerate(post.comments)
                ),
                "comments_empty": ""
                if post.comments
                else '<p id="bo_vc_empty">등록된 댓글이 없습니다.</p>',
            }
        )
        query = req.query or f"bo_table={board.bo_table}&wr_id={post.wr_id}"
        return r.page_head(title) + body + r.page_tail(f"/bbs/board.php?{query}", query)

    def _files(self, post: Post, session: str) -> str:
        if not post.attachments:
            return ""
        items = [
            self._file.render(
                {
                    "wr_id": str(post.wr_id),
                    "no": str(a.no),
                    "nonce": self.r.download_nonce(session, post.wr_id, a.no),
                    "name": get_text(a.name),
                    "description": get_text(a.description),
                    "size": filesize(a.nbytes),
                    "count": str(a.downloads),
                    "date": seoul(a.uploaded_at or post.posted_at).strftime("%Y-%m-%d %H:%M:%S"),
                }
            )
            for a in post.attachments
        ]
        return self._files_head + "".join(items) + self._files_tail

    def _nb(self, post: Post) -> str:
        newer, older = self.r.board.neighbours(post.wr_id)
        if newer is None and older is None:
            return ""
        out = '        <ul class="bo_v_nb">\r\n        '
        for neighbour, tpl in ((newer, self._prev), (older, self._next)):
            if neighbour is not None:
                out += tpl.render(
                    {
                        "href": self.r.view_href(neighbour.wr_id),
                        "subject": get_text(cut_str(neighbour.title, 255)),
                        "date": seoul(neighbour.posted_at).strftime("%y.%m.%d"),
                    }
                )
            out += "        "
        return out[: -len("        ")] + "    </ul>\r\n"

    def _comment_html(self, post: Post, c: Comment, zindex: int) -> str:
        return self._comment.render(
            {"wr_id": str(post.wr_id), "zindex": str(zindex), **comment_values(self.r, c)}
        )


def _beside(content: str) -> str:
    """``#bo_v_con`` closed after a map box of the skin's own, the post in a box after it."""
    return f'<h3>매물 위치</h3><div id="map"></div></div>\n<div class="bo_v_note">{content}'


def comment_values(r: Renderer, c: Comment) -> dict[str, str]:
    """Slot values of one comment as an anonymous visitor sees it (secret ones hidden)."""
    when = seoul(c.posted_at)
    values = {
        "cid": str(c.comment_id),
        "author": get_text(c.author),
        "iso": when.isoformat(),
        "datetime": when.strftime("%y-%m-%d %H:%M"),
    }
    if c.secret:
        href = f"{r.bbs}/password.php?w=sc&amp;bo_table={r.board.bo_table}&amp;wr_id={c.comment_id}"
        values |= {
            "secret_icon": f'<img src="{r.base_url}{SECRET_ICON}" alt="비밀글">',
            "text": f'<a href="{href}" class="s_cmt">댓글내용 확인</a>',
            "secret": "secret",
            "raw": SECRET_COMMENT_TEXT,
        }
    else:
        values |= {
            "secret_icon": "",
            "text": get_text(c.text, html=True),
            "secret": "",
            "raw": get_text(c.text),
        }
    return values


class LegacyView:
    """The 2017-era (5.2) basic skin view page (``templates/legacy/view.html`` and co.)."""

    def __init__(self, renderer: Renderer) -> None:
        self.r = renderer
        consts = {"g5_url": renderer.base_url, "bo_table": renderer.board.bo_table}
        self._page = fragment("legacy/view").bind(consts)
        self._nb_wrap = fragment("legacy/nb")
        self._prev = fragment("legacy/nb_prev").bind(consts)
        self._next = fragment("legacy/nb_next").bind(consts)
        self._files_head = fragment("legacy/files_head").render({})
        self._file = fragment("legacy/file_item").bind(consts)
        self._files_tail = fragment("legacy/files_tail").render({})
        self._comment = fragment("legacy/comment").bind(consts)
        self._empty = fragment("legacy/comments_empty").render({})

    def render(self, post: Post, req: ViewRequest) -> str:
        r = self.r
        board = r.board
        category = ""
        if board.categories and post.category:
            category = f'<span class="bo_v_cate">{get_text(post.category)}</span> '
        return self._page.render(
            {
                "subject": get_text(post.title),
                "bo_subject": get_text(board.subject),
                "category": category,
                "name": r.author_html(post.author),
                "datetime": _view_datetime(post),
                "hit": number_format(post.views),
                "comment_count": number_format(len(post.comments)),
                "nb": self._nb(post),
                "page": str(req.page) if req.page is not None else "",
                "content": post.body_html,
                "files": self._files(post),
                "share_url": attr(r.view_href(post.wr_id)),
                "comments": "".join(
                    self._comment.render(
                        {"zindex": str(len(post.comments) - i), **comment_values(r, c)}
                    )
                    for i, c in enumerate(post.comments)
                ),
                "comments_empty": "" if post.comments else self._empty,
            }
        )

    def _nb(self, post: Post) -> str:
        newer, older = self.r.board.neighbours(post.wr_id)
        if newer is None and older is None:
            return ""
        prev = self._prev.render({"wr_id": str(newer.wr_id)}) if newer else ""
        nxt = self._next.render({"wr_id": str(older.wr_id)}) if older else ""
        return self._nb_wrap.render({"prev": prev, "next": nxt})

    def _files(self, post: Post) -> str:
        if not post.attachments:
            return ""
        items = [
            self._file.render(
                {
                    "wr_id": str(post.wr_id),
                    "no": str(a.no),
                    "name": get_text(a.name),
                    "description": get_text(a.description),
                    "size": filesize(a.nbytes),
                    "count": str(a.downloads),
                    "date": seoul(a.uploaded_at or post.posted_at).strftime("%Y-%m-%d %H:%M:%S"),
                }
            )
            for a in post.attachments
        ]
        return self._files_head + "".join(items) + self._files_tail
