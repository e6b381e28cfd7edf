"""ArchivePipeline: hands parsed outcomes to the archive in batches, off the reactor thread.

Settings (prefix ``ARCHIVE_``):

- ``ARCHIVE_ENABLED`` (True): False raises NotConfigured (a crawl that stores nothing).
- ``ARCHIVE_DATABASE_URL`` (None): else the configuration's database ($DATABASE_URL, boards.toml,
  ``./var/archive.sqlite3``).
- ``ARCHIVE_BATCH_SIZE`` (100): outcomes written per transaction.
- ``ARCHIVE_FLUSH_SECONDS`` (5.0): a partial batch is written at least this often, so a kill loses
  at most a few seconds of fetches (re-fetched by the next run), never anything committed.

It also keeps the crawl-run record: opened when the spider opens, counts added in each batch's
own transaction, closed with status, message and Scrapy stats when the spider closes.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from typing import Any, TypeVar

from scrapy import Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from archive import items as it
from archive import runs
from archive.config import load_config
from archive.db import check_schema, make_engine
from archive.models import RunStatus
from archive.store import IngestCounts, ensure_board, ingest, known_post_ids

logger = logging.getLogger(__name__)
T = TypeVar("T")
OUTCOMES = (it.Post, it.PostNotFound, it.SecretPost)


class ArchivePipeline:
    def __init__(self, crawler: Crawler, database_url: str, batch_size: int, flush_s: float):
        self.crawler = crawler
        self.database_url = database_url
        self.batch_size = batch_size
        self.flush_seconds = flush_s
        self.buffer: list[it.ViewOutcome] = []
        self.counts = IngestCounts()
        self.engine: Engine | None = None
        self.board_id: int | None = None
        self.run_id: int | None = None
        self.write_errors = 0
        self._last_flush = time.monotonic()
        self._lock = asyncio.Lock()
        # One writer thread: batches are written in order, and never on the reactor thread.
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="archive-writer")

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ArchivePipeline:
        settings = crawler.settings
        if not settings.getbool("ARCHIVE_ENABLED", True):
            raise NotConfigured("ARCHIVE_ENABLED is off")
        url = settings.get("ARCHIVE_DATABASE_URL") or load_config().database_url
        batch = settings.getint("ARCHIVE_BATCH_SIZE", 100)
        if batch < 1:
            raise NotConfigured("ARCHIVE_BATCH_SIZE must be >= 1")
        pipeline = cls(crawler, url, batch, settings.getfloat("ARCHIVE_FLUSH_SECONDS", 5.0))
        crawler.signals.connect(pipeline.spider_closed, signal=signals.spider_closed)
        return pipeline

    async def _db(self, fn: Callable[[Session], T]) -> T:
        """Run ``fn`` in one transaction on the writer thread."""
        engine = self.engine
        assert engine is not None

        def work() -> T:
            with Session(engine) as s, s.begin():
                return fn(s)

        return await asyncio.get_running_loop().run_in_executor(self._executor, work)

    async def open_spider(self) -> None:
        spider = self._spider()
        board = spider.board
        now = datetime.now(UTC)
        self.engine = make_engine(self.database_url)
        await asyncio.get_running_loop().run_in_executor(self._executor, check_schema, self.engine)

        def begin(s: Session) -> tuple[int, int, set[str], int]:
            board_id = ensure_board(s, board, now)
            interrupted = runs.mark_interrupted(s, board_id, now)
            return (
                board_id,
                runs.start_run(s, board_id, now),
                known_post_ids(s, board_id),
                interrupted,
            )

        self.board_id, self.run_id, known, interrupted = await self._db(begin)
        if interrupted:
            logger.warning("%d earlier run(s) of this board were interrupted", interrupted)
        spider.archive_known_ids = known
        logger.info(
            "run %s of board %r opened (%d posts archived)", self.run_id, board.name, len(known)
        )

    async def process_item(self, item: Any) -> Any:
        if not isinstance(item, OUTCOMES):
            return item
        self.buffer.append(item)
        due = time.monotonic() - self._last_flush >= self.flush_seconds
        if len(self.buffer) >= self.batch_size or due:
            await self.flush()
        return item

    async def flush(self) -> None:
        async with self._lock:
            batch, self.buffer = self.buffer, []
            self._last_flush = time.monotonic()
            if not batch:
                return
            board_id, run_id, now = self.board_id, self.run_id, datetime.now(UTC)
            assert board_id is not None and run_id is not None

            def write(s: Session) -> IngestCounts:
                counts = ingest(s, board_id, run_id, batch, now)
                runs.record_counts(s, run_id, counts)
                return counts

            try:
                counts = await self._db(write)
            except Exception:
                # The batch is rolled back whole; its posts keep their last good version and are
                # fetched again by the next run. The run is marked failed when it closes.
                self.write_errors += 1
                logger.exception("writing a batch of %d outcomes failed", len(batch))
                return
            self.counts.add(counts)

    async def close_spider(self) -> None:
        await self.flush()

    async def spider_closed(self, spider: Spider, reason: str) -> None:
        if self.run_id is None or self.engine is None:
            return
        stats = self.crawler.stats.get_stats() if self.crawler.stats else {}
        failure = getattr(spider, "failure", None)
        if self.write_errors:
            failure = failure or f"{self.write_errors} batch(es) could not be written"
        if failure:
            status = RunStatus.FAILED
        elif reason == "finished":
            status = RunStatus.SUCCEEDED
        else:
            status = RunStatus.INTERRUPTED
            failure = f"crawl stopped early: {reason}"
        errors = (
            sum(
                int(stats.get(f"board_archive/{k}", 0))
                for k in ("list_errors", "view_parse_errors", "view_fetch_errors")
            )
            + self.write_errors
        )
        run_id, now = self.run_id, datetime.now(UTC)
        pages = int(stats.get("downloader/response_count", 0))

        def close(s: Session) -> None:
            runs.finish_run(
                s,
                run_id,
                status=status,
                now=now,
                pages=pages,
                errors=errors,
                message=failure,
                stats={**stats, "finish_reason": reason},
            )

        try:
            await self._db(close)
        except Exception:
            logger.exception("could not close run %s", run_id)
        finally:
            self._executor.shutdown(wait=True)
            self.engine.dispose()
        c = self.counts
        logger.info(
            "run %s %s: %d posts seen, %d new, %d new versions, %d deleted, %d errors%s",
            run_id,
            status.value,
            c.posts_seen,
            c.new_posts,
            c.new_versions,
            c.deleted,
            errors,
            f" ({failure})" if failure else "",
        )

    def _spider(self) -> Any:
        spider = self.crawler.spider
        if spider is None or not hasattr(spider, "board"):
            raise NotConfigured("ArchivePipeline works with the board spider")
        return spider
