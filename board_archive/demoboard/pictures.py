"""Attached pictures as the GnuBoard engine shows and serves them, whatever the skin.

GnuBoard stores an uploaded file under ``data/file/BO_TABLE/`` by a name of its own (``bf_file``,
a hash and the extension: ``replace_filename()``) and keeps the visitor's file name
(``bf_source``) in its database. A file whose name ends in one of ``cf_image_extension`` is a
picture: ``view_file_link()`` shows it above the body as
``<a href="…/bbs/view_image.php?bo_table=T&amp;fn=STORED" class="view_image"><img
src="…/data/file/T/STORED"></a>``, and skins that follow the basic skin leave it out of the
download list.

The demo board's stored name is ``stored_name()`` (the SHA-1 of table, post, slot and file
name, then the extension), so it follows from the board's data. The "basic" and "legacy" skins
list every file for download, pictures included; "webzine" and "cards" show pictures this way.

Served by the engine (``handler``), with no session needed: ``GET /data/file/T/STORED`` (the
file's bytes, a static file) and ``GET /bbs/view_image.php?bo_table=T&fn=STORED`` (a page around
the picture; an unknown picture is the "파일 정보가 존재하지 않습니다." alert).
"""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING
from urllib.parse import quote, unquote

from board_archive.demoboard.content import Attachment, Board
from board_archive.demoboard.settings import IMAGE_EXTENSIONS
from board_archive.demoboard.text import attr, get_text

if TYPE_CHECKING:
    from board_archive.demoboard.render import Renderer

VIEW_IMAGE_PAGE = """<!doctype html>
<html lang="ko">
<head>
<meta charset="utf-8">
<title>이미지 크게보기 | 그누보드5</title>
</head>
<body>
<div class="bbs_view_image">
<a href="javascript:window.close();"><img src="{src}" alt="{alt}" id="fileview"></a>
</div>
</body>
</html>
"""


def extension(name: str) -> str:
    return name.rsplit(".", 1)[1].lower() if "." in name else ""


def is_picture(file: Attachment) -> bool:
    """Whether GnuBoard shows ``file`` as a picture (its extension is in cf_image_extension)."""
    return extension(file.name) in IMAGE_EXTENSIONS


def stored_name(bo_table: str, wr_id: int, file: Attachment) -> str:
    """The name the file is kept under in ``data/file/BO_TABLE/`` (``bf_file``)."""
    digest = hashlib.sha1(f"{bo_table}/{wr_id}/{file.no}/{file.name}".encode()).hexdigest()
    return f"{digest}.{extension(file.name)}"


def data_url(base_url: str, bo_table: str, name: str) -> str:
    return f"{base_url}/data/file/{bo_table}/{quote(name)}"


def view_image_url(base_url: str, bo_table: str, name: str) -> str:
    """The ``view_image.php`` link (``&amp;``-joined, for an attribute)."""
    return f"{base_url}/bbs/view_image.php?bo_table={bo_table}&amp;fn={quote(name)}"


def view_file_link(base_url: str, bo_table: str, wr_id: int, file: Attachment) -> str:
    """``view_file_link()``: the engine's markup of an attached picture."""
    name = stored_name(bo_table, wr_id, file)
    return (
        f'<a href="{view_image_url(base_url, bo_table, name)}" target="_blank" '
        f'class="view_image"><img src="{data_url(base_url, bo_table, name)}" '
        f'alt="{get_text(file.description)}"></a>'
    )


def find_picture(board: Board, name: str) -> Attachment | None:
    """The picture of a live post stored as ``name``, if any."""
    for post in board.posts():
        for file in post.attachments:
            if is_picture(file) and stored_name(board.bo_table, post.wr_id, file) == name:
                return file
    return None


def data_file(board: Board, path: str) -> Attachment | None:
    """The picture at site path ``/data/file/BO_TABLE/STORED``, if any."""
    prefix = f"/data/file/{board.bo_table}/"
    if not path.startswith(prefix):
        return None
    return find_picture(board, unquote(path[len(prefix) :]))


def view_image_page(r: Renderer, query: dict[str, list[str]]) -> str:
    """What ``bbs/view_image.php`` answers for ``query``."""
    board = r.board
    if query.get("bo_table", [""])[0] != board.bo_table:
        return r.no_board_page()
    name = query.get("fn", [""])[0]
    file = find_picture(board, name)
    if file is None:
        return r.no_file_page()
    src = data_url(r.base_url, board.bo_table, name)
    return VIEW_IMAGE_PAGE.format(src=attr(src), alt=get_text(file.description))
