"""Reports over runs and changes, shared by the CLI (and later the web UI)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from archive.models import Board, CrawlRun, EventKind, Post, PostEvent, PostVersion

_DURATION = re.compile(r"^(\d+)\s*([smhdw])$")
_UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days", "w": "weeks"}


def parse_since(text: str, now: datetime) -> datetime:
    """``7d``, ``12h``, ``30m``, ``2w`` before ``now``, or an ISO date/time (UTC if no zone)."""
    match = _DURATION.match(text.strip())
    if match:
        return now - timedelta(**{_UNITS[match.group(2)]: int(match.group(1))})
    try:
        value = datetime.fromisoformat(text.strip())
    except ValueError:
        raise ValueError(f"--since takes e.g. 7d, 12h, 2w or 2026-11-01, not {text!r}") from None
    return value if value.tzinfo else value.replace(tzinfo=now.tzinfo)


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
    out.sort(key=lambda c: (c.at, c.board, c.post_id), reverse=True)
    return out
