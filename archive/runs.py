"""Crawl-run records: opened when a crawl starts, closed with its counts, status and stats."""

from __future__ import annotations

import os
from collections.abc import Mapping
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from archive.models import Board, CrawlRun, RunMode, RunStatus
from archive.store import IngestCounts


def start_run(
    s: Session,
    board_id: int,
    now: datetime,
    mode: RunMode = RunMode.FULL,
    worker: str | None = None,
) -> int:
    run = CrawlRun(
        board_id=board_id,
        started_at=now,
        status=RunStatus.RUNNING,
        pid=os.getpid(),
        mode=mode,
        worker=worker,
    )
    s.add(run)
    s.flush()
    return run.id


def set_message(s: Session, run_id: int, message: str | None) -> None:
    """What an open run says of itself now (e.g. what it waits for)."""
    s.execute(update(CrawlRun).where(CrawlRun.id == run_id).values(message=message))


def last_clean_start(s: Session, board_id: int) -> datetime | None:
    """When the board's latest clean run (succeeded, no page failed) started: a run that read
    the list from its first page and every post on it, so every post posted before then was
    listed and archived. (Its health may be suspect for other reasons, a field the skin does
    not show: that does not make the walk incomplete.)"""
    return s.scalar(
        select(CrawlRun.started_at)
        .where(
            CrawlRun.board_id == board_id,
            CrawlRun.status == RunStatus.SUCCEEDED,
            CrawlRun.errors == 0,
        )
        .order_by(CrawlRun.started_at.desc())
        .limit(1)
    )


def keep_body_selector(s: Session, board_id: int, selector: str) -> None:
    """What a run learnt of its board: the body container it found by comparing view pages,
    read by every later run (``CrawlPlan.body_selector``)."""
    s.execute(update(Board).where(Board.id == board_id).values(body_selector=selector))


def record_counts(s: Session, run_id: int, counts: IngestCounts) -> None:
    """Add a committed batch's counts to the run, in the batch's own transaction."""
    s.execute(
        update(CrawlRun)
        .where(CrawlRun.id == run_id)
        .values(
            posts_seen=CrawlRun.posts_seen + counts.posts_seen,
            new_posts=CrawlRun.new_posts + counts.new_posts,
            new_versions=CrawlRun.new_versions + counts.new_versions,
            deleted_posts=CrawlRun.deleted_posts + counts.deleted,
            edited_posts=CrawlRun.edited_posts + counts.edited,
            restored_posts=CrawlRun.restored_posts + counts.restored,
            new_comments=CrawlRun.new_comments + counts.new_comments,
            edited_comments=CrawlRun.edited_comments + counts.edited_comments,
            deleted_comments=CrawlRun.deleted_comments + counts.deleted_comments,
            files_downloaded=CrawlRun.files_downloaded + counts.files_downloaded,
            bytes_downloaded=CrawlRun.bytes_downloaded + counts.bytes_downloaded,
            files_skipped=CrawlRun.files_skipped + counts.files_skipped,
        )
    )


def finish_run(
    s: Session,
    run_id: int,
    *,
    status: RunStatus,
    now: datetime,
    pages: int,
    requests: int,
    errors: int,
    message: str | None,
    stats: Mapping[str, object],
) -> CrawlRun:
    run = s.get_one(CrawlRun, run_id)
    run.status = status
    run.finished_at = now
    run.pages = pages
    run.requests = requests
    run.errors = errors
    run.message = message
    run.stats = {k: _jsonable(v) for k, v in stats.items()}
    return run


def mark_interrupted(s: Session, board_id: int, now: datetime) -> int:
    """Runs of this board still 'running': the caller holds the board's lock, so their crawls
    are gone (killed, or their machine went down). Returns how many were closed."""
    count = 0
    for run in s.scalars(
        select(CrawlRun).where(CrawlRun.board_id == board_id, CrawlRun.status == RunStatus.RUNNING)
    ):
        run.status = RunStatus.INTERRUPTED
        run.finished_at = run.finished_at or now
        run.message = run.message or "the crawl process ended without closing its run"
        count += 1
    return count


def record_skipped(
    s: Session, board_id: int, now: datetime, mode: RunMode, why: str, worker: str | None = None
) -> int:
    run = CrawlRun(
        board_id=board_id,
        started_at=now,
        finished_at=now,
        status=RunStatus.SKIPPED,
        pid=os.getpid(),
        mode=mode,
        message=why,
        worker=worker,
    )
    s.add(run)
    s.flush()
    return run.id


def _jsonable(value: object) -> object:
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    if isinstance(value, datetime):
        return value.isoformat()
    return str(value)
