"""The PostgreSQL server itself stopped in the middle of a run, as a crash stops it: the run fails
cleanly, what it committed before survives the server's crash recovery, and the next run, once the
server is back, completes.

The shared server on 127.0.0.1:5432 serves every other test, so this test starts a cluster of its
own (``initdb`` into a temporary directory, ``pg_ctl start`` on a port the OS picked, as the
``postgres`` user when the tests run as root) and stops it with ``pg_ctl stop -m immediate``: every
server process quits at once, with no checkpoint, as on a power cut or an OOM kill.
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from archive.db import make_engine, upgrade
from archive.models import Post, RunStatus
from demoboard import DemoServer, generate_board
from tests.conftest import free_port
from tests.faults.helpers import crawl, last_run, posts, versions
from tests.faults.procs import start_crawl, write_config

SETTINGS = {"ARCHIVE_BATCH_SIZE": "4", "ARCHIVE_FLUSH_SECONDS": "0.5"}


class Cluster:
    """A PostgreSQL cluster of the test's own: trust auth, 127.0.0.1, a free port."""

    def __init__(self) -> None:
        found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
        if not found:  # the CI machine has PostgreSQL installed: a missing binary is an error
            raise RuntimeError("no PostgreSQL server binaries under /usr/lib/postgresql")
        self.bin = Path(found[-1]).parent
        self.dir = Path(tempfile.mkdtemp(prefix="ba-pg-"))
        self.data = self.dir / "data"
        self.port = free_port()
        self.as_postgres = os.geteuid() == 0  # the server refuses to run as root
        if self.as_postgres:
            shutil.chown(self.dir, "postgres", "postgres")
        self._run("initdb", "-D", str(self.data), "-A", "trust", "-U", "postgres", "-E", "UTF8")

    @property
    def url(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    def _run(self, tool: str, *args: str) -> None:
        command = [str(self.bin / tool), *args]
        if self.as_postgres:
            command = ["runuser", "-u", "postgres", "--", *command]
        done = subprocess.run(command, capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, (command, done.stdout[-2000:], done.stderr[-2000:])

    def start(self) -> None:
        options = f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.dir} -c fsync=on"
        self._run("pg_ctl", "start", "-w", "-D", str(self.data), "-l", str(self.dir / "log"),
                  "-o", options)  # fmt: skip

    def crash(self) -> None:
        self._run("pg_ctl", "stop", "-D", str(self.data), "-m", "immediate")

    def remove(self) -> None:
        if (self.data / "postmaster.pid").exists():
            self._run("pg_ctl", "stop", "-D", str(self.data), "-m", "immediate")
        shutil.rmtree(self.dir, ignore_errors=True)


@pytest.fixture
def cluster() -> Iterator[Cluster]:
    pg = Cluster()
    try:
        pg.start()
        yield pg
    finally:
        pg.remove()


def post_count(engine: Engine) -> int:
    with Session(engine) as s:
        return s.scalar(select(func.count()).select_from(Post)) or 0


def test_the_postgresql_server_crashes_mid_run(tmp_path: Path, cluster: Cluster) -> None:
    engine = make_engine(cluster.url)
    upgrade(engine)
    board = generate_board(60, seed=5)
    with DemoServer(board) as server:
        write_config(tmp_path, server.list_url, delay=0.1, concurrency=1)
        proc = start_crawl(tmp_path, engine, settings=SETTINGS)
        end = time.monotonic() + 60
        while post_count(engine) < 8 and proc.poll() is None:
            assert time.monotonic() < end, "the crawl stored nothing for a minute"
            time.sleep(0.1)
        assert proc.poll() is None, proc.communicate()[1][-3000:]
        committed = {k: [v.content_hash for v in vs] for k, vs in versions(engine).items()}
        engine.dispose()  # the test's own connections die with the server too

        cluster.crash()
        time.sleep(4)  # the crawl goes on fetching; its writes fail
        cluster.start()  # crash recovery replays the WAL

        _, err = proc.communicate(timeout=240)
        run = last_run(engine)
        assert run.pid == proc.pid
        assert run.status == RunStatus.FAILED, (run.status, run.message, err[-3000:])
        assert run.message and "could not be written" in run.message
        assert run.finished_at is not None and run.errors >= 1
        after = {k: [v.content_hash for v in vs] for k, vs in versions(engine).items()}
        assert all(after[k][: len(hashes)] == hashes for k, hashes in committed.items())

        result = crawl(tmp_path, engine, server.list_url)
        assert result.ok, (result.run.status, result.run.message) if result.run else None
    assert set(posts(engine)) == {str(i) for i in board.live_ids()}
    assert all(len(vs) == 1 for vs in versions(engine).values())  # nothing stored twice
    engine.dispose()
