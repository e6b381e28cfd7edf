"""No DNS rebinding in the browser: Chromium's requests to hosts other than the board's go through
``GuardedProxy`` (crawler/browser_proxy.py), which resolves a name once, refuses an internal
address, and connects to the very address it checked. Unit tests against real local servers,
then a real Chromium crawl of a browser board whose list page loads a script from another host.
"""

from __future__ import annotations

import asyncio
import http.server
import os
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine

from board_archive.demoboard import DemoServer, generate_board
from crawler import browser_proxy, hosts
from crawler.browser_proxy import GuardedProxy
from crawler.spiders.render import CHROMIUM
from tests.crawl.test_end_to_end import cli, last_run, write_config
from tests.faults.test_ssrf import internal_name


class Recorder(http.server.ThreadingHTTPServer):
    """A server on ``host`` that answers "ok" and records each request line and headers."""

    def __init__(self, host: str = "127.0.0.1") -> None:
        self.seen: list[tuple[str, str]] = []
        server = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                server.seen.append((self.requestline, str(self.headers)))
                self.send_response(200)
                self.send_header("Content-Length", "2")
                self.send_header("Content-Type", "text/javascript")
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *args: object) -> None:
                pass

        super().__init__((host, 0), Handler)
        self.port = int(self.server_address[1])


@pytest.fixture
def recorder() -> Iterator[Recorder]:
    server = Recorder()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()
    thread.join()


def through(proxy: GuardedProxy, request: bytes, then: bytes = b"") -> bytes:
    """Send ``request`` to the proxy (and ``then`` once it answered a CONNECT); all it returns."""

    async def go() -> bytes:
        await proxy.start()
        try:
            reader, writer = await asyncio.open_connection("127.0.0.1", proxy.port)
            try:
                writer.write(request)
                if then:
                    answer = await reader.readuntil(b"\r\n\r\n")
                    if b" 200 " not in answer:
                        return answer
                    writer.write(then)
                return await asyncio.wait_for(reader.read(), 10)
            finally:
                writer.close()
                await writer.wait_closed()
        finally:
            await proxy.stop()

    return asyncio.run(go())


def fixed(answers: dict[str, str]) -> browser_proxy.Resolve:
    async def resolve(host: str, port: int) -> str:
        return answers[host]

    return resolve


def proxy_for(
    host: str, answer: str, counted: list[str], allowed: frozenset[str] = frozenset()
) -> GuardedProxy:
    """A proxy that resolves ``host`` to ``answer``, after a page's request to ``host``."""
    proxy = GuardedProxy(set(allowed), counted.append, fixed({host: answer}))
    proxy.expect(host)
    return proxy


def test_a_name_resolving_to_an_internal_address_is_refused(recorder: Recorder) -> None:
    counted: list[str] = []
    proxy = proxy_for("rebind.test", "127.0.0.1", counted)
    get = f"GET http://rebind.test:{recorder.port}/x HTTP/1.1\r\nHost: rebind.test\r\n\r\n"
    assert through(proxy, get.encode()).startswith(b"HTTP/1.1 403 Forbidden")
    connect = f"CONNECT rebind.test:{recorder.port} HTTP/1.1\r\n\r\n".encode()
    proxy = proxy_for("rebind.test", "127.0.0.1", counted)
    assert through(proxy, connect, b"GET / HTTP/1.1\r\n\r\n").startswith(b"HTTP/1.1 403")
    assert recorder.seen == []  # the server was never asked anything
    assert counted == ["hostguard/browser_refused"] * 2


def test_an_allowed_name_is_forwarded_to_the_address_it_resolved_to(recorder: Recorder) -> None:
    counted: list[str] = []
    proxy = proxy_for("cdn.test", "127.0.0.1", counted, frozenset({"cdn.test:8080"}))
    get = (
        f"GET http://cdn.test:{recorder.port}/lib.js?v=1 HTTP/1.1\r\nHost: cdn.test\r\n"
        "Proxy-Connection: keep-alive\r\n\r\n"
        # a second request on the same connection is never forwarded
        "GET http://other.test/secret HTTP/1.1\r\nHost: other.test\r\n\r\n"
    )
    answer = through(proxy, get.encode())
    assert answer.startswith(b"HTTP/1.0 200") and answer.endswith(b"ok")
    ((line, headers),) = recorder.seen
    assert line == "GET /lib.js?v=1 HTTP/1.1"  # origin form, to the address checked
    assert "Connection: close" in headers and "Proxy-Connection" not in headers
    tunnel = f"CONNECT cdn.test:{recorder.port} HTTP/1.1\r\n\r\n".encode()
    proxy = proxy_for("cdn.test", "127.0.0.1", counted, frozenset({"cdn.test"}))
    inner = b"GET /t HTTP/1.1\r\nHost: cdn.test\r\nConnection: close\r\n\r\n"
    answer = through(proxy, tunnel, inner)
    assert answer.endswith(b"ok") and recorder.seen[-1][0] == "GET /t HTTP/1.1"
    assert counted == ["hostguard/browser_proxied"] * 2


def test_a_host_no_page_asked_for_is_not_proxied(recorder: Recorder) -> None:
    """Chromium's own background requests (sign-in, updates) never passed BrowserGuard: refused,
    even for an allowed host."""
    counted: list[str] = []
    proxy = GuardedProxy({"cdn.test"}, counted.append, fixed({"cdn.test": "127.0.0.1"}))
    get = f"GET http://cdn.test:{recorder.port}/x HTTP/1.1\r\nHost: cdn.test\r\n\r\n"
    assert through(proxy, get.encode()).startswith(b"HTTP/1.1 403 Forbidden")
    assert recorder.seen == [] and counted == ["hostguard/browser_background"]


def test_the_connection_goes_to_the_address_checked_not_a_later_answer(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A rebinding name: public for the check, 127.0.0.1 afterwards. The proxy asks once and
    connects to that answer (127.0.0.2 stands for a public address here)."""
    public = Recorder("127.0.0.2")
    internal = Recorder("127.0.0.1")
    threads = [threading.Thread(target=s.serve_forever, daemon=True) for s in (public, internal)]
    for t in threads:
        t.start()
    real = hosts.internal_address
    monkeypatch.setattr(hosts, "internal_address", lambda ip: str(ip) != "127.0.0.2" and real(ip))
    answers = iter(["127.0.0.2", "127.0.0.1", "127.0.0.1"])
    asked: list[str] = []

    async def rebinding(host: str, port: int) -> str:
        asked.append(host)
        return next(answers)

    try:
        proxy = GuardedProxy(set(), resolve=rebinding)
        proxy.expect("EVIL.test.")  # as a page's URL may write it
        port = public.port
        get = f"GET http://evil.test:{port}/x HTTP/1.1\r\nHost: evil.test\r\n\r\n".encode()
        assert through(proxy, get).endswith(b"ok")
    finally:
        for s in (public, internal):
            s.shutdown()
            s.server_close()
        for t in threads:
            t.join()
    assert asked == ["evil.test"]
    assert [line for line, _ in public.seen] == ["GET /x HTTP/1.1"] and internal.seen == []


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_chromium_reaches_other_hosts_only_through_the_proxy(
    tmp_path: Path, db_url: str, engine: Engine, recorder: Recorder
) -> None:
    """A browser board whose list page loads a script from another host name (this machine's,
    which resolves to loopback). Refused, the other server gets nothing; allowed, the request
    reaches it through the proxy (counted), not from Chromium directly."""
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} not found (under CI the browser tests must run)")
        pytest.skip(f"{CHROMIUM} not found: apt-get install chromium")
    name = internal_name()
    board = generate_board(12, seed=4)
    with DemoServer(board, js_list=True) as srv:
        srv.js_extra_scripts = [f"http://{name}:{recorder.port}/cdn/lib.js"]
        cfg = write_config(tmp_path, srv.list_url, extra='render = "browser"\n')
        args = ("crawl", "press", "-c", str(cfg), "--full", "--log-level", "WARNING")
        result = cli(tmp_path, db_url, *args)
        assert result.returncode == 0, result.stderr[-3000:]
        assert recorder.seen == []
        allowed = {"BOARD_ARCHIVE_ALLOWED_HOSTS": f"{name}:{recorder.port}"}
        result = cli(tmp_path, db_url, *args, env=allowed)
        assert result.returncode == 0, result.stderr[-3000:]
    assert recorder.seen and all(line == "GET /cdn/lib.js HTTP/1.1" for line, _ in recorder.seen)
    assert all("Connection: close" in headers for _, headers in recorder.seen)  # the proxy's
    assert last_run(engine).stats["hostguard/browser_proxied"] == len(recorder.seen)
