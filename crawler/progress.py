"""ProgressFile: the crawl's progress, written to a small JSON file for whoever shows it.

Settings (prefix ``PROGRESS_FILE``):

- ``PROGRESS_FILE`` (None): the file's path; unset raises NotConfigured. ``board-archive crawl``
  sets it and draws its progress display from the file (``board_archive/progress.py``).
- ``PROGRESS_FILE_INTERVAL`` (0.5): seconds between writes.

The file holds one JSON object, replaced whole each time (written beside it, then renamed, so a
reader never sees half of one): list pages parsed and requested so far, view pages answered
and requested so far, files downloaded, errors, and ``done`` once the spider has closed. It
reads the crawl's stats (``archive.runstats.Stat``) and the spider's own request sets when it
has them (``list_pages_requested``, ``requested``).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
from pathlib import Path
from typing import Any, Self

from scrapy import Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured

from archive.runstats import ERRORS, FAILED_VIEWS, VIEWS, RunStats, Stat


class ProgressFile:
    def __init__(self, crawler: Crawler, path: Path, interval: float) -> None:
        self.crawler = crawler
        self.path = path
        self.interval = interval
        self._task: asyncio.Task[None] | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        path = crawler.settings.get("PROGRESS_FILE")
        if not path:  # off unless asked for: no reason given, so Scrapy logs no warning
            raise NotConfigured
        interval = crawler.settings.getfloat("PROGRESS_FILE_INTERVAL", 0.5)
        progress = cls(crawler, Path(path), interval)
        crawler.signals.connect(progress.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(progress.spider_closed, signal=signals.spider_closed)
        return progress

    def spider_opened(self, spider: Spider) -> None:
        self._task = asyncio.get_running_loop().create_task(self._keep_writing(spider))

    def spider_closed(self, spider: Spider) -> None:
        if self._task is not None:
            self._task.cancel()
        self.write(spider, done=True)

    async def _keep_writing(self, spider: Spider) -> None:
        while True:
            self.write(spider, done=False)
            await asyncio.sleep(self.interval)

    def snapshot(self, spider: Spider, *, done: bool) -> dict[str, Any]:
        assert self.crawler.stats is not None
        stats = RunStats.of(self.crawler.stats.get_stats())
        return {
            "list_done": stats[Stat.LIST_PAGES] + stats[Stat.LIST_ERRORS],
            "list_requested": len(getattr(spider, "list_pages_requested", ())),
            "views_done": stats.total(VIEWS) + stats.total(FAILED_VIEWS),
            "views_requested": len(getattr(spider, "requested", ())),
            "files": stats[Stat.FILES_DOWNLOADED],
            "errors": stats.total(ERRORS),
            "done": done,
        }

    def write(self, spider: Spider, *, done: bool) -> None:
        """Replace the file with the progress now (a failure to write is no crawl failure)."""
        temporary = self.path.with_name(self.path.name + ".tmp")
        with contextlib.suppress(OSError):
            temporary.write_text(json.dumps(self.snapshot(spider, done=done)), encoding="utf-8")
            os.replace(temporary, self.path)
