"""A 10,000-post board starts and serves (sanity only: no timing assertions)."""

from __future__ import annotations

import time

from parsel import Selector

from board_archive.demoboard import DemoServer, SettableClock, generate_board
from board_archive.demoboard.render import ListRequest, Renderer, ViewRequest
from tests.demoboard.conftest import NOW, Client


def test_ten_thousand_posts_serve() -> None:
    board = generate_board(10_000, seed=5, clock=SettableClock(NOW))
    last = board.total_pages(15)
    renderer = Renderer(board, "http://127.0.0.1:8056")
    started = time.perf_counter()
    for page in (1, last // 2, last):
        renderer.list_page(ListRequest(page))
    for wr_id in board.live_ids()[:: len(board.live_ids()) // 5]:
        if not board.live(wr_id).secret:  # type: ignore[union-attr]
            renderer.view_page(ViewRequest(wr_id))
    per_page_ms = (time.perf_counter() - started) * 1000 / 9
    print(f"about {per_page_ms:.2f} ms per page at {board.total} posts")
    with DemoServer(board, count_views=False) as srv:
        client = Client()
        first = Selector(text=client.get(srv.list_url).text)
        end = first.css("nav.pg_wrap a.pg_end::attr(href)").get() or ""
        assert end.endswith(f"&page={last}")
        tail = Selector(text=client.get(srv.page_url(last)).text)
        assert tail.css("td.td_subject a[href*=wr_id]")
        assert tail.css("td.td_num2::text").getall()[-1].strip() == "1"
        middle = Selector(text=client.get(srv.page_url(last // 2)).text)
        assert middle.css("a.pg_prev") and middle.css("a.pg_next")
        assert client.get(srv.page_url(last + 1)).text.count("게시물이 없습니다.") == 1
