"""Starting crawls: each crawl is a ``scrapy crawl board`` child process.

The Twisted reactor cannot be restarted, so every crawl gets a fresh process; the parent only
reads the run record the crawl left behind. ``archive`` does not import Scrapy: it runs it.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from archive.config import BoardConfig, Config
from archive.models import Board, CrawlRun, RunStatus

PROJECT_ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True, slots=True)
class CrawlResult:
    exit_code: int  # the child process's
    run: CrawlRun | None  # None: the crawl ended before it could open its run

    @property
    def ok(self) -> bool:
        return (
            self.exit_code == 0
            and self.run is not None
            and (self.run.status == RunStatus.SUCCEEDED)
        )


def crawl_command(
    board: BoardConfig, adhoc: bool, mode: str, extra_settings: dict[str, str]
) -> list[str]:
    args = [sys.executable, "-m", "scrapy", "crawl", "board", "-a", f"mode={mode}"]
    args += ["-a", f"url={board.url}"] if adhoc else ["-a", f"board={board.name}"]
    for key, value in extra_settings.items():
        args += ["-s", f"{key}={value}"]
    return args


def run_crawl(
    config: Config,
    board: BoardConfig,
    engine: Engine,
    *,
    adhoc: bool = False,
    mode: str = "incremental",
    log_level: str = "INFO",
    extra_settings: dict[str, str] | None = None,
    timeout: float | None = None,
) -> CrawlResult:
    """Crawl one board in a child process and return the run it recorded.

    ``mode`` is "incremental" (new posts, changed list rows, what the revisit policy picks) or
    "full" (every list page, every post). ``timeout`` stops the crawl: SIGTERM first, so Scrapy
    closes the run as interrupted, then SIGKILL after a grace period.
    """
    env = dict(os.environ)
    env["SCRAPY_SETTINGS_MODULE"] = "crawler.settings"
    env["DATABASE_URL"] = engine.url.render_as_string(hide_password=False)
    if config.source is not None:
        env["BOARD_ARCHIVE_CONFIG"] = str(config.source.resolve())
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(PROJECT_ROOT), env.get("PYTHONPATH")]))
    settings = {"LOG_LEVEL": log_level, **(extra_settings or {})}
    proc = subprocess.Popen(crawl_command(board, adhoc, mode, settings), env=env)
    try:
        code = proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.send_signal(signal.SIGTERM)  # Scrapy shuts down cleanly and closes its run
        try:
            proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        code = 124
    except BaseException:
        proc.kill()
        proc.wait()
        raise
    return CrawlResult(exit_code=code, run=latest_run(engine, board.name, pid=proc.pid))


def latest_run(engine: Engine, board_name: str, pid: int | None = None) -> CrawlRun | None:
    """The board's newest run; with ``pid``, the newest one that process recorded."""
    with Session(engine, expire_on_commit=False) as s:
        query = (
            select(CrawlRun)
            .join(Board, Board.id == CrawlRun.board_id)
            .where(Board.name == board_name)
            .order_by(CrawlRun.started_at.desc(), CrawlRun.id.desc())
            .limit(1)
        )
        if pid is not None:
            query = query.where(CrawlRun.pid == pid)
        return s.scalar(query)
