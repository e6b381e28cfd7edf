"""A fault-injecting HTTP proxy in front of a demo board, for crawl tests.

Requests whose path and query contain a configured marker get the configured fault instead of
the board's answer; everything else is passed through unchanged (status, headers, body).
"""

from __future__ import annotations

import threading
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Literal

Fault = Literal["500", "empty", "garbage", "reset"]

GARBAGE = "<html><body><div class='maintenance'>점검 중입니다</div></body></html>"


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


_opener = urllib.request.build_opener(_NoRedirect)


class FaultProxy:
    def __init__(self, upstream: str) -> None:
        self.upstream = upstream.rstrip("/")
        self.faults: dict[str, Fault] = {}
        self.hits: dict[str, int] = {}
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: object) -> None:
                pass

            def do_GET(self) -> None:
                for marker, fault in proxy.faults.items():
                    if self.path.endswith(marker) or marker + "&" in self.path:
                        proxy.hits[marker] = proxy.hits.get(marker, 0) + 1
                        self._fault(fault)
                        return
                self._forward()

            def _fault(self, fault: Fault) -> None:
                if fault == "reset":
                    self.connection.close()
                    return
                status, body = {
                    "500": (500, b"Internal Server Error"),
                    "empty": (200, b""),
                    "garbage": (200, GARBAGE.encode()),
                }[fault]
                self.send_response(status)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

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
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def __enter__(self) -> FaultProxy:
        self._thread.start()
        return self

    def __exit__(
        self, t: type[BaseException] | None, e: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join()
