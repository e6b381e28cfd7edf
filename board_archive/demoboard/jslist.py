"""A GnuBoard board whose list is built by JavaScript (``DemoServer(board, js_list=True)``).

The list page (``/bbs/board.php?bo_table=press[&page=N]``) is an empty shell: a
``div#bo_list_app`` and a script (``/js/board_list.js``) that fetches the rows from
``/bbs/list.json?bo_table=press&page=N`` and writes the basic skin's list markup (``#bo_list``,
``#fboardlist``, the rows, ``#bo_list_total``, ``nav.pg_wrap``) into the page, as customised
skins built on a JSON API do; on the "webzine" and "cards" skins the JSON carries the skin's
list markup (``html``), which the script puts in the page as it is, as skins that load their
list by AJAX do. Without a browser the list has no rows at all. View pages,
downloads and everything else are served as usual (plain HTML).

The JSON has, per row, what the PHP skin would print (titles, names and categories as
``get_text()`` leaves them, dates as the list shows them), so a browser that ran the script sees
the same rows as on the plain board. Members-only boards stay members-only: both the shell and
the JSON answer a session that has not logged in with GnuBoard's permission alert.
"""

from __future__ import annotations

import json
from datetime import timedelta
from typing import TYPE_CHECKING, Any
from urllib.parse import quote_plus

from board_archive.demoboard import members
from board_archive.demoboard.content import Post
from board_archive.demoboard.render import Renderer
from board_archive.demoboard.settings import HOT_VIEWS, NEW_HOURS, SUBJECT_LEN
from board_archive.demoboard.text import attr, cut_str, get_text, list_date, php_int

if TYPE_CHECKING:
    from board_archive.demoboard.handler import Handler

SCRIPT_PATH = "/js/board_list.js"
JSON_PATH = "/bbs/list.json"

SHELL = """<!doctype html>
<html lang="ko">
<head>
<meta charset="utf-8">
<title>{title} | 그누보드5</title>
<script src="{g5_url}{script}" defer></script>
{extra}</head>
<body>
<div id="container">
<h2 id="container_title"><span title="{title}">{subject}</span></h2>
<div id="bo_list_app" data-bo-table="{bo_table}" data-page="{page}">
<p class="bo_list_loading">목록을 불러오는 중입니다…</p>
<noscript>이 게시판은 자바스크립트가 필요합니다.</noscript>
</div>
</div>
</body>
</html>
"""

# The basic skin's list markup (demoboard/templates/basic/list_top.html, row.html,
# list_bottom.html and text.paging), written by the browser from list.json.
SCRIPT = r"""(function () {
  "use strict";
  var app = document.getElementById("bo_list_app");
  var table = app.getAttribute("data-bo-table"), page = app.getAttribute("data-page");
  function esc(s) {
    return String(s).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/"/g, "&quot;");
  }
  function row(r, i) {
    var icons = (r["new"]
      ? '<span class="new_icon">N<span class="sound_only">새글</span></span>' : "")
      + (r.hot ? '<i class="fa fa-heart" aria-hidden="true"></i>' : "")
      + (r.file ? '<i class="fa fa-download" aria-hidden="true"></i>' : "");
    var comments = r.comments ? '<span class="sound_only">댓글</span><span class="cnt_cmt">'
      + r.comments + '</span><span class="sound_only">개</span>' : "";
    var category = r.category ? '<a href="' + esc(r.category_href) + '" class="bo_cate_link">'
      + r.category + "</a>" : "";
    return '<tr class="' + (r.notice ? "bo_notice" : "") + " " + (i % 2 ? "" : "even") + '">'
      + '<td class="td_num2">' + (r.notice ? '<strong class="notice_icon">공지</strong>' : r.num)
      + '</td><td class="td_subject" style="padding-left:0px">' + category
      + '<div class="bo_tit"><a href="' + esc(r.href) + '">'
      + (r.secret ? '<i class="fa fa-lock" aria-hidden="true"></i>' : "") + r.subject + "</a>"
      + icons + comments + "</div></td>"
      + '<td class="td_name sv_use"><span class="sv_member">' + r.name + "</span></td>"
      + '<td class="td_num">' + r.hit + '</td><td class="td_datetime">' + r.date + "</td></tr>";
  }
  function paging(cur, total, url) {
    var out = [], start = Math.floor((cur - 1) / 10) * 10 + 1, end = Math.min(start + 9, total);
    var label = '<span class="sound_only">페이지</span>';
    if (cur > 1) out.push('<a href="' + url + '1" class="pg_page pg_start">처음</a>');
    if (start > 1) out.push('<a href="' + url + (start - 1) + '" class="pg_page pg_prev">이전</a>');
    for (var k = start; total > 1 && k <= end; k++) {
      out.push(k === cur ? '<span class="sound_only">열린</span><strong class="pg_current">' + k
        + "</strong>" + label : '<a href="' + url + k + '" class="pg_page">' + k + label + "</a>");
    }
    if (total > end) out.push('<a href="' + url + (end + 1) + '" class="pg_page pg_next">다음</a>');
    if (cur < total) out.push('<a href="' + url + total + '" class="pg_page pg_end">맨끝</a>');
    if (!out.length) return "";
    return '<nav class="pg_wrap"><span class="pg">' + out.join("\n") + "</span></nav>";
  }
  var req = new XMLHttpRequest();
  var query = "?bo_table=" + encodeURIComponent(table) + (page ? "&page=" + page : "");
  req.open("GET", "/bbs/list.json" + query);
  req.onload = function () {
    var data = JSON.parse(req.responseText);
    if (data.error) {
      app.innerHTML = '<p class="bo_list_error">' + esc(data.error) + "</p>";
      return;
    }
    if (data.html) {  // a skin of its own: its list markup as the server printed it
      app.innerHTML = data.html;
      return;
    }
    var rows = data.rows.map(row).join("\n")
      || '<tr><td colspan="5" class="empty_table">게시물이 없습니다.</td></tr>';
    app.innerHTML = '<div id="bo_list" style="width:100%"><form name="fboardlist" id="fboardlist">'
      + '<div id="bo_btn_top"><div id="bo_list_total"><span>Total ' + data.total_text
      + "건</span> " + data.page + " 페이지</div></div>"
      + '<div class="tbl_head01 tbl_wrap"><table><caption>' + data.subject + " 목록</caption>"
      + '<thead><tr><th scope="col">번호</th><th scope="col">제목</th><th scope="col">글쓴이</th>'
      + '<th scope="col">조회</th><th scope="col">날짜</th></tr></thead><tbody>' + rows
      + "</tbody></table></div>" + paging(data.page, data.total_pages, esc(data.page_url))
      + "</form></div>";
  };
  req.send();
})();
"""


def route(bo_table: str, path: str, query: dict[str, list[str]]) -> str | None:
    """What a request of the JS board is: "list" (the shell), "json", "script", or None (served
    as on the plain board)."""
    if path == SCRIPT_PATH:
        return "script"
    if path == JSON_PATH:
        return "json"
    first = {k: v[0] for k, v in query.items() if v}
    if path == "/bbs/board.php" and first.get("bo_table") == bo_table and not first.get("wr_id"):
        return "list"
    return None


def serve(handler: Handler, kind: str, query: dict[str, list[str]]) -> None:
    """Answer a routed request on ``handler`` (its session, headers and charset)."""
    demo = handler.demo
    r = demo.renderer
    handler._count({"json": "list_json"}.get(kind, kind))
    if kind == "script":
        handler._send_plain(200, SCRIPT, "text/javascript; charset=utf-8")
        return
    sid, new = handler._session()
    page = _page(query)
    member = handler._member(sid)
    if kind == "list":
        if not member:
            handler._login_alert(members.NO_LIST_PERMISSION, sid, new)
            return
        title = f"{get_text(demo.board.subject)} {page if 'page' in query else ''} 페이지"
        shell = SHELL.format(
            title=attr(title),
            subject=get_text(demo.board.subject),
            g5_url=demo.base_url,
            script=SCRIPT_PATH,
            extra="".join(f'<script src="{attr(u)}"></script>\n' for u in demo.js_extra_scripts),
            bo_table=attr(demo.board.bo_table),
            page=page if "page" in query else "",
        )
        handler._send_page(shell, sid, new)
        return
    if _one(query, "bo_table") != demo.board.bo_table:
        data: dict[str, Any] = {"error": "존재하지 않는 게시판입니다."}
    elif not member:
        data = {"error": members.NO_LIST_PERMISSION}
    else:
        data = list_json(r, page, demo.page_rows, explicit_page="page" in query)
    handler._send_plain(200, json.dumps(data, ensure_ascii=False), "application/json")


def list_json(r: Renderer, page: int, page_rows: int, explicit_page: bool = True) -> dict:
    """List page ``page`` as data: what ``Renderer.list_page`` prints, row by row."""
    board, now = r.board, r.now()
    data = board.list_page(page, page_rows)
    link_page = page if explicit_page else None
    rows: list[dict[str, Any]] = []
    numbered: list[tuple[Post, int | None]] = [(p, None) for p in data.notices]
    numbered += [(p, data.first_number - k) for k, p in enumerate(data.rows)]
    for post, number in numbered:
        category = post.category if board.categories and post.category else None
        rows.append(
            {
                "wr_id": post.wr_id,
                "notice": number is None,
                "num": number,
                "href": _plain(r.view_href(post.wr_id, link_page)),
                "subject": get_text(cut_str(post.title, SUBJECT_LEN)),
                "secret": post.secret,
                "new": post.posted_at >= now - timedelta(hours=NEW_HOURS),
                "hot": post.views >= HOT_VIEWS,
                "file": bool(post.attachments),
                "comments": len(post.comments),
                "category": get_text(category) if category else None,
                "category_href": _plain(r.board_url("sca=" + quote_plus(category or ""))),
                "name": get_text(post.author),
                "hit": post.views,
                "date": list_date(post.posted_at, now),
            }
        )
    return {
        "subject": get_text(board.subject),
        "page": data.page,
        "total": data.total,
        "total_text": f"{data.total:,}",
        "total_pages": data.total_pages,
        "page_url": _plain(r.board_url("page=")),
        "rows": rows,
        # the "webzine" and "cards" skins load their own list markup, as skins built on AJAX do
        "html": r.skin_list_body(page, page_rows, link_page),
    }


def _page(query: dict[str, list[str]]) -> int:
    value = php_int(_one(query, "page"))
    return value if value > 0 else 1


def _one(query: dict[str, list[str]], name: str) -> str | None:
    values = query.get(name)
    return values[0] if values else None


def _plain(href: str) -> str:
    """An ``&amp;``-joined href as a URL."""
    return href.replace("&amp;", "&")
