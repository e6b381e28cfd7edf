"""The engine's own answers to a view request, whatever the skin.

``board.php`` answers a post it will not show with the engine's code, not the skin's: a
secret post with a 302 to ``bbs/password.php?w=s&…`` (whose form, when the redirect is
followed, posts to ``password_check.php``), a missing post (deleted, moved, never was) with the
``alert()`` page "글이 존재하지 않습니다", other refusals (permissions, login) with other
alerts or redirects. The checks are ``crawler.pages.gnuboard5``'s (``is_secret_redirect``,
``page_alert``, ``is_password_form``): one implementation for both readers.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from crawler.pages import gnuboard5
from crawler.pages import html as markup
from crawler.pages.g5 import links


class AnswerKind(enum.Enum):
    SECRET = "secret post"  # the redirect to password.php, or its form
    NOT_FOUND = "not found"  # "글이 존재하지 않습니다": deleted or never was
    ALERT = "other alert"  # permissions, login, "잘못된 접근입니다", …: an error
    REDIRECT = "other redirect"  # e.g. to login.php: an error
    HTTP_ERROR = "HTTP error"


@dataclass(frozen=True, slots=True)
class EngineAnswer:
    """What the engine answered instead of a post."""

    kind: AnswerKind
    post_id: str | None
    message: str | None = None  # the alert's text, the redirect's target or the status
    title: str | None = None  # the title the password form shows, if any


def engine_answer(
    status: int, location: str | None, html: str, url: str, *, bo_table: str | None = None
) -> EngineAnswer | None:
    """The engine's answer in a response to view ``url``, or None when it is a page to read.

    ``status`` and ``location`` are the response's (a redirect not followed); after a followed
    redirect pass the final response and its URL.
    """
    table = bo_table or links.board_table(url)
    post_id = links.post_id(url, table) if table else None
    post_id = post_id or gnuboard5.post_id_from_url(url)
    if 300 <= status < 400:
        if gnuboard5.is_secret_redirect(status, location):
            return EngineAnswer(AnswerKind.SECRET, post_id or gnuboard5.post_id_from_url(location))
        return EngineAnswer(AnswerKind.REDIRECT, post_id, location)
    if not 200 <= status < 300:
        return EngineAnswer(AnswerKind.HTTP_ERROR, post_id, f"HTTP {status}")
    doc = markup.doc(html)
    alert = gnuboard5.page_alert(doc)
    if alert is not None:
        kind = AnswerKind.NOT_FOUND if gnuboard5.NOT_FOUND_TEXT in alert else AnswerKind.ALERT
        return EngineAnswer(kind, post_id, alert)
    if gnuboard5.is_password_form(doc):
        form_id = doc.css('form[action*="password_check"] input[name="wr_id"]::attr(value)').get()
        title = markup.text_or_none(markup.first(doc, "#pw_confirm h1, .mbskin h1"))
        return EngineAnswer(AnswerKind.SECRET, post_id or links.id_value(form_id), None, title)
    return None
