"""Changing the board: through the Python API and the admin HTTP API, seen in the served pages."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from datetime import timedelta

import pytest
from parsel import Selector

from board_archive.demoboard import AdminClient, AdminError, Board, DemoServer, SettableClock
from tests.demoboard.conftest import NOW, Client


def _title(server: DemoServer, wr_id: int) -> str:
    doc = Selector(text=Client().get(server.view_url(wr_id)).text)
    return (doc.css("#bo_v_title .bo_v_tit::text").get() or "").strip()


def test_python_edits_show_in_pages(server: DemoServer, board: Board) -> None:
    wr_id = board.list_page(1).rows[0].wr_id
    board.edit_post(wr_id, title="[수정] 제목을 고쳤습니다")
    assert _title(server, wr_id) == "[수정] 제목을 고쳤습니다"
    board.delete_post(wr_id)
    assert "글이 존재하지 않습니다." in Client().get(server.view_url(wr_id)).text
    listing = Client().get(server.list_url).text
    assert f'wr_id={wr_id}"' not in listing and "Total 118건" in listing
    board.restore_post(wr_id)
    assert _title(server, wr_id) == "[수정] 제목을 고쳤습니다"


def test_admin_api_is_off_by_default(board: Board) -> None:
    with DemoServer(board) as srv:
        assert Client().get(f"{srv.url}/_admin/state").status == 404
        req = urllib.request.Request(f"{srv.url}/_admin/delete_post", data=b'{"wr_id": 1}')
        with pytest.raises(urllib.error.HTTPError) as info:
            urllib.request.urlopen(req, timeout=5)
        info.value.close()
        assert info.value.code == 404


def test_admin_posts(server: DemoServer, board: Board) -> None:
    admin = AdminClient(server.url)
    state = admin.state(posts=False)
    assert state["total"] == 119 and "posts" not in state
    wr_id = admin.call("add_post", title="관리 API로 쓴 글", body_html="<p>본문</p>")
    assert wr_id == board.next_id - 1
    assert _title(server, wr_id) == "관리 API로 쓴 글"
    admin.call("edit_post", wr_id=wr_id, title="관리 API로 고친 글")
    assert _title(server, wr_id) == "관리 API로 고친 글"
    assert admin.post(wr_id)["title"] == "관리 API로 고친 글"
    admin.call("delete_post", wr_id=wr_id)
    assert admin.post(wr_id)["deleted"] is True
    assert "글이 존재하지 않습니다." in Client().get(server.view_url(wr_id)).text
    admin.call("restore_post", wr_id=wr_id)
    admin.call("set_secret", wr_id=wr_id)
    assert Client().get(server.view_url(wr_id)).status == 302
    admin.call("set_notice", wr_id=wr_id, notice=True)
    assert board.notice_ids()[0] == wr_id
    full = admin.state()
    assert any(p["wr_id"] == wr_id for p in full["posts"])
    assert full["counts"]["view"] >= 3


def test_admin_comments_and_files(server: DemoServer, board: Board) -> None:
    admin = AdminClient(server.url)
    wr_id = board.list_page(1).rows[0].wr_id
    cid = admin.call("add_comment", wr_id=wr_id, text="API 댓글", author="김민수")
    doc = Selector(text=Client().get(server.view_url(wr_id)).text)
    assert doc.css(f"#bo_vc article#c_{cid} .cmt_contents p::text").get().strip() == "API 댓글"  # type: ignore[union-attr]
    admin.call("edit_comment", comment_id=cid, text="고친 댓글")
    doc = Selector(text=Client().get(server.view_url(wr_id)).text)
    assert "고친 댓글" in doc.css(f"article#c_{cid}").get()  # type: ignore[operator]
    admin.call("delete_comment", comment_id=cid)
    doc = Selector(text=Client().get(server.view_url(wr_id)).text)
    assert not doc.css(f"article#c_{cid}")
    no = admin.call("add_attachment", wr_id=wr_id, name="자료.txt", content=b"hello")
    admin.call("replace_attachment", wr_id=wr_id, no=no, content="바뀐 내용")
    assert board.live(wr_id).attachment(no).data() == "바뀐 내용".encode()  # type: ignore[union-attr]


def test_admin_errors(server: DemoServer) -> None:
    admin = AdminClient(server.url)
    with pytest.raises(AdminError) as info:
        admin.call("edit_post", wr_id=999_999, title="x")
    assert info.value.status == 404
    with pytest.raises(AdminError) as info:
        admin.call("edit_post", wr_id=1, nonsense=True)
    assert info.value.status == 400
    with pytest.raises(AdminError) as info:
        admin.call("drop_database")
    assert info.value.status == 404


def test_admin_clock(server: DemoServer, board: Board, clock: SettableClock) -> None:
    admin = AdminClient(server.url)
    later = NOW + timedelta(days=1)
    assert admin.call("set_clock", now=later.isoformat()) == later.isoformat()
    assert board.now() == later
    admin.call("set_clock", advance_seconds=60)
    assert clock() == later + timedelta(minutes=1)


def test_admin_state_is_json(server: DemoServer) -> None:
    resp = Client().get(f"{server.url}/_admin/state?posts=0")
    assert resp.header("Content-Type") == "application/json; charset=utf-8"
    payload = json.loads(resp.text)
    assert payload["ok"] is True and payload["result"]["list_url"] == server.list_url
