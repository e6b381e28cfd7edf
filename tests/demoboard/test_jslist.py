"""The JavaScript-list demo board (``DemoServer(js_list=True)``), without a browser: the list
page is a shell without rows, the JSON has the rows the HTML list shows, view pages are plain.
(``tests/crawl/test_browser_e2e.py`` runs the script in Chromium.)"""

from __future__ import annotations

import json

from board_archive.demoboard import Board, DemoServer
from board_archive.demoboard.jslist import SCRIPT_PATH
from board_archive.demoboard.members import NO_LIST_PERMISSION
from tests.demoboard.conftest import Client


def test_the_list_page_is_a_shell(board: Board, client: Client) -> None:
    with DemoServer(board, js_list=True) as srv:
        shell = client.get(srv.page_url(2)).text
        script = client.get(srv.url + SCRIPT_PATH)
        view = client.get(srv.view_url(board.live_ids()[0]))
        counts, by_browser = srv.counts, srv.browser_counts
    assert "bo_list_app" in shell and 'data-page="2"' in shell and SCRIPT_PATH in shell
    assert "#bo_list" not in shell and 'id="bo_list"' not in shell and "wr_id=" not in shell
    assert script.status == 200 and "text/javascript" in (script.header("Content-Type") or "")
    assert "/bbs/list.json" in script.text
    assert 'id="bo_v"' in view.text  # view pages as on the plain board
    assert (counts["list"], counts["script"], counts["view"]) == (1, 1, 1)
    assert sum(by_browser.values()) == 0  # urllib sends no Sec-Fetch-Mode


def test_the_json_has_the_rows_of_the_html_list(board: Board, client: Client) -> None:
    with DemoServer(board, js_list=True) as srv:
        srv.js_list = False
        html = client.get(srv.page_url(3)).text
        srv.js_list = True
        data = json.loads(client.get(f"{srv.url}/bbs/list.json?bo_table=press&page=3").text)
        first = json.loads(client.get(f"{srv.url}/bbs/list.json?bo_table=press").text)
        past = json.loads(client.get(f"{srv.url}/bbs/list.json?bo_table=press&page=99").text)
        other = json.loads(client.get(f"{srv.url}/bbs/list.json?bo_table=nope").text)
        assert srv.counts["list_json"] == 4
    assert (data["page"], data["total"], data["total_pages"]) == (3, board.total, 8)
    assert [r["wr_id"] for r in data["rows"]] == [p.wr_id for p in board.list_page(3).rows]
    for row in data["rows"]:
        assert f'href="{row["href"].replace("&", "&amp;")}"' in html
        assert row["subject"] in html and not row["notice"]
    notices = [r["wr_id"] for r in first["rows"] if r["notice"]]
    assert notices == [p.wr_id for p in board.list_page(1).notices]
    assert "page=" not in first["rows"][0]["href"]  # page 1 as configured, like the HTML list
    assert past["rows"] == []
    assert other == {"error": "존재하지 않는 게시판입니다."}


def test_members_only_stays_members_only(board: Board, client: Client) -> None:
    with DemoServer(board, js_list=True, members={"id": "pw"}) as srv:
        shell = client.get(srv.list_url).text
        data = json.loads(client.get(f"{srv.url}/bbs/list.json?bo_table=press").text)
    assert "bo_list_app" not in shell and "alert(" in shell
    assert data == {"error": NO_LIST_PERMISSION}
