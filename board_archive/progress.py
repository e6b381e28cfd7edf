"""The terminal's side of a crawl: a Rich progress display, and the crawl's log in a file.

``board-archive crawl`` sends the crawl's whole log (Scrapy's) to a file per run
(``board_archive.runlogs``), and draws, while the crawl runs, what its progress file says
(``crawler/progress.py``): list pages walked of those found so far, view pages fetched of those
planned so far, files, errors, and the time left at the rate so far. Only on a terminal:
elsewhere nothing is drawn, and the command prints its short report alone.
"""

from __future__ import annotations

import json
from pathlib import Path
from types import TracebackType
from typing import Any

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from sqlalchemy import Engine

from archive.config import BoardConfig, Config
from board_archive.crawl import CrawlResult, run_crawl
from board_archive.runlogs import RunFiles


class CrawlProgress:
    """The progress display of one crawl, drawn from its progress file (``update``)."""

    def __init__(self, console: Console, progress_file: Path) -> None:
        self.file = progress_file
        self.progress = Progress(
            TextColumn("{task.description:<12}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[note]}"),
            TimeElapsedColumn(),
            TextColumn("left"),
            TimeRemainingColumn(),
            console=console,
            transient=True,
            disable=not console.is_terminal,
        )
        self.lists: TaskID | None = None
        self.views: TaskID | None = None

    def __enter__(self) -> CrawlProgress:
        self.progress.start()
        self.lists = self.progress.add_task("list pages", total=None, note="")
        self.views = self.progress.add_task("view pages", total=None, note="")
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.progress.stop()
        self.file.unlink(missing_ok=True)

    def update(self) -> None:
        """Redraw from the progress file (none yet, or unreadable: as it was)."""
        now = self.read()
        if now is None or self.lists is None or self.views is None:
            return
        self.progress.update(
            self.lists, completed=now["list_done"], total=max(now["list_requested"], 1)
        )
        errors = f", {now['errors']} errors" if now["errors"] else ""
        self.progress.update(
            self.views,
            completed=now["views_done"],
            total=max(now["views_requested"], 1),
            note=f"{now['files']} files{errors}",
        )

    def read(self) -> dict[str, Any] | None:
        try:
            value = json.loads(self.file.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        return value if isinstance(value, dict) else None


def crawl_shown(
    console: Console,
    cfg: Config,
    board: BoardConfig,
    engine: Engine,
    *,
    adhoc: bool,
    mode: str,
    log_level: str,
) -> CrawlResult:
    """``run_crawl`` with its log in a file (path printed) and a progress display."""
    files = RunFiles.new(cfg.data_dir, board.name)
    console.print(f"log: {files.log}", highlight=False)
    with CrawlProgress(console, files.progress) as shown:
        return run_crawl(
            cfg,
            board,
            engine,
            adhoc=adhoc,
            mode=mode,
            log_level=log_level,
            extra_settings={"PROGRESS_FILE": str(files.progress)},
            log_file=files.log,
            tick=shown.update,
        )
