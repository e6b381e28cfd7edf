"""A local GnuBoard-5-compatible board server (standard library only).

Routes, as a real GnuBoard install answers them (the samples' PHP built-in server):

- ``GET /bbs/board.php?bo_table=press[&page=N]``: list page (past the last page: no rows).
- ``GET /bbs/board.php?bo_table=press&wr_id=N[&page=P]``: view page; a missing or deleted post
  is HTTP 200 with the "글이 존재하지 않습니다" alert page; a secret post is a 302 to
  ``/bbs/password.php?w=s&bo_table=press&wr_id=N``; a comment id is a 302 to its post
  (``./board.php?bo_table=press&wr_id=P#c_N``). The view sets the session flag that downloads
  need and counts a view once per session (``count_views``).
- ``GET /bbs/password.php?w=s&bo_table=press&wr_id=N``: the password form of a secret post.
- ``GET /bbs/download.php?bo_table=press&wr_id=N&no=K[&nonce=…]``: the file, if this session
  (``PHPSESSID`` cookie) opened the post first, else HTTP 200 with "잘못된 접근입니다.".
- Any other ``bo_table`` (or none): the "존재하지 않는 게시판입니다." alert.
  ``disposition`` picks how its ``Content-Disposition`` names the file (GnuBoard's urlencode,
  RFC 5987, raw CP949 or UTF-8 bytes).
- ``GET /data/…``: files put with ``DemoServer.put_file`` (editor uploads that bodies show),
  and attached pictures at ``/data/file/press/STORED``; ``GET /img/logo.png``: the theme logo
  the generated bodies show. Others: 404.
- ``GET /bbs/view_image.php?bo_table=press&fn=STORED``: the page around an attached picture
  (the "webzine" and "cards" skins link pictures there; ``board_archive.demoboard.pictures``).
- ``GET /bbs/rss.php?bo_table=press``: the RSS feed (15 newest, secret posts left out); with
  ``rss = False`` GnuBoard's refusal "RSS 보기가 금지되어 있습니다." (the default of a new board).
- ``GET /robots.txt``: allow everything, or ``Disallow`` the paths given.
- ``skin`` picks the markup (``board_archive.demoboard.render``): "basic" (GnuBoard 5.6),
  "legacy" (5.4 list, 5.2 view), or the demo board's own third-party-like "webzine" and "cards";
  the answers above are the same in every skin.
- With ``engine="rhymix"`` the board is served as a Rhymix board instead (``rhymix``).
- With ``js_list=True`` the list page is an empty shell whose script fetches the rows from
  ``GET /bbs/list.json?bo_table=press&page=N`` (``jslist``); view pages stay plain.
- ``GET /bbs/login.php``, ``POST /bbs/login_check.php``: the member login; with ``members``
  the board is members-only (``board_archive.demoboard.members``).
- ``/_admin/…``: the JSON admin API (``board_archive.demoboard.admin``), only when ``admin=True``.

Pages are served in ``charset`` ("utf-8", or "euc-kr": encoded as CP949, as Korean PHP sites
do), declared in the ``Content-Type`` header (``charset_in_header``), in the
``<meta charset>`` tag (``charset_in_meta``), in both or in neither; ``header_charset`` makes
the header claim another charset than the page's (a misconfigured server).

Faults (errors, resets, hangs, redirects, huge or damaged pages) are switched on per
request or for a share of requests with ``DemoServer.faults`` (``board_archive.demoboard.faults``):
``srv.faults.add("503", "wr_id=12", times=2)``.

``DemoServer`` runs the server in a background thread; use it as a context manager.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Mapping, Sequence
from types import TracebackType
from typing import Literal

from board_archive.demoboard.content import Board
from board_archive.demoboard.faults import Faults
from board_archive.demoboard.handler import DemoHTTPServer, Handler
from board_archive.demoboard.render import Disposition, Renderer, Skin
from board_archive.demoboard.rhymix import RhymixRenderer
from board_archive.demoboard.sessions import RequestCounter, SessionStore

Charset = Literal["utf-8", "euc-kr"]
Engine = Literal["gnuboard5", "rhymix"]


class DemoServer:
    """Serves ``board`` over HTTP. ``port=0`` picks a free port (see ``url``)."""

    def __init__(
        self,
        board: Board,
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        skin: Skin = "basic",
        page_rows: int = 15,
        count_views: bool = True,
        admin: bool = False,
        robots_disallow: Sequence[str] = (),
        charset: Charset = "utf-8",
        charset_in_header: bool = True,
        charset_in_meta: bool = True,
        header_charset: str | None = None,
        public_url: str | None = None,
        disposition: Disposition = "urlencode",
        members: Mapping[str, str] | None = None,
        engine: Engine = "gnuboard5",
        js_list: bool = False,
    ) -> None:
        self.board = board
        self.disposition: Disposition = disposition
        self.page_rows = page_rows
        self.count_views = count_views
        self.admin = admin
        self.robots_disallow = tuple(robots_disallow)
        self.charset: Charset = charset
        self.charset_in_header = charset_in_header
        self.charset_in_meta = charset_in_meta
        self.members = dict(members or {})  # member id -> password; any: members-only board
        self.header_charset = header_charset
        self.sessions = SessionStore()
        self.counter = RequestCounter()
        self.files: dict[str, bytes] = {}  # site paths ("/data/editor/…") served as they are
        self.faults = Faults()  # none until a test adds rules
        self._httpd = DemoHTTPServer((host, port), Handler)
        self._httpd.demo = self
        bound_host, bound_port = self._httpd.server_address[:2]
        shown = "127.0.0.1" if bound_host in ("0.0.0.0", "") else str(bound_host)
        self.base_url = (public_url or f"http://{shown}:{bound_port}").rstrip("/")
        self.renderer = Renderer(board, self.base_url, skin)
        self.engine: Engine = engine
        self.rhymix = RhymixRenderer(
            board, self.base_url
        )  # engine="rhymix" (board_archive.demoboard.rhymix)
        self.js_list = (
            js_list  # the list built by JavaScript from JSON (board_archive.demoboard.jslist)
        )
        self.js_extra_scripts: list[str] = []  # more scripts its shell loads (a CDN's, say)
        self.rss = True  # bo_use_rss_view; off, rss.php answers GnuBoard's one-line refusal
        self._thread: threading.Thread | None = None

    # ---- addresses ---------------------------------------------------------------------

    @property
    def port(self) -> int:
        return int(self._httpd.server_address[1])

    @property
    def url(self) -> str:
        """The site root, e.g. ``http://127.0.0.1:8056`` (no trailing slash)."""
        return self.base_url

    @property
    def list_url(self) -> str:
        if self.engine == "rhymix":
            return f"{self.base_url}/index.php?mid={self.board.bo_table}"
        return f"{self.base_url}/bbs/board.php?bo_table={self.board.bo_table}"

    def page_url(self, page: int) -> str:
        return f"{self.list_url}&page={page}"

    def view_url(self, wr_id: int) -> str:
        return f"{self.list_url}&wr_id={wr_id}"

    @property
    def skin(self) -> Skin:
        return self.renderer.skin

    # ---- lifecycle ---------------------------------------------------------------------

    def start(self) -> DemoServer:
        if self._thread is None:
            self._thread = threading.Thread(
                target=self._httpd.serve_forever,
                kwargs={"poll_interval": 0.05},
                name=f"demoboard:{self.port}",
                daemon=True,
            )
            self._thread.start()
        return self

    def serve_forever(self) -> None:
        """Serve in the calling thread (``python -m board_archive.demoboard``); stop with
        ``stop()``/Ctrl-C."""
        self._httpd.serve_forever()

    def stop(self) -> None:
        self.faults.released.set()  # hanging answers end now
        if self._thread is not None:
            self._httpd.shutdown()
            self._thread.join()
            self._thread = None
        self._httpd.server_close()

    def __enter__(self) -> DemoServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    # ---- counters ----------------------------------------------------------------------

    @property
    def counts(self) -> dict[str, int]:
        """Requests per kind: list, view, download, password, rss, robots, admin, other."""
        return self.counter.kinds()

    @property
    def browser_counts(self) -> dict[str, int]:
        """Like ``counts``, of the requests made by a browser (``Sec-Fetch-Mode`` sent)."""
        return self.counter.browser_kinds()

    @property
    def target_counts(self) -> Counter[str]:
        """Requests per target (path and query as sent), to assert nothing was fetched twice."""
        return self.counter.targets()

    def reset_counts(self) -> None:
        self.counter.reset()

    def put_file(self, path: str, content: bytes) -> str:
        """Serve ``content`` at site path ``path`` ("/data/editor/2611/a.png"); returns its URL."""
        if not path.startswith("/data/"):
            raise ValueError(f"files are served under /data/: {path!r}")
        self.files[path] = content
        return self.base_url + path

    def robots_txt(self) -> str:
        if not self.robots_disallow:
            return "User-agent: *\nDisallow:\n"
        return "User-agent: *\n" + "".join(f"Disallow: {p}\n" for p in self.robots_disallow)
