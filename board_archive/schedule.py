"""Unattended operation: the APScheduler 3 scheduler behind ``scheduler.py`` and ``board-archive
schedule``.

Each board gets two cron jobs in its own time zone (Asia/Seoul by default): the nightly
incremental run (``schedule``) and the weekly full run (``full_schedule``), each start delayed by
a random 0..``jitter`` seconds. A job runs one crawl (stopped at ``time_limit``), logs one line
when it starts and one when it ends (board, mode, run id, status, counts), then sends the run's
notification. The crawls share running crawl processes, a board falling due joining one with
room (:mod:`board_archive.crawl_batches`, up to ``[scheduler] boards_per_process`` a process; 1: a
process per board, :func:`board_archive.crawl.run_crawl`); ``[scheduler] concurrent_boards``
boards crawl at once (``default_workers``).

Weekdays are read as crontab reads them, 0 or 7 is Sunday (:mod:`archive.cron`). What a job
does is :class:`board_archive.board_runner.BoardRunner`; the command line, ``--list``,
``--once`` and stopping on a signal are in :mod:`board_archive.schedule_cli`.

Missed starts
    Jobs coalesce (several missed starts run once) and a start is still run up to
    ``[scheduler] misfire_grace`` seconds late. The job store is in memory, so a scheduler that
    was not running at a start time (machine off, service restarted) would otherwise never learn
    of it: APScheduler computes the next start from "now". At start-up the scheduler therefore
    takes, for each board and mode, the latest start of the cron within the last
    ``misfire_grace`` seconds, and if the database has no run of the board that started at or
    after it (a full run counts for the incremental one: it does everything an incremental run
    does), it runs that crawl once, now. When both modes were missed only the full run is caught
    up. Any recorded run counts, whatever its status: a catch-up replaces a start that did not
    happen, it does not retry a failed crawl.

One crawl of a board at a time
    ``max_instances=1`` keeps a job from overlapping itself. Across the two jobs of a board (and a
    catch-up) the scheduler keeps a per-board lock: an incremental run that finds a crawl of its
    board running is skipped (logged ``skipped: … already running``); a full run that finds the
    incremental one running waits for it and then runs. Across processes, the crawl's own board
    lock records a ``skipped`` run, which is logged as such. Different boards crawl in parallel,
    a job thread each.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, tzinfo
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from apscheduler.events import (
    EVENT_JOB_ERROR,
    EVENT_JOB_MAX_INSTANCES,
    EVENT_JOB_MISSED,
    EVENT_SCHEDULER_STARTED,
    JobEvent,
    SchedulerEvent,
)
from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.jobstores.base import JobLookupError
from apscheduler.schedulers.base import STATE_STOPPED
from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.date import DateTrigger
from sqlalchemy import Engine, func, select, text
from sqlalchemy.orm import Session

from archive.config import BoardConfig, Config
from archive.cron import crontab_trigger, previous_fire_time
from archive.models import Board, CrawlRun, RunMode
from board_archive.board_runner import FULL, INCREMENTAL, BoardRunner, NotifyRun, RunCrawl
from board_archive.crawl_batches import CrawlBatcher

log = logging.getLogger("board_archive.schedule")

MODES = (INCREMENTAL, FULL)
MAX_SLEEP = 60.0  # the scheduler looks at the wall clock at least this often (suspend, NTP)


class Job(Protocol):
    """What every scheduled start calls: a ``BoardRunner`` (crawl here), or in a fleet an
    ``Enqueuer`` (``board_archive.fleet``: send the run to the workers)."""

    cfg: Config

    def __call__(self, board_name: str, mode: str, reason: str = "scheduled") -> object: ...
    def busy(self) -> bool: ...
    def stop(self) -> None: ...


# -- triggers ---------------------------------------------------------------------------------


def board_trigger(board: BoardConfig, mode: str, *, jitter: bool = True) -> CronTrigger:
    expr = board.full_schedule if mode == FULL else board.schedule
    return crontab_trigger(expr, board.timezone, board.jitter if jitter else None)


# -- catching up after downtime ---------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CatchUp:
    board: str
    mode: str
    missed: datetime  # the cron start that has no run after it
    last_run: datetime | None  # the start of the latest run that would have covered it


def missed_runs(cfg: Config, engine: Engine, now: datetime) -> list[CatchUp]:
    """Starts missed within ``misfire_grace`` before ``now``: at most one crawl per board."""
    within = timedelta(seconds=cfg.scheduler.misfire_grace)
    started = _last_starts(engine, list(cfg.boards))
    due: list[CatchUp] = []
    for board in cfg.boards.values():
        for mode in (FULL, INCREMENTAL):  # a full run does all an incremental run does
            fire = previous_fire_time(board_trigger(board, mode, jitter=False), now, within)
            if fire is None:
                continue
            covering = (FULL,) if mode == FULL else (FULL, INCREMENTAL)
            last = max(
                (started[board.name, m] for m in covering if (board.name, m) in started),
                default=None,
            )
            if last is None or last < fire:
                due.append(CatchUp(board.name, mode, fire, last))
                break
    return due


def _last_starts(engine: Engine, boards: list[str]) -> dict[tuple[str, str], datetime]:
    if not boards:
        return {}
    query = (
        select(Board.name, CrawlRun.mode, func.max(CrawlRun.started_at))
        .join(Board, Board.id == CrawlRun.board_id)
        .where(Board.name.in_(boards))
        .group_by(Board.name, CrawlRun.mode)
    )
    with Session(engine) as s:
        return {(name, RunMode(mode).value): at for name, mode, at in s.execute(query) if at}


# -- the scheduler ----------------------------------------------------------------------------


def job_id(board: str, mode: str, catch_up: bool = False) -> str:
    return f"{board}/{mode}/catch-up" if catch_up else f"{board}/{mode}"


class ArchiveScheduler(BlockingScheduler):
    """A BlockingScheduler that logs job trouble clearly and never sleeps past a clock jump."""

    def __init__(self, runner: Job, **options: Any) -> None:
        super().__init__(**options)
        self.runner = runner
        self.started = threading.Event()
        self.add_listener(
            self._on_event,
            EVENT_JOB_ERROR | EVENT_JOB_MISSED | EVENT_JOB_MAX_INSTANCES | EVENT_SCHEDULER_STARTED,
        )

    def _process_jobs(self) -> float | None:
        if self.state == STATE_STOPPED:
            return None
        try:
            wait: float | None = super()._process_jobs()
        except JobLookupError:  # a one-shot job (catch-up) removed by a shutdown just now
            if self.state == STATE_STOPPED:
                return None
            raise
        # Event.wait() counts monotonic time, which stands still while the machine sleeps: wake
        # up regularly so a start that passed during a suspend is seen within MAX_SLEEP.
        return MAX_SLEEP if wait is None else min(wait, MAX_SLEEP)

    def _on_event(self, event: SchedulerEvent) -> None:
        if event.code == EVENT_SCHEDULER_STARTED:
            log.info(
                "scheduler running: %d board(s); stop with SIGTERM or Ctrl-C",
                len(self.runner.cfg.boards),
            )
            self.started.set()
            return
        assert isinstance(event, JobEvent)
        board, mode, *extra = f"{event.job_id}//".split("/")[:3]
        what = f"board={board} mode={mode}{' (catch-up)' if extra[0] else ''}"
        tz = (
            ZoneInfo(self.runner.cfg.boards[board].timezone)
            if board in self.runner.cfg.boards
            else UTC
        )
        if event.code == EVENT_JOB_ERROR:
            exc = event.exception
            log.error(
                "failed: %s, start of %s: %s: %s (the scheduler goes on)",
                what,
                _when(event.scheduled_run_time, tz),
                type(exc).__name__,
                exc,
            )
        elif event.code == EVENT_JOB_MISSED:
            log.warning(
                "missed: %s: the start at %s came more than misfire_grace=%ds late (the "
                "scheduler was down or busy); it is not run, the next start runs as planned",
                what,
                _when(event.scheduled_run_time, tz),
                self.runner.cfg.scheduler.misfire_grace,
            )
        elif event.code == EVENT_JOB_MAX_INSTANCES:
            times = ", ".join(_when(t, tz) for t in event.scheduled_run_times)
            log.warning(
                "skipped: %s, start at %s: the previous run of this job is still running",
                what,
                times,
            )


#: memory a board crawling in a shared crawl process may take, for sizing to the machine (a
#: crawler costs a few MB over its process's ~140 MB: ``bench/fleet.py``)
BOARD_MEMORY = 8 * 1024 * 1024
MAX_CONCURRENT = 1000
SQLITE_CONCURRENT = 50  # boards writing to one SQLite file at once ("database is locked" past)


def default_workers(cfg: Config, engine: Engine | None = None) -> int:
    """How many boards crawl at once: ``[scheduler] concurrent_boards``, else sized to the
    machine: with a process per board, at most 4 (about 140 MB each); with shared crawl
    processes, as many as half the available memory holds at ``BOARD_MEMORY`` a board (at most
    ``MAX_CONCURRENT``), and as many as the database takes: a crawl process holds at most
    ``process_connections`` connections (fewer with fewer boards), so on PostgreSQL as many
    processes as half the server's ``max_connections`` allows (the rest for the other machines
    of a fleet, the web UI, the scheduler), on SQLite, one writer at a time, at most
    ``SQLITE_CONCURRENT``; never more than the boards' two jobs each."""
    if cfg.scheduler.concurrent_boards is not None:
        return cfg.scheduler.concurrent_boards
    if cfg.scheduler.boards_per_process == 1:
        return max(1, min(4, 2 * len(cfg.boards)))
    sized = max(4, min(MAX_CONCURRENT, _available_memory() // 2 // BOARD_MEMORY))
    sized = min(sized, _database_bound(cfg, engine))
    return max(1, min(sized, 2 * len(cfg.boards)))


def _database_bound(cfg: Config, engine: Engine | None) -> int:
    if cfg.database_url.startswith("sqlite"):
        return SQLITE_CONCURRENT
    if engine is None or engine.dialect.name != "postgresql":
        return MAX_CONCURRENT
    try:
        with engine.connect() as conn:
            most = int(conn.execute(text("SHOW max_connections")).scalar_one())
    except Exception:  # unknown: the memory bound alone
        log.warning("could not read the database's max_connections", exc_info=True)
        return MAX_CONCURRENT
    per_process = cfg.scheduler.boards_per_process
    held = min(per_process, cfg.scheduler.process_connections)  # by one full process
    return max(4, (most // 2) // held * per_process)


def _available_memory() -> int:
    """Bytes: the machine's available memory (``MemAvailable``), or 1 GiB where unknown."""
    try:
        with open("/proc/meminfo", encoding="ascii") as info:
            for line in info:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 1024**3


def build_scheduler(
    cfg: Config,
    engine: Engine,
    *,
    run: RunCrawl | None = None,
    notify: NotifyRun | None = None,
    now: datetime | None = None,
    catch_up: bool = True,
    workers: int | None = None,
    log_level: str = "INFO",
    job: Job | None = None,
) -> ArchiveScheduler:
    """The scheduler with every board's jobs, and a catch-up job for each missed start.

    ``now`` (default: the clock) is when the next starts are counted from and what the catch-up
    looks back from; it is the same instant for both, so no start falls between them.
    """
    now = now or datetime.now(UTC)
    if run is None and cfg.scheduler.boards_per_process > 1:
        run = CrawlBatcher(cfg.scheduler.boards_per_process)  # boards share running processes
    runner: Job = job or BoardRunner(cfg, engine, run=run, notify=notify, log_level=log_level)
    sched = ArchiveScheduler(
        runner,
        executors={"default": ThreadPoolExecutor(workers or default_workers(cfg, engine))},
        job_defaults={
            "coalesce": True,
            "max_instances": 1,
            "misfire_grace_time": cfg.scheduler.misfire_grace,
        },
        timezone=UTC,
    )
    for board in cfg.boards.values():
        tz = ZoneInfo(board.timezone)
        for mode in MODES:
            trigger = board_trigger(board, mode)
            first = trigger.get_next_fire_time(None, now)
            sched.add_job(
                runner,
                trigger,
                args=(board.name, mode),
                id=job_id(board.name, mode),
                name=f"{board.name} {mode}",
                next_run_time=first,
            )
            log.info(
                "scheduled: board=%s mode=%s cron=%r (%s, jitter %ds) next=%s",
                board.name,
                mode,
                board.full_schedule if mode == FULL else board.schedule,
                board.timezone,
                board.jitter,
                _when(first, tz) if first else "never",
            )
    if catch_up:
        for missed in missed_runs(cfg, engine, now):
            tz = ZoneInfo(cfg.boards[missed.board].timezone)
            log.info(
                "catch-up: board=%s mode=%s: the start at %s was missed (last run started %s); "
                "running it now",
                missed.board,
                missed.mode,
                _when(missed.missed, tz),
                _when(missed.last_run, tz) if missed.last_run else "never",
            )
            sched.add_job(
                runner,
                DateTrigger(run_date=now),
                args=(missed.board, missed.mode, "catch-up"),
                id=job_id(missed.board, missed.mode, catch_up=True),
                name=f"{missed.board} {missed.mode} catch-up",
                next_run_time=now,
            )
    return sched


def _when(at: datetime, tz: tzinfo) -> str:
    return at.astimezone(tz).strftime("%Y-%m-%d %H:%M %Z")
