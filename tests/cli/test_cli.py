"""The command line: init, a crawl on an uninitialised database, the Scrapy command, --help."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from archive.db import current_revision, head_revision, make_engine
from archive.models import Post
from board_archive.demoboard.generate import generate_board
from board_archive.demoboard.server import DemoServer
from tests.crawl.test_end_to_end import cli, write_config

COMMANDS = [
    "init",
    "crawl",
    "posts",
    "history",
    "diff",
    "runs",
    "changes",
    "schedule",
    "demo",
    "attachments",
    "blob",
    "serve",
    "probe",
    "boards",
    "boards list",
    "boards remove",
]


def test_init_creates_and_is_idempotent(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/new/archive.sqlite3"
    first = cli(tmp_path, url, "init")
    assert first.returncode == 0 and "upgraded empty" in first.stdout
    again = cli(tmp_path, url, "init")
    assert again.returncode == 0 and "up to date" in again.stdout
    engine = make_engine(url)
    assert current_revision(engine) == head_revision()
    engine.dispose()


def test_crawl_before_init_says_what_to_do(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/empty.sqlite3"
    cfg = write_config(tmp_path, "http://127.0.0.1:9/bbs/board.php?bo_table=press")
    result = cli(tmp_path, url, "crawl", "press", "-c", str(cfg))
    assert result.returncode == 1
    assert "board-archive init" in result.stderr


def test_default_database_is_sqlite_under_var(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    result = subprocess.run(
        [sys.executable, "-m", "board_archive.cli", "init"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "var" / "archive.sqlite3").exists()


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help(tmp_path: Path, command: str) -> None:
    result = cli(tmp_path, "sqlite://", *command.split(), "--help")
    assert result.returncode == 0 and "Usage" in result.stdout
    assert "<bool>" not in result.stdout  # flags take no value


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_scrapy_crawl_command_archives_like_the_cli(
    tmp_path: Path, db_url: str, engine: Engine
) -> None:
    board = generate_board(20, seed=5)
    with DemoServer(board) as srv:
        cfg = write_config(tmp_path, srv.list_url)
        env = {
            **os.environ,
            "DATABASE_URL": db_url,
            "BOARD_ARCHIVE_CONFIG": str(cfg),
            "SCRAPY_SETTINGS_MODULE": "crawler.settings",
        }
        result = subprocess.run(
            [sys.executable, "-m", "scrapy", "crawl", "board", "-a", "board=press"],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
    assert result.returncode == 0, result.stderr[-2000:]
    with Session(engine) as s:
        assert s.scalar(select(func.count()).select_from(Post)) == len(board.live_ids())
