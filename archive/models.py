"""The archive's schema: SQLAlchemy 2 typed models.

- ``boards``: one row per configured (or ad-hoc) board, with its time zone (for the read side).
- ``posts``: the latest state of each post, unique per board and the board's own post id.
- ``post_versions``: append-only; a row only when the canonical content's hash changes.
- ``observations``: volatile counters (views, comments) per post per run; never versions.
- ``crawl_runs``: one row per crawl, with its counts, Scrapy stats and who ran it.
- ``board_locks``, ``site_locks``: one crawl of a board, and of a site, at a time;
  ``site_visits``: when a site's last crawl left it.
- ``blobs``: every archived file once, by SHA-256 (the bytes are in the blob store on disk).
- ``version_files``: the attachments and body images of each version, linked to their blobs.
"""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import (
    JSON,
    BigInteger,
    Enum,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, WriteOnlyMapped, mapped_column, relationship

from archive.coltypes import UTCDateTime
from archive.localtime import DEFAULT_TIMEZONE

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {datetime: UTCDateTime()}  # noqa: RUF012 (SQLAlchemy reads it)


class PostState(enum.StrEnum):
    ACTIVE = "active"
    SECRET = "secret"
    DELETED = "deleted"


class RunStatus(enum.StrEnum):
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    INTERRUPTED = "interrupted"
    SKIPPED = "skipped"  # another crawl of the board held its lock


class RunMode(enum.StrEnum):
    FULL = "full"  # every list page, every post re-checked
    INCREMENTAL = "incremental"  # new posts, changed list rows, and what the revisit policy picks


class RunHealth(enum.StrEnum):
    OK = "ok"
    SUSPECT = "suspect"
    FAILED = "failed"


class EventKind(enum.StrEnum):
    DELETED = "deleted"
    RESTORED = "restored"
    PINNED = "pinned"
    UNPINNED = "unpinned"
    SECRET_ON = "secret_on"
    SECRET_OFF = "secret_off"


class FileKind(enum.StrEnum):
    ATTACHMENT = "attachment"  # an entry of the post's attachment list (첨부파일)
    IMAGE = "image"  # an <img> of the body


class FileStatus(enum.StrEnum):
    PENDING = "pending"  # the version is stored, its download has not come (yet)
    STORED = "stored"  # the file is in the blob store (sha256 set)
    SKIPPED = "skipped"  # not fetched on purpose: too large, the run's limit, another host
    FAILED = "failed"  # the download failed (network, HTTP error); tried again next time
    REFUSED = "refused"  # the board answered with something else than the file (an alert)


def _enum(cls: type[enum.Enum], name: str) -> Enum:
    return Enum(
        cls,
        name=name,
        native_enum=False,
        length=16,
        validate_strings=True,
        values_callable=lambda e: [m.value for m in e],
    )


class Board(Base):
    __tablename__ = "boards"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    url: Mapped[str] = mapped_column(Text)
    engine: Mapped[str] = mapped_column(String(32))
    # the IANA zone the board shows its times in (its config's timezone): its posts, versions
    # and runs are shown in it
    timezone: Mapped[str] = mapped_column(String(64), server_default=DEFAULT_TIMEZONE)
    # the body container found by comparing view pages, where the config names none: every
    # later run reads the body with it (the same text, so no edit from a choice made anew)
    body_selector: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime]
    # what the board's checks after a view-count jump found (archive.revisit_signals.SignalModel)
    view_signal: Mapped[dict[str, object] | None] = mapped_column(JSON)


class Post(Base):
    __tablename__ = "posts"
    __table_args__ = (
        UniqueConstraint("board_id", "source_id"),
        Index(None, "board_id", "next_check_at"),
        # newest change first (search results) is walked backwards, never sorted whole
        Index(None, "last_changed_at", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    board_id: Mapped[int] = mapped_column(ForeignKey("boards.id", ondelete="CASCADE"))
    source_id: Mapped[str] = mapped_column(String(64))  # the board's own id (wr_id)
    url: Mapped[str] = mapped_column(Text)
    title: Mapped[str | None] = mapped_column(Text)
    posted_at: Mapped[datetime | None]
    # the posting day as the list row shows it (in the board's zone); a secret post's only date
    posted_on: Mapped[date | None]
    notice: Mapped[bool] = mapped_column(default=False)
    state: Mapped[PostState] = mapped_column(_enum(PostState, "post_state"))
    first_seen_at: Mapped[datetime]
    last_seen_at: Mapped[datetime]
    deleted_at: Mapped[datetime | None]
    current_version: Mapped[int] = mapped_column(default=0)  # number of the latest version
    current_hash: Mapped[str | None] = mapped_column(String(64))
    last_changed_at: Mapped[datetime | None]  # fetched_at of the latest version
    # Revisit policy: when the view page was last fetched, when it is next due, and the history
    # of checks that the change-rate estimate is made from.
    last_checked_at: Mapped[datetime | None]
    next_check_at: Mapped[datetime | None]
    # view fetches that parsed, and of those how many found new content
    checks: Mapped[int] = mapped_column(default=0, server_default="0")
    changes: Mapped[int] = mapped_column(default=0, server_default="0")
    unchanged_streak: Mapped[int] = mapped_column(default=0, server_default="0")
    list_signature: Mapped[str | None] = mapped_column(String(64))  # of the last list row seen
    # View counts (archive.revisit_signals): the count its list row showed when last seen, the
    # crawler's own fetches of it since (the board counts them too), and its reader views so far
    # against what the board's reader curve expected of it.
    views_seen: Mapped[int | None]
    views_seen_at: Mapped[datetime | None]
    views_own: Mapped[int] = mapped_column(default=0, server_default="0")
    reader_views: Mapped[float] = mapped_column(default=0.0, server_default="0")
    expected_views: Mapped[float] = mapped_column(default=0.0, server_default="0")

    board: Mapped[Board] = relationship()


class PostVersion(Base):
    __tablename__ = "post_versions"
    __table_args__ = (UniqueConstraint("post_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"))
    number: Mapped[int]
    fetched_at: Mapped[datetime]
    run_id: Mapped[int | None] = mapped_column(
        ForeignKey("crawl_runs.id", ondelete="SET NULL"), index=True
    )
    content_hash: Mapped[str] = mapped_column(String(64))
    title: Mapped[str] = mapped_column(Text)
    author: Mapped[str | None] = mapped_column(Text)
    category: Mapped[str | None] = mapped_column(Text)
    posted_at: Mapped[datetime | None]
    body_html: Mapped[str] = mapped_column(Text)
    body_text: Mapped[str] = mapped_column(Text)
    attachments: Mapped[list[list[str | None]]] = mapped_column(JSON)
    changed_fields: Mapped[list[str]] = mapped_column(JSON)
    # The bounds of the edit: the last fetch that still saw the previous content (None for the
    # first version); the first fetch that saw this content is fetched_at.
    prev_seen_at: Mapped[datetime | None]
    raw_page: Mapped[bytes | None] = mapped_column(LargeBinary)  # zlib-compressed response body
    raw_encoding: Mapped[str | None] = mapped_column(String(16))
    # the WARC record of the response this version was read from: file (in the board's WARC
    # folder), offset and length of its gzip member; None where WARC was off or came later
    warc_file: Mapped[str | None] = mapped_column(String(255))
    warc_offset: Mapped[int | None] = mapped_column(BigInteger)
    warc_length: Mapped[int | None] = mapped_column(BigInteger)


class Comment(Base):
    """The latest state of a comment (댓글), unique per post and the board's comment id."""

    __tablename__ = "comments"
    __table_args__ = (UniqueConstraint("post_id", "source_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"))
    source_id: Mapped[str] = mapped_column(String(64))  # GnuBoard: the N of article#c_N
    author: Mapped[str | None] = mapped_column(Text)
    posted_at: Mapped[datetime | None]
    secret: Mapped[bool] = mapped_column(default=False)
    first_seen_at: Mapped[datetime]
    last_seen_at: Mapped[datetime]
    deleted_at: Mapped[datetime | None]  # set when the post page no longer shows it
    current_version: Mapped[int] = mapped_column(default=0)
    current_hash: Mapped[str | None] = mapped_column(String(64))

    versions: WriteOnlyMapped[CommentVersion] = relationship(
        order_by="CommentVersion.number", passive_deletes=True
    )


class CommentVersion(Base):
    """Append-only: a row each time a comment's author, text or secret flag changes."""

    __tablename__ = "comment_versions"
    __table_args__ = (UniqueConstraint("comment_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    comment_id: Mapped[int] = mapped_column(ForeignKey("comments.id", ondelete="CASCADE"))
    number: Mapped[int]
    fetched_at: Mapped[datetime]
    prev_seen_at: Mapped[datetime | None]
    run_id: Mapped[int | None] = mapped_column(
        ForeignKey("crawl_runs.id", ondelete="SET NULL"), index=True
    )
    content_hash: Mapped[str] = mapped_column(String(64))
    author: Mapped[str | None] = mapped_column(Text)
    text: Mapped[str] = mapped_column(Text)
    secret: Mapped[bool] = mapped_column(default=False)


class PostEvent(Base):
    """State changes that are not content: deleted, restored, pinned, unpinned, secret on/off."""

    __tablename__ = "post_events"
    __table_args__ = (Index(None, "post_id", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"))
    run_id: Mapped[int | None] = mapped_column(ForeignKey("crawl_runs.id", ondelete="SET NULL"))
    at: Mapped[datetime]
    kind: Mapped[EventKind] = mapped_column(_enum(EventKind, "event_kind"))


class Observation(Base):
    __tablename__ = "observations"
    __table_args__ = (Index(None, "post_id", "observed_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"))
    run_id: Mapped[int | None] = mapped_column(ForeignKey("crawl_runs.id", ondelete="SET NULL"))
    observed_at: Mapped[datetime]
    views: Mapped[int | None]
    comment_count: Mapped[int | None]


class CrawlRun(Base):
    __tablename__ = "crawl_runs"
    __table_args__ = (Index(None, "board_id", "started_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    board_id: Mapped[int] = mapped_column(ForeignKey("boards.id", ondelete="CASCADE"))
    started_at: Mapped[datetime]
    finished_at: Mapped[datetime | None]
    status: Mapped[RunStatus] = mapped_column(_enum(RunStatus, "run_status"))
    pid: Mapped[int | None] = mapped_column(Integer)
    worker: Mapped[str | None] = mapped_column(String(200))  # who ran it: fleet worker, or host
    pages: Mapped[int] = mapped_column(default=0)  # list and view pages fetched
    posts_seen: Mapped[int] = mapped_column(default=0)
    new_posts: Mapped[int] = mapped_column(default=0)
    new_versions: Mapped[int] = mapped_column(default=0)
    deleted_posts: Mapped[int] = mapped_column(default=0)
    errors: Mapped[int] = mapped_column(default=0)
    message: Mapped[str | None] = mapped_column(Text)
    stats: Mapped[dict[str, object] | None] = mapped_column(JSON)
    mode: Mapped[RunMode] = mapped_column(
        _enum(RunMode, "run_mode"), default=RunMode.FULL, server_default=RunMode.FULL.value
    )
    requests: Mapped[int] = mapped_column(default=0, server_default="0")
    # new versions of posts archived before this run
    edited_posts: Mapped[int] = mapped_column(default=0, server_default="0")
    restored_posts: Mapped[int] = mapped_column(default=0, server_default="0")
    new_comments: Mapped[int] = mapped_column(default=0, server_default="0")
    edited_comments: Mapped[int] = mapped_column(default=0, server_default="0")
    deleted_comments: Mapped[int] = mapped_column(default=0, server_default="0")
    health: Mapped[RunHealth | None] = mapped_column(_enum(RunHealth, "run_health"))
    health_notes: Mapped[list[str] | None] = mapped_column(JSON)
    # files (attachments and body images) downloaded, their bytes, and files skipped
    files_downloaded: Mapped[int] = mapped_column(default=0, server_default="0")
    bytes_downloaded: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    files_skipped: Mapped[int] = mapped_column(default=0, server_default="0")

    board: Mapped[Board] = relationship()


class BoardLock(Base):
    """One crawl of a board at a time, across processes and machines sharing the database."""

    __tablename__ = "board_locks"

    board_id: Mapped[int] = mapped_column(
        ForeignKey("boards.id", ondelete="CASCADE"), primary_key=True
    )
    owner: Mapped[str] = mapped_column(String(200))  # "host:pid"
    run_id: Mapped[int | None] = mapped_column(Integer)
    acquired_at: Mapped[datetime]
    heartbeat_at: Mapped[datetime]


class SiteLock(Base):
    """One crawl of a site at a time (the boards on one host and port take turns), across
    processes and machines sharing the database: held by the board crawling it."""

    __tablename__ = "site_locks"

    site: Mapped[str] = mapped_column(String(300), primary_key=True)  # "host" or "host:port"
    board_id: Mapped[int] = mapped_column(ForeignKey("boards.id", ondelete="CASCADE"))
    owner: Mapped[str] = mapped_column(String(200))  # "host:pid", as the board lock's
    acquired_at: Mapped[datetime]
    heartbeat_at: Mapped[datetime]


class SiteVisit(Base):
    """When the last crawl of a site left it (the real time): the next board's crawl of the
    site sends its first request no sooner than its delay after (``archive.site_locks``)."""

    __tablename__ = "site_visits"

    site: Mapped[str] = mapped_column(String(300), primary_key=True)
    left_at: Mapped[datetime]


class Blob(Base):
    """A file in the blob store, once per content (``blob_dir/ab/cd/abcdef…``)."""

    __tablename__ = "blobs"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    size: Mapped[int] = mapped_column(BigInteger)
    content_type: Mapped[str | None] = mapped_column(String(200))
    stored_at: Mapped[datetime]


class VersionFile(Base):
    """An attachment or body image of a version: the entry as the page showed it, and its file.

    ``entry_key`` identifies the entry (``archive.files.entry_key``): a later version showing
    the same entry reuses the stored file without a download.
    """

    __tablename__ = "version_files"
    __table_args__ = (UniqueConstraint("version_id", "kind", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("post_versions.id", ondelete="CASCADE"))
    kind: Mapped[FileKind] = mapped_column(_enum(FileKind, "file_kind"))
    position: Mapped[int]  # in page order: the attachment list, or the body's images
    entry_key: Mapped[str] = mapped_column(String(40), index=True)
    name: Mapped[str] = mapped_column(Text)  # the original name (Content-Disposition) or shown
    url: Mapped[str | None] = mapped_column(Text)
    size_text: Mapped[str | None] = mapped_column(String(32))  # as shown ("1.2M")
    uploaded_at: Mapped[str | None] = mapped_column(String(32))  # as shown
    sha256: Mapped[str | None] = mapped_column(ForeignKey("blobs.sha256"), index=True)
    status: Mapped[FileStatus] = mapped_column(_enum(FileStatus, "file_status"))
    reason: Mapped[str | None] = mapped_column(Text)  # why not stored
    fetched_at: Mapped[datetime | None]  # when the file was downloaded (or given up on)

    version: Mapped[PostVersion] = relationship()
