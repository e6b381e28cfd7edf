"""The engine's URLs, whatever the skin: which board, which post, which page, which file.

GnuBoard builds every link of a board with ``get_pretty_url``: ``bbs/board.php?bo_table=T``
(list), ``…&wr_id=N`` (a post; the list's query ``page=``, ``sca=``, ``stx=`` … appended), and
with short URLs on (``cf_bbs_rewrite``) ``/T`` and ``/T/N``; list pages are ``page=N`` links
made by ``get_paging``. Files are ``bbs/download.php?bo_table=T&wr_id=N&no=K`` (5.6 adds a
``nonce``), attached images ``bbs/view_image.php?bo_table=T&fn=NAME``. A comment is linked as
``…&wr_id=N&c_id=ID&w=c`` (reply, edit), ``delete_comment.php?…&comment_id=ID``,
``password.php?w=sc&…&wr_id=ID`` (a secret comment's "댓글내용 확인") or ``#c_ID``; none of
these is a row link.

Not handled: short URLs with SEO titles (``cf_bbs_rewrite`` 2: ``/T/title-words/``), whose
links carry no ``wr_id`` at all.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import parse_qs, unquote, urlsplit

from crawler.pages import html as markup

_ID = re.compile(r"[0-9]{1,18}")
_TABLE = re.compile(r"[A-Za-z0-9_]{1,40}")
#: query parameters that make a link to a post something else than the post's row link
_NOT_A_ROW = ("c_id", "comment_id", "w")
#: query parameters of links that keep the current ``page=`` but are no pagination
_NOT_PAGING = ("wr_id", "stx", "sst", "sod", "device")


@dataclass(frozen=True, slots=True)
class FileLink:
    """A ``download.php`` link: which post's file ``no``."""

    bo_table: str | None
    wr_id: str | None
    no: int


def _query(url: str) -> dict[str, list[str]]:
    try:
        return parse_qs(urlsplit(url).query, keep_blank_values=True)
    except ValueError:
        return {}


def _one(query: dict[str, list[str]], name: str) -> str:
    values = query.get(name)
    return values[0].strip() if values else ""


def _path(url: str) -> str:
    try:
        return unquote(urlsplit(url).path)
    except ValueError:
        return ""


def id_value(value: str | None) -> str | None:
    """``value`` when it is a post or comment id (ASCII digits), else None."""
    text = (value or "").strip()
    return text if _ID.fullmatch(text) else None


def board_table(url: str | None) -> str | None:
    """The ``bo_table`` of a board URL: its query parameter, or the last path segment of a
    short URL (``/press``, ``/press/12``); None when the URL names no board."""
    if not url:
        return None
    table = _one(_query(url), "bo_table")
    if table:
        return table if _TABLE.fullmatch(table) else None
    segments = [s for s in _path(url).split("/") if s]
    if segments and _ID.fullmatch(segments[-1]):
        segments.pop()
    if segments and _TABLE.fullmatch(segments[-1]) and "." not in segments[-1]:
        return segments[-1]
    return None


def post_id(url: str | None, bo_table: str) -> str | None:
    """The ``wr_id`` of a link to a post of board ``bo_table`` (``board.php`` or short URL);
    None for links to other boards, to comments (``#c_``, ``c_id=``, ``comment_id=``) and to
    actions (``w=``) on a post."""
    if not url:
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.fragment.startswith("c_"):
        return None
    query = _query(url)
    if any(name in query for name in _NOT_A_ROW):
        return None
    path = _path(url)
    if path.endswith("/board.php"):
        wr_id = _one(query, "wr_id")
        same = _one(query, "bo_table") == bo_table
        return wr_id if same and _ID.fullmatch(wr_id) else None
    m = re.search(r"/([^/]+)/([0-9]{1,18})/?$", path)
    if m and m.group(1) == bo_table and "wr_id" not in query:
        return m.group(2)
    return None


def list_page(url: str | None, bo_table: str) -> int | None:
    """The ``page`` number of a link to a list page of board ``bo_table`` (no ``wr_id``, no
    search, no sort order), or None for any other link."""
    if not url:
        return None
    query = _query(url)
    page = _one(query, "page")
    if not _ID.fullmatch(page) or any(_one(query, n) for n in _NOT_PAGING):
        return None  # a post, a search, a sort or a device switch (which keep the page)
    path = _path(url)
    if path.endswith("/board.php"):
        same = _one(query, "bo_table") == bo_table
    else:
        same = path.rstrip("/").rsplit("/", 1)[-1] == bo_table
    number = int(page)
    return number if same and 0 < number <= markup.MAX_COUNT else None


def category(url: str | None, bo_table: str) -> str | None:
    """The category (``sca=``) a link to the list of ``bo_table`` selects, or None."""
    if not url or post_id(url, bo_table) is not None or "sca" not in _query(url):
        return None
    if board_table(url) != bo_table:
        return None
    return _one(_query(url), "sca") or None


def file_link(url: str | None) -> FileLink | None:
    """A ``download.php`` link's post and file number, or None."""
    if not url or not _path(url).endswith("/download.php"):
        return None
    query = _query(url)
    no = _one(query, "no")
    if not _ID.fullmatch(no) or int(no) > markup.MAX_COUNT:
        return None
    wr_id = _one(query, "wr_id")
    return FileLink(
        bo_table=_one(query, "bo_table") or None,
        wr_id=wr_id if _ID.fullmatch(wr_id) else None,
        no=int(no),
    )


def image_name(url: str | None) -> str | None:
    """The stored file name (``fn``) of a ``view_image.php`` link, or None."""
    if not url or not _path(url).endswith("/view_image.php"):
        return None
    name = _one(_query(url), "fn")
    return name.rsplit("/", 1)[-1] or None


def comment_id(url: str | None) -> str | None:
    """The comment a link names: ``c_id=``/``comment_id=`` (reply, edit, delete links) or a
    ``#c_ID`` fragment; None otherwise."""
    if not url:
        return None
    query = _query(url)
    for name in ("c_id", "comment_id"):
        value = _one(query, name)
        if _ID.fullmatch(value):
            return value
    if _path(url).endswith("/password.php") and _one(query, "w") == "sc":  # a secret comment
        value = _one(query, "wr_id")
        return value if _ID.fullmatch(value) else None
    try:
        fragment = urlsplit(url).fragment
    except ValueError:
        return None
    m = re.fullmatch(r"c_([0-9]{1,18})", fragment)
    return m.group(1) if m else None
