"""Reports over runs and changes, shared by the CLI and the web UI."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, tzinfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from archive.localtime import zone
from archive.models import Board, CrawlRun, EventKind, Post, PostEvent, PostVersion


def zone_of(s: Session, board: str | None, display: tzinfo) -> tzinfo:
    """The zone to read and show times in when ``board`` is asked for: that board's (as its
    row holds it), or ``display`` (the archive's display zone) for all boards or an unknown
    one."""
    if board is None:
        return display
    name = s.scalar(select(Board.timezone).where(Board.name == board))
    return zone(name) if name is not None else display


def recent_runs(s: Session, board: str | None, limit: int) -> list[tuple[str, CrawlRun]]:
    query = select(Board.name, CrawlRun).join(Board, Board.id == CrawlRun.board_id)
    if board is not None:
        query = query.where(Board.name == board)
    query = query.order_by(CrawlRun.started_at.desc(), CrawlRun.id.desc()).limit(limit)
    return [(name, run) for name, run in s.execute(query).all()]


@dataclass(frozen=True, slots=True)
class Change:
    at: datetime
    board: str
    post_id: str
    kind: str  # new, edited, deleted, restored, pinned, unpinned, secret_on, secret_off
    title: str
    detail: str  # changed fields for edits
    url: str


def changes_since(s: Session, since: datetime, board: str | None = None) -> list[Change]:
    """New and edited posts (versions) and state events since a time, newest first."""
    versions = (
        select(Board.name, Post.source_id, Post.url, PostVersion)
        .join(Post, Post.id == PostVersion.post_id)
        .join(Board, Board.id == Post.board_id)
        .where(PostVersion.fetched_at >= since)
    )
    events = (
        select(Board.name, Post.source_id, Post.url, Post.title, PostEvent)
        .join(Post, Post.id == PostEvent.post_id)
        .join(Board, Board.id == Post.board_id)
        .where(PostEvent.at >= since)
    )
    if board is not None:
        versions = versions.where(Board.name == board)
        events = events.where(Board.name == board)
    out = [
        Change(
            v.fetched_at,
            name,
            src,
            "new" if v.number == 1 else "edited",
            v.title,
            "" if v.number == 1 else ", ".join(v.changed_fields),
            url,
        )
        for name, src, url, v in s.execute(versions).all()
    ]
    out += [
        Change(e.at, name, src, EventKind(e.kind).value, title or "", "", url)
        for name, src, url, title, e in s.execute(events).all()
    ]
    out.sort(key=lambda c: (c.at, c.board, _id_order(c.post_id)), reverse=True)
    return out


def _id_order(post_id: str) -> tuple[int, str]:
    """Post ids in the board's order: numbers as numbers (9 before 10), then other ids."""
    return (int(post_id), "") if post_id.isdigit() else (-1, post_id)
