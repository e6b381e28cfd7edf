"""The scheduler's jobs share crawl processes (``board_archive.crawl_batches.CrawlBatcher``):
boards handed in together are crawled by one process, at most ``per_process`` a process,
each job getting its own board's run; a board handed in while a process runs joins it; a
process given nothing for ``idle`` seconds ends; each board's own log path links to the shared
log. Real crawls of demo boards, on SQLite and PostgreSQL."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import Engine

from archive.config import load_config
from archive.models import RunStatus
from board_archive.crawl import CrawlResult
from board_archive.crawl_batches import CrawlBatcher
from board_archive.demoboard import DemoServer, generate_board
from board_archive.runlogs import RunFiles
from tests.crawl.test_many_boards import archived_ids, readable, runs_by_board, write_config

pytestmark = pytest.mark.filterwarnings("ignore:'imghdr' is deprecated:DeprecationWarning")


def hand_in(
    batcher: CrawlBatcher,
    tmp_path: Path,
    engine: Engine,
    urls: dict[str, str],
    *,
    first_open: str | None = None,
) -> dict[str, CrawlResult]:
    """Each board handed to the batcher from a job thread of its own, as the scheduler does;
    ``first_open``: that board first, the others once its run is open."""
    cfg = load_config(write_config(tmp_path, urls))
    results: dict[str, CrawlResult] = {}

    def job(name: str) -> None:
        files = RunFiles.new(cfg.data_dir, name)
        results[name] = batcher(
            cfg,
            cfg.board(name),
            engine,
            mode="full",
            log_level="WARNING",
            timeout=600,
            log_file=files.log,
        )

    threads = {name: threading.Thread(target=job, args=(name,)) for name in urls}
    if first_open is not None:
        threads[first_open].start()
        wait_for_open_run(engine, first_open)
    for name, thread in threads.items():
        if name != first_open:
            thread.start()
    for thread in threads.values():
        thread.join(timeout=300)
    return results


def wait_for_open_run(engine: Engine, board: str, within: float = 120) -> None:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        run = runs_by_board(engine).get(board)
        if run is not None and run.status == RunStatus.RUNNING:
            return
        time.sleep(0.2)
    raise AssertionError(f"board {board}'s run never opened")


def test_boards_handed_in_together_share_crawl_processes(
    tmp_path: Path, db_url: str, engine: Engine
) -> None:
    boards = {f"b{i}": generate_board(8 + i, seed=30 + i) for i in range(3)}
    servers = {name: DemoServer(board) for name, board in boards.items()}
    try:
        for srv in servers.values():
            srv.start()
        urls = {name: srv.list_url for name, srv in servers.items()}
        together = hand_in(CrawlBatcher(per_process=50), tmp_path, engine, urls)
        in_twos = hand_in(CrawlBatcher(per_process=2), tmp_path, engine, urls)
    finally:
        for srv in servers.values():
            srv.stop()
    for results in (together, in_twos):
        assert set(results) == set(boards)
        assert all(r.ok and r.run is not None for r in results.values())
        assert all(r.run.status == RunStatus.SUCCEEDED for r in results.values() if r.run)
    assert len({r.run.pid for r in together.values() if r.run}) == 1  # one process for three
    assert len({r.run.pid for r in in_twos.values() if r.run}) == 2  # two, then one
    for name, board in boards.items():
        assert archived_ids(engine, name) == readable(board)
        logs = sorted((tmp_path / "var" / "logs" / name).glob("*.log"))
        assert len(logs) == 2 and all(log.is_symlink() for log in logs)
        shared = {log.resolve().parent.name for log in logs}
        assert shared == {"_together"}


def test_a_board_due_later_joins_the_running_process_which_ends_when_idle(
    tmp_path: Path, db_url: str, engine: Engine
) -> None:
    """A night's boards do not fall due together: each one handed in while a crawl process
    runs is crawled by that process (one process for the night, not one per few boards),
    and the process ends once it has had nothing to do for ``idle`` seconds."""
    boards = {"slow": generate_board(60, seed=40), "b1": generate_board(9, seed=41)}
    boards["b2"] = generate_board(7, seed=42)
    servers = {name: DemoServer(board, page_rows=5) for name, board in boards.items()}
    batcher = CrawlBatcher(per_process=50, idle=2.0)
    try:
        for srv in servers.values():
            srv.start()
        urls = {name: srv.list_url for name, srv in servers.items()}
        results = hand_in(batcher, tmp_path, engine, urls, first_open="slow")
    finally:
        for srv in servers.values():
            srv.stop()
    assert all(r.ok and r.run is not None for r in results.values()), results
    assert len({r.run.pid for r in results.values() if r.run}) == 1
    for name, board in boards.items():
        assert archived_ids(engine, name) == readable(board)
    deadline = time.monotonic() + 30
    while batcher.processes() and time.monotonic() < deadline:
        time.sleep(0.2)
    assert batcher.processes() == 0
