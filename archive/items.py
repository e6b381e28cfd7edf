"""The plain items the crawler hands to the archive.

These are the only types that cross from ``crawler/`` into ``archive/``: frozen dataclasses with
no Scrapy types in them. Page objects in ``crawler/pages`` build them from HTML; the store in
``archive/store.py`` ingests them.

Times are timezone-aware and in UTC; the board's zone (its ``timezone``, Asia/Seoul by default)
is applied when the page is parsed. Post ids are the board's own id (``wr_id`` for GnuBoard) as
a string.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime


@dataclass(frozen=True, slots=True)
class Attachment:
    """One entry of a post's attachment list (첨부파일), as the view page shows it."""

    name: str
    size_text: str | None = None  # as shown, e.g. "1.2M" or "245.3K"
    url: str | None = None  # absolute download link; may carry a nonce, so never hashed
    download_count: int | None = None  # volatile counter, never part of a version
    # the upload time as shown ("2026-11-24 23:24:23"); a re-upload shows a new one
    uploaded_at: str | None = None


@dataclass(frozen=True, slots=True)
class Comment:
    """One comment (댓글) of a post."""

    comment_id: str  # GnuBoard: the number of ``<article id="c_55">``
    author: str | None
    posted_at: datetime | None  # aware, UTC
    text: str
    secret: bool = False
    posted_shown: str | None = None  # the time as shown, where it is less than date and time


@dataclass(frozen=True, slots=True)
class Post:
    """A post as its view page shows it."""

    post_id: str
    url: str
    title: str
    author: str | None
    posted_at: datetime | None  # aware, UTC; only where the date and the time are known
    body_html: str  # the content container only: no share links, buttons or counters
    body_text: str
    category: str | None = None
    views: int | None = None
    comment_count: int | None = None
    attachments: tuple[Attachment, ...] = ()
    comments: tuple[Comment, ...] = ()
    # absolute URLs of the images in the body (``<img src>``), in order, each once; they are
    # part of the content only through ``body_html``
    images: tuple[str, ...] = ()
    notice: bool | None = None  # pinned (공지): the list row says so; None when not listed
    list_signature: str | None = field(default=None, compare=False)  # of the list row, if any
    # the posted day where only the day is known (the page shows no time); else None
    posted_on: date | None = None
    # the view's date as shown, when it shows less than the date and the time ("10-10 17:17",
    # "2026.11.21"): the crawler completes it from the list row or the archive (posted.py)
    posted_shown: str | None = field(default=None, compare=False)
    raw_page: bytes = field(default=b"", repr=False, compare=False)  # the response body
    raw_encoding: str | None = field(default=None, repr=False, compare=False)
    # where the response the post was read from is in the WARC files: (file, offset, length)
    warc_record: tuple[str, int, int] | None = field(default=None, repr=False, compare=False)


@dataclass(frozen=True, slots=True)
class PostNotFound:
    """The board's definitive "글이 존재하지 않습니다" answer for a post id."""

    post_id: str
    url: str


@dataclass(frozen=True, slots=True)
class SecretPost:
    """A secret post (비밀글): the view redirects to the password form, so there is no body.

    What is known comes from its list row, if there was one.
    """

    post_id: str
    url: str
    title: str | None = None
    author: str | None = None
    posted_on: date | None = None
    views: int | None = None
    comment_count: int | None = None
    notice: bool | None = None
    list_signature: str | None = field(default=None, compare=False)


@dataclass(frozen=True, slots=True)
class ListRow:
    """One row of a board's list page."""

    post_id: str
    url: str  # absolute view URL
    title: str
    author: str | None
    list_date: str  # as shown: "HH:MM" (today) or "MM-DD" or "YY-MM-DD"
    posted_on: date | None  # list_date resolved against the crawl day (in the board's zone)
    views: int | None
    comment_count: int
    notice: bool
    secret: bool
    has_attachment: bool
    category: str | None = None
    number: str | None = None  # the display number column; never an identity


@dataclass(frozen=True, slots=True)
class ListPage:
    """A parsed list page."""

    url: str
    page: int
    rows: tuple[ListRow, ...]
    last_page: int | None  # from the pagination links; None when there is no pagination
    total: int | None  # "Total 119건"


@dataclass(frozen=True, slots=True)
class FileOutcome:
    """What became of one attachment or body image of a post: its file, or why there is none.

    Sent after the post it belongs to. ``key`` is the entry's key (``archive.files``); the
    archive links the file to every version row of that entry still waiting for it.
    """

    post_id: str
    kind: str  # "attachment" or "image"
    key: str
    url: str
    status: str  # "stored" (the file is in ``data``), "skipped", "failed" or "refused"
    reason: str | None = None
    data: bytes = field(default=b"", repr=False, compare=False)
    filename: str | None = None  # the original name, decoded from Content-Disposition
    content_type: str | None = None
    sha256: str | None = None  # set once the bytes are in the blob store (then data is dropped)
    size: int | None = None


ViewOutcome = Post | PostNotFound | SecretPost
