"""The crawl's child process started by a test (the command ``board_archive.crawl.run_crawl`` runs),
so the test has its pid: to kill it, or to act while it runs."""

from __future__ import annotations

import os
import subprocess
from datetime import datetime
from pathlib import Path

from sqlalchemy import Engine

from archive.config import load_config
from board_archive.crawl import crawl_command
from tests.faults.helpers import FAST


def write_config(tmp_path: Path, url: str, delay: float = 0, concurrency: int = 8) -> Path:
    path = tmp_path / "boards.toml"
    path.write_text(
        f'[boards.press]\nurl = "{url}"\ndelay = {delay}\nconcurrency = {concurrency}\n',
        encoding="utf-8",
    )
    return path


def start_crawl(
    tmp_path: Path,
    engine: Engine,
    now: datetime | None = None,
    settings: dict[str, str] | None = None,
    mode: str = "full",
) -> subprocess.Popen[str]:
    """The crawl process of the board in ``tmp_path/boards.toml`` into ``engine``'s
    database; ``now`` sets $BOARD_ARCHIVE_FAKE_NOW."""
    cfg = load_config(tmp_path / "boards.toml")
    env = {
        **os.environ,
        "DATABASE_URL": engine.url.render_as_string(hide_password=False),
        "BOARD_ARCHIVE_CONFIG": str(tmp_path / "boards.toml"),
    }
    if now is not None:
        env["BOARD_ARCHIVE_FAKE_NOW"] = now.isoformat()
    command = crawl_command(
        cfg.board("press"), False, mode, {**FAST, "LOG_LEVEL": "WARNING", **(settings or {})}
    )
    return subprocess.Popen(command, env=env, cwd=tmp_path, stderr=subprocess.PIPE, text=True)
