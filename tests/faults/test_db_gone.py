"""The database going away in the middle of a run: the run fails cleanly (status failed, a message
saying what could not be written), what it committed before stays, and the next run completes.

PostgreSQL: the shared cluster keeps running; the test database stops taking connections
(``ALLOW_CONNECTIONS false``, which holds for superusers too) and the crawl's connections to it
are terminated (``pg_terminate_backend``) again and again for a few seconds. SQLite: the test
holds an exclusive lock on the file longer than the crawl's busy timeout (30 s).
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, func, select, text
from sqlalchemy.orm import Session

from archive.models import CrawlRun, Post, RunStatus
from board_archive.demoboard import DemoServer, generate_board
from tests.conftest import PG_ADMIN_URL
from tests.faults.helpers import crawl, last_run, posts, versions
from tests.faults.procs import start_crawl, write_config

#: a slow crawl (one request at a time, 0.1 s apart), written in small batches
TERMINATE = (
    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
    " WHERE datname = :name AND pid <> pg_backend_pid()"
)
SETTINGS = {"ARCHIVE_BATCH_SIZE": "4", "ARCHIVE_FLUSH_SECONDS": "0.5"}


def post_count(engine: Engine) -> int:
    with Session(engine) as s:
        return s.scalar(select(func.count()).select_from(Post)) or 0


def wait_for(check: Callable[[], bool], timeout: float = 60) -> None:
    end = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < end, "timed out"
        time.sleep(0.1)


def postgres_outage(engine: Engine, seconds: float) -> None:
    name = engine.url.database
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as c:
            c.execute(text(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false'))
            end = time.monotonic() + seconds
            while time.monotonic() < end:
                c.execute(text(TERMINATE), {"name": name})
                time.sleep(0.2)
            c.execute(text(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true'))
    finally:
        admin.dispose()


def sqlite_outage(engine: Engine, seconds: float) -> None:
    con = sqlite3.connect(str(engine.url.database), isolation_level=None, timeout=30)
    try:
        con.execute("BEGIN EXCLUSIVE")
        time.sleep(seconds)
        con.execute("ROLLBACK")
    finally:
        con.close()


def survives_outage(tmp_path: Path, engine: Engine, outage: Callable[[], None]) -> None:
    """A slow crawl, ``outage`` once it has stored some posts, then what must hold: the run
    failed cleanly, what it committed before is unchanged, and the next run completes."""
    board = generate_board(60, seed=5)
    live = {str(i) for i in board.live_ids()}
    with DemoServer(board) as server:
        write_config(tmp_path, server.list_url, delay=0.1, concurrency=1)
        proc = start_crawl(tmp_path, engine, settings=SETTINGS)
        wait_for(lambda: post_count(engine) >= 8 or proc.poll() is not None)
        assert proc.poll() is None, proc.communicate()[1][-3000:]
        committed = {k: [v.content_hash for v in vs] for k, vs in versions(engine).items()}
        outage()
        _, err = proc.communicate(timeout=240)
        run = last_run(engine)
        assert run.pid == proc.pid
        assert run.status == RunStatus.FAILED, (run.status, run.message, err[-3000:])
        assert run.message and "could not be written" in run.message
        assert run.finished_at is not None and run.errors >= 1
        # what was committed before the outage is still there, unchanged
        after = {k: [v.content_hash for v in vs] for k, vs in versions(engine).items()}
        assert all(after[k][: len(hashes)] == hashes for k, hashes in committed.items())

        # the next run completes and archives what the failed one could not write
        result = crawl(tmp_path, engine, server.list_url)
        assert result.ok, (result.run.status, result.run.message) if result.run else None
    assert set(posts(engine)) == live
    by_post = versions(engine)
    assert all(len(vs) == 1 for vs in by_post.values())  # nothing stored twice


def test_the_database_goes_away_mid_run(tmp_path: Path, engine: Engine, backend: str) -> None:
    if backend == "postgresql":
        survives_outage(tmp_path, engine, lambda: postgres_outage(engine, seconds=4))
    else:  # past the crawl's 30 s busy timeout
        survives_outage(tmp_path, engine, lambda: sqlite_outage(engine, seconds=33))


@pytest.mark.parametrize("backend", ["postgresql"], indirect=True)
def test_the_database_gone_until_the_crawl_ends(
    tmp_path: Path, engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The crawl cannot even close its run nor release the board's lock: a crawl right after it
    is skipped (the lock is not stale yet); one after ``lock_stale_after`` marks that run
    interrupted and completes."""
    board = generate_board(40, seed=6)
    name = engine.url.database
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with DemoServer(board) as server:
        write_config(tmp_path, server.list_url, delay=0.1, concurrency=1)
        proc = start_crawl(tmp_path, engine, settings=SETTINGS)
        log: list[str] = []  # drained as it comes: a full pipe would block the crawl
        reader = threading.Thread(target=lambda: log.extend(proc.stderr or ()), daemon=True)
        reader.start()
        wait_for(lambda: post_count(engine) >= 4 or proc.poll() is not None)
        assert proc.poll() is None, "".join(log)[-3000:]
        stuck = last_run(engine)
        end = time.monotonic() + 180
        try:
            with admin.connect() as c:
                c.execute(text(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false'))
                while proc.poll() is None and time.monotonic() < end:
                    c.execute(text(TERMINATE), {"name": name})
                    time.sleep(0.2)
                ended_while_gone = proc.poll() is not None
        finally:
            with admin.connect() as c:
                c.execute(text(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true'))
            admin.dispose()
        proc.wait(timeout=60)
        reader.join(10)
        if proc.stderr is not None:
            proc.stderr.close()
        # it gave up by itself while the database was still gone (not at our deadline), and said
        # what it could not do
        assert ended_while_gone, "".join(log)[-3000:]
        assert f"could not close run {stuck.id}" in "".join(log), "".join(log)[-3000:]
        assert stuck.pid == proc.pid and last_run(engine).status == RunStatus.RUNNING
        result = crawl(tmp_path, engine, server.list_url)
        assert result.run is not None and result.run.status == RunStatus.SKIPPED
        later = datetime.now(UTC) + timedelta(hours=1)  # past lock_stale_after (15 min)
        monkeypatch.setenv("BOARD_ARCHIVE_FAKE_NOW", later.isoformat())
        result = crawl(tmp_path, engine, server.list_url)
        assert result.ok, (result.run.status, result.run.message) if result.run else None
    with Session(engine) as s:
        closed = s.get_one(CrawlRun, stuck.id)
    assert closed.status == RunStatus.INTERRUPTED
    assert closed.message == "the crawl process ended without closing its run"
    assert set(posts(engine)) == {str(i) for i in board.live_ids()}
    assert all(len(vs) == 1 for vs in versions(engine).values())
