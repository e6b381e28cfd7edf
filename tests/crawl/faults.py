"""A fault-injecting HTTP proxy in front of a demo board, for crawl tests.

The faults are ``board_archive.demoboard.faults``'s: ``proxy.rules`` is a ``Faults``
(``proxy.rules.add("503", "wr_id=12", share=0.5)``), applied like ``DemoServer.faults`` but in
front of any upstream.
The older marker map still works: requests whose path and query end with a marker (or hold it
followed by ``&``) get ``proxy.faults[marker]`` ("500", "empty", "garbage": a maintenance page,
"reset"), counted in ``proxy.hits``. Everything else is passed through unchanged (status,
headers, body; the upstream's address in headers rewritten to the proxy's).
"""

from __future__ import annotations

import threading
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Literal

from board_archive.demoboard.faults import Faults, Kind, Rule, replacement, send, serve

Fault = Literal["500", "empty", "garbage", "reset"]
_LEGACY: dict[Fault, Kind] = {
    "500": "500",
    "empty": "empty",
    "garbage": "maintenance",
    "reset": "reset",
}


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


_opener = urllib.request.build_opener(_NoRedirect)


class FaultProxy:
    def __init__(self, upstream: str) -> None:
        self.upstream = upstream.rstrip("/")
        self.faults: dict[str, Fault] = {}
        self.hits: dict[str, int] = {}
        self.rules = Faults()
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: object) -> None:
                pass

            def do_GET(self) -> None:
                for marker, fault in proxy.faults.items():
                    if self.path.endswith(marker) or marker + "&" in self.path:
                        proxy.hits[marker] = proxy.hits.get(marker, 0) + 1
                        answer = replacement(Rule(_LEGACY[fault]), self.path)
                        send(self, answer, proxy.rules.released)
                        return
                serve(self, proxy.rules, self._forward)

            def _forward(self) -> None:
                request = urllib.request.Request(proxy.upstream + self.path)
                if cookie := self.headers.get("Cookie"):
                    request.add_header("Cookie", cookie)
                try:
                    with _opener.open(request, timeout=10) as resp:
                        status, headers, body = resp.status, resp.headers.items(), resp.read()
                except urllib.error.HTTPError as exc:
                    status, headers, body = exc.code, exc.headers.items(), exc.read()
                self.send_response(status)
                for name, value in headers:
                    if name.lower() not in ("transfer-encoding", "connection", "content-length"):
                        value = value.replace(proxy.upstream, proxy.url)
                        self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def __enter__(self) -> FaultProxy:
        self._thread.start()
        return self

    def __exit__(
        self, t: type[BaseException] | None, e: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.rules.released.set()
        self._server.shutdown()
        self._server.server_close()
        self._thread.join()
