"""Members-only boards: GnuBoard's login form, ``login_check.php`` and the permission alerts.

A ``DemoServer`` given ``members`` (member id -> password) serves a board whose list, view,
password and download pages need a logged-in session, as a GnuBoard board whose
``bo_list_level`` and ``bo_read_level`` are 2 (members):

- ``GET /bbs/login.php?url=…``: the login form (``flogin``: ``mb_id``, ``mb_password``, ``url``).
- ``POST /bbs/login_check.php``: right id and password: a new session id (the session is
  regenerated), the member marked in it, and a 302 to ``url`` (the site root when absent or
  not on this site); an empty field or a wrong id or password: GnuBoard's alert page (HTTP 200).
- A list page without a login: the "목록을 볼 권한이 없습니다" alert leading to ``login.php``;
  a view page: "글을 읽을 권한이 없습니다". Downloads: "잘못된 접근입니다." as before.

Passwords are compared exactly (GnuBoard: "비밀번호는 대소문자를 구분합니다").
"""

from __future__ import annotations

import hmac
from collections.abc import Mapping
from urllib.parse import parse_qs, quote_plus, urlsplit

from board_archive.demoboard.template import fragment
from board_archive.demoboard.text import attr

LOGIN_FLAG = "ss_mb_id"
MEMBER_HINT = "\\n\\n회원이시라면 로그인 후 이용해 보십시오."
NO_LIST_PERMISSION = "목록을 볼 권한이 없습니다." + MEMBER_HINT
NO_READ_PERMISSION = "글을 읽을 권한이 없습니다." + MEMBER_HINT
EMPTY_LOGIN = "회원아이디나 비밀번호가 공백이면 안됩니다."
LOGIN_FAILED = (
    "가입된 회원아이디가 아니거나 비밀번호가 틀립니다.\\n비밀번호는 대소문자를 구분합니다."
)

_LOGIN = fragment("login")


def login_page(base_url: str, return_url: str) -> str:
    """``bbs/login.php``: the member login form, returning to ``return_url``."""
    return _LOGIN.render({"g5_url": base_url, "url": attr(return_url)})


def login_url(base_url: str, return_url: str) -> str:
    """Where the permission alerts send a visitor: ``login.php`` with the page to return to."""
    return f"{base_url}/bbs/login.php?url={quote_plus(return_url)}"


def parse_form(body: bytes, content_type: str | None) -> dict[str, str]:
    """An ``application/x-www-form-urlencoded`` body (UTF-8, else CP949 as EUC-KR sites post)."""
    if content_type and "urlencoded" not in content_type:
        return {}
    try:
        text = body.decode("utf-8")
        encoding = "utf-8"
    except UnicodeDecodeError:
        text, encoding = body.decode("latin-1"), "cp949"
    fields = parse_qs(text, keep_blank_values=True, encoding=encoding, errors="replace")
    return {k: v[0] for k, v in fields.items()}


def check_login(members: Mapping[str, str], form: Mapping[str, str]) -> str | None:
    """The alert message for a login that fails, None when ``form`` logs a member in."""
    mb_id, password = form.get("mb_id", "").strip(), form.get("mb_password", "")
    if not mb_id or not password:
        return EMPTY_LOGIN
    expected = members.get(mb_id)
    if expected is None or not hmac.compare_digest(expected.encode(), password.encode()):
        return LOGIN_FAILED
    return None


def return_target(base_url: str, url: str | None) -> str:
    """Where a successful login goes: ``url`` when it is on this site, else the site root."""
    if url:
        parts = urlsplit(url)
        if not parts.netloc or f"{parts.scheme}://{parts.netloc}" == base_url:
            return url if parts.netloc else base_url + "/" + url.lstrip("/")
    return base_url + "/"
