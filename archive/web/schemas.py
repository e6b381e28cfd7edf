"""The JSON API's response models (they make the OpenAPI document). Times are UTC, ISO 8601;
what is local (a night's day, a diff's display values) is in the board's ``timezone``."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, Field

from archive.models import CrawlRun, EventKind, PostEvent, PostVersion, RunHealth
from archive.web.browse import BoardSummary, Night, PostRow, RunRow
from archive.web.detail import CommentView, VersionInfo
from archive.web.files import FileInfo
from archive.web.search import Hit, Piece


class NightOut(BaseModel):
    day: date = Field(description="The runs' start date in the board's time zone")
    new: int
    edited: int
    deleted: int

    @classmethod
    def of(cls, n: Night) -> NightOut:
        return cls(day=n.day, new=n.new, edited=n.edited, deleted=n.deleted)


class RunOut(BaseModel):
    id: int
    board: str
    started_at: datetime
    finished_at: datetime | None
    duration_seconds: float | None
    mode: str
    worker: str | None = Field(description="who ran it: the fleet worker's name, or the machine's")
    status: str
    health: str | None
    health_notes: list[str]
    message: str | None
    requests: int
    pages: int
    posts_seen: int
    new_posts: int
    edited_posts: int
    deleted_posts: int
    restored_posts: int
    new_versions: int
    errors: int

    @classmethod
    def of(cls, board: str, r: CrawlRun) -> RunOut:
        took = r.finished_at - r.started_at if r.finished_at else None
        return cls(
            id=r.id,
            board=board,
            started_at=r.started_at,
            finished_at=r.finished_at,
            duration_seconds=took.total_seconds() if took else None,
            mode=r.mode.value,
            worker=r.worker,
            status=r.status.value,
            health=RunHealth(r.health).value if r.health else None,
            health_notes=list(r.health_notes or []),
            message=r.message,
            requests=r.requests,
            pages=r.pages,
            posts_seen=r.posts_seen,
            new_posts=r.new_posts,
            edited_posts=r.edited_posts,
            deleted_posts=r.deleted_posts,
            restored_posts=r.restored_posts,
            new_versions=r.new_versions,
            errors=r.errors,
        )

    @classmethod
    def of_row(cls, row: RunRow) -> RunOut:
        return cls.of(row.board, row.run)


class BoardOut(BaseModel):
    name: str
    url: str
    engine: str
    timezone: str = Field(description="The board's time zone (IANA), e.g. Asia/Seoul")
    posts: int
    versions: int
    deleted: int
    secret: int
    last_run: RunOut | None
    nights: list[NightOut] = Field(description="New/edited/deleted posts per night, 30 nights")

    @classmethod
    def of(cls, b: BoardSummary) -> BoardOut:
        return cls(
            name=b.name,
            url=b.url,
            engine=b.engine,
            timezone=b.timezone,
            posts=b.posts,
            versions=b.versions,
            deleted=b.deleted,
            secret=b.secret,
            last_run=RunOut.of(b.name, b.last_run) if b.last_run else None,
            nights=[NightOut.of(n) for n in b.nights],
        )


class PostRowOut(BaseModel):
    post_id: str = Field(description="The board's own id (GnuBoard wr_id)")
    title: str | None
    state: str
    notice: bool
    posted_at: datetime | None
    first_seen_at: datetime
    last_changed_at: datetime | None
    deleted_at: datetime | None
    versions: int
    attachments: int
    url: str

    @classmethod
    def of(cls, r: PostRow) -> PostRowOut:
        return cls(
            post_id=r.source_id,
            title=r.title,
            state=r.state,
            notice=r.notice,
            posted_at=r.posted_at,
            first_seen_at=r.first_seen_at,
            last_changed_at=r.last_changed_at,
            deleted_at=r.deleted_at,
            versions=r.versions,
            attachments=r.attachments,
            url=r.url,
        )


class PostListOut(BaseModel):
    board: str
    total: int
    page: int
    pages: int
    per_page: int
    counts: dict[str, int] = Field(description="Posts per state on the whole board")
    posts: list[PostRowOut]


class VersionSummaryOut(BaseModel):
    number: int
    fetched_at: datetime = Field(description="The first fetch that saw this content")
    prev_seen_at: datetime | None = Field(
        description="The last fetch that still saw the previous content: the edit happened "
        "between prev_seen_at and fetched_at"
    )
    run_id: int | None
    title: str
    changed_fields: list[str]

    @classmethod
    def of(cls, v: VersionInfo | PostVersion) -> VersionSummaryOut:
        return cls(
            number=v.number,
            fetched_at=v.fetched_at,
            prev_seen_at=v.prev_seen_at,
            run_id=v.run_id,
            title=v.title,
            changed_fields=list(v.changed_fields),
        )


class AttachmentOut(BaseModel):
    name: str
    size: str | None = Field(description="As the board showed it, e.g. 1.2M")
    uploaded_at: str | None = Field(None, description="The upload time as shown, if shown")


class FileOut(BaseModel):
    id: int
    kind: str = Field(description="attachment (the attachment list) or image (in the body)")
    position: int = Field(description="In page order, from 0, per kind")
    name: str = Field(description="The archived name: untrusted text, never a path")
    url: str | None = Field(description="Where the board served it")
    size_text: str | None = Field(description="The size as the board showed it")
    uploaded_at: str | None = Field(description="The upload time as the board showed it")
    status: str = Field(
        description="stored, pending (not downloaded yet), skipped, refused, failed"
    )
    reason: str | None = Field(description="Why the file is not stored")
    sha256: str | None
    size: int | None = Field(description="Bytes, when stored")
    fetched_at: datetime | None
    download_url: str | None = Field(
        description="The archive's copy (/files/{sha256}?file={id}), when this server has it"
    )

    @classmethod
    def of(cls, f: FileInfo, root_path: str = "") -> FileOut:
        path = f.download_path
        return cls(
            id=f.id,
            kind=f.kind,
            position=f.position,
            name=f.name,
            url=f.url,
            size_text=f.size_text,
            uploaded_at=f.uploaded_at,
            status=f.status,
            reason=f.reason,
            sha256=f.sha256,
            size=f.size,
            fetched_at=f.fetched_at,
            download_url=root_path + path if path else None,
        )


class VersionOut(VersionSummaryOut):
    author: str | None
    category: str | None
    posted_at: datetime | None
    body_text: str
    body_html: str = Field(description="As archived: untrusted, never render it unsanitised")
    body_html_safe: str = Field(
        description="Sanitised (nh3); stored images point at the archive's copy, others are "
        "placeholders"
    )
    attachments: list[AttachmentOut] = Field(description="As the board listed them")
    files: list[FileOut] = Field(
        description="Attachments and body images with their archived files (none for versions "
        "archived before files were)"
    )

    @classmethod
    def full(cls, v: PostVersion, safe_html: str, files: list[FileOut]) -> VersionOut:
        return cls(
            **VersionSummaryOut.of(v).model_dump(),
            author=v.author,
            category=v.category,
            posted_at=v.posted_at,
            body_text=v.body_text,
            body_html=v.body_html,
            body_html_safe=safe_html,
            attachments=[
                AttachmentOut(name=str(a[0]), size=a[1], uploaded_at=a[2] if len(a) > 2 else None)
                for a in v.attachments
            ],
            files=files,
        )


class EventOut(BaseModel):
    at: datetime
    kind: str = Field(description="deleted, restored, pinned, unpinned, secret_on, secret_off")
    run_id: int | None

    @classmethod
    def of(cls, e: PostEvent) -> EventOut:
        return cls(at=e.at, kind=EventKind(e.kind).value, run_id=e.run_id)


class CommentVersionOut(BaseModel):
    number: int
    fetched_at: datetime = Field(description="The first fetch that saw this text")
    prev_seen_at: datetime | None
    author: str | None
    text: str
    secret: bool


class CommentOut(BaseModel):
    comment_id: str = Field(description="The board's own id (GnuBoard: c_N)")
    author: str | None
    posted_at: datetime | None
    secret: bool
    first_seen_at: datetime
    last_seen_at: datetime
    deleted_at: datetime | None = Field(description="When the post's page no longer showed it")
    text: str = Field(description="The current text")
    versions: list[CommentVersionOut] = Field(description="Oldest first")

    @classmethod
    def of(cls, cv: CommentView) -> CommentOut:
        c = cv.comment
        return cls(
            comment_id=c.source_id,
            author=c.author,
            posted_at=c.posted_at,
            secret=c.secret,
            first_seen_at=c.first_seen_at,
            last_seen_at=c.last_seen_at,
            deleted_at=c.deleted_at,
            text=cv.current.text if cv.current else "",
            versions=[
                CommentVersionOut(
                    number=v.number,
                    fetched_at=v.fetched_at,
                    prev_seen_at=v.prev_seen_at,
                    author=v.author,
                    text=v.text,
                    secret=v.secret,
                )
                for v in cv.versions
            ],
        )


class PostOut(BaseModel):
    board: str
    post_id: str
    url: str
    title: str | None
    state: str
    notice: bool
    posted_at: datetime | None
    first_seen_at: datetime
    last_seen_at: datetime
    last_changed_at: datetime | None
    deleted_at: datetime | None
    current_version: int
    views: int | None = Field(description="At the latest observation")
    comment_count: int | None
    current: VersionOut | None = Field(description="The current version (None for secret posts)")
    versions: list[VersionSummaryOut]
    events: list[EventOut]
    comments: list[CommentOut] = Field(description="In the board's order, deleted ones too")


class PieceOut(BaseModel):
    match: bool
    text: str


def pieces(ps: list[Piece]) -> list[PieceOut]:
    return [PieceOut(match=m, text=t) for m, t in ps]


class HitOut(BaseModel):
    board: str
    post_id: str
    title: str
    title_pieces: list[PieceOut]
    snippet: str
    snippet_pieces: list[PieceOut] = Field(description="The snippet, matches marked")
    state: str
    posted_at: datetime | None
    last_changed_at: datetime | None
    versions: int

    @classmethod
    def of(cls, h: Hit) -> HitOut:
        return cls(
            board=h.board,
            post_id=h.source_id,
            title="".join(t for _, t in h.title),
            title_pieces=pieces(h.title),
            snippet="".join(t for _, t in h.snippet),
            snippet_pieces=pieces(h.snippet),
            state=h.state,
            posted_at=h.posted_at,
            last_changed_at=h.last_changed_at,
            versions=h.versions,
        )


class SearchOut(BaseModel):
    query: str
    terms: list[str]
    board: str | None
    total: int = Field(description="Matches counted, at most 1001 (then more_than_cap)")
    more_than_cap: bool
    page: int
    pages: int
    hits: list[HitOut]


class DiffOut(BaseModel):
    board: str
    post_id: str
    timezone: str = Field(description="The board's time zone: a changed posted time is in it")
    old: VersionSummaryOut
    new: VersionSummaryOut
    changed: list[str]
    changes: list[dict[str, str]] = Field(
        description="field, old and new display values (a posted time in the board's zone)"
    )
    title_words: list[dict[str, str]] = Field(description="op (equal/insert/delete) and text")
    body_words: list[dict[str, str]]
    body_lines: list[str] = Field(description="Unified diff of the body text")
    attachments: dict[str, Any] = Field(
        description="added, removed and replaced (same name, another size or upload time)"
    )
