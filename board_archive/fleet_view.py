"""What ``board-archive fleet`` shows: the workers alive, asked through the broker (Celery's
remote control: the workers that answer ``inspect().active()``), with the board runs each is
crawling, beside the archive's own record (the open runs, who runs each, the sites' turns).
A run open in the archive whose worker does not answer is marked: its worker is gone or busy
past the timeout (its run is closed ``interrupted`` when its crawl ends, or by the next run)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from celery import Celery
from rich.table import Table
from sqlalchemy import select
from sqlalchemy.orm import Session

from archive.models import Board, CrawlRun, RunStatus
from archive.site_locks import SiteHolder
from board_archive.fleet import TASK, WORKER_PREFIX


@dataclass(frozen=True, slots=True)
class ActiveRun:
    """A board run a worker is executing now (a task of the fleet's)."""

    board: str
    mode: str
    since: datetime | None


def workers_alive(app: Celery, queue: str, timeout: float) -> dict[str, list[ActiveRun]]:
    """Each worker of the fleet (consuming ``queue``) that answered, with its runs; raises when
    the broker cannot be reached. (The broker's remote control reaches every Celery worker on
    it: those of other queues, another fleet's, are left out.)"""
    with app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1, timeout=timeout)
        ask = app.control.inspect(timeout=timeout, connection=conn)
        queues = ask.active_queues() or {}
        ours = [w for w, qs in queues.items() if any(q.get("name") == queue for q in qs)]
        if not ours:
            return {}
        replies = app.control.inspect(ours, timeout=timeout, connection=conn).active() or {}
    return {name: _runs(replies.get(name) or []) for name in sorted(ours)}


def _runs(tasks: list[dict[str, object]]) -> list[ActiveRun]:
    found = []
    for task in tasks:
        args = task.get("args")
        if task.get("name") != TASK or not isinstance(args, list | tuple) or len(args) < 2:
            continue
        started = task.get("time_start")
        since = datetime.fromtimestamp(started, UTC) if isinstance(started, int | float) else None
        found.append(ActiveRun(str(args[0]), str(args[1]), since))
    return sorted(found, key=lambda r: r.board)


def open_runs(s: Session) -> list[tuple[str, CrawlRun]]:
    """The runs open now (status ``running``), by board."""
    query = (
        select(Board.name, CrawlRun)
        .join(Board, Board.id == CrawlRun.board_id)
        .where(CrawlRun.status == RunStatus.RUNNING)
        .order_by(Board.name, CrawlRun.id)
    )
    return [(name, run) for name, run in s.execute(query).tuples()]


def workers_table(
    active: dict[str, list[ActiveRun]], now_open: list[tuple[str, CrawlRun]]
) -> Table:
    table = Table(title=f"workers alive: {len(active)}")
    for col in ("worker", "boards crawling now", "open runs in the archive"):
        table.add_column(col, overflow="fold")
    for name, runs in active.items():
        crawling = ", ".join(f"{r.board} ({r.mode}{_since(r.since)})" for r in runs) or "idle"
        mine = [f"{board} run {run.id}" for board, run in now_open if run.worker == name]
        table.add_row(name, crawling, ", ".join(mine) or "-")
    return table


def runs_table(now_open: list[tuple[str, CrawlRun]], alive: set[str] | None) -> Table:
    """The open runs; with ``alive`` (the workers that answered), a fleet worker's run whose
    worker did not answer is marked."""
    table = Table(title=f"open runs: {len(now_open)}")
    for col in ("run", "board", "mode", "worker", "pid", "started (UTC)", "notes"):
        table.add_column(col, overflow="fold")
    for board, run in now_open:
        worker = run.worker or ""
        if alive is not None and worker.startswith(WORKER_PREFIX) and worker not in alive:
            worker += " (not answering)"
        table.add_row(
            str(run.id),
            board,
            run.mode.value,
            worker,
            str(run.pid or ""),
            f"{run.started_at:%Y-%m-%d %H:%M:%S}",
            run.message or "",
        )
    return table


def sites_table(sites: list[SiteHolder]) -> Table:
    table = Table(title=f"sites' turns held: {len(sites)}")
    for col in ("site", "crawled by board", "owner (host:pid)", "since (UTC)"):
        table.add_column(col, overflow="fold")
    for held in sites:
        table.add_row(held.site, held.board, held.owner, f"{held.since:%Y-%m-%d %H:%M:%S}")
    return table


def _since(when: datetime | None) -> str:
    return f", since {when:%H:%M:%S} UTC" if when is not None else ""
