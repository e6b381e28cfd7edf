"""Read models for one post: its versions, timeline and events, and the diff of two versions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, defer

from archive import queries
from archive.comments import comment_histories
from archive.contents import version_content
from archive.diff import ContentDiff, diff_contents, format_attachment, format_entry_change
from archive.display import Piece, elide
from archive.localtime import zone
from archive.models import (
    Board,
    Comment,
    CommentVersion,
    EventKind,
    Observation,
    Post,
    PostEvent,
    PostVersion,
)


@dataclass(frozen=True, slots=True)
class VersionInfo:
    number: int
    fetched_at: datetime
    prev_seen_at: datetime | None  # the edit happened after this (None for the first version)
    run_id: int | None
    title: str
    changed_fields: list[str]


@dataclass(frozen=True, slots=True)
class TimelineEntry:
    at: datetime
    kind: str  # "first", "edit", or an event kind (deleted, restored, pinned, ...)
    version: VersionInfo | None = None


@dataclass(frozen=True, slots=True)
class CommentView:
    comment: Comment
    versions: list[CommentVersion]  # oldest first; the last is the current text

    @property
    def current(self) -> CommentVersion | None:
        return self.versions[-1] if self.versions else None


@dataclass(frozen=True, slots=True)
class PostView:
    board: Board
    post: Post
    shown: PostVersion | None  # the version displayed (the current one unless asked)
    versions: list[VersionInfo]  # oldest first
    events: list[PostEvent]
    timeline: list[TimelineEntry]  # newest first
    views: int | None
    comment_count: int | None
    observed_at: datetime | None
    comments: list[CommentView]


def load_post(s: Session, board_name: str, post_id: str) -> tuple[Board, Post]:
    board = queries.board_by_name(s, board_name)
    return board, queries.post_by_source_id(s, board, post_id)


def version_infos(s: Session, post: Post) -> list[VersionInfo]:
    """The post's versions without their bodies, oldest first."""
    rows = s.execute(
        select(
            PostVersion.number,
            PostVersion.fetched_at,
            PostVersion.prev_seen_at,
            PostVersion.run_id,
            PostVersion.title,
            PostVersion.changed_fields,
        )
        .where(PostVersion.post_id == post.id)
        .order_by(PostVersion.number)
    )
    return [VersionInfo(*row) for row in rows]


def full_version(s: Session, post: Post, number: int) -> PostVersion:
    """One version with its content (the raw page left unloaded)."""
    v = s.scalar(
        select(PostVersion)
        .options(defer(PostVersion.raw_page))
        .where(PostVersion.post_id == post.id, PostVersion.number == number)
    )
    if v is None:
        raise queries.NotInArchive(
            f"post {post.source_id} has no version {number} (it has {post.current_version})"
        )
    return v


def comment_views(s: Session, post: Post) -> list[CommentView]:
    """The post's comments in the board's order, each with its versions."""
    return [CommentView(c, versions) for c, versions in comment_histories(s, post)]


def post_view(s: Session, board_name: str, post_id: str, number: int | None = None) -> PostView:
    board, post = load_post(s, board_name, post_id)
    versions = version_infos(s, post)
    wanted = number if number is not None else post.current_version
    shown = full_version(s, post, wanted) if wanted or number is not None else None
    events = list(
        s.scalars(select(PostEvent).where(PostEvent.post_id == post.id).order_by(PostEvent.at))
    )
    timeline = [
        TimelineEntry(v.fetched_at, "first" if v.number == 1 else "edit", v) for v in versions
    ] + [TimelineEntry(e.at, EventKind(e.kind).value) for e in events]
    timeline.sort(key=lambda t: (t.at, t.version.number if t.version else 0), reverse=True)
    obs = s.execute(
        select(Observation.views, Observation.comment_count, Observation.observed_at)
        .where(Observation.post_id == post.id)
        .order_by(Observation.observed_at.desc())
        .limit(1)
    ).first()
    return PostView(
        board=board,
        post=post,
        shown=shown,
        versions=versions,
        events=events,
        timeline=timeline,
        views=obs[0] if obs else None,
        comment_count=obs[1] if obs else None,
        observed_at=obs[2] if obs else None,
        comments=comment_views(s, post),
    )


Pieces = list[Piece]

# what a page calls each field of a version (English message ids: templates show ``_(label)``)
FIELD_LABELS = {
    "title": "title",
    "author": "author",
    "category": "category",
    "posted_at": "posted",
    "body_text": "body",
    "body_html": "HTML",
    "attachments": "attachments",
}


@dataclass(frozen=True, slots=True)
class DiffView:
    board: Board
    post: Post
    old: PostVersion
    new: PostVersion
    diff: ContentDiff
    versions: list[VersionInfo]
    title_old: Pieces  # equal and delete pieces: the old side
    title_new: Pieces  # equal and insert pieces: the new side
    title_inline: Pieces
    body_old: Pieces
    body_new: Pieces
    body_inline: Pieces  # long unchanged runs elided
    fields: list[tuple[str, str, str]]  # (label, old, new) of author, category, posted
    attachments: list[tuple[str, str, str]]  # (added/removed/replaced, old, new) as shown
    markup_only: bool  # the HTML changed but not the text

    @property
    def changed_labels(self) -> list[str]:
        changed = self.diff.changed
        if "body_text" in changed:  # the markup changes with the text; say it once
            changed = tuple(f for f in changed if f != "body_html")
        return [FIELD_LABELS.get(f, f) for f in changed]


def _sides(pieces: Pieces) -> tuple[Pieces, Pieces]:
    old: Pieces = [(op, t) for op, t in pieces if op != "insert"]
    new: Pieces = [(op, t) for op, t in pieces if op != "delete"]
    return old, new


def diff_view(
    s: Session, board_name: str, post_id: str, old_n: int | None, new_n: int | None
) -> DiffView:
    """The diff between two versions; by default the latest change (or nothing to compare).
    A changed posting time is shown in the board's zone."""
    board, post = load_post(s, board_name, post_id)
    new_number = new_n if new_n is not None else post.current_version
    old_number = old_n if old_n is not None else max(1, new_number - 1)
    old, new = full_version(s, post, old_number), full_version(s, post, new_number)
    d = diff_contents(version_content(old), version_content(new), zone(board.timezone))
    title: Pieces = [(seg.op, seg.text) for seg in d.title_words]
    body = elide(d.body_words)
    title_old, title_new = _sides(title)
    body_old, body_new = _sides(body)
    fields = [
        (FIELD_LABELS[c.field], c.old, c.new)
        for c in d.changes
        if c.field in ("author", "category", "posted_at")
    ]
    att = d.attachments
    attachments = [("removed", format_attachment(*e), "") for e in att.removed]
    attachments += [("added", "", format_attachment(*e)) for e in att.added]
    for old_entry, new_entry in att.replaced:
        old_detail, new_detail = format_entry_change(old_entry, new_entry)
        attachments.append(
            ("replaced", f"{old_entry[0]} ({old_detail})", f"{new_entry[0]} ({new_detail})")
        )
    return DiffView(
        board=board,
        post=post,
        old=old,
        new=new,
        diff=d,
        versions=version_infos(s, post),
        title_old=title_old,
        title_new=title_new,
        title_inline=title,
        body_old=body_old,
        body_new=body_new,
        body_inline=body,
        fields=fields,
        attachments=attachments,
        markup_only="body_html" in d.changed and "body_text" not in d.changed,
    )
