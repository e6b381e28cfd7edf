"""Starting crawls: each crawl is a child process (:mod:`board_archive.crawl_process`).

The Twisted reactor cannot be restarted, so every crawl gets a fresh process; the parent only
reads the run record the crawl left behind. The processes running now are in ``CHILDREN``, so
a scheduler that is asked to stop can pass the signal on to them.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from archive.config import BoardConfig, Config
from archive.models import Board, CrawlRun, RunStatus


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


@dataclass(frozen=True, slots=True)
class CrawlResult:
    exit_code: int  # the child process's
    run: CrawlRun | None  # None: the crawl ended before it could open its run

    @property
    def ok(self) -> bool:
        return (
            self.exit_code == 0
            and self.run is not None
            and (self.run.status == RunStatus.SUCCEEDED)
        )


def crawl_command(
    board: BoardConfig,
    adhoc: bool,
    mode: str,
    extra_settings: dict[str, str],
    config: Config | None = None,
) -> list[str]:
    """The command line of one board's crawl process."""
    args = [sys.executable, "-m", "board_archive.crawl_process", "--mode", mode]
    args += ["--url", board.url] if adhoc else ["--board", board.name]
    if config is not None and config.source is not None:
        args += ["--config", str(config.source.resolve())]
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
) -> CrawlResult:
    """Crawl one board in a child process and return the run it recorded.

    ``mode`` is "incremental" (new posts, changed list rows, what the revisit policy picks) or
    "full" (every list page, every post). ``timeout`` stops the crawl: SIGTERM first, so Scrapy
    closes the run as interrupted, then SIGKILL after a grace period.
    """
    env = dict(os.environ)
    env["DATABASE_URL"] = engine.url.render_as_string(hide_password=False)
    settings = {"LOG_LEVEL": log_level, **(extra_settings or {})}
    proc = subprocess.Popen(crawl_command(board, adhoc, mode, settings, config), env=env)
    with CHILDREN.started(proc):
        code = _wait(proc, timeout)
    return CrawlResult(exit_code=code, run=latest_run(engine, board.name, pid=proc.pid))


def _wait(proc: subprocess.Popen[bytes], timeout: float | None) -> int:
    try:
        return proc.wait(timeout=timeout)
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
