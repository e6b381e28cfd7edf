"""A Rhymix-like board (XE/Rhymix "default" board skin) served from the same ``Board`` records.

``DemoServer(board, engine="rhymix")`` answers, with ``mid`` the board's ``bo_table``:

- ``GET /index.php?mid=press[&page=N]`` and ``GET /press`` (short URLs): the list;
- ``GET /index.php?mid=press&document_srl=N`` and ``GET /press/N``: the view page; the list
  links use the short form ``/press/N``, pagination the long one (as Rhymix does);
- a missing or deleted document: HTTP 404, the board page with "대상을 찾을 수 없습니다.";
- a secret document: HTTP 403 with its header (title, time, author, views) and the password
  form ("비밀글입니다. 비밀번호를 입력하세요.") where the body would be;
- ``GET /index.php?module=file&act=procFileDownload&file_srl=…&sid=…``: an attachment.

Markup follows the Rhymix 2 default skin: ``.board_list`` table rows (``td.no``, ``td.title``,
``td.author``, ``td.time``, ``td.readNum``, ``a.replyNum``), ``.board_read`` with
``.read_header h1``, ``p.time`` ("2026.05.01 12:34"), ``.xe_content`` body, ``.fileList`` and the
``#comment`` ``li.fbItem`` list.
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import quote

from board_archive.demoboard.content import Board, Post
from board_archive.demoboard.text import attr, get_text, seoul

if TYPE_CHECKING:
    from board_archive.demoboard.handler import Handler

NOT_FOUND = "대상을 찾을 수 없습니다."
PAGE_ROWS = 15
NOTICE_CLASS = ' class="notice"'
FILE_SRL = 1000  # file_srl = wr_id * FILE_SRL + no


class RhymixRenderer:
    def __init__(self, board: Board, base_url: str) -> None:
        self.board, self.base_url, self.mid = board, base_url.rstrip("/"), board.bo_table

    def list_url(self, page: int | None = None) -> str:
        extra = f"&amp;page={page}" if page else ""
        return f"{self.base_url}/index.php?mid={self.mid}{extra}"

    def view_href(self, srl: int) -> str:
        return f"{self.base_url}/{self.mid}/{srl}"

    def file_href(self, srl: int, no: int) -> str:
        return (
            f"{self.base_url}/index.php?module=file&amp;act=procFileDownload"
            f"&amp;file_srl={srl * FILE_SRL + no}&amp;sid=d{srl}f{no}"
        )

    def _page(self, title: str, content: str) -> str:
        return (
            '<!DOCTYPE html>\n<html lang="ko">\n<head>\n<meta charset="utf-8">\n'
            '<meta name="generator" content="Rhymix">\n'
            f"<title>{get_text(title)} - {get_text(self.board.subject)}</title>\n"
            f'<link rel="stylesheet" href="{self.base_url}/modules/board/skins/default/'
            'board.default.css">\n'
            '</head>\n<body>\n<div class="xe">\n<div class="board">\n'
            f'<div class="board_header"><h2><a href="{self.list_url()}">'
            f"{get_text(self.board.subject)}</a></h2></div>\n{content}\n</div>\n</div>\n"
            "</body>\n</html>\n"
        )

    def list_page(self, page: int) -> str:
        data = self.board.list_page(page, PAGE_ROWS)
        rows = [self._row(p, None) for p in data.notices]
        rows += [self._row(p, data.first_number - k) for k, p in enumerate(data.rows)]
        if not rows:
            rows.append('<tr class="no_article"><td colspan="5">등록된 글이 없습니다.</td></tr>')
        links = []
        for n in range(1, data.total_pages + 1):
            if n == page:
                links.append(f"<strong>{n}</strong>")
            else:
                links.append(f'<a href="{self.list_url(n)}">{n}</a>')
        pagination = (
            f'<div class="pagination"><a href="{self.list_url(1)}" class="direction">'
            f'&laquo; 첫 페이지</a> {" ".join(links)} <a href="{self.list_url(data.total_pages)}"'
            ' class="direction">끝 페이지 &raquo;</a></div>'
        )
        table = (
            '<div class="board_list" id="board_list">\n'
            '<table width="100%" border="1" cellspacing="0" summary="List of Articles">\n'
            '<thead><tr><th scope="col">번호</th><th scope="col" class="title">제목</th>'
            '<th scope="col">글쓴이</th><th scope="col">날짜</th><th scope="col">조회 수</th>'
            "</tr></thead>\n<tbody>\n" + "\n".join(rows) + "\n</tbody>\n</table>\n</div>\n"
        )
        return self._page(self.board.subject, table + pagination)

    def _row(self, post: Post, number: int | None) -> str:
        no = '<td class="notice">공지</td>' if number is None else f'<td class="no">{number}</td>'
        extras = ""
        if post.secret:
            extras += '<img src="/modules/document/tpl/icons/secret.gif" alt="secret">'
        if post.attachments:
            extras += '<img src="/modules/document/tpl/icons/file.gif" alt="file">'
        replies = (
            f' <a href="{self.view_href(post.wr_id)}#comment" class="replyNum" title="Replies">'
            f"[{len(post.comments)}]</a>"
            if post.comments
            else ""
        )
        return (
            f"<tr{NOTICE_CLASS if number is None else ''}>{no}"
            f'<td class="title"><a href="{self.view_href(post.wr_id)}">{get_text(post.title)}</a>'
            f'{replies}<span class="extraimages">{extras}</span></td>'
            '<td class="author"><a href="#popup_menu_area" class="member_4" '
            'onclick="return false">'
            f"{get_text(post.author)}</a></td>"
            f'<td class="time">{seoul(post.posted_at).strftime("%Y.%m.%d")}</td>'
            f'<td class="readNum">{post.views}</td></tr>'
        )

    def view_page(self, post: Post) -> str:
        srl = post.wr_id
        files = "".join(
            f'<li><a href="{self.file_href(srl, a.no)}">{get_text(a.name)} '
            f'<span class="fileSize">[File Size:{a.nbytes}B/Download:{a.downloads}]</span></a></li>'
            for a in post.attachments
        )
        file_list = (
            f'<div class="fileList"><button type="button" class="toggleFile">첨부 '
            f"[<strong>{len(post.attachments)}</strong>]</button>"
            f'<ul class="files">{files}</ul></div>'
            if post.attachments
            else ""
        )
        comments = "".join(
            f'<li class="fbItem" id="comment_{c.comment_id}"><div class="fbMeta">'
            f'<h3 class="author"><a href="#popup_menu_area" class="member_4">'
            f"{get_text(c.author)}</a></h3>"
            f'<p class="time">{seoul(c.posted_at).strftime("%Y.%m.%d %H:%M")}</p></div>'
            f'<div class="comment_{c.comment_id}_4 xe_content">{get_text(c.text)}</div></li>'
            for c in post.comments
        )
        read = (
            '<div class="board_read">\n<div class="read_header">\n'
            f'<h1><a href="{self.view_href(srl)}">{get_text(post.title)}</a></h1>\n'
            f'<p class="time">{seoul(post.posted_at).strftime("%Y.%m.%d %H:%M")}</p>\n'
            f'<p class="meta"><a href="#popup_menu_area" class="member_4">'
            f"{get_text(post.author)}</a> "
            f'<span class="sum"><span class="read">조회 수 {post.views}</span> '
            '<span class="num">추천 수 0</span></span></p>\n</div>\n'
            f'<div class="read_body"><!--BeforeDocument({srl},4)--><div class="document_{srl}_4 '
            f'xe_content">{post.body_html}</div><!--AfterDocument({srl},4)--></div>\n'
            f'<div class="read_footer">{file_list}</div>\n</div>\n'
            f'<div class="feedback" id="comment"><div class="fbHeader"><h2>댓글 '
            f'<em>{len(post.comments)}</em></h2></div><ul class="fbList">{comments}</ul></div>\n'
        )
        return self._page(post.title, read)

    def not_found_page(self) -> str:
        return self._page(
            self.board.subject, f'<div class="message error"><p>{NOT_FOUND}</p></div>'
        )

    def secret_page(self, post: Post) -> str:
        """As Rhymix 2.1 shows a secret document to a visitor (HTTP 403): its header (title,
        time, author, views) and a password form where the body would be."""
        srl = post.wr_id
        read = (
            '<div class="board_read">\n<div class="read_header">\n'
            f'<h1><a href="{self.view_href(srl)}">{get_text(post.title)}</a></h1>\n'
            f'<p class="time">{seoul(post.posted_at).strftime("%Y.%m.%d %H:%M")}</p>\n'
            f'<p class="meta"><a href="#popup_menu_area" class="member_5 author">'
            f"{get_text(post.author)}</a> "
            f'<span class="sum"><span class="read">조회 수:{post.views}</span></span></p>\n'
            "</div>\n"
            '<div class="read_body"><form action="/" method="get" '
            'onsubmit="return procFilter(this, input_password)">'
            '<input type="hidden" name="act" value="">'
            f'<input type="hidden" name="mid" value="{attr(self.mid)}">'
            f'<input type="hidden" name="document_srl" value="{srl}">'
            '<p><label for="cpw">비밀글입니다. 비밀번호를 입력하세요.</label></p>'
            '<p><input type="password" name="password" id="cpw" class="iText">'
            '<input type="submit" value="입력" class="btn"></p></form></div>\n</div>\n'
        )
        return self._page(post.title, read)


def route(board: Board, path: str, query: dict[str, list[str]]) -> tuple[str, int] | None:
    """What a request is: ("list", page), ("view", document_srl), ("file", file_srl), or None."""
    mid = board.bo_table
    first = {k: v[0] for k, v in query.items() if v}
    page = first.get("page", "")
    page_no = int(page) if page.isdigit() and int(page) > 0 else 1
    if path in ("/index.php", "/") and first.get("module") == "file":
        srl = first.get("file_srl", "")
        return ("file", int(srl)) if srl.isdigit() else None
    if path in ("/index.php", "/") and first.get("mid") == mid:
        doc = first.get("document_srl", "")
        return ("view", int(doc)) if doc.isdigit() else ("list", page_no)
    parts = path.strip("/").split("/")
    if parts[0] == mid and len(parts) == 1:
        return "list", page_no
    if parts[0] == mid and len(parts) == 2 and parts[1].isdigit():
        return "view", int(parts[1])
    return None


def serve(handler: Handler, kind: str, number: int) -> None:
    """Answer a routed request on ``handler`` (its session, headers and charset)."""
    demo = handler.demo
    r, board = demo.rhymix, demo.board
    sid, new = handler._session()
    if kind == "list":
        handler._send_page(r.list_page(number), sid, new)
        return
    post = board.live(number // FILE_SRL if kind == "file" else number)
    if kind == "view":  # Rhymix 2.1: 404 for a missing document, 403 for a secret one
        if post is None:
            handler._send_page(r.not_found_page(), sid, new, status=404)
        elif post.secret:
            handler._send_page(r.secret_page(post), sid, new, status=403)
        else:
            demo.sessions.set(sid, f"ss_view_{post.wr_id}")
            handler._send_page(r.view_page(post), sid, new)
        return
    file = post.attachment(number % FILE_SRL) if post is not None else None
    if file is None or not demo.sessions.has(sid, f"ss_view_{number // FILE_SRL}"):
        handler._send_page(r.not_found_page(), sid, new)
        return
    data = file.data()
    handler.send_response(200)
    handler.send_header("Content-Type", "application/octet-stream")
    handler.send_header("Content-Length", str(len(data)))
    disposition = f"attachment; filename*=UTF-8''{quote(file.name, safe='')}"
    handler.send_header("Content-Disposition", disposition)
    handler.end_headers()
    if handler.command != "HEAD":
        handler.wfile.write(data)
