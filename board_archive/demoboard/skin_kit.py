"""What the demo board's third-party-like skins ("webzine", "cards") share.

- ``ListContext``: what the engine hands a skin for one list page (GnuBoard's ``list.php``
  works out the page, the rows and the page title before the skin's ``list.skin.php`` runs).
- ``pictures_and_files``: a post's attachments split as GnuBoard's ``$view['file']`` does,
  pictures (shown with ``view_image.php`` links) apart from the files listed for download.
- ``excerpt``: the start of a post's text, as list skins print it (``cut_str(strip_tags())``).
- ``thumbnail``: the address of a post's first picture, for a list thumbnail.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from board_archive.demoboard.content import Attachment, ListSlice, Post
from board_archive.demoboard.pictures import data_url, is_picture, stored_name
from board_archive.demoboard.template import Template
from board_archive.demoboard.text import attr, cut_str, filesize, get_text, number_format, seoul

_TAG = re.compile(r"<[^>]*>")
_SPACE = re.compile(r"\s+")
EXCERPT_LEN = 80  # characters of a list excerpt


@dataclass(frozen=True, slots=True)
class ListContext:
    """One list page as the engine prepared it."""

    requested: int | None  # the ``page`` parameter as given (None: absent)
    page: int  # the page shown (1 when absent or not positive)
    data: ListSlice
    title: str  # the page title, already escaped ("보도자료 2 페이지")
    now: datetime


def pictures_and_files(post: Post) -> tuple[list[Attachment], list[Attachment]]:
    """The post's pictures and its other files, each in slot order."""
    pictures = [a for a in post.attachments if is_picture(a)]
    files = [a for a in post.attachments if not is_picture(a)]
    return pictures, files


def excerpt(post: Post, length: int = EXCERPT_LEN) -> str:
    """The first ``length`` characters of the post's text (HTML-escaped); none when secret."""
    if post.secret:
        return ""
    text = _SPACE.sub(" ", html.unescape(_TAG.sub(" ", post.body_html))).strip()
    return attr(cut_str(text, length))


def thumbnail(base_url: str, bo_table: str, post: Post) -> str | None:
    """The address of the post's first picture (None: it has none, or it is secret)."""
    pictures, _ = pictures_and_files(post)
    if post.secret or not pictures:
        return None
    return data_url(base_url, bo_table, stored_name(bo_table, post.wr_id, pictures[0]))


def file_list(
    frame: Template,
    item: Template,
    post: Post,
    files: list[Attachment],
    session: str,
    nonce: Callable[[str, int, int], str],
) -> str:
    """The post's download links (``download.php`` with the session's nonce) in a skin's
    ``files`` frame of ``file_item`` entries; "" when it has none."""
    if not files:
        return ""
    items = "".join(
        item.render(
            {
                "wr_id": str(post.wr_id),
                "no": str(a.no),
                "nonce": nonce(session, post.wr_id, a.no),
                "name": get_text(a.name),
                "size": filesize(a.nbytes),
                "count": number_format(a.downloads),
            }
        )
        for a in files
    )
    return frame.render({"items": items})


def shown_date(now: datetime, when: datetime, fmt: str, relative: bool) -> str:
    """``when`` as a skin prints it: ``fmt`` in Seoul time, or, with ``relative``, the last
    day's posts as Eyoom's ``date_time`` does (``35초전``, ``13분전``, ``1시간 19분전``)."""
    ago = now - when
    if relative and timedelta(0) <= ago < timedelta(days=1):
        seconds = int(ago.total_seconds())
        if seconds < 60:
            return f"{seconds}초전"
        if seconds < 3600:
            return f"{seconds // 60}분전"
        return f"{seconds // 3600}시간 {seconds % 3600 // 60}분전"
    return seoul(when).strftime(fmt)
