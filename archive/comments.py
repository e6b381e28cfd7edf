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
from archive.models import Comment, CommentVersion
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
    counts = CommentCounts()
    shown: set[str] = set()
    for c in item.comments:
        shown.add(c.comment_id)
        digest = comment_hash(c)
        row = archived.get(c.comment_id)
        if row is None:
            row = Comment(
                post_id=post_id,
                source_id=c.comment_id,
                first_seen_at=at,
                last_seen_at=at,
                current_version=0,
                secret=c.secret,
            )
            s.add(row)
            archived[c.comment_id] = row
            counts.new += 1
        elif digest != row.current_hash:
            counts.edited += 1
        previous_seen = row.last_seen_at if row.current_version else None
        row.last_seen_at = at
        row.deleted_at = None
        row.posted_at = c.posted_at or row.posted_at
        if digest == row.current_hash:
            continue
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
    complete = item.comment_count is not None and len(item.comments) >= item.comment_count
    if complete:
        for source_id, row in archived.items():
            if source_id not in shown and row.deleted_at is None:
                row.deleted_at = at
                counts.deleted += 1
    return counts


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


def comment_changes(
    s: Session, post_id: int, after: datetime | None, until: datetime | None
) -> list[CommentChange]:
    """The changes to a post's comments seen by fetches in ``(after, until]`` (open ends: all)."""
    comments = {c.id: c for c in s.scalars(select(Comment).where(Comment.post_id == post_id))}
    if not comments:
        return []
    query = select(CommentVersion).where(CommentVersion.comment_id.in_(comments))
    if after is not None:
        query = query.where(CommentVersion.fetched_at > after)
    if until is not None:
        query = query.where(CommentVersion.fetched_at <= until)
    changes: list[CommentChange] = []
    for v in s.scalars(query.order_by(CommentVersion.fetched_at, CommentVersion.id)):
        previous = None
        if v.number > 1:
            previous = s.scalars(
                select(CommentVersion).where(
                    CommentVersion.comment_id == v.comment_id,
                    CommentVersion.number == v.number - 1,
                )
            ).one_or_none()
        kind = "added" if previous is None else "edited"
        old = previous.text if previous is not None else None
        source_id = comments[v.comment_id].source_id
        changes.append(
            CommentChange(kind, source_id, v.author, v.fetched_at, old, v.text, v.secret)
        )
    for c in comments.values():
        gone = c.deleted_at
        if gone and (after is None or gone > after) and (until is None or gone <= until):
            changes.append(CommentChange("deleted", c.source_id, c.author, gone, None, None))
    return sorted(changes, key=lambda ch: (ch.at, len(ch.source_id), ch.source_id))
