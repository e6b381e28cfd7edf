"""What the fleet tests share: the broker, a board's configuration, workers started and
stopped, waiting for the archive."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from archive.models import CrawlRun, Post

BROKER = os.environ.get("BOARD_ARCHIVE_TEST_BROKER", "amqp://guest:guest@127.0.0.1:5672//")


def write_config(tmp_path: Path, url: str, queue: str, delay: float = 0) -> Path:
    path = tmp_path / "boards.toml"
    path.write_text(
        f'[archive]\ndata_dir = "{tmp_path / "var"}"\n'
        f'[fleet]\nbroker_url = "{BROKER}"\nqueue = "{queue}"\n'
        f'[boards.press]\nurl = "{url}"\ndelay = {delay}\n',
        encoding="utf-8",
    )
    return path


def start_cli(tmp_path: Path, db_url: str, name: str, *args: str) -> subprocess.Popen[bytes]:
    """``board-archive ARGS`` in the background, its output in ``tmp_path/NAME.log``."""
    env = {**os.environ, "DATABASE_URL": db_url}
    with (tmp_path / f"{name}.log").open("wb") as log:  # the child keeps its own handle
        return subprocess.Popen(
            [sys.executable, "-m", "board_archive.cli", *args],
            env=env,
            cwd=tmp_path,
            stdout=log,
            stderr=subprocess.STDOUT,
        )


def start_worker(tmp_path: Path, db_url: str, config: Path, name: str) -> subprocess.Popen[bytes]:
    return start_cli(tmp_path, db_url, name, "worker", "-c", str(config), "--concurrency", "2")


def stop(worker: subprocess.Popen[bytes]) -> None:
    if worker.poll() is None:
        worker.send_signal(signal.SIGTERM)
        try:
            worker.wait(timeout=60)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()


def runs(engine: Engine) -> list[CrawlRun]:
    with Session(engine) as s:
        return list(s.scalars(select(CrawlRun).order_by(CrawlRun.id)))


def wait_for(what: str, check: object, seconds: float = 180) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():  # type: ignore[operator]
            return
        time.sleep(0.2)
    raise AssertionError(f"waited {seconds}s for {what}")


def posts_archived(engine: Engine) -> int:
    with Session(engine) as s:
        return s.scalar(select(func.count()).select_from(Post)) or 0
