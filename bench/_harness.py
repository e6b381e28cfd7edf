"""What the benchmarks share: a crawl child's environment, waiting for a child with its own
resource usage (CPU time from ``os.wait4``, peak RSS from ``bench/_peak.py``: both of that
process alone), and fresh databases (a SQLite file, or a PostgreSQL database created on a
server and dropped afterwards)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

# this tree's packages first (also when run from a copy of the tree)
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from archive.config import normalise_database_url  # noqa: E402
from archive.db import make_engine, upgrade  # noqa: E402


class BenchError(RuntimeError):
    """A check failed: the figures would not mean what they say."""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def crawl_env(config: Path, database_url: str | None, **extra: str) -> dict[str, str]:
    """The environment of a crawl process: ``$DATABASE_URL`` only as given, ``extra`` (e.g.
    ``BOARD_ARCHIVE_FAKE_NOW``) added."""
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["BOARD_ARCHIVE_CONFIG"] = str(config)
    if database_url:
        env["DATABASE_URL"] = database_url
    env.update(extra)
    return env


@dataclass(frozen=True)
class Finished:
    exit_code: int
    seconds: float  # from spawn to exit
    cpu_seconds: float  # user + system of the child itself
    peak_rss: int  # bytes, of the child itself (``bench/_peak.py``)


class Measured:
    """A Python child started under ``bench/_peak.py``, which writes the child's own peak RSS
    when it exits (``ru_maxrss`` would include this benchmark's own peak: see there)."""

    def __init__(self, args: list[str], env: dict[str, str], **popen: object) -> None:
        if not args or args[0] != sys.executable:
            raise BenchError(f"not a command of this Python: {args[:1]}")
        fd, peak = tempfile.mkstemp(prefix="bench-peak-")
        os.close(fd)
        self.peak_file = Path(peak)
        wrapped = [sys.executable, str(ROOT / "bench" / "_peak.py"), peak, *args[1:]]
        self.started = time.monotonic()
        self.proc = subprocess.Popen(wrapped, cwd=ROOT, env=env, **popen)  # type: ignore[call-overload]

    @property
    def pid(self) -> int:
        return int(self.proc.pid)

    def wait(self) -> Finished:
        """Wait for the child; kill it if the wait is interrupted (Ctrl-C), so no crawl outlives
        its benchmark. A child that died before writing its peak has none (``BenchError``)."""
        proc = self.proc
        try:
            _, status, usage = os.wait4(proc.pid, 0)
        except BaseException:
            proc.kill()
            proc.wait()
            self.peak_file.unlink(missing_ok=True)
            raise
        proc.returncode = os.waitstatus_to_exitcode(status)
        try:
            peak = int(self.peak_file.read_text("ascii") or 0)
        finally:
            self.peak_file.unlink(missing_ok=True)
        if not peak:
            raise BenchError(f"the child exited ({proc.returncode}) without its peak RSS")
        return Finished(
            proc.returncode,
            time.monotonic() - self.started,
            usage.ru_utime + usage.ru_stime,
            peak,
        )


def run_measured(args: list[str], env: dict[str, str], **popen: object) -> Finished:
    return Measured(args, env, **popen).wait()


def pg_admin(admin_url: str, *statements: str) -> None:
    """Run statements (CREATE/DROP DATABASE) on the server of ``admin_url``, outside a
    transaction."""
    admin = create_engine(normalise_database_url(admin_url), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            for sql in statements:
                conn.execute(text(sql))
    finally:
        admin.dispose()


def create_pg(admin_url: str, name: str) -> str:
    """A fresh database ``name`` on the server of ``admin_url``, migrated to head; its URL."""
    drop_pg(admin_url, name)
    pg_admin(admin_url, f'CREATE DATABASE "{name}"')
    url = make_url(normalise_database_url(admin_url)).set(database=name)
    rendered = url.render_as_string(hide_password=False)
    init_schema(rendered)
    return rendered


def drop_pg(admin_url: str, name: str) -> None:
    pg_admin(admin_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def init_schema(url: str) -> None:
    engine = make_engine(url)
    try:
        upgrade(engine)
    finally:
        engine.dispose()


class Database:
    """A fresh archive for one benchmark, migrated to head: a SQLite file in ``tmp``, or, with
    ``server_url``, a PostgreSQL database created on that server and dropped on exit."""

    def __init__(self, server_url: str | None, tmp: Path, prefix: str = "ba_bench") -> None:
        self.server_url, self.tmp = server_url, tmp
        self.name = f"{prefix}_{os.getpid()}"

    def __enter__(self) -> str:
        if not self.server_url:
            url = f"sqlite:///{self.tmp / 'archive.sqlite3'}"
            init_schema(url)
            return url
        return create_pg(self.server_url, self.name)

    def __exit__(self, *exc: object) -> None:
        if self.server_url:
            drop_pg(self.server_url, self.name)
