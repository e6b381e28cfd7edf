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

from archive.db import make_engine, upgrade
from tests.conftest import free_port
from tests.faults.test_db_gone import survives_outage


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


def test_the_postgresql_server_crashes_mid_run(tmp_path: Path, cluster: Cluster) -> None:
    engine = make_engine(cluster.url)
    upgrade(engine)

    def crash() -> None:
        engine.dispose()  # the test's own connections die with the server too
        cluster.crash()
        time.sleep(4)  # the crawl goes on fetching; its writes fail
        cluster.start()  # crash recovery replays the WAL

    survives_outage(tmp_path, engine, crash)
    engine.dispose()
