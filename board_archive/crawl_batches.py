"""The scheduler's jobs share crawl processes, and hand their boards to the running ones.

A crawl process per board costs about 140 MB before it fetches anything; one Scrapy crawler
more in a running process costs a few MB (``bench/fleet.py``). So the scheduler's jobs do not
each start a process: each hands its board to a ``CrawlBatcher`` and waits for its own result,
as it would for its own process. The batcher keeps crawl processes that take boards while they
run (:mod:`board_archive.crawl_host`), up to ``per_process`` boards each at once: a board is
handed to a running process of its mode, time limit and log level that has room, and a process
is started only when none has. A process given no board for ``idle`` seconds is let go (it ends
once its boards are done). Each board has its own crawler in it, with its own run record and
lock, and its time limit ends its crawl alone (the run is closed ``interrupted``); a process
that does not end a board's crawl a minute after its limit is stopped (SIGTERM, then SIGKILL a
minute later), and so are its other boards. How many boards crawl at once is the number of jobs
running at once: the scheduler's thread pool (``[scheduler] concurrent_boards``).

A process's log is one file, ``DATA_DIR/logs/_together/``; each board's own log path (the one
the scheduler's start line names) is made a link to it.
"""

from __future__ import annotations

import contextlib
import itertools
import logging
import os
import select
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Engine

from archive.config import BoardConfig, Config
from board_archive.crawl import (
    CHILDREN,
    CrawlResult,
    _terminated_with_parent,
    close_abandoned,
    latest_run,
    process_settings,
)
from board_archive.crawl_host import PREFIX
from board_archive.runlogs import RunFiles

log = logging.getLogger("board_archive.schedule")

Key = tuple[str, float | None, str]  # mode, time limit, log level
GRACE = 60.0  # seconds past a board's time limit before its process is stopped, then killed
_ids = itertools.count(1)


@dataclass(eq=False)
class _Waiting:
    board: BoardConfig
    log_file: Path | None
    ident: str = field(default_factory=lambda: str(next(_ids)))
    since: float = field(default_factory=time.monotonic)
    done: threading.Event = field(default_factory=threading.Event)
    result: CrawlResult | None = None
    error: BaseException | None = None


class _Host:
    """One crawl process taking boards (:mod:`board_archive.crawl_host`) and the thread that
    started it and reads its reports (the process is stopped if that thread's process dies,
    with ``stop_with_parent``)."""

    def __init__(self, batcher: CrawlBatcher, key: Key, config: Config, engine: Engine) -> None:
        self.batcher, self.key, self.config, self.engine = batcher, key, config, engine
        self.boards: dict[str, _Waiting] = {}  # ident -> board crawling in it now
        self.closed = False  # no more boards: its input is closed, or it has ended
        self.idle_since = time.monotonic()
        self.proc: subprocess.Popen[bytes] | None = None
        self.started = threading.Event()
        self.start_error: BaseException | None = None
        self.files = RunFiles.several(config.data_dir, [f"host{next(_ids)}"])
        self.files.log.touch()

    def hand_in(self, waiting: _Waiting) -> None:
        """Called with the batcher's lock held; the host is open and has room."""
        self.boards[waiting.ident] = waiting
        self.idle_since = time.monotonic()
        _link(self.files.log, waiting.log_file)

    def send(self, waiting: _Waiting) -> None:
        """Write the board to the process's input (outside the batcher's lock)."""
        self.started.wait()
        try:
            if self.proc is None or self.proc.stdin is None:
                raise OSError("the crawl process did not start") from self.start_error
            self.proc.stdin.write(f"{waiting.ident} {waiting.board.name}\n".encode())
            self.proc.stdin.flush()
        except (OSError, ValueError):  # it has ended: the reader resolves every board it had
            log.warning("could not hand %s to its crawl process", waiting.board.name)

    def run(self) -> None:
        """The host thread: start the process, read its reports until it ends."""
        mode, time_limit, log_level = self.key
        try:
            self.proc = self._start(mode, time_limit, log_level)
        except BaseException as exc:
            self.start_error = exc
            self.started.set()
            self._end(None)
            return
        self.started.set()
        with CHILDREN.started(self.proc):
            try:
                self._read(time_limit)
                self.proc.wait()
            except BaseException:
                self.proc.kill()
                self.proc.wait()
                raise
            finally:
                for pipe in (self.proc.stdin, self.proc.stdout):
                    with contextlib.suppress(OSError):
                        if pipe is not None:
                            pipe.close()
                self._end(self.proc.returncode)

    def _start(self, mode: str, time_limit: float | None, level: str) -> subprocess.Popen[bytes]:
        args = [sys.executable, "-m", "board_archive.crawl_host", "--mode", mode]
        if self.config.source is not None:
            args += ["--config", str(self.config.source.resolve())]
        if time_limit is not None:
            args += ["--time-limit", str(time_limit)]
        settings = process_settings(self.config, level)
        if self.batcher.worker:
            settings["RUNLEDGER_WORKER"] = self.batcher.worker
        for name, value in settings.items():
            args += ["-s", f"{name}={value}"]
        env = dict(os.environ)
        env["DATABASE_URL"] = self.engine.url.render_as_string(hide_password=False)
        log.info("crawl process started (%s), log %s", mode, self.files.log)
        with self.files.log.open("ab") as output:
            stop_with_parent = self.batcher.stop_with_parent
            return subprocess.Popen(
                args,
                env=env,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=output,
                preexec_fn=_terminated_with_parent if stop_with_parent else None,
            )

    def _read(self, time_limit: float | None) -> None:
        assert self.proc is not None and self.proc.stdout is not None
        fd, pending, stopped_at = self.proc.stdout.fileno(), b"", None
        while True:
            ready, _, _ = select.select([fd], [], [], 1.0)
            if ready:
                chunk = os.read(fd, 65536)
                if not chunk:
                    return
                pending += chunk
                *lines, pending = pending.split(b"\n")
                for line in lines:
                    self._report(line.decode(errors="replace"))
            self._let_go_when_idle()
            stopped_at = self._stop_when_over(time_limit, stopped_at)

    def _report(self, line: str) -> None:
        parts = line.split()
        if line.startswith(PREFIX) and len(parts) == 4 and parts[1] == "ended":
            with self.batcher.lock:
                waiting = self.boards.pop(parts[2], None)
                if not self.boards:
                    self.idle_since = time.monotonic()
            if waiting is not None:
                self._resolve(waiting, int(parts[3]))

    def _let_go_when_idle(self) -> None:
        with self.batcher.lock:
            if self.closed or self.boards:
                return
            if time.monotonic() - self.idle_since < self.batcher.idle:
                return
            self.closed = True
        assert self.proc is not None and self.proc.stdin is not None
        with contextlib.suppress(OSError):
            self.proc.stdin.close()

    def _stop_when_over(self, time_limit: float | None, stopped_at: float | None) -> float | None:
        """A board past its time limit and the grace: the process is stopped (its other boards
        with it), then killed a grace later."""
        assert self.proc is not None
        if time_limit is None:
            return None
        now = time.monotonic()
        if stopped_at is not None:
            if now - stopped_at > GRACE and self.proc.poll() is None:
                log.error("crawl process %d did not stop: killed", self.proc.pid)
                self.proc.kill()
            return stopped_at
        with self.batcher.lock:
            over = [w for w in self.boards.values() if now - w.since > time_limit + GRACE]
            if over:
                self.closed = True
        if not over:
            return None
        log.error(
            "crawl process %d: board %s ran past its time limit; stopping the process",
            self.proc.pid,
            over[0].board.name,
        )
        self.proc.send_signal(signal.SIGTERM)
        return now

    def _end(self, code: int | None) -> None:
        """The process has ended (or never started): every board it still had gets its run."""
        with self.batcher.lock:
            self.closed = True
            self.batcher.hosts.remove(self)
            left = list(self.boards.values())
            self.boards.clear()
        for waiting in left:
            self._resolve(waiting, 1 if code in (None, 0) else code)

    def _resolve(self, waiting: _Waiting, code: int) -> None:
        try:
            if self.proc is not None:
                name, pid = waiting.board.name, self.proc.pid
                try:
                    close_abandoned(self.engine, name, pid)
                except Exception as exc:  # the archive is gone: the next crawl closes the run
                    log.warning("could not close the run the crawl left open: %s", exc)
                waiting.result = CrawlResult(exit_code=code, run=latest_run(self.engine, name, pid))
            elif self.start_error is not None:
                waiting.error = self.start_error
            else:
                waiting.result = CrawlResult(exit_code=code, run=None)
        except BaseException as exc:  # every job waiting learns it, none hangs
            waiting.error = exc
        finally:
            waiting.done.set()


class CrawlBatcher:
    """A ``RunCrawl`` (``board_archive.board_runner``) that hands boards to shared crawl
    processes. Thread-safe: every scheduler job calls it from its own thread."""

    def __init__(
        self,
        per_process: int = 50,
        idle: float = 10.0,
        *,
        stop_with_parent: bool = False,
        worker: str | None = None,
    ) -> None:
        self.per_process, self.idle = max(1, per_process), idle
        self.stop_with_parent = stop_with_parent  # a fleet worker's crawls end with it
        self.worker = worker  # recorded on the runs (a fleet worker's name)
        self.lock = threading.Lock()
        self.hosts: list[_Host] = []

    def __call__(
        self,
        config: Config,
        board: BoardConfig,
        engine: Engine,
        *,
        mode: str,
        log_level: str,
        timeout: float | None,
        log_file: Path | None,
    ) -> CrawlResult:
        waiting = _Waiting(board, log_file)
        key: Key = (mode, timeout, log_level)
        with self.lock:
            host = next(
                (
                    h
                    for h in self.hosts
                    if h.key == key and not h.closed and len(h.boards) < self.per_process
                ),
                None,
            )
            if host is None:
                host = _Host(self, key, config, engine)
                self.hosts.append(host)
                threading.Thread(target=host.run, daemon=True, name="crawl-host").start()
            host.hand_in(waiting)
        host.send(waiting)
        waiting.done.wait()
        if waiting.error is not None:
            raise waiting.error
        assert waiting.result is not None
        return waiting.result

    def processes(self) -> int:
        """How many crawl processes run now."""
        with self.lock:
            return len(self.hosts)


def _link(shared: Path, own: Path | None) -> None:
    """A board's own log path made a link to the shared log (a board's log folder keeps its
    runs' logs; a link that cannot be made is no reason not to crawl)."""
    if own is None:
        return
    try:
        own.unlink(missing_ok=True)
        os.symlink(os.path.relpath(shared, own.parent), own)
    except OSError as exc:
        log.warning("could not link %s to the shared log %s: %s", own, shared, exc)
