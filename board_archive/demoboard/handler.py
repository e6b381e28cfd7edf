"""The request handler of ``DemoServer``: GnuBoard's URLs, headers, sessions and downloads.

See ``server`` for the routes. Responses copy what the samples' PHP built-in server
sent: ``Host``/``Date``/``Connection: close``, ``X-Powered-By``, ``P3P``, the session and visitor
cookies, no-cache headers, and for downloads GnuBoard's lower-case ``content-*`` headers.
"""

from __future__ import annotations

import base64
import mimetypes
from datetime import UTC, datetime
from email.utils import format_datetime
from http.cookies import CookieError, SimpleCookie
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING
from urllib.parse import parse_qs, urlsplit

from board_archive.demoboard import jslist, members, pictures, rhymix
from board_archive.demoboard.admin import handle
from board_archive.demoboard.faults import serve as serve_with_faults
from board_archive.demoboard.render import ListRequest, ViewRequest
from board_archive.demoboard.rss import render_rss
from board_archive.demoboard.text import php_int

if TYPE_CHECKING:
    from board_archive.demoboard.server import DemoServer

P3P = (
    'CP="ALL CURa ADMa DEVa TAIa OUR BUS IND PHY ONL UNI PUR FIN COM NAV INT DEM CNT STA POL '
    'HEA PRE LOC OTC"'
)
_VISIT_COOKIES = ("e1192aefb64683cc97abb83c71057733", "2a0d2363701f23f8a75028924a3af643")
LOGO_PATH = "/img/logo.png"
# The theme logo the generated bodies show: a 1×1 PNG.
LOGO_PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)


class DemoHTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    demo: DemoServer


class Handler(BaseHTTPRequestHandler):
    server: DemoHTTPServer
    protocol_version = "HTTP/1.1"

    # -- plumbing --

    @property
    def demo(self) -> DemoServer:
        return self.server.demo

    def log_message(self, format: str, *args: object) -> None:
        pass

    def send_response(self, code: int, message: str | None = None) -> None:
        """Like PHP's built-in server: Host, Date and Connection: close; no Server header."""
        self.log_request(code)
        self.send_response_only(code, message)
        headers = getattr(self, "headers", None)  # unset when the request line was bad
        host = headers.get("Host") if headers is not None else None
        self.send_header("Host", host or f"127.0.0.1:{self.demo.port}")
        self.send_header("Date", http_date(self.demo.board.now()))
        self.send_header("Connection", "close")
        self.close_connection = True

    def _session(self) -> tuple[str, bool]:
        """The PHPSESSID of the request, or a new one (then True: it must be set)."""
        raw = self.headers.get("Cookie")
        if raw:
            try:
                cookie = SimpleCookie(raw)
            except CookieError:
                cookie = SimpleCookie()
            morsel = cookie.get("PHPSESSID")
            if morsel is not None and morsel.value:
                return morsel.value, False
        return self.demo.sessions.new_id(), True

    def _php_headers(self, sid: str, new_session: bool) -> None:
        now = self.demo.board.now()
        http_only = "" if self.demo.skin == "legacy" else "; HttpOnly"
        self.send_header("X-Powered-By", "PHP/8.2.36")
        self.send_header("P3P", P3P)
        if new_session:
            self.send_header("Set-Cookie", f"PHPSESSID={sid}; path=/{http_only}")
        expires = http_date(now.timestamp() + 86400)
        for i, name in enumerate(_VISIT_COOKIES):
            if i == 0 or new_session:
                value = f"{name}={sid[:8]}; expires={expires}; Max-Age=86400; path=/{http_only}"
                self.send_header("Set-Cookie", value)

    def _send_page(
        self,
        html: str,
        sid: str,
        new_session: bool,
        *,
        status: int = 200,
        location: str | None = None,
    ) -> None:
        demo = self.demo
        meta = f'<meta charset="{demo.charset}">' if demo.charset_in_meta else ""
        html = html.replace('<meta charset="utf-8">', meta, 1)
        if demo.charset == "euc-kr":
            body = html.encode("cp949", errors="xmlcharrefreplace")
        else:
            body = html.encode("utf-8")
        claimed = demo.header_charset or demo.charset
        ctype = f"text/html; charset={claimed}" if demo.charset_in_header else "text/html"
        self.send_response(status)
        self._php_headers(sid, new_session)
        self.send_header("Content-Type", ctype)
        self.send_header("Expires", "0")
        self.send_header("Last-Modified", http_date(demo.board.now()))
        self.send_header("Cache-Control", "pre-check=0, post-check=0, max-age=0")
        self.send_header("Pragma", "no-cache")
        if location is not None:
            self.send_header("Location", location)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _send_plain(self, status: int, text: str, ctype: str = "text/plain; charset=utf-8") -> None:
        body = text.encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    # -- routing --

    def do_HEAD(self) -> None:
        self.do_GET()

    def do_GET(self) -> None:
        serve_with_faults(self, self.demo.faults, self._get)  # board_archive.demoboard.faults

    def _get(self) -> None:
        parts = urlsplit(self.path)
        query = parse_qs(parts.query, keep_blank_values=True)
        path = parts.path
        if path.startswith("/_admin/") or path == "/_admin":
            self._admin("GET", self.path, b"")
        elif self.demo.engine == "rhymix" and (found := rhymix.route(self.demo.board, path, query)):
            self._count(found[0] if found[0] != "file" else "download")
            rhymix.serve(self, *found)
        elif self.demo.js_list and (kind := jslist.route(self.demo.board.bo_table, path, query)):
            jslist.serve(
                self, kind, query
            )  # the list is built by JavaScript (board_archive.demoboard.jslist)
        elif path == "/bbs/board.php":
            self._board(parts.query, query)
        elif path == "/bbs/download.php":
            self._count("download")
            self._download(query)
        elif path == "/bbs/login.php":
            self._count("login")
            sid, new = self._session()
            back = _one(query, "url") or self.demo.base_url
            self._send_page(members.login_page(self.demo.base_url, back), sid, new)
        elif path == "/bbs/password.php":
            self._count("password")
            self._password(query)
        elif path == "/bbs/rss.php":
            self._count("rss")
            self._rss(query)
        elif (
            path == "/bbs/view_image.php"
        ):  # an attached picture (board_archive.demoboard.pictures)
            self._count("other")
            sid, new = self._session()
            self._send_page(pictures.view_image_page(self.demo.renderer, query), sid, new)
        elif path.startswith("/data/") or path == LOGO_PATH:
            self._count("static")
            self._static(path)
        elif path == "/robots.txt":
            self._count("robots")
            self._send_plain(200, self.demo.robots_txt())
        elif path in ("/", "/index.php"):
            self._count("other")
            link = self.demo.list_url.replace("&", "&amp;")
            self._send_plain(
                200,
                f'<!doctype html>\n<html lang="ko"><body><a href="{link}">'
                f"{self.demo.board.subject}</a></body></html>\n",
                "text/html; charset=utf-8",
            )
        else:
            self._count("other")
            self._send_plain(404, f"The requested resource {path} was not found on this server.")

    def do_POST(self) -> None:
        path = urlsplit(self.path).path
        length = int(self.headers.get("Content-Length") or 0)
        data = self.rfile.read(length) if length else b""
        if path.startswith("/_admin/"):
            self._admin("POST", path, data)
            return
        if path == "/bbs/login_check.php":
            self._count("login")
            self._login_check(data)
            return
        self._count("other")
        if path == "/bbs/password_check.php":
            sid, new = self._session()
            page = self.demo.renderer.alert_page("비밀번호가 틀립니다.", self.demo.list_url)
            self._send_page(page, sid, new)
            return
        self._send_plain(404, f"The requested resource {path} was not found on this server.")

    def _count(self, kind: str) -> None:
        # a browser (Chromium sends Sec-Fetch-* headers; Scrapy does not) is counted apart too
        self.demo.counter.add(kind, self.path, browser="Sec-Fetch-Mode" in self.headers)

    def _admin(self, method: str, path: str, data: bytes) -> None:
        self._count("admin")
        if not self.demo.admin:
            self._send_plain(404, f"The requested resource {path} was not found on this server.")
            return
        status, text = handle(self.demo, method, path, data)
        self._send_plain(status, text, "application/json; charset=utf-8")

    # -- board.php --

    def _board(self, raw_query: str, query: dict[str, list[str]]) -> None:
        demo, r = self.demo, self.demo.renderer
        sid, new = self._session()
        wr_id = php_int(_one(query, "wr_id"))
        self._count("view" if wr_id else "list")
        if _one(query, "bo_table") != demo.board.bo_table:
            self._send_page(r.no_board_page(), sid, new)
            return
        page_value = php_int(_one(query, "page"))
        page = page_value if page_value > 0 else None
        if not wr_id:
            if not self._member(sid):
                self._login_alert(members.NO_LIST_PERMISSION, sid, new)
                return
            html = r.list_page(ListRequest(page, raw_query), page_rows=demo.page_rows)
            self._send_page(html, sid, new)
            return
        post = demo.board.live(wr_id)
        if post is None:
            found = demo.board.comment(wr_id)
            if found is not None:
                parent = found[0].wr_id
                target = f"./board.php?bo_table={demo.board.bo_table}&wr_id={parent}#c_{wr_id}"
                self._send_page("", sid, new, status=302, location=target)
                return
            self._send_page(r.not_found_page(), sid, new)
            return
        if not self._member(sid):
            self._login_alert(members.NO_READ_PERMISSION, sid, new)
            return
        if post.secret and not demo.sessions.has(sid, f"ss_secret_{wr_id}"):
            self._send_page("", sid, new, status=302, location=r.secret_location(wr_id, page))
            return
        html = r.view_page(ViewRequest(wr_id, page, raw_query, sid))
        if demo.sessions.set(sid, f"ss_view_{wr_id}") and demo.count_views:
            demo.board.bump_views(wr_id)
        self._send_page(html, sid, new)

    # -- members: login_check.php and the permission alerts --

    def _member(self, sid: str) -> bool:
        """Whether this session may read the board (always, unless it is members-only)."""
        return not self.demo.members or self.demo.sessions.has(sid, members.LOGIN_FLAG)

    def _login_alert(self, message: str, sid: str, new: bool) -> None:
        back = self.demo.base_url + self.path
        url = members.login_url(self.demo.base_url, back)
        self._send_page(self.demo.renderer.alert_page(message, url), sid, new)

    def _login_check(self, data: bytes) -> None:
        demo = self.demo
        sid, new = self._session()
        form = members.parse_form(data, self.headers.get("Content-Type"))
        refused = members.check_login(demo.members, form)
        if refused is not None:
            self._send_page(demo.renderer.alert_page(refused, None), sid, new)
            return
        fresh = demo.sessions.new_id()  # session_regenerate_id(): the old id logs no one in
        demo.sessions.set(fresh, members.LOGIN_FLAG)
        target = members.return_target(demo.base_url, form.get("url"))
        self._send_page("", fresh, True, status=302, location=target)

    # -- rss.php, password.php and download.php --

    def _rss(self, query: dict[str, list[str]]) -> None:
        demo = self.demo
        sid, new = self._session()
        if _one(query, "bo_table") != demo.board.bo_table:
            self._send_page(demo.renderer.no_board_page(), sid, new)
            return
        if not demo.rss:  # bo_use_rss_view off: the engine's one line, as HTML
            self._send_plain(200, "RSS 보기가 금지되어 있습니다.", "text/html; charset=utf-8")
            return
        body = render_rss(demo.board, demo.base_url).encode("utf-8")
        self.send_response(200)
        self._php_headers(sid, new)
        self.send_header("Expires", "0")
        self.send_header("Last-Modified", http_date(demo.board.now()))
        self.send_header("Content-type", "text/xml;charset=UTF-8")
        self.send_header("Cache-Control", "no-cache, must-revalidate")
        self.send_header("Pragma", "no-cache")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _password(self, query: dict[str, list[str]]) -> None:
        demo, r = self.demo, self.demo.renderer
        sid, new = self._session()
        if _one(query, "bo_table") != demo.board.bo_table:
            self._send_page(r.no_board_page(), sid, new)
            return
        post = demo.board.live(php_int(_one(query, "wr_id")))
        html = r.password_page(post) if post is not None else r.not_found_page()
        self._send_page(html, sid, new)

    def _download(self, query: dict[str, list[str]]) -> None:
        demo, r = self.demo, self.demo.renderer
        sid, new = self._session()
        if _one(query, "bo_table") != demo.board.bo_table:
            self._send_page(r.no_board_page(), sid, new)
            return
        wr_id, no = php_int(_one(query, "wr_id")), php_int(_one(query, "no"))
        if new or not demo.sessions.has(sid, f"ss_view_{wr_id}"):
            self._send_page(r.bad_access_page(wr_id), sid, new)
            return
        post = demo.board.live(wr_id)
        file = post.attachment(no) if post is not None else None
        if file is None:
            self._send_page(r.no_file_page(), sid, new)
            return
        if demo.sessions.set(sid, f"ss_down_{wr_id}_{no}"):
            demo.board.count_download(wr_id, no)
        self.send_response(200)
        self._php_headers(sid, False)
        self.send_header("Last-Modified", http_date(demo.board.now()))
        self.send_header("Cache-Control", "pre-check=0, post-check=0, max-age=0")
        self.send_header("content-type", "file/unknown")
        self.send_header("content-length", str(file.nbytes))
        self.send_header("content-disposition", r.content_disposition(file.name, demo.disposition))
        self.send_header("content-description", "php generated data")
        self.send_header("pragma", "no-cache")
        self.send_header("expires", "0")
        self.end_headers()
        if self.command != "HEAD":
            try:
                for chunk in file.chunks():  # a huge file is never whole in memory
                    self.wfile.write(chunk)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client stopped reading (a download size limit)

    def _static(self, path: str) -> None:
        data = self.demo.files.get(path)
        if data is None and path == LOGO_PATH:
            data = LOGO_PNG
        if data is None and (picture := pictures.data_file(self.demo.board, path)) is not None:
            data = picture.data()
        if data is None:
            self._send_plain(404, f"The requested resource {path} was not found on this server.")
            return
        self.send_response(200)
        self.send_header(
            "Content-Type", mimetypes.guess_type(path)[0] or "application/octet-stream"
        )
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Last-Modified", http_date(self.demo.board.now()))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)


def _one(query: dict[str, list[str]], name: str) -> str | None:
    values = query.get(name)
    return values[0] if values else None


def http_date(when: datetime | float) -> str:
    if isinstance(when, datetime):
        return format_datetime(when.astimezone(UTC), usegmt=True)
    return format_datetime(datetime.fromtimestamp(when, UTC), usegmt=True)
