"""The board's records: posts, comments, attachments and list slices (frozen dataclasses).

Also the lookup errors the board raises. ``board_archive.demoboard.content`` re-exports all of them.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime


class NoSuchPost(KeyError):
    """The post does not exist (or is deleted, for operations on live posts)."""


class NoSuchComment(KeyError):
    """The comment does not exist."""


@dataclass(frozen=True, slots=True)
class Attachment:
    """An attached file (``bf_no`` is its slot number; slots stay put when a file is removed).

    ``content`` holds the bytes; generated boards leave it empty and give ``size`` and ``seed``
    instead, and the bytes are made on download (see ``data``).
    """

    name: str
    content: bytes = b""
    description: str = ""
    downloads: int = 0
    uploaded_at: datetime | None = None
    no: int = 0
    size: int = 0
    seed: int = 0

    @property
    def nbytes(self) -> int:
        return len(self.content) if self.content or not self.size else self.size

    def data(self) -> bytes:
        if self.content or not self.size:
            return self.content
        return synth_bytes(self.name, self.size, self.seed)

    def chunks(self, size: int = 1 << 16) -> Iterator[bytes]:
        """``data()`` in pieces, without building a large generated file in memory."""
        if self.content or not self.size:
            yield self.content
            return
        head = f"%PDF-1.4\n% demoboard {self.name} {self.seed}\n".encode()
        unit = bytes((self.seed * 31 + i * 7) % 251 for i in range(251))
        block = unit * (size // len(unit) + 2)
        left = self.size
        first = head[:left]
        yield first
        left -= len(first)
        offset = 0  # synth_bytes repeats ``unit`` from the end of the head
        while left > 0:
            piece = block[offset : offset + min(size, left)]
            offset = (offset + len(piece)) % len(unit)
            left -= len(piece)
            yield piece


def synth_bytes(name: str, size: int, seed: int) -> bytes:
    """Deterministic filler bytes of ``size`` for a generated file (a PDF-looking header)."""
    head = f"%PDF-1.4\n% demoboard {name} {seed}\n".encode()
    unit = bytes((seed * 31 + i * 7) % 251 for i in range(251))
    body = head + unit * (size // len(unit) + 1)
    return body[:size]


@dataclass(frozen=True, slots=True)
class Comment:
    comment_id: int
    author: str
    posted_at: datetime
    text: str
    secret: bool = False


@dataclass(frozen=True, slots=True)
class Post:
    wr_id: int
    title: str
    author: str
    posted_at: datetime
    body_html: str
    category: str | None = None
    views: int = 0
    notice: bool = False
    secret: bool = False
    deleted: bool = False
    attachments: tuple[Attachment, ...] = ()
    comments: tuple[Comment, ...] = field(default=())

    def attachment(self, no: int) -> Attachment | None:
        return next((a for a in self.attachments if a.no == no), None)


@dataclass(frozen=True, slots=True)
class ListSlice:
    """What one list page shows (GnuBoard's ``list.php`` arithmetic, see ``Board.list_page``)."""

    page: int
    total: int  # "Total N건": live posts, notices and secret posts included
    total_pages: int
    notices: tuple[Post, ...]  # pinned rows (page 1 only)
    rows: tuple[Post, ...]  # regular rows, newest first
    first_number: int  # the number column of the first regular row; then counting down
