"""The job every schedule runs (:mod:`board_archive.schedule`): one crawl of a board, at most
one per board at a time in this process.

A job runs one crawl as its own crawl process (:func:`board_archive.crawl.run_crawl`,
stopped at ``time_limit``), its log (Scrapy's) in a file per run (``board_archive.runlogs``);
the scheduler logs one line when it starts (with that file's path) and one when it ends (board,
mode, run id, status, counts), then sends the run's notification. An incremental run that finds
a crawl of its board running is skipped; a full run that finds the incremental one running
waits for it.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Protocol

from sqlalchemy import Engine

from archive.config import BoardConfig, Config
from archive.models import RunMode, RunStatus
from board_archive.crawl import CrawlResult, run_crawl
from board_archive.notify import notify_run
from board_archive.runlogs import RunFiles

# The scheduler's one log name, whichever module writes the line (it is in every log line).
log = logging.getLogger("board_archive.schedule")

INCREMENTAL, FULL = RunMode.INCREMENTAL.value, RunMode.FULL.value


class RunCrawl(Protocol):
    """What a job calls to crawl: :func:`board_archive.crawl.run_crawl` (tests pass a fake)."""

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
    ) -> CrawlResult: ...


NotifyRun = Callable[[Config, BoardConfig, Engine, int], bool]


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
        self._notify = notify or notify_run
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
        files = RunFiles.new(self.cfg.data_dir, board.name)
        log.info(
            "start: board=%s mode=%s (%s), time limit %ds, log %s",
            board.name,
            mode,
            reason,
            board.time_limit,
            files.log,
        )
        began = time.monotonic()
        result = self._run(
            self.cfg,
            board,
            self.engine,
            mode=mode,
            log_level=self.log_level,
            timeout=board.time_limit,
            log_file=files.log,
        )
        took = time.monotonic() - began
        run = result.run
        if run is None:
            log.error(
                "end: board=%s mode=%s run=- status=none exit=%d after %.0fs: the crawl ended "
                "before it recorded a run (see its log: %s)",
                board.name,
                mode,
                result.exit_code,
                took,
                files.log,
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
                timed_out if result.exit_code == 124 or _cut(run.message) else "",
            )
        self._send_notification(board, run.id)
        return result

    def _send_notification(self, board: BoardConfig, run_id: int) -> None:
        notify = self._notify
        try:
            notify(self.cfg, board, self.engine, run_id)
        except Exception:
            log.exception("notification failed: board=%s run=%d", board.name, run_id)


def _cut(message: str | None) -> bool:
    """Whether the run was ended by its time limit inside a shared crawl process."""
    return message is not None and "closespider_timeout" in message
