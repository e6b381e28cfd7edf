"""Boards due together crawled together: the scheduler's jobs share crawl processes.

A crawl process per board costs about 140 MB before it fetches anything; one Scrapy crawler
more in a running process costs a few MB (``bench/fleet.py``). So the scheduler's jobs do not
each start a process: each hands its board to a ``CrawlBatcher`` and waits for its own result,
as it would for its own process. The batcher gathers the boards handed to it within ``window``
seconds (the nightly starts of many boards fall together, spread by their jitter), and starts
one crawl process (:func:`board_archive.crawl.run_crawls`) for up to ``per_process`` of them
that share mode and time limit, a process per such group; each board has its own crawler in it,
with its own run record and lock, and its time limit ends its crawl alone (the run is closed
``interrupted``). How many boards crawl at once is the number of jobs running at once: the
scheduler's thread pool (``[scheduler] concurrent_boards``).

The process's log is one file, ``DATA_DIR/logs/_together/``; each board's own log path (the one
the scheduler's start line names) is made a link to it.
"""

from __future__ import annotations

import logging
import os
import threading
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Engine

from archive.config import BoardConfig, Config
from board_archive.crawl import CrawlResult, run_crawls
from board_archive.runlogs import RunFiles

log = logging.getLogger("board_archive.schedule")

Key = tuple[str, float | None, str]  # mode, time limit, log level


@dataclass(eq=False)
class _Waiting:
    board: BoardConfig
    log_file: Path | None
    done: threading.Event = field(default_factory=threading.Event)
    result: CrawlResult | None = None
    error: BaseException | None = None


class CrawlBatcher:
    """A ``RunCrawl`` (``board_archive.board_runner``) that gathers boards into shared crawl
    processes. Thread-safe: every scheduler job calls it from its own thread."""

    def __init__(
        self,
        per_process: int = 50,
        window: float = 2.0,
        *,
        stop_with_parent: bool = False,
        worker: str | None = None,
    ) -> None:
        self.per_process, self.window = max(1, per_process), window
        self.stop_with_parent = stop_with_parent  # a fleet worker's crawls end with it
        self.worker = worker  # recorded on the runs (a fleet worker's name)
        self._lock = threading.Lock()
        self._queued: dict[Key, list[_Waiting]] = {}

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
        with self._lock:
            first = key not in self._queued
            self._queued.setdefault(key, []).append(waiting)
        if first:  # this job leads the group: gather for a moment, then start its processes
            timer = threading.Timer(self.window, self._launch, (key, config, engine))
            timer.daemon = True
            timer.start()
        waiting.done.wait()
        if waiting.error is not None:
            raise waiting.error
        assert waiting.result is not None
        return waiting.result

    def _launch(self, key: Key, config: Config, engine: Engine) -> None:
        with self._lock:
            group = self._queued.pop(key, [])
        chunks = [group[i : i + self.per_process] for i in range(0, len(group), self.per_process)]
        for chunk in chunks:
            threading.Thread(
                target=self._crawl, args=(chunk, key, config, engine), daemon=True
            ).start()

    def _crawl(self, chunk: list[_Waiting], key: Key, config: Config, engine: Engine) -> None:
        mode, time_limit, log_level = key
        try:
            names = [w.board.name for w in chunk]
            files = RunFiles.several(config.data_dir, names)
            _link(files.log, [w.log_file for w in chunk])
            log.info("crawl process: %d board(s) at once (%s), log %s", len(chunk), mode, files.log)
            results = run_crawls(
                config,
                [w.board for w in chunk],
                engine,
                mode=mode,
                log_level=log_level,
                time_limit=time_limit,
                log_file=files.log,
                stop_with_parent=self.stop_with_parent,
                extra_settings={"RUNLEDGER_WORKER": self.worker} if self.worker else None,
            )
            for waiting, result in zip(chunk, results, strict=True):
                waiting.result = result
        except BaseException as exc:  # every job waiting learns it, none hangs
            for waiting in chunk:
                waiting.error = exc
        finally:
            for waiting in chunk:
                waiting.done.set()


def _link(shared: Path, own: list[Path | None]) -> None:
    """Each board's own log path made a link to the shared log (a board's log folder keeps
    its runs' logs; a link that cannot be made is no reason not to crawl)."""
    shared.touch()
    for path in own:
        if path is None:
            continue
        try:
            path.unlink(missing_ok=True)
            os.symlink(os.path.relpath(shared, path.parent), path)
        except OSError as exc:
            log.warning("could not link %s to the shared log %s: %s", path, shared, exc)
