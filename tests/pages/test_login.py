"""crawler.pages.login: GnuBoard's member login form and what login_check.php answered."""

from __future__ import annotations

import pytest

from board_archive.demoboard import generate_board
from board_archive.demoboard.members import LOGIN_FAILED, NO_LIST_PERMISSION, login_page, login_url
from board_archive.demoboard.render import Renderer
from crawler.pages.login import (
    LoginAnswer,
    login_check_url,
    login_form,
    login_required,
    parse_login,
)

BASE = "http://127.0.0.1:8056"
LIST = f"{BASE}/bbs/board.php?bo_table=press"


@pytest.fixture(scope="module")
def renderer() -> Renderer:
    return Renderer(generate_board(3, seed=1), BASE)


def test_form_and_url() -> None:
    assert login_check_url(LIST) == f"{BASE}/bbs/login_check.php"
    assert login_check_url("https://x.kr/gnu/bbs/board.php?bo_table=a&page=3") == (
        "https://x.kr/gnu/bbs/login_check.php"
    )
    assert login_form("me", "pw", LIST) == {"mb_id": "me", "mb_password": "pw", "url": LIST}


def test_redirect_is_success() -> None:
    assert parse_login(302, LIST, "") == LoginAnswer(True)
    assert parse_login(302, "/", "") == LoginAnswer(True)


def test_redirect_back_to_the_form_is_failure() -> None:
    answer = parse_login(302, f"{BASE}/bbs/login.php?url=%2F", "")
    assert not answer.ok and "login form" in (answer.reason or "")


def test_script_redirect_is_success() -> None:
    page = '<html><body><script> location.replace("http://h/bbs/board.php"); </script></body>'
    assert parse_login(200, None, page).ok


def test_alert_is_failure_with_the_sites_words(renderer: Renderer) -> None:
    answer = parse_login(200, None, renderer.alert_page(LOGIN_FAILED, None))
    assert not answer.ok
    assert answer.reason == (
        "the site said '가입된 회원아이디가 아니거나 비밀번호가 틀립니다. 비밀번호는 대소문자를 "
        "구분합니다.'"
    )


def test_password_echoed_by_the_site_is_cut_out(renderer: Renderer) -> None:
    page = renderer.alert_page("비밀번호 hunter2-x 가 틀립니다.", None)
    answer = parse_login(200, None, page, password="hunter2-x")
    assert answer.reason and "hunter2-x" not in answer.reason and "***" in answer.reason


def test_form_again_and_other_answers_are_failures() -> None:
    assert not parse_login(200, None, login_page(BASE, LIST)).ok
    assert parse_login(500, None, "oops") == LoginAnswer(False, "HTTP 500")
    assert not parse_login(200, None, "<html><body><p>welcome</p></body></html>").ok


def test_login_required(renderer: Renderer) -> None:
    page = renderer.alert_page(NO_LIST_PERMISSION, login_url(BASE, LIST))
    assert (
        login_required(page) == "목록을 볼 권한이 없습니다. 회원이시라면 로그인 후 이용해 보십시오."
    )
    assert login_required(renderer.not_found_page()) is None
    assert login_required(renderer.list_page()) is None
