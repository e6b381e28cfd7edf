"""The scheduler's jobs share crawl processes (``board_archive.crawl_batches.CrawlBatcher``):
boards handed in together are crawled by one process, at most ``per_process`` a process,
each job getting its own board's run; each board's own log path links to the shared log.
Real crawls of demo boards, on SQLite and PostgreSQL."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from sqlalchemy import Engine

from archive.config import load_config
from archive.models import RunStatus
from board_archive.crawl import CrawlResult
from board_archive.crawl_batches import CrawlBatcher
from board_archive.demoboard import DemoServer, generate_board
from board_archive.runlogs import RunFiles
from tests.crawl.test_many_boards import archived_ids, readable, write_config

pytestmark = pytest.mark.filterwarnings("ignore:'imghdr' is deprecated:DeprecationWarning")


def hand_in(
    batcher: CrawlBatcher, tmp_path: Path, engine: Engine, urls: dict[str, str]
) -> dict[str, CrawlResult]:
    """Each board handed to the batcher from a job thread of its own, as the scheduler does."""
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

    threads = [threading.Thread(target=job, args=(name,)) for name in urls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    return results


def test_boards_handed_in_together_share_crawl_processes(
    tmp_path: Path, db_url: str, engine: Engine
) -> None:
    boards = {f"b{i}": generate_board(8 + i, seed=30 + i) for i in range(3)}
    servers = {name: DemoServer(board) for name, board in boards.items()}
    try:
        for srv in servers.values():
            srv.start()
        urls = {name: srv.list_url for name, srv in servers.items()}
        together = hand_in(CrawlBatcher(per_process=50, window=1.0), tmp_path, engine, urls)
        in_twos = hand_in(CrawlBatcher(per_process=2, window=1.0), tmp_path, engine, urls)
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
