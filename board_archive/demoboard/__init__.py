"""The bundled demo board: a local GnuBoard-5-compatible board server for tests, demos and
benchmarks (the machines have no internet).

- ``Board`` (``content``): posts, comments, attachments and the mutations a board sees.
- ``generate_board`` (``generate``): a deterministic board of Korean press releases.
- ``DemoServer`` (``server``): serves a board like GnuBoard 5 (skins "basic" and "legacy", after
  real GnuBoard pages; "webzine" and "cards", the demo board's own, laid out like third-party
  skins).
- ``Renderer`` (``board_archive.demoboard.render``): the pages themselves, without a server.
- ``prerender`` (``board_archive.demoboard.prerender``): every list and view page as static files.
- ``AdminClient`` (``board_archive.demoboard.admin``): changes a running server's board over HTTP.

Run one with ``python -m board_archive.demoboard --posts 120 --port 8056``.
"""

from board_archive.demoboard.admin import AdminClient, AdminError
from board_archive.demoboard.clock import SettableClock
from board_archive.demoboard.content import (
    SEOUL,
    Attachment,
    Board,
    Clock,
    Comment,
    ListSlice,
    NoSuchComment,
    NoSuchPost,
    Post,
    system_clock,
)
from board_archive.demoboard.generate import generate_board
from board_archive.demoboard.prerender import prerender
from board_archive.demoboard.render import ListRequest, Renderer, ViewRequest
from board_archive.demoboard.server import DemoServer

__all__ = [
    "SEOUL",
    "AdminClient",
    "AdminError",
    "Attachment",
    "Board",
    "Clock",
    "Comment",
    "DemoServer",
    "ListRequest",
    "ListSlice",
    "NoSuchComment",
    "NoSuchPost",
    "Post",
    "Renderer",
    "SettableClock",
    "ViewRequest",
    "generate_board",
    "prerender",
    "system_clock",
]
