"""Comments (댓글): archived per post, versioned on their own, never part of a post's version.

A comment is identified by the board's comment id. A new version is written when its author,
text or secret flag changes (the text of a secret comment is hidden from the archive's
anonymous visitor, so only its flag and author count). A comment that is no longer shown is
marked deleted only when the page's comment list is complete (as many comments parsed as the
page's comment count says): a comment section that failed to parse is never a deletion.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from archive import items as it
from archive import queries
from archive.models import Comment, CommentVersion, Post
from archive.versions import normalise_text


@dataclass(slots=True)
class CommentCounts:
    new: int = 0
    edited: int = 0
    deleted: int = 0


def comment_hash(c: it.Comment) -> str:
    text = "" if c.secret else normalise_text(c.text)
    blob = json.dumps([normalise_text(c.author), text, c.secret], ensure_ascii=False)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


def load_comments(s: Session, post_ids: Iterable[int]) -> dict[int, dict[str, Comment]]:
    """The archived comments of these posts, by post and comment id (one query)."""
    out: dict[int, dict[str, Comment]] = {}
    ids = list(post_ids)
    if ids:
        for c in s.scalars(select(Comment).where(Comment.post_id.in_(ids))):
            out.setdefault(c.post_id, {})[c.source_id] = c
    return out


def ingest_comments(
    s: Session,
    post_id: int,
    item: it.Post,
    archived: dict[str, Comment],
    run_id: int | None,
    at: datetime,
) -> CommentCounts:
    """The comments step of a post's check: each comment shown is seen (new, or a new version
    when its hash changed); ``archived`` (the post's rows by comment id) gains the new ones."""
    counts = CommentCounts()
    for c in item.comments:
        digest = comment_hash(c)
        row = archived.get(c.comment_id)
        if row is None:
            row = archived[c.comment_id] = _new_comment(s, post_id, c, at)
            counts.new += 1
        elif digest != row.current_hash:
            counts.edited += 1
        _seen(row, c, digest, run_id, at)
    if item.comment_count is not None and len(item.comments) >= item.comment_count:
        counts.deleted = _mark_gone(archived, {c.comment_id for c in item.comments}, at)
    return counts


def _new_comment(s: Session, post_id: int, c: it.Comment, at: datetime) -> Comment:
    row = Comment(
        post_id=post_id,
        source_id=c.comment_id,
        first_seen_at=at,
        last_seen_at=at,
        current_version=0,
        secret=c.secret,
    )
    s.add(row)
    return row


def _seen(row: Comment, c: it.Comment, digest: str, run_id: int | None, at: datetime) -> None:
    """A comment the page shows: seen now, and its next version if its hash changed."""
    previous_seen = row.last_seen_at if row.current_version else None
    row.last_seen_at = at
    row.deleted_at = None
    row.posted_at = c.posted_at or row.posted_at
    if digest == row.current_hash:
        return
    row.author, row.secret = c.author, c.secret
    row.current_version += 1
    row.current_hash = digest
    row.versions.add(
        CommentVersion(
            number=row.current_version,
            fetched_at=at,
            prev_seen_at=previous_seen,
            run_id=run_id,
            content_hash=digest,
            author=c.author,
            text=c.text,
            secret=c.secret,
        )
    )


def _mark_gone(archived: dict[str, Comment], shown: set[str], at: datetime) -> int:
    """Mark deleted the comments a complete comment list no longer shows; how many were."""
    gone = 0
    for source_id, row in archived.items():
        if source_id not in shown and row.deleted_at is None:
            row.deleted_at = at
            gone += 1
    return gone


@dataclass(frozen=True, slots=True)
class CommentChange:
    """A comment added, edited or deleted: what ``diff`` shows besides the post's fields."""

    kind: str  # "added", "edited", "deleted"
    source_id: str
    author: str | None
    at: datetime  # the fetch that saw it (for a deletion: when it was found gone)
    old_text: str | None
    new_text: str | None
    secret: bool = False


def comment_histories(s: Session, post: Post) -> list[tuple[Comment, list[CommentVersion]]]:
    """The post's comments in the board's order, each with its versions, oldest first."""
    comments = queries.comments_of(s, post)
    versions: dict[int, list[CommentVersion]] = {c.id: [] for c in comments}
    if comments:
        for v in s.scalars(
            select(CommentVersion)
            .where(CommentVersion.comment_id.in_(list(versions)))
            .order_by(CommentVersion.comment_id, CommentVersion.number)
        ):
            versions[v.comment_id].append(v)
    return [(c, versions[c.id]) for c in comments]


def comment_changes(
    s: Session, post: Post, after: datetime | None, until: datetime | None
) -> list[CommentChange]:
    """The changes to a post's comments seen by fetches in ``(after, until]`` (open ends: all)."""

    def within(at: datetime) -> bool:
        return (after is None or at > after) and (until is None or at <= until)

    changes: list[CommentChange] = []
    for c, versions in comment_histories(s, post):
        for i, v in enumerate(versions):
            if within(v.fetched_at):
                kind, old = ("edited", versions[i - 1].text) if i else ("added", None)
                changes.append(
                    CommentChange(kind, c.source_id, v.author, v.fetched_at, old, v.text, v.secret)
                )
        gone = c.deleted_at
        if gone is not None and within(gone):
            changes.append(CommentChange("deleted", c.source_id, c.author, gone, None, None))
    return sorted(changes, key=lambda ch: (ch.at, len(ch.source_id), ch.source_id))
