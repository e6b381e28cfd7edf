"""``board-archive serve`` as a user runs it: a process serving a seeded SQLite archive (and its
blob store, from the config file) on a free port, stopped by SIGTERM."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from archive.db import make_engine, upgrade
from tests.conftest import free_port
from tests.web.seed import MAP_PNG, seed_archive, sha256


def start(tmp_path: Path, db_url: str, *args: str) -> subprocess.Popen[str]:
    config = tmp_path / "boards.toml"
    config.write_text(
        f'[archive]\ndatabase_url = "{db_url}"\nblob_dir = "{tmp_path / "blobs"}"\n',
        encoding="utf-8",
    )
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    return subprocess.Popen(
        [sys.executable, "-m", "board_archive.cli", "serve", "-c", str(config), *args],
        env={**env, "NO_COLOR": "1"},
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def get(url: str) -> tuple[int, bytes]:
    with urllib.request.urlopen(url, timeout=5) as r:
        return r.status, r.read()


def wait_until_up(proc: subprocess.Popen[str], url: str) -> tuple[int, bytes]:
    deadline = time.monotonic() + 60
    while True:
        try:
            return get(url)
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                out = proc.communicate()[0]
                pytest.fail(f"serve did not come up (exit {proc.returncode}):\n{out}")
            time.sleep(0.1)


def test_serve_answers_and_stops_on_sigterm(tmp_path: Path) -> None:
    db_url = f"sqlite:///{tmp_path}/archive.sqlite3"
    engine = make_engine(db_url)
    upgrade(engine)
    seed_archive(engine, tmp_path / "blobs")
    engine.dispose()
    port = free_port()
    proc = start(tmp_path, db_url, "--host", "127.0.0.1", "--port", str(port))
    try:
        status, page = wait_until_up(proc, f"http://127.0.0.1:{port}/")
        assert status == 200 and b'href="/boards/press"' in page
        assert get(f"http://127.0.0.1:{port}/files/{sha256(MAP_PNG)}") == (200, MAP_PNG)
        assert get(f"http://127.0.0.1:{port}/api/boards")[0] == 200
    finally:
        proc.send_signal(signal.SIGTERM)
        out = proc.communicate(timeout=30)[0]
    assert proc.returncode == 0, out
    assert f"on http://127.0.0.1:{port}/" in out and str(tmp_path / "blobs") in out
    with pytest.raises(OSError):
        get(f"http://127.0.0.1:{port}/")


def test_serve_refuses_an_archive_that_is_not_set_up(tmp_path: Path) -> None:
    proc = start(tmp_path, f"sqlite:///{tmp_path}/empty.sqlite3", "--port", str(free_port()))
    out = proc.communicate(timeout=60)[0]
    assert proc.returncode == 1 and "board-archive init" in out, out
