"""A members-only demo board: the login form, login_check.php and the permission alerts."""

from __future__ import annotations

import urllib.error
import urllib.request
from urllib.parse import urlencode

from parsel import Selector

from board_archive.demoboard import Board, DemoServer
from board_archive.demoboard.members import LOGIN_FAILED, NO_LIST_PERMISSION, NO_READ_PERMISSION
from tests.demoboard.conftest import Client, Response, _NoRedirect

MEMBERS = {"archiver": "S3cret-Pass!"}


def post_form(client: Client, url: str, fields: dict[str, str]) -> Response:
    req = urllib.request.Request(url, data=urlencode(fields).encode(), method="POST")
    req.add_header("Content-Type", "application/x-www-form-urlencoded")
    if client.session:
        req.add_header("Cookie", f"PHPSESSID={client.session}")
    try:
        with urllib.request.build_opener(_NoRedirect).open(req, timeout=10) as resp:
            out = Response(resp.status, resp.headers, resp.read())
    except urllib.error.HTTPError as exc:  # the 302 of a successful login
        with exc:
            out = Response(exc.code, exc.headers, exc.read())
    for cookie in out.cookies():
        if cookie.startswith("PHPSESSID="):
            client.session = cookie.split(";", 1)[0].split("=", 1)[1]
    return out


def alert_of(resp: Response) -> str:
    return Selector(text=resp.text).css("script::text").re_first(r'alert\("(.*?)"\)') or ""


def test_pages_need_a_login(board: Board) -> None:
    wr_id = board.live_ids()[0]
    with DemoServer(board, members=MEMBERS) as srv:
        client = Client(keep_session=True)
        listing = client.get(srv.list_url)
        view = client.get(srv.view_url(wr_id))
        missing = client.get(srv.view_url(999_999))
        form = client.get(f"{srv.url}/bbs/login.php?url=%2Fbbs%2Fboard.php%3Fbo_table%3Dpress")
    assert listing.status == 200 and alert_of(listing) == NO_LIST_PERMISSION
    assert "/bbs/login.php?url=" in listing.text
    assert alert_of(view) == NO_READ_PERMISSION
    assert "글이 존재하지 않습니다" in alert_of(missing)  # as GnuBoard: existence first
    doc = Selector(text=form.text)
    assert doc.css('form[name="flogin"]::attr(action)').get() == f"{srv.url}/bbs/login_check.php"
    assert doc.css('input[name="url"]::attr(value)').get() == "/bbs/board.php?bo_table=press"
    assert doc.css('input[name="mb_id"]') and doc.css('input[name="mb_password"]')


def test_login_opens_the_board_for_the_session(board: Board) -> None:
    with DemoServer(board, members=MEMBERS) as srv:
        client = Client(keep_session=True)
        client.get(srv.list_url)
        before = client.session
        resp = post_form(
            client,
            f"{srv.url}/bbs/login_check.php",
            {"mb_id": "archiver", "mb_password": "S3cret-Pass!", "url": srv.list_url},
        )
        assert resp.status == 302 and resp.header("Location") == srv.list_url
        assert client.session and client.session != before  # the session id is regenerated
        listing = client.get(srv.list_url)
        view = client.get(srv.view_url(board.live_ids()[0]))
        stranger = Client().get(srv.list_url)
        assert srv.counts["login"] == 1
    assert 'id="bo_list"' in listing.text
    assert 'id="bo_v"' in view.text
    assert alert_of(stranger) == NO_LIST_PERMISSION


def test_wrong_or_empty_login_is_the_alert(board: Board) -> None:
    with DemoServer(board, members=MEMBERS) as srv:
        client = Client(keep_session=True)
        check = f"{srv.url}/bbs/login_check.php"
        wrong = post_form(client, check, {"mb_id": "archiver", "mb_password": "s3cret-pass!"})
        nobody = post_form(client, check, {"mb_id": "nobody", "mb_password": "S3cret-Pass!"})
        empty = post_form(client, check, {"mb_id": "archiver", "mb_password": ""})
        after = client.get(srv.list_url)
    assert wrong.status == 200 and alert_of(wrong) == LOGIN_FAILED
    assert alert_of(nobody) == LOGIN_FAILED
    assert "공백이면 안됩니다" in alert_of(empty)
    assert alert_of(after) == NO_LIST_PERMISSION


def test_open_board_ignores_logins(board: Board) -> None:
    """Without members every login is refused (no such member) and changes nothing: the
    session that tried reads the same board as one that never did."""
    with DemoServer(board) as srv:
        client = Client(keep_session=True)
        before = client.get(srv.list_url)
        login = post_form(
            client,
            f"{srv.url}/bbs/login_check.php",
            {"mb_id": "archiver", "mb_password": "S3cret-Pass!", "url": srv.list_url},
        )
        listing = client.get(srv.list_url)
        stranger = Client().get(srv.list_url)
        view = client.get(srv.view_url(board.live_ids()[0]))
        assert srv.counts["login"] == 1
    assert login.status == 200 and alert_of(login) == LOGIN_FAILED
    assert 'id="bo_list"' in listing.text
    assert listing.text == before.text == stranger.text
    assert 'id="bo_v"' in view.text
