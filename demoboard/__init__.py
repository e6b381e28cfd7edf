"""The bundled demo board: a local GnuBoard-5-compatible board server for tests, demos and
benchmarks (the machines have no internet).

- ``Board`` (``demoboard.content``): posts, comments, attachments and the mutations a board sees.
- ``generate_board`` (``demoboard.generate``): a deterministic board of Korean press releases.
- ``DemoServer`` (``demoboard.server``): serves a board like GnuBoard 5 (skins "basic"/"legacy").
- ``Renderer`` (``demoboard.render``): the pages themselves, without a server.
- ``prerender`` (``demoboard.prerender``): every list and view page as static files.
- ``AdminClient`` (``demoboard.admin``): changes a running server's board over HTTP.

Run one with ``python -m demoboard --posts 120 --port 8056``.
"""

from demoboard.admin import AdminClient, AdminError
from demoboard.clock import SettableClock
from demoboard.content import (
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
from demoboard.generate import generate_board
from demoboard.prerender import prerender
from demoboard.render import ListRequest, Renderer, ViewRequest
from demoboard.server import DemoServer

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
