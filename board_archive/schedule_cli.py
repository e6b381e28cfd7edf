"""The scheduler's command line (``scheduler.py``, ``board-archive schedule``) and process control.

    scheduler.py [--config FILE] [--once BOARD [--full]] [--list] [--fleet] [--log-level LEVEL]

``--list`` prints each board's next starts, ``--once`` runs one crawl as a job would, and without
either the scheduler of :mod:`board_archive.schedule` runs until a signal stops it; with
``--fleet`` its jobs enqueue the runs for the workers (:mod:`board_archive.fleet`) once it holds
the scheduler lease.

Stopping
    SIGTERM or SIGINT: no new crawl starts, running crawls get SIGTERM (Scrapy then closes the run
    as ``interrupted``), the scheduler waits for them and exits 0. Ctrl-C in a terminal already
    reaches the crawls (they are in the terminal's foreground process group), so then nothing is
    forwarded: a second signal would make Scrapy stop uncleanly. Under systemd use
    ``KillMode=mixed`` for the same reason (SIGTERM to the scheduler only, which passes it on).
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import sys
import threading
import time
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from signal import SIGINT, SIGTERM
from types import FrameType
from typing import Annotated, Any
from zoneinfo import ZoneInfo

import typer
import typer.main
from apscheduler.schedulers import SchedulerNotRunningError
from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

from archive.config import BoardConfig, Config, ConfigError, load_config
from archive.cron import crontab_trigger, next_fire_times
from archive.db import SchemaError, check_schema, make_engine
from archive.models import RunStatus
from board_archive.crawl import CHILDREN, terminal_sent
from board_archive.fleet import FLUSH_EVERY, Enqueuer, FleetError, SchedulerLease, require_postgres
from board_archive.schedule import (
    FULL,
    INCREMENTAL,
    MODES,
    ArchiveScheduler,
    BoardRunner,
    Job,
    board_trigger,
    build_scheduler,
)

# The scheduler's one log name, whichever module writes the line (it is in every log line).
log = logging.getLogger("board_archive.schedule")

LIST_COUNT = 3  # next start times shown per job by --list


# -- --list ----------------------------------------------------------------------------------


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


# -- stopping on a signal ---------------------------------------------------------------------


class Stopper:
    """SIGTERM/SIGINT: stop starting crawls, pass SIGTERM to running ones, then shut down.

    The handler only records the signal and sets an event; a watcher thread does the work, so
    nothing that takes a lock runs inside the signal handler.
    """

    def __init__(
        self, runner: Job, scheduler: ArchiveScheduler | None = None, poll: float = 0.2
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
        forward = not terminal_sent(self.signum)
        log.info(
            "stopping on %s: no new crawls start; running crawls %s",
            name,
            "get SIGTERM and close their runs as interrupted"
            if forward
            else "got the terminal's SIGINT themselves",
        )
        self.runner.stop()
        signalled: set[int] = set()
        # the crawl processes with no board left too (a shared one waits for boards a while)
        while self.runner.busy() or CHILDREN.pids():
            for pid in CHILDREN.pids() if forward else ():
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


class LogLevel(StrEnum):
    DEBUG = "DEBUG"
    INFO = "INFO"
    WARNING = "WARNING"
    ERROR = "ERROR"


def schedule(
    config: Annotated[
        Path | None,
        typer.Option(
            "--config",
            "-c",
            metavar="FILE",
            help="boards.toml (default: $BOARD_ARCHIVE_CONFIG, else ./boards.toml)",
        ),
    ] = None,
    once: Annotated[
        str | None,
        typer.Option(
            "--once",
            metavar="BOARD",
            help="Crawl BOARD once now, as a job would, then exit (0: succeeded or skipped, "
            "1: failed)",
        ),
    ] = None,
    list_: Annotated[
        bool, typer.Option("--list", help="Print each board's next start times and exit")
    ] = False,
    full: Annotated[bool, typer.Option("--full", help="With --once: a full run")] = False,
    fleet: Annotated[
        bool,
        typer.Option(
            "--fleet",
            help="Enqueue the runs for board-archive worker processes (Celery, [fleet] "
            "broker_url) instead of crawling here; one scheduler enqueues, others stand by. "
            "Needs PostgreSQL",
        ),
    ] = False,
    log_level: Annotated[
        LogLevel,
        typer.Option(case_sensitive=False, help="For the scheduler and its crawls"),
    ] = LogLevel.INFO,
) -> None:
    """Archive every configured board on its schedule (nightly incremental runs, weekly full
    runs), unattended. Stop with SIGTERM or Ctrl-C.

    Exit 0 ok or stopped by a signal, 1 a failed --once run or a database that is not
    ready, 2 bad usage or configuration.
    """
    if once and list_:
        raise typer.BadParameter("--once and --list go alone", param_hint="--once/--list")
    if full and not once:
        raise typer.BadParameter("--full goes with --once BOARD", param_hint="--full")
    if fleet and (once or list_):
        raise typer.BadParameter("--fleet goes alone", param_hint="--fleet")
    raise typer.Exit(_run(config, once, list_, full, log_level.value, fleet))


def main(argv: list[str] | None = None, *, prog: str = "scheduler.py") -> int:
    """``scheduler.py``: the :func:`schedule` command, returning its exit code."""
    app = typer.Typer(add_completion=False, pretty_exceptions_enable=False, rich_markup_mode=None)
    app.command()(schedule)
    command = typer.main.get_command(app)  # one command: scheduler.py takes no subcommand
    try:
        command.main(args=argv, prog_name=prog)  # usage errors are printed, and exit 2
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else 0 if exc.code is None else 2
    return 0


def _run(
    config: Path | None, once: str | None, list_: bool, full: bool, log_level: str, fleet: bool
) -> int:
    try:
        cfg = load_config(config)
        boards = [cfg.board(once)] if once else list(cfg.boards.values())
        if not boards:
            where = cfg.source or config or "boards.toml"
            raise ConfigError(f"{where}: no boards to schedule: add a [boards.NAME] table")
        _check_crons(cfg, boards)
        if fleet:
            require_postgres(cfg)
    except (ConfigError, FleetError) as exc:
        print(f"scheduler: {exc}", file=sys.stderr)
        return 2
    if list_:
        print(describe_schedule(cfg, datetime.now(UTC)))
        return 0
    _setup_logging(log_level)
    engine = make_engine(cfg.database_url)
    try:
        try:
            check_schema(engine)
        except (SchemaError, SQLAlchemyError) as exc:
            print(f"scheduler: {exc}", file=sys.stderr)
            return 1
        if once:
            return _once(cfg, engine, boards[0], FULL if full else INCREMENTAL, log_level)
        if fleet:
            return _fleet(cfg, engine, log_level)
        return _forever(cfg, engine, log_level)
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
    logging.getLogger("board_archive").setLevel(level)
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


def _fleet(cfg: Config, engine: Engine, log_level: str) -> int:
    """The scheduler of a fleet: once it holds the lease, its jobs enqueue board runs."""
    lease = SchedulerLease(engine)
    stop = threading.Event()  # a signal before the scheduler runs: stop there, exit 0
    previous = {sig: signal.signal(sig, lambda *_: stop.set()) for sig in (SIGTERM, SIGINT)}
    try:
        if not lease.wait(stop=stop):
            return 0
        return _enqueue(cfg, engine, log_level, lease, stop)
    finally:
        lease.release()
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def _enqueue(
    cfg: Config, engine: Engine, log_level: str, lease: SchedulerLease, stop: threading.Event
) -> int:
    enqueuer = Enqueuer(cfg)
    try:
        sched = build_scheduler(cfg, engine, log_level=log_level, job=enqueuer)
    except SQLAlchemyError as exc:
        print(f"scheduler: cannot read the last runs for the catch-up: {exc}", file=sys.stderr)
        return 1
    lost = threading.Event()

    def keep() -> None:  # send what the broker refused; give up the schedule with the lease
        enqueuer.flush()
        if not lease.held():
            log.error("the scheduler lease is lost (database connection gone): stopping")
            lost.set()
            with contextlib.suppress(SchedulerNotRunningError):
                sched.shutdown(wait=False)

    sched.add_job(keep, "interval", seconds=FLUSH_EVERY, id="fleet-keep", name="fleet keep")
    with Stopper(enqueuer, sched):
        if stop.is_set():  # signalled while it was being built: the Stopper takes it now
            signal.raise_signal(SIGTERM)
        sched.start()
    log.info("scheduler stopped")
    return 1 if lost.is_set() else 0
