"""Read models for the boards overview and a board's post list (shared by pages and the API)."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, tzinfo
from typing import Any

from sqlalchemy import Select, and_, case, exists, func, or_, select
from sqlalchemy.orm import Session

from archive import queries, reports
from archive.localtime import local_day, start_of_day, zone
from archive.models import Board, CrawlRun, EventKind, Post, PostEvent, PostState, PostVersion
from archive.web import search

NIGHTS = 30  # nights of the overview's chart


@dataclass(frozen=True, slots=True)
class Night:
    day: date  # the runs' start date in the board's zone
    new: int
    edited: int
    deleted: int


@dataclass(frozen=True, slots=True)
class BoardSummary:
    name: str
    url: str
    engine: str
    timezone: str  # the board's zone (IANA name): its times and nights are in it
    posts: int
    versions: int
    deleted: int
    secret: int
    last_run: CrawlRun | None
    nights: list[Night]


def boards_overview(s: Session, nights: int = NIGHTS) -> list[BoardSummary]:
    """Every board with its counts, last run and the new/edited/deleted posts of recent nights."""
    counts = {
        board_id: (n, versions or 0, deleted or 0, secret or 0)
        for board_id, n, versions, deleted, secret in s.execute(
            select(
                Post.board_id,
                func.count(),
                func.sum(Post.current_version),
                func.sum(case((Post.state == PostState.DELETED, 1), else_=0)),
                func.sum(case((Post.state == PostState.SECRET, 1), else_=0)),
            ).group_by(Post.board_id)
        )
    }
    out = []
    for board in s.scalars(select(Board).order_by(Board.name)):
        last = s.scalar(
            select(CrawlRun)
            .where(CrawlRun.board_id == board.id)
            .order_by(CrawlRun.started_at.desc(), CrawlRun.id.desc())
            .limit(1)
        )
        n, versions, deleted, secret = counts.get(board.id, (0, 0, 0, 0))
        out.append(
            BoardSummary(
                name=board.name,
                url=board.url,
                engine=board.engine,
                timezone=board.timezone,
                posts=n,
                versions=versions,
                deleted=deleted,
                secret=secret,
                last_run=last,
                nights=(
                    night_counts(s, board.id, last.started_at, nights, zone(board.timezone))
                    if last
                    else []
                ),
            )
        )
    return out


def night_counts(
    s: Session, board_id: int, until: datetime, nights: int, tz: tzinfo
) -> list[Night]:
    """New, edited and deleted posts per night (runs by their start date in ``tz``, the board's
    zone), for the ``nights`` nights up to ``until``; nights without a run count zero."""
    last_day = local_day(until, tz)
    first_day = last_day - timedelta(days=nights - 1)
    start = start_of_day(first_day, tz)
    totals = {first_day + timedelta(days=i): [0, 0, 0] for i in range(nights)}
    rows = s.execute(
        select(
            CrawlRun.started_at, CrawlRun.new_posts, CrawlRun.edited_posts, CrawlRun.deleted_posts
        ).where(CrawlRun.board_id == board_id, CrawlRun.started_at >= start)
    )
    for started, new, edited, deleted in rows:
        day = local_day(started, tz)
        if day in totals:
            t = totals[day]
            t[0], t[1], t[2] = t[0] + new, t[1] + edited, t[2] + deleted
    return [Night(day, *t) for day, t in sorted(totals.items())]


SORTS = ("id", "posted", "changed", "seen", "versions", "title")


@dataclass(frozen=True, slots=True)
class PostFilter:
    """What the post list shows: filters, search terms, order and page."""

    new_since: datetime | None = None
    edited_since: datetime | None = None
    deleted_since: datetime | None = None
    attachments: bool = False
    secret: bool = False
    notice: bool = False
    q: str = ""
    sort: str = "id"
    desc: bool = True
    page: int = 1
    per_page: int = 50


@dataclass(frozen=True, slots=True)
class PostRow:
    source_id: str
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


@dataclass(frozen=True, slots=True)
class PostPage:
    board: Board
    rows: list[PostRow]
    total: int
    page: int
    pages: int
    counts: dict[str, int] = field(default_factory=dict)


def _filtered(board: Board, f: PostFilter, dialect: str) -> Select[Any]:
    query: Select[Any] = select(Post.id).where(Post.board_id == board.id)
    if f.new_since is not None:
        query = query.where(Post.first_seen_at >= f.new_since)
    if f.edited_since is not None:
        query = query.where(Post.current_version > 1, Post.last_changed_at >= f.edited_since)
    if f.deleted_since is not None:
        deleted_event = exists().where(
            PostEvent.post_id == Post.id,
            PostEvent.kind == EventKind.DELETED,
            PostEvent.at >= f.deleted_since,
        )
        query = query.where(or_(Post.deleted_at >= f.deleted_since, deleted_event))
    if f.attachments:
        query = query.where(
            exists().where(
                PostVersion.post_id == Post.id,
                PostVersion.number == Post.current_version,
                func.json_array_length(PostVersion.attachments) > 0,
            )
        )
    if f.secret:
        query = query.where(Post.state == PostState.SECRET)
    if f.notice:
        query = query.where(Post.notice.is_(True))
    terms = search.terms_of(f.q)
    if terms:
        query = query.where(Post.id.in_(search.matching_ids(dialect, terms)))
    return query


def list_board_posts(s: Session, board: Board, f: PostFilter) -> PostPage:
    """One page of a board's posts, filtered and sorted; ids compare as numbers where they are."""
    dialect = s.get_bind().dialect.name
    ids = _filtered(board, f, dialect).subquery()
    total = s.scalar(select(func.count()).select_from(ids)) or 0
    pages = max(1, math.ceil(total / f.per_page))
    page = min(max(1, f.page), pages)
    sorts: dict[str, list[Any]] = {
        "id": [func.length(Post.source_id), Post.source_id],
        "posted": [Post.posted_at],
        "changed": [Post.last_changed_at],
        "seen": [Post.first_seen_at],
        "versions": [Post.current_version],
        "title": [Post.title],
    }
    # ties go by the board's post id, as numbers where they are
    key = [*sorts[f.sort if f.sort in SORTS else "id"], *sorts["id"], Post.id]
    order = [(k.desc() if f.desc else k.asc()).nulls_last() for k in key]
    posts = list(
        s.scalars(
            select(Post)
            .where(Post.id.in_(select(ids.c.id)))
            .order_by(*order)
            .limit(f.per_page)
            .offset((page - 1) * f.per_page)
        )
    )
    attachment_counts = _attachment_counts(s, posts)
    rows = [
        PostRow(
            source_id=p.source_id,
            title=p.title,
            state=PostState(p.state).value,
            notice=p.notice,
            posted_at=p.posted_at,
            first_seen_at=p.first_seen_at,
            last_changed_at=p.last_changed_at,
            deleted_at=p.deleted_at,
            versions=p.current_version,
            attachments=attachment_counts.get(p.id, 0),
            url=p.url,
        )
        for p in posts
    ]
    return PostPage(board, rows, total, page, pages, queries.count_posts(s, board))


def _attachment_counts(s: Session, posts: list[Post]) -> dict[int, int]:
    if not posts:
        return {}
    wanted = [
        and_(PostVersion.post_id == p.id, PostVersion.number == p.current_version) for p in posts
    ]
    rows = s.execute(select(PostVersion.post_id, PostVersion.attachments).where(or_(*wanted)))
    return {post_id: len(attachments or []) for post_id, attachments in rows}


@dataclass(frozen=True, slots=True)
class RunRow:
    board: str
    run: CrawlRun

    @property
    def took(self) -> timedelta | None:
        return self.run.finished_at - self.run.started_at if self.run.finished_at else None

    @property
    def notes(self) -> list[str]:
        return [n for n in [self.run.message, *(self.run.health_notes or [])] if n]


def runs(s: Session, board: str | None, limit: int) -> list[RunRow]:
    return [RunRow(name, run) for name, run in reports.recent_runs(s, board, limit)]
