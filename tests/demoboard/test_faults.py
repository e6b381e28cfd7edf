"""The demo board's faults (demoboard/faults.py), seen by a real HTTP client on 127.0.0.1, and
the same faults through the test proxy (tests/crawl/faults.py) in front of the board."""

from __future__ import annotations

import http.client
import socket
import time
from urllib.parse import urlsplit

import pytest

from board_archive.demoboard import Board, DemoServer
from board_archive.demoboard.faults import KINDS, LAYOUT_RENAMES, Faults, Rule
from crawler.pages.errors import ParseError
from crawler.pages.gnuboard5 import parse_list
from tests.crawl.faults import FaultProxy
from tests.demoboard.conftest import NOW, Client


def raw_get(url: str, timeout: float = 10.0) -> tuple[int, dict[str, str], bytes]:
    """A GET that reads what arrives, even a body shorter than its Content-Length."""
    parts = urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=timeout)
    try:
        conn.request("GET", parts.path + (f"?{parts.query}" if parts.query else ""))
        resp = conn.getresponse()
        try:
            body = resp.read()
        except http.client.IncompleteRead as exc:
            body = exc.partial
        return resp.status, {k.lower(): v for k, v in resp.getheaders()}, body
    finally:
        conn.close()


@pytest.mark.parametrize("status", [500, 502, 503])
def test_error_statuses_only_where_the_rule_matches(server: DemoServer, status: int) -> None:
    wr_id = server.board.live_ids()[0]
    server.faults.add(str(status), f"wr_id={wr_id}")  # type: ignore[arg-type]
    assert Client().get(server.view_url(wr_id)).status == status
    assert Client().get(server.list_url).status == 200
    assert server.faults.hits[str(status)] == 1  # type: ignore[index]


def test_429_says_when_to_come_back_and_times_limits_a_rule(server: DemoServer) -> None:
    server.faults.add("429", "bo_table=", retry_after=7, times=2)
    first, second, third = (Client().get(server.list_url) for _ in range(3))
    assert (first.status, second.status, third.status) == (429, 429, 200)
    assert first.header("Retry-After") == "7"


def test_a_share_of_requests_is_deterministic_per_seed(board: Board) -> None:
    def statuses(seed: int) -> list[int]:
        with DemoServer(board) as srv:
            srv.faults = Faults(seed)
            srv.faults.add("503", "bo_table=", share=0.3)
            return [Client().get(srv.list_url).status for _ in range(40)]

    first = statuses(5)
    assert first == statuses(5)
    assert 4 <= first.count(503) <= 20 and first.count(200) == 40 - first.count(503)


def test_reset_closes_the_connection_without_an_answer(server: DemoServer) -> None:
    server.faults.add("reset")
    with pytest.raises((ConnectionResetError, http.client.RemoteDisconnected)):
        raw_get(server.list_url)


def test_a_hang_times_the_client_out_and_ends_when_the_server_stops(board: Board) -> None:
    srv = DemoServer(board).start()
    srv.faults.add("hang", seconds=30)
    started = time.monotonic()
    with pytest.raises(TimeoutError):
        raw_get(srv.list_url, timeout=0.5)
    srv.stop()  # releases the hanging handler at once
    assert time.monotonic() - started < 5


def test_truncated_body_is_shorter_than_promised(server: DemoServer) -> None:
    whole = Client().get(server.list_url).body
    server.faults.add("truncate", "bo_table=")
    status, headers, body = raw_get(server.list_url)
    assert status == 200 and int(headers["content-length"]) == len(whole)
    assert body == whole[: len(whole) // 2]


@pytest.mark.parametrize(
    ("kind", "marker"), [("empty", None), ("maintenance", "점검"), ("login", "login_check.php")]
)
def test_200_pages_that_are_not_the_board(server: DemoServer, kind: str, marker: str) -> None:
    server.faults.add(kind)  # type: ignore[arg-type]
    resp = Client().get(server.list_url)
    assert resp.status == 200
    assert (marker in resp.text) if marker else resp.body == b""
    with pytest.raises(ParseError):
        parse_list(resp.text, server.list_url, today=NOW.date())


def test_redirects_loop_or_leave_the_host(server: DemoServer) -> None:
    server.faults.add("redirect-loop", "page=2", times=1)
    server.faults.add("redirect-away", "page=3", target="http://10.0.0.1/x")
    loop = Client().get(server.page_url(2))
    assert loop.status == 302 and loop.header("Location") == urlsplit(server.page_url(2)).path + (
        "?" + urlsplit(server.page_url(2)).query
    )
    away = Client().get(server.page_url(3))
    assert (away.status, away.header("Location")) == (302, "http://10.0.0.1/x")
    server.faults.clear()
    assert Client().get(server.page_url(3)).status == 200
    assert Rule("redirect-away").target.startswith("http://169.254.169.254/")


@pytest.mark.parametrize("declare_length", [True, False])
def test_a_huge_page_is_streamed(server: DemoServer, declare_length: bool) -> None:
    size = 3 * 1024 * 1024 + 5
    server.faults.add("huge", size=size, declare_length=declare_length)
    status, headers, body = raw_get(server.list_url)
    assert status == 200 and len(body) == size
    assert headers.get("content-length") == (str(size) if declare_length else None)
    assert body.startswith(b"<!doctype html>") and "아주 긴 페이지".encode() in body[:4096]


def test_a_client_that_stops_reading_a_huge_page_does_not_break_the_server(
    server: DemoServer,
) -> None:
    server.faults.add("huge", "page=9", times=1)  # 50 MB
    with socket.create_connection((urlsplit(server.url).hostname, server.port)) as sock:
        sock.sendall(b"GET /bbs/board.php?bo_table=press&page=9 HTTP/1.1\r\nHost: x\r\n\r\n")
        assert sock.recv(65536).startswith(b"HTTP/1.1 200")
    assert Client().get(server.list_url).status == 200


def test_wrong_and_missing_charset(server: DemoServer) -> None:
    server.faults.add("charset-wrong", "bo_table=", times=1)
    server.faults.add("charset-missing", "bo_table=", times=1)
    wrong, missing = Client().get(server.list_url), Client().get(server.list_url)
    assert wrong.header("Content-Type") == "text/html; charset=euc-kr"
    assert wrong.body.decode("utf-8")  # the bytes are still UTF-8
    assert missing.header("Content-Type") == "text/html"
    assert b"<meta charset" not in missing.body.lower()
    assert int(missing.header("Content-Length") or 0) == len(missing.body)


def test_layout_change_renames_the_list_markup_only(server: DemoServer) -> None:
    view = server.view_url(server.board.live_ids()[0])
    before = Client().get(view).body
    original = parse_list(Client().get(server.list_url).text, server.list_url, today=NOW.date())
    server.faults.add("layout")
    changed = Client().get(server.list_url).text
    assert 'id="bo_list"' not in changed and 'id="board-list"' in changed
    assert all(old not in changed for old in LAYOUT_RENAMES)
    # the skin's names are gone; the engine's links still say which rows are posts
    renamed = parse_list(changed, server.list_url, today=NOW.date())
    assert [r.post_id for r in renamed.rows] == [r.post_id for r in original.rows]
    assert [r.title for r in renamed.rows] == [r.title for r in original.rows]
    assert Client().get(view).body.replace(b"\r", b"") != b""
    assert len(Client().get(view).body) == len(before)  # a view page is left as it is


def test_admin_requests_are_never_faulted(server: DemoServer) -> None:
    server.faults.add("500")
    assert Client().get(server.url + "/_admin/state?posts=0").status == 200


def test_unknown_fault_or_share_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown fault"):
        Rule("teapot")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="share"):
        Rule("500", share=1.5)
    assert len(KINDS) == 16


def test_the_proxy_applies_the_same_faults_in_front_of_the_board(server: DemoServer) -> None:
    with FaultProxy(server.url) as proxy:
        proxy.rules.add("503", "wr_id=", times=1)  # the first rule that matches decides
        proxy.rules.add("layout")
        listing = Client().get(proxy.url + "/bbs/board.php?bo_table=press").text
        assert 'id="board-list"' in listing
        wr_id = server.board.live_ids()[0]
        target = f"{proxy.url}/bbs/board.php?bo_table=press&wr_id={wr_id}"
        assert Client().get(target).status == 503
        assert Client().get(target).status == 200
        proxy.faults = {"&page=2": "garbage"}
        assert "점검" in Client().get(proxy.url + "/bbs/board.php?bo_table=press&page=2").text
        assert proxy.hits == {"&page=2": 1}
