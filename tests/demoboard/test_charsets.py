"""The demo server's charset options: the page's charset, declared in the header, the meta
tag, both or neither, or a header claiming another charset (a misconfigured server)."""

from __future__ import annotations

import pytest

from board_archive.demoboard import Board, DemoServer
from tests.demoboard.conftest import Client


@pytest.mark.parametrize(
    ("in_header", "in_meta", "claimed", "content_type", "meta"),
    [
        (True, True, None, "text/html; charset=euc-kr", True),
        (True, False, None, "text/html; charset=euc-kr", False),
        (False, True, None, "text/html", True),
        (False, False, None, "text/html", False),
        (True, True, "utf-8", "text/html; charset=utf-8", True),
    ],
)
def test_euc_kr_declarations(
    board: Board,
    in_header: bool,
    in_meta: bool,
    claimed: str | None,
    content_type: str,
    meta: bool,
) -> None:
    with DemoServer(
        board,
        charset="euc-kr",
        charset_in_header=in_header,
        charset_in_meta=in_meta,
        header_charset=claimed,
    ) as srv:
        client = Client()
        pages = [client.get(srv.list_url), client.get(srv.view_url(board.live_ids()[0]))]
    for resp in pages:
        assert resp.header("Content-Type") == content_type
        text = resp.body.decode("cp949")  # strict: the page is CP949 throughout
        assert ('<meta charset="euc-kr">' in text) is meta
    assert "보도자료/업계소식" in pages[0].body.decode("cp949")


def test_utf8_without_meta(board: Board) -> None:
    with DemoServer(board, charset_in_meta=False) as srv:
        resp = Client().get(srv.list_url)
    assert resp.header("Content-Type") == "text/html; charset=utf-8"
    assert "<meta charset" not in resp.body.decode("utf-8")
