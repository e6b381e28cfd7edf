"""Unattended operation: the APScheduler 3 scheduler behind ``scheduler.py`` and ``board-archive
schedule``.

Each board gets two cron jobs in its own time zone (Asia/Seoul by default): the nightly
incremental run (``schedule``) and the weekly full run (``full_schedule``), each start delayed by
a random 0..``jitter`` seconds. A job runs one crawl as its own ``scrapy crawl`` child process
(:func:`archive.crawl.run_crawl`, stopped at ``time_limit``), logs one line when it starts and
one when it ends (board, mode, run id, status, counts), then sends the run's notification.

Weekdays are read as crontab reads them: 0 or 7 is Sunday. (APScheduler 3's
``CronTrigger.from_crontab`` counts from Monday = 0, which would move ``0 4 * * 0`` to Mondays.)

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
    lock records a ``skipped`` run, which is logged as such. Different boards crawl in parallel
    on a small thread pool.

Stopping
    SIGTERM or SIGINT: no new crawl starts, running crawls get SIGTERM (Scrapy then closes the run
    as ``interrupted``), the scheduler waits for them and exits 0. Ctrl-C in a terminal already
    reaches the crawls (they are in the terminal's foreground process group), so then nothing is
    forwarded: a second signal would make Scrapy stop uncleanly. Under systemd use
    ``KillMode=mixed`` for the same reason (SIGTERM to the scheduler only, which passes it on).
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
import signal
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, tzinfo
from pathlib import Path
from types import FrameType
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
from apscheduler.schedulers import SchedulerNotRunningError
from apscheduler.schedulers.base import STATE_STOPPED
from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.date import DateTrigger
from sqlalchemy import Engine, func, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from archive.config import BoardConfig, Config, ConfigError, load_config
from archive.crawl import CrawlResult, run_crawl
from archive.db import SchemaError, check_schema, make_engine
from archive.models import Board, CrawlRun, RunMode, RunStatus

log = logging.getLogger("archive.schedule")

INCREMENTAL, FULL = RunMode.INCREMENTAL.value, RunMode.FULL.value
MODES = (INCREMENTAL, FULL)
MAX_SLEEP = 60.0  # the scheduler looks at the wall clock at least this often (suspend, NTP)
LIST_COUNT = 3  # next start times shown per job by --list
_WEEKDAYS = ("sun", "mon", "tue", "wed", "thu", "fri", "sat")  # crontab numbering, 0 = Sunday


class RunCrawl(Protocol):
    """What a job calls to crawl: :func:`archive.crawl.run_crawl` (tests pass a fake)."""

    def __call__(
        self,
        config: Config,
        board: BoardConfig,
        engine: Engine,
        *,
        mode: str,
        log_level: str,
        timeout: float | None,
    ) -> CrawlResult: ...


NotifyRun = Callable[[Config, BoardConfig, Engine, int], bool]


# -- triggers ---------------------------------------------------------------------------------


def crontab_trigger(expr: str, timezone: str | tzinfo, jitter: int | None = None) -> CronTrigger:
    """A trigger for a five-field crontab line (minute hour day month weekday) in ``timezone``.

    Weekdays count as in crontab: 0 and 7 are Sunday, 1 is Monday; names (``mon-fri``) work too.
    """
    fields = expr.split()
    if len(fields) != 5:
        raise ValueError(f"expected 5 fields (minute hour day month weekday), got {len(fields)}")
    minute, hour, day, month, weekday = fields
    return CronTrigger(
        minute=minute,
        hour=hour,
        day=day,
        month=month,
        day_of_week=_crontab_weekdays(weekday),
        timezone=ZoneInfo(timezone) if isinstance(timezone, str) else timezone,
        jitter=jitter or None,
    )


def _crontab_weekdays(field: str) -> str:
    """A crontab weekday field as an explicit list of day names, which APScheduler reads the same.

    ``*/2`` is Sunday, Tuesday, Thursday, Saturday in crontab; spelled out, no numbering differs.
    """
    if field in ("*", "?"):
        return "*"
    days: set[int] = set()
    for part in field.lower().split(","):
        span, slash, step_text = part.partition("/")
        step = int(step_text) if slash else 1
        if step < 1:
            raise ValueError(f"weekday step must be 1 or more: {part!r}")
        if span == "*":
            first, last = 0, 6
        elif "-" in span:
            a, b = span.split("-", 1)
            first, last = _weekday(a), _weekday(b)
        else:
            first = _weekday(span)
            last = 7 if slash else first
        if first > last:
            raise ValueError(f"weekday range runs backwards: {part!r}")
        days.update(d % 7 for d in range(first, last + 1, step))
    return ",".join(_WEEKDAYS[d] for d in sorted(days))


def _weekday(text: str) -> int:
    if text in _WEEKDAYS:
        return _WEEKDAYS.index(text)
    if not text.isdigit() or int(text) > 7:
        raise ValueError(f"not a weekday (0-7 or sun-sat): {text!r}")
    return int(text)


def board_trigger(board: BoardConfig, mode: str, *, jitter: bool = True) -> CronTrigger:
    expr = board.full_schedule if mode == FULL else board.schedule
    return crontab_trigger(expr, board.timezone, board.jitter if jitter else None)


def next_fire_times(trigger: CronTrigger, now: datetime, count: int) -> list[datetime]:
    times: list[datetime] = []
    fire = trigger.get_next_fire_time(None, now)
    while fire is not None and len(times) < count:
        times.append(fire)
        fire = trigger.get_next_fire_time(fire, fire)
    return times


def previous_fire_time(trigger: CronTrigger, now: datetime, within: timedelta) -> datetime | None:
    """The latest start of ``trigger`` (give it no jitter) in [now - within, now], or None."""
    last = None
    fire = trigger.get_next_fire_time(None, now - within)
    while fire is not None and fire <= now:
        last = fire
        fire = trigger.get_next_fire_time(fire, fire)
    return last


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


# -- the job ----------------------------------------------------------------------------------


class BoardRunner:
    """The job every schedule runs: one crawl of a board, at most one per board at a time."""

    def __init__(
        self,
        cfg: Config,
        engine: Engine,
        *,
        run: RunCrawl | None = None,
        notify: NotifyRun | None = None,
        log_level: str = "INFO",
    ) -> None:
        self.cfg, self.engine, self.log_level = cfg, engine, log_level
        self._run: RunCrawl = run or run_crawl
        self._notify = notify
        self._notify_warned = False
        self._cond = threading.Condition()
        self._running: dict[str, str] = {}  # board name -> mode of its crawl in this process
        self.stopping = False

    def __call__(self, board_name: str, mode: str, reason: str = "scheduled") -> CrawlResult | None:
        """Crawl ``board_name``; None when the crawl was not started (see the log)."""
        board = self.cfg.board(board_name)
        if not self._claim(board_name, mode, reason):
            return None
        try:
            return self._crawl(board, mode, reason)
        finally:
            with self._cond:
                del self._running[board_name]
                self._cond.notify_all()

    def busy(self) -> bool:
        with self._cond:
            return bool(self._running)

    def stop(self) -> None:
        """Start no more crawls; a full run waiting for its board gives up."""
        with self._cond:
            self.stopping = True
            self._cond.notify_all()

    def _claim(self, name: str, mode: str, reason: str) -> bool:
        with self._cond:
            waited = False
            while True:
                if self.stopping:
                    log.info("not started: board=%s mode=%s (%s): stopping", name, mode, reason)
                    return False
                current = self._running.get(name)
                if current is None:
                    self._running[name] = mode
                    if waited:
                        log.info("board=%s: the incremental crawl ended, the full run starts", name)
                    return True
                if mode == FULL and current == INCREMENTAL:  # the full run wins: it waits
                    if not waited:
                        log.info(
                            "waiting: board=%s mode=full (%s): the incremental crawl of this "
                            "board is still running; the full run starts when it ends",
                            name,
                            reason,
                        )
                        waited = True
                    self._cond.wait()
                    continue
                log.warning(
                    "skipped: board=%s mode=%s (%s): a crawl of this board is already running (%s)",
                    name,
                    mode,
                    reason,
                    current,
                )
                return False

    def _crawl(self, board: BoardConfig, mode: str, reason: str) -> CrawlResult:
        log.info(
            "start: board=%s mode=%s (%s), time limit %ds",
            board.name,
            mode,
            reason,
            board.time_limit,
        )
        began = time.monotonic()
        result = self._run(
            self.cfg,
            board,
            self.engine,
            mode=mode,
            log_level=self.log_level,
            timeout=board.time_limit,
        )
        took = time.monotonic() - began
        run = result.run
        if run is None:
            log.error(
                "end: board=%s mode=%s run=- status=none exit=%d after %.0fs: the crawl ended "
                "before it recorded a run (see its log above)",
                board.name,
                mode,
                result.exit_code,
                took,
            )
            return result
        if run.status == RunStatus.SKIPPED:
            log.warning(
                "skipped: board=%s mode=%s run=%s: %s",
                board.name,
                mode,
                run.id,
                run.message or "another crawl of this board holds its lock",
            )
        else:
            level = logging.INFO if result.ok else logging.WARNING
            if run.status == RunStatus.FAILED or run.health == "failed":
                level = logging.ERROR
            if run.status == RunStatus.INTERRUPTED and self.stopping:
                level = logging.WARNING  # we stopped it
            timed_out = f", stopped at the time limit ({board.time_limit}s)"
            log.log(
                level,
                "end: board=%s mode=%s run=%s status=%s health=%s exit=%s pages=%s posts=%s "
                "new=%s versions=%s edited=%s deleted=%s restored=%s errors=%s after %.0fs%s",
                board.name,
                mode,
                run.id,
                run.status,
                run.health or "-",
                result.exit_code,
                run.pages,
                run.posts_seen,
                run.new_posts,
                run.new_versions,
                run.edited_posts,
                run.deleted_posts,
                run.restored_posts,
                run.errors,
                took,
                timed_out if result.exit_code == 124 else "",
            )
        self._send_notification(board, run.id)
        return result

    def _send_notification(self, board: BoardConfig, run_id: int) -> None:
        notify = self._notify
        if notify is None:
            try:
                from archive.notify import notify_run
            except ImportError as exc:
                if not self._notify_warned:
                    log.warning("notifications off: archive.notify cannot be imported (%s)", exc)
                    self._notify_warned = True
                return
            notify = notify_run
        try:
            notify(self.cfg, board, self.engine, run_id)
        except Exception:
            log.exception("notification failed: board=%s run=%d", board.name, run_id)


# -- the scheduler ----------------------------------------------------------------------------


def job_id(board: str, mode: str, catch_up: bool = False) -> str:
    return f"{board}/{mode}/catch-up" if catch_up else f"{board}/{mode}"


class ArchiveScheduler(BlockingScheduler):
    """A BlockingScheduler that logs job trouble clearly and never sleeps past a clock jump."""

    def __init__(self, runner: BoardRunner, **options: Any) -> None:
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
        wait: float | None = super()._process_jobs()
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


def default_workers(cfg: Config) -> int:
    return max(1, min(4, 2 * len(cfg.boards)))


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
) -> ArchiveScheduler:
    """The scheduler with every board's jobs, and a catch-up job for each missed start.

    ``now`` (default: the clock) is when the next starts are counted from and what the catch-up
    looks back from; it is the same instant for both, so no start falls between them.
    """
    now = now or datetime.now(UTC)
    runner = BoardRunner(cfg, engine, run=run, notify=notify, log_level=log_level)
    sched = ArchiveScheduler(
        runner,
        executors={"default": ThreadPoolExecutor(workers or default_workers(cfg))},
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


def describe_schedule(cfg: Config, now: datetime, count: int = LIST_COUNT) -> str:
    """``--list``: each board's next starts, in the board's time zone (Asia/Seoul by default)."""
    rows = [("board", "mode", "cron", "zone", "jitter", f"next {count} starts")]
    for board in sorted(cfg.boards.values(), key=lambda b: b.name):
        tz = ZoneInfo(board.timezone)
        for mode in MODES:
            times = next_fire_times(board_trigger(board, mode, jitter=False), now, count)
            rows.append(
                (
                    board.name,
                    mode,
                    board.full_schedule if mode == FULL else board.schedule,
                    board.timezone,
                    f"{board.jitter}s",
                    ", ".join(t.astimezone(tz).strftime("%Y-%m-%d %a %H:%M %Z") for t in times)
                    or "never",
                )
            )
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]) - 1)]
    lines = [
        "  ".join(c.ljust(w) for c, w in zip(r[:-1], widths, strict=True)) + "  " + r[-1]
        for r in rows
    ]
    lines.append("(each start is delayed by a random 0..jitter seconds)")
    return "\n".join(line.rstrip() for line in lines)


def _when(at: datetime, tz: tzinfo) -> str:
    return at.astimezone(tz).strftime("%Y-%m-%d %H:%M %Z")


# -- stopping on a signal ---------------------------------------------------------------------


def crawl_children() -> list[int]:
    """Process ids of this process's ``scrapy crawl`` children (Linux ``/proc``; else none)."""
    me, found = os.getpid(), []
    try:
        entries = os.listdir("/proc")
    except OSError:
        return []
    for entry in entries:
        if not entry.isdigit():
            continue
        try:
            stat = Path("/proc", entry, "stat").read_text()
            if int(stat.rsplit(")", 1)[1].split()[1]) != me:
                continue
            argv = Path("/proc", entry, "cmdline").read_bytes().split(b"\0")
        except (OSError, ValueError, IndexError):
            continue
        if b"scrapy" in argv and b"crawl" in argv:
            found.append(int(entry))
    return found


def _terminal_sent(signum: int) -> bool:
    """Ctrl-C in a terminal goes to its whole foreground process group, our crawls included."""
    if signum != signal.SIGINT:
        return False
    for stream in (sys.stdin, sys.stderr):
        try:
            if stream is not None and stream.isatty():
                return os.tcgetpgrp(stream.fileno()) == os.getpgrp()
        except (OSError, ValueError):
            continue
    return False


class Stopper:
    """SIGTERM/SIGINT: stop starting crawls, pass SIGTERM to running ones, then shut down.

    The handler only records the signal and sets an event; a watcher thread does the work, so
    nothing that takes a lock runs inside the signal handler.
    """

    def __init__(
        self, runner: BoardRunner, scheduler: ArchiveScheduler | None = None, poll: float = 0.2
    ) -> None:
        self.runner, self.scheduler, self.poll = runner, scheduler, poll
        self.signum: int | None = None
        self._requested = threading.Event()
        self._finished = False
        self._previous: dict[int, Any] = {}
        self._thread = threading.Thread(target=self._watch, name="scheduler-stop", daemon=True)

    def __enter__(self) -> Stopper:
        for sig in (signal.SIGTERM, signal.SIGINT):
            self._previous[sig] = signal.signal(sig, self._handle)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._finished = True
        self._requested.set()
        self._thread.join()
        for sig, handler in self._previous.items():
            signal.signal(sig, handler)

    def _handle(self, signum: int, frame: FrameType | None) -> None:
        if self.signum is None:
            self.signum = signum
        self._requested.set()

    def _watch(self) -> None:
        self._requested.wait()
        if self.signum is None:  # the command ended by itself
            return
        name = signal.Signals(self.signum).name
        forward = not _terminal_sent(self.signum)
        log.info(
            "stopping on %s: no new crawls start; running crawls %s",
            name,
            "get SIGTERM and close their runs as interrupted"
            if forward
            else "got the terminal's SIGINT themselves",
        )
        self.runner.stop()
        signalled: set[int] = set()
        while self.runner.busy():
            for pid in crawl_children() if forward else ():
                if pid not in signalled:
                    signalled.add(pid)
                    log.info("sending SIGTERM to crawl process %d", pid)
                    with contextlib.suppress(ProcessLookupError):
                        os.kill(pid, signal.SIGTERM)
            time.sleep(self.poll)
        sched = self.scheduler
        if sched is None:
            return
        while not (sched.started.wait(self.poll) or self._finished):
            pass
        with contextlib.suppress(SchedulerNotRunningError):
            sched.shutdown(wait=True)


# -- command line -----------------------------------------------------------------------------


def _parser(prog: str) -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog=prog,
        description="Archive every configured board on its schedule (nightly incremental runs, "
        "weekly full runs), unattended. Stop with SIGTERM or Ctrl-C.",
    )
    p.add_argument(
        "-c",
        "--config",
        metavar="FILE",
        help="boards.toml (default: $BOARD_ARCHIVE_CONFIG, else ./boards.toml)",
    )
    what = p.add_mutually_exclusive_group()
    what.add_argument(
        "--once",
        metavar="BOARD",
        help="crawl BOARD once now, as a job would, then exit (0: succeeded or skipped, 1: failed)",
    )
    what.add_argument(
        "--list", action="store_true", help="print each board's next start times and exit"
    )
    p.add_argument("--full", action="store_true", help="with --once: a full run")
    p.add_argument(
        "--log-level",
        default="INFO",
        type=str.upper,
        choices=["DEBUG", "INFO", "WARNING", "ERROR"],
        help="for the scheduler and its crawls (default INFO)",
    )
    return p


def main(argv: list[str] | None = None, *, prog: str = "scheduler.py") -> int:
    """``scheduler.py`` / ``board-archive schedule``. Exit 0 ok or stopped by a signal, 1 a
    failed ``--once`` run or a database that is not ready, 2 bad usage or configuration."""
    parser = _parser(prog)
    try:
        args = parser.parse_args(argv)
        if args.full and not args.once:
            parser.error("--full goes with --once BOARD")
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else 2
    try:
        cfg = load_config(args.config)
        boards = [cfg.board(args.once)] if args.once else list(cfg.boards.values())
        if not boards:
            where = cfg.source or args.config or "boards.toml"
            raise ConfigError(f"{where}: no boards to schedule: add a [boards.NAME] table")
        _check_crons(cfg, boards)
    except ConfigError as exc:
        print(f"scheduler: {exc}", file=sys.stderr)
        return 2
    if args.list:
        print(describe_schedule(cfg, datetime.now(UTC)))
        return 0
    _setup_logging(args.log_level)
    engine = make_engine(cfg.database_url)
    try:
        try:
            check_schema(engine)
        except (SchemaError, SQLAlchemyError) as exc:
            print(f"scheduler: {exc}", file=sys.stderr)
            return 1
        if args.once:
            return _once(cfg, engine, boards[0], FULL if args.full else INCREMENTAL, args.log_level)
        return _forever(cfg, engine, args.log_level)
    finally:
        engine.dispose()


def _check_crons(cfg: Config, boards: list[BoardConfig]) -> None:
    where = cfg.source or "boards.toml"
    for board in boards:
        for key in ("schedule", "full_schedule"):
            try:
                crontab_trigger(getattr(board, key), board.timezone)
            except ValueError as exc:
                raise ConfigError(f"{where}: boards.{board.name}.{key}: {exc}") from None


def _setup_logging(level: str) -> None:
    logging.basicConfig(
        level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s", stream=sys.stderr
    )
    logging.getLogger("archive").setLevel(level)
    # Our own lines say what APScheduler's INFO and WARNING lines say, and say it per board;
    # its ERROR lines (a job's traceback) stay.
    logging.getLogger("apscheduler").setLevel(logging.ERROR)
    logging.getLogger("alembic").setLevel(logging.WARNING)


def _once(cfg: Config, engine: Engine, board: BoardConfig, mode: str, log_level: str) -> int:
    runner = BoardRunner(cfg, engine, log_level=log_level)
    with Stopper(runner) as stopper:
        result = runner(board.name, mode, "--once")
    if stopper.signum is not None:
        return 0
    if result is None or result.run is None:
        return 1
    return 0 if result.ok or result.run.status == RunStatus.SKIPPED else 1


def _forever(cfg: Config, engine: Engine, log_level: str) -> int:
    try:
        sched = build_scheduler(cfg, engine, log_level=log_level)
    except SQLAlchemyError as exc:
        print(f"scheduler: cannot read the last runs for the catch-up: {exc}", file=sys.stderr)
        return 1
    with Stopper(sched.runner, sched):
        sched.start()
    log.info("scheduler stopped")
    return 0
