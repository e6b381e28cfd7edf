"""Starting crawls: each crawl is a child process (:mod:`board_archive.crawl_process`).

The Twisted reactor cannot be restarted, so every crawl gets a fresh process; the parent only
reads the run record the crawl left behind. The processes running now are in ``CHILDREN``, so
a scheduler that is asked to stop can pass the signal on to them.

Signals (``Interrupts``, in a command's main thread): SIGINT and SIGTERM are passed on to the
crawl, which stops as Scrapy does (in-flight writes finish, the run is closed ``interrupted``
and the board's lock released); Ctrl-C in a terminal already reaches the crawl (it is in the
terminal's process group), so it is not passed on twice. A second one makes Scrapy stop at
once, a third kills the crawl. Whatever way the crawl process ends, a run it left ``running``
is closed ``interrupted`` by the parent at once, with the time it really ended, and the board's
lock is released (``close_abandoned``): the board can be crawled again immediately.
"""

from __future__ import annotations

import contextlib
import ctypes
import logging
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import FrameType
from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from archive import locks, site_locks
from archive.clock import system_clock
from archive.config import BoardConfig, Config
from archive.models import Board, CrawlRun, RunStatus

log = logging.getLogger(__name__)
TICK = 0.25  # seconds between a progress display's updates
PR_SET_PDEATHSIG = 1  # prctl(2)


class CrawlChildren:
    """The crawl processes this process started and has not yet seen end (thread-safe)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._procs: dict[int, subprocess.Popen[bytes]] = {}

    @contextmanager
    def started(self, proc: subprocess.Popen[bytes]) -> Iterator[None]:
        with self._lock:
            self._procs[proc.pid] = proc
        try:
            yield
        finally:
            with self._lock:
                self._procs.pop(proc.pid, None)

    def pids(self) -> list[int]:
        with self._lock:
            return [pid for pid, proc in self._procs.items() if proc.returncode is None]


CHILDREN = CrawlChildren()


def terminal_sent(signum: int) -> bool:
    """Whether ``signum`` is a terminal's Ctrl-C, which goes to its whole foreground process
    group, our crawls included."""
    if signum != signal.SIGINT:
        return False
    for stream in (sys.stdin, sys.stderr):
        try:
            if stream is not None and stream.isatty():
                return os.tcgetpgrp(stream.fileno()) == os.getpgrp()
        except (OSError, ValueError):
            continue
    return False


class Interrupts:
    """SIGINT and SIGTERM while a crawl runs in the foreground (see the module's notes). Only
    the main thread can take signals: elsewhere (a scheduler's job) this does nothing."""

    def __init__(self, proc: subprocess.Popen[bytes]) -> None:
        self.proc = proc
        self.signum: int | None = None  # the first signal taken
        self.count = 0
        self._previous: dict[int, Any] = {}

    def __enter__(self) -> Interrupts:
        if threading.current_thread() is threading.main_thread():
            for sig in (signal.SIGINT, signal.SIGTERM):
                self._previous[sig] = signal.signal(sig, self._handle)
        return self

    def __exit__(self, *exc: object) -> None:
        for sig, handler in self._previous.items():
            signal.signal(sig, handler)

    def _handle(self, signum: int, frame: FrameType | None) -> None:
        self.count += 1
        self.signum = self.signum or signum
        if self.proc.poll() is not None:
            return
        if self.count >= 3:
            self.proc.kill()
        elif not terminal_sent(signum):
            self.proc.send_signal(signum)


@dataclass(frozen=True, slots=True)
class CrawlResult:
    exit_code: int  # the child process's
    run: CrawlRun | None  # None: the crawl ended before it could open its run
    signum: int | None = None  # the signal that stopped the crawl (SIGINT: Ctrl-C), if any

    @property
    def ok(self) -> bool:
        return (
            self.exit_code == 0
            and self.run is not None
            and (self.run.status == RunStatus.SUCCEEDED)
        )


def crawl_command(
    board: BoardConfig | Sequence[BoardConfig],
    adhoc: bool,
    mode: str,
    extra_settings: dict[str, str],
    config: Config | None = None,
    time_limit: float | None = None,
) -> list[str]:
    """The command line of a crawl process: one board's, or several crawled at once."""
    boards = [board] if isinstance(board, BoardConfig) else list(board)
    args = [sys.executable, "-m", "board_archive.crawl_start", "--mode", mode]
    if adhoc:
        args += ["--url", boards[0].url]
    for each in [] if adhoc else boards:
        args += ["--board", each.name]
    if config is not None and config.source is not None:
        args += ["--config", str(config.source.resolve())]
    if time_limit is not None:
        args += ["--time-limit", str(time_limit)]
    for key, value in extra_settings.items():
        args += ["-s", f"{key}={value}"]
    return args


def run_crawl(
    config: Config,
    board: BoardConfig,
    engine: Engine,
    *,
    adhoc: bool = False,
    mode: str = "incremental",
    log_level: str = "INFO",
    extra_settings: dict[str, str] | None = None,
    timeout: float | None = None,
    log_file: Path | None = None,
    tick: Callable[[], None] | None = None,
) -> CrawlResult:
    """Crawl one board in a child process and return the run it recorded.

    ``mode`` is "incremental" (new posts, changed list rows, what the revisit policy picks) or
    "full" (every list page, every post). ``timeout`` stops the crawl: SIGTERM first, so Scrapy
    closes the run as interrupted, then SIGKILL after a grace period. ``log_file``: the crawl's
    output (Scrapy's log) goes there instead of this process's stderr. ``tick`` is called a few
    times a second while the crawl runs (a progress display's update).
    """
    [result] = _crawl_process(
        config,
        [board],
        engine,
        adhoc,
        mode,
        log_level,
        extra_settings,
        timeout,
        None,
        log_file,
        tick,
    )
    return result


def run_crawls(
    config: Config,
    boards: Sequence[BoardConfig],
    engine: Engine,
    *,
    mode: str = "incremental",
    log_level: str = "INFO",
    extra_settings: dict[str, str] | None = None,
    time_limit: float | None = None,
    log_file: Path | None = None,
    stop_with_parent: bool = False,
) -> list[CrawlResult]:
    """Crawl several boards at once in one child process (one Scrapy crawler each, on one
    reactor) and return the run each recorded, in order. ``time_limit`` ends each board's crawl
    that long after it started (its run closed ``interrupted``); the process is stopped as
    ``run_crawl``'s ``timeout`` does a minute after that. ``stop_with_parent``: the crawl
    process gets SIGHUP if this thread's process dies (a fleet worker killed: its crawls close
    their runs ``interrupted`` and release their locks, so the re-delivered runs can start)."""
    timeout = None if time_limit is None else time_limit + 60
    return _crawl_process(
        config, boards, engine, False, mode, log_level, extra_settings, timeout, time_limit,
        log_file, None, stop_with_parent,
    )  # fmt: skip


def process_settings(config: Config, log_level: str) -> dict[str, str]:
    """The Scrapy settings every crawl process takes from the configuration."""
    connections = config.scheduler.process_connections  # its boards share one engine
    return {"LOG_LEVEL": log_level, "RUNLEDGER_DB_CONNECTIONS": str(connections)}


def _crawl_process(
    config: Config,
    boards: Sequence[BoardConfig],
    engine: Engine,
    adhoc: bool,
    mode: str,
    log_level: str,
    extra_settings: dict[str, str] | None,
    timeout: float | None,
    time_limit: float | None,
    log_file: Path | None,
    tick: Callable[[], None] | None,
    stop_with_parent: bool = False,
) -> list[CrawlResult]:
    env = dict(os.environ)
    env["DATABASE_URL"] = engine.url.render_as_string(hide_password=False)
    settings = {**process_settings(config, log_level), **(extra_settings or {})}
    command = crawl_command(boards, adhoc, mode, settings, config, time_limit)
    with contextlib.ExitStack() as stack:
        output = stack.enter_context(log_file.open("ab")) if log_file is not None else None
        proc = subprocess.Popen(
            command,
            env=env,
            stdout=output,
            stderr=output and subprocess.STDOUT,
            preexec_fn=_terminated_with_parent if stop_with_parent else None,
        )
    with CHILDREN.started(proc), Interrupts(proc) as interrupts:
        try:
            code = _wait(proc, timeout, tick)
        finally:
            for board in boards:
                try:
                    close_abandoned(engine, board.name, proc.pid)
                except Exception as exc:  # the archive is gone: the next crawl closes the run
                    log.warning("could not close the run the crawl left open: %s", exc)
    results = []
    for board in boards:
        run = latest_run(engine, board.name, pid=proc.pid)
        # exit 1 is "a crawl could not start": not this board's, when it opened its run
        own = 0 if code == 1 and run is not None and len(boards) > 1 else code
        results.append(CrawlResult(exit_code=own, run=run, signum=interrupts.signum))
    return results


def _terminated_with_parent() -> None:
    """In the crawl process before it runs: SIGHUP to it when the thread that started it
    ends (Linux ``PR_SET_PDEATHSIG``; elsewhere nothing). The crawl process stops cleanly on
    SIGHUP however often it comes (``crawl_process.EarlyStop``): the kernel may send it more
    than once, and a second SIGTERM would make Scrapy stop at once, leaving the run open."""
    try:
        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGHUP)
    except (OSError, AttributeError):
        pass


def _wait(
    proc: subprocess.Popen[bytes], timeout: float | None, tick: Callable[[], None] | None
) -> int:
    deadline = None if timeout is None else time.monotonic() + timeout
    try:
        while True:
            left = None if deadline is None else max(deadline - time.monotonic(), 0.0)
            step = left if tick is None else TICK if left is None else min(left, TICK)
            try:
                return proc.wait(timeout=step)
            except subprocess.TimeoutExpired:
                if deadline is not None and time.monotonic() >= deadline:
                    raise
                if tick is not None:
                    tick()
    except subprocess.TimeoutExpired:
        proc.send_signal(signal.SIGTERM)  # Scrapy shuts down cleanly and closes its run
        try:
            proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        return 124
    except BaseException:
        proc.kill()
        proc.wait()
        raise


def close_abandoned(
    engine: Engine,
    board_name: str,
    pid: int,
    message: str = "the crawl process ended without closing its run",
) -> CrawlRun | None:
    """The run the ended crawl process ``pid`` left ``running`` (killed, or stopped at once by a
    second signal), closed ``interrupted`` now, and the board's and site's locks it held
    released."""
    now = system_clock()
    with Session(engine, expire_on_commit=False) as s, s.begin():
        run = s.scalar(
            select(CrawlRun)
            .join(Board, Board.id == CrawlRun.board_id)
            .where(Board.name == board_name, CrawlRun.pid == pid)
            .where(CrawlRun.status == RunStatus.RUNNING)
        )
        if run is None:
            return None
        run.status, run.finished_at = RunStatus.INTERRUPTED, now
        run.message = run.message or message
        locks.release(s, run.board_id, locks.owner_id(pid))
        site_locks.release(s, run.board_id, locks.owner_id(pid), left_at=now)
        return run


def latest_run(engine: Engine, board_name: str, pid: int | None = None) -> CrawlRun | None:
    """The board's newest run; with ``pid``, the newest one that process recorded."""
    with Session(engine, expire_on_commit=False) as s:
        query = (
            select(CrawlRun)
            .join(Board, Board.id == CrawlRun.board_id)
            .where(Board.name == board_name)
            .order_by(CrawlRun.started_at.desc(), CrawlRun.id.desc())
            .limit(1)
        )
        if pid is not None:
            query = query.where(CrawlRun.pid == pid)
        return s.scalar(query)
