"""GnuBoard 5 member login: the form to post and what the answer means (pure; no I/O).

A members-only board (``bo_list_level``/``bo_read_level`` above the guest level) answers a
guest with an alert page ("목록을 볼 권한이 없습니다", "글을 읽을 권한이 없습니다") that leads to
``bbs/login.php``. The login itself is a POST of ``mb_id``, ``mb_password`` and ``url`` (where
to go next) to ``bbs/login_check.php``, next to ``board.php``:

- success: a redirect (``goto_url``) to ``url``, or, when the skin already sent output, a
  page whose script only does ``location.replace(…)``; the session cookie now logs in;
- failure: an alert page ("가입된 회원아이디가 아니거나 비밀번호가 틀립니다", "회원아이디나
  비밀번호가 공백이면 안됩니다", a blocked or unconfirmed member, …), or the login form again.

``parse_login`` tells the two apart; its reason never contains the password (it is cut out of
anything the site sends back, in case a site echoes it).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from crawler.pages import html as markup
from crawler.pages.g5.answers import page_alert

LOGIN_CHECK = "login_check.php"
PERMISSION_TEXT = "권한이 없습니다"
_LOCATION = re.compile(r"""location\.(?:replace\(|href\s*=)\s*["']([^"']*)["']""")


@dataclass(frozen=True, slots=True)
class LoginAnswer:
    ok: bool
    reason: str | None = None  # why it failed, as the site said it (password cut out)


def login_check_url(list_url: str) -> str:
    """``bbs/login_check.php`` of the board whose list is at ``list_url``."""
    return urljoin(list_url, LOGIN_CHECK)


def login_form(user: str, password: str, return_url: str) -> dict[str, str]:
    """The fields of GnuBoard's ``flogin`` form."""
    return {"mb_id": user, "mb_password": password, "url": return_url}


def parse_login(status: int, location: str | None, html: str, *, password: str = "") -> LoginAnswer:
    """What ``login_check.php`` answered (``status``, ``Location`` and page as received)."""
    if 300 <= status < 400:
        if location and urlsplit(location).path.endswith("login.php"):
            return LoginAnswer(False, "the site sent us back to its login form")
        return LoginAnswer(True)
    if not 200 <= status < 300:
        return LoginAnswer(False, f"HTTP {status}")
    doc = markup.doc(html)
    alert = page_alert(doc)
    if alert is not None:
        said = " ".join(alert.split())
        return LoginAnswer(False, f"the site said {_redact(said, password)!r}")
    if doc.css('form input[name="mb_password"]'):
        return LoginAnswer(False, "the login form came back")
    scripts = " ".join(doc.css("script::text").getall())
    if _LOCATION.search(scripts) and not markup.text(markup.first(doc, "body")):
        return LoginAnswer(True)  # goto_url() after output: only a script that moves on
    return LoginAnswer(False, f"unexpected answer (HTTP {status}, no redirect)")


def login_required(html: str) -> str | None:
    """The message of a members-only board's "권한이 없습니다" alert (a guest was refused), or
    None for any other page."""
    alert = page_alert(html)
    return " ".join(alert.split()) if alert and PERMISSION_TEXT in alert else None


def _redact(text: str, password: str) -> str:
    return text.replace(password, "***") if password else text
