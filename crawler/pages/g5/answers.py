"""The engine's own answers to a view request, whatever the skin.

``board.php`` answers a post it will not show with the engine's code, not the skin's: a
secret post with a 302 to ``bbs/password.php?w=s&…`` (whose form, when the redirect is
followed, posts to ``password_check.php``), a missing post (deleted, moved, never was) with the
``alert()`` page "글이 존재하지 않습니다", other refusals (permissions, login) with other
alerts or redirects. ``engine_answer`` tells them; the checks it is made of (``page_alert``,
``is_secret_redirect``, ``is_password_form``) are also what the login and download code use.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from parsel import Selector

from crawler.pages import html as markup
from crawler.pages.g5 import links

NOT_FOUND_TEXT = "글이 존재하지 않습니다"

_ALERT = re.compile(r"""^\s*alert\(\s*(?:"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)')""", re.S)


class AnswerKind(enum.Enum):
    SECRET = "secret post"  # the redirect to password.php, or its form
    NOT_FOUND = "not found"  # "글이 존재하지 않습니다": deleted or never was
    ALERT = "alert page"  # permissions, login, "잘못된 접근입니다", …: an error
    REDIRECT = "redirect"  # e.g. to login.php: an error
    HTTP_ERROR = "HTTP error"


@dataclass(frozen=True, slots=True)
class EngineAnswer:
    """What the engine answered instead of a post."""

    kind: AnswerKind
    post_id: str | None
    message: str | None = None  # the alert's text, the redirect's target or the status
    title: str | None = None  # the title the password form shows, if any


def engine_answer(
    status: int,
    location: str | None,
    html: str | Selector,
    url: str,
    *,
    bo_table: str | None = None,
) -> EngineAnswer | None:
    """The engine's answer in a response to view ``url``, or None when it is a page to read.

    ``status`` and ``location`` are the response's (a redirect not followed); after a followed
    redirect pass the final response and its URL.
    """
    table = bo_table or links.board_table(url)
    post_id = (links.post_id(url, table) if table else None) or _wr_id(url)
    if 300 <= status < 400:
        if is_secret_redirect(status, location):
            return EngineAnswer(AnswerKind.SECRET, post_id or _wr_id(location))
        return EngineAnswer(AnswerKind.REDIRECT, post_id, f"HTTP {status} redirect to {location!r}")
    if not 200 <= status < 300:
        return EngineAnswer(AnswerKind.HTTP_ERROR, post_id, f"HTTP {status}")
    doc = markup.doc(html)
    alert = page_alert(doc)
    if alert is not None:
        kind = AnswerKind.NOT_FOUND if NOT_FOUND_TEXT in alert else AnswerKind.ALERT
        return EngineAnswer(kind, post_id, alert)
    if is_password_form(doc):
        form_id = doc.css('form[action*="password_check"] input[name="wr_id"]::attr(value)').get()
        title = markup.text_or_none(markup.first(doc, "#pw_confirm h1, .mbskin h1"))
        return EngineAnswer(AnswerKind.SECRET, post_id or links.id_value(form_id), None, title)
    return None


def _wr_id(url: str | None) -> str | None:
    return links.id_value(markup.query_param(url, "wr_id"))


def page_alert(html: str | Selector) -> str | None:
    """The message of a GnuBoard alert page (``alert()`` as the page's own script), or None.

    Alerts inside functions (form validation) do not count: only a ``<script>`` whose code
    starts with ``alert(``, or the ``<noscript>`` fallback box ``#validation_check``.
    """
    doc = markup.doc(html)
    for code in doc.css("script::text").getall():
        m = _ALERT.match(code)
        if m:
            return markup.storable(
                markup.js_unescape(m.group(1) if m.group(1) is not None else m.group(2))
            )
    box = doc.css("#validation_check .cbg, #validation_check p")
    if box:
        return markup.text(box[0], block=True) or None
    return None


def is_not_found(html: str | Selector) -> bool:
    """Whether the page is the board's "글이 존재하지 않습니다" answer (deleted or never was)."""
    alert = page_alert(html)
    return alert is not None and NOT_FOUND_TEXT in alert


def is_secret_redirect(status: int, location: str | None) -> bool:
    """Whether a response is the redirect of a secret post's view to ``password.php``."""
    if not 300 <= status < 400 or not location:
        return False
    joined = markup.join_url("", location)
    return joined is not None and urlsplit(joined).path.rstrip("/").endswith("password.php")


def is_password_form(html: str | Selector) -> bool:
    """Whether the page is the secret-post password form (``password.php?w=s``)."""
    doc = markup.doc(html)
    return bool(doc.css('form[action*="password_check"] input[name="w"][value="s"]'))
