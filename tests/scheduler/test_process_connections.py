"""The crawls of one crawl process share one engine (``crawler/writer.py``): however many
boards it crawls, the process holds at most ``RUNLEDGER_DB_CONNECTIONS`` connections to the
database (``[scheduler] process_connections``), and its boards still archive everything.
Counted on PostgreSQL, whose server lists its connections."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from archive.models import RunStatus
from board_archive.demoboard import DemoServer, generate_board
from tests.crawl.test_many_boards import archived_ids, readable, runs_by_board, write_config
from tests.scheduler.test_crawl_hosts import host_process

pytestmark = pytest.mark.filterwarnings("ignore:'imghdr' is deprecated:DeprecationWarning")


def others(engine: Engine) -> int:
    """Connections to the test's database other than this one."""
    with engine.connect() as conn:
        return int(
            conn.execute(
                text(
                    "SELECT count(*) FROM pg_stat_activity"
                    " WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )
            ).scalar_one()
        )


@pytest.mark.parametrize("backend", ["postgresql"])
def test_a_process_crawling_four_boards_holds_one_connection(
    tmp_path: Path, db_url: str, engine: Engine
) -> None:
    boards = {f"b{i}": generate_board(10, seed=60 + i) for i in range(4)}
    servers = {name: DemoServer(board).start() for name, board in boards.items()}
    most, done = 0, threading.Event()

    def sample() -> None:
        nonlocal most
        while not done.is_set():
            most = max(most, others(engine))
            time.sleep(0.02)

    sampler = threading.Thread(target=sample)
    try:
        config = write_config(tmp_path, {name: srv.list_url for name, srv in servers.items()})
        sampler.start()
        with host_process(
            tmp_path, engine, config, "RUNLEDGER_DB_CONNECTIONS=1", boards=tuple(boards)
        ) as proc:
            assert proc.stdin is not None
            proc.stdin.close()  # no more boards: it ends when these are done
            code = proc.wait(timeout=240)
    finally:
        done.set()
        if sampler.is_alive():
            sampler.join()
        for srv in servers.values():
            srv.stop()
    assert code == 0
    runs = runs_by_board(engine)
    assert len({run.pid for run in runs.values()}) == 1  # one process
    for name, board in boards.items():
        assert runs[name].status == RunStatus.SUCCEEDED
        assert archived_ids(engine, name) == readable(board)
    assert most == 1, most  # seen crawling, and never more than its one connection
