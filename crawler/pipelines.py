"""ArchivePipeline: hands parsed outcomes to the archive in batches, off the reactor thread.

Settings (prefix ``ARCHIVE_``):

- ``ARCHIVE_ENABLED`` (True): False raises NotConfigured (a crawl that stores nothing).
- ``ARCHIVE_DATABASE_URL`` (None): else the configuration's database ($DATABASE_URL, boards.toml,
  ``./var/archive.sqlite3``).
- ``ARCHIVE_BATCH_SIZE`` (100): outcomes written per transaction.
- ``ARCHIVE_FLUSH_SECONDS`` (5.0): a partial batch is written at least this often, so a kill loses
  at most a few seconds of fetches (re-fetched by the next run), never anything committed.
- ``ARCHIVE_HEARTBEAT_SECONDS`` (60): how often the board lock's heartbeat is renewed.
- ``ARCHIVE_BLOB_DIR`` (None): else the configuration's ``[archive] blob_dir``.

Downloaded files arrive as ``FileOutcome`` items after their post. Their bytes go into the blob
store at once, on the writer thread (never on the reactor), and only the SHA-256 waits in the
batch, which links it to the version's rows after the post's own outcome; a batch that fails
leaves at most an unreferenced blob, and the file is downloaded again by the next run.

It also keeps the crawl-run record and the board's lock: when the spider opens it takes the
lock (a second crawl of the board records a "skipped" run and stops), closes runs left
"running" by killed crawls as interrupted, opens the run and hands the spider its plan (the
posts the archive knows; for an incremental run, the re-checks the revisit policy picked);
counts are added in each batch's own transaction; when the spider closes the run gets its
status, health, message and Scrapy stats, and the lock is released.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from typing import Any, TypeVar

from scrapy import Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import CloseSpider, NotConfigured
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from archive import items as it
from archive import locks, runs
from archive.blobs import BlobStore
from archive.clock import utcnow
from archive.db import check_schema, make_engine
from archive.health import assess
from archive.models import RunMode, RunStatus
from archive.revisit import CrawlPlan, RevisitPolicy, make_plan
from archive.store import IngestCounts, ensure_board, ingest_batch

logger = logging.getLogger(__name__)
T = TypeVar("T")
OUTCOMES = (it.Post, it.PostNotFound, it.SecretPost, it.FileOutcome)
ERROR_STATS = ("list_errors", "view_parse_errors", "view_fetch_errors")


class ArchivePipeline:
    def __init__(
        self,
        crawler: Crawler,
        database_url: str,
        batch_size: int,
        flush_s: float,
        heartbeat_s: float,
        blob_dir: str,
        policy: RevisitPolicy,
    ) -> None:
        self.crawler = crawler
        self.policy = policy  # the board's revisit policy: the run's plan, ingest's next checks
        self.blobs = BlobStore(blob_dir)
        self.database_url = database_url
        self.batch_size = batch_size
        self.flush_seconds = flush_s
        self.heartbeat_seconds = heartbeat_s
        self.buffer: list[it.ViewOutcome | it.FileOutcome] = []
        self.counts = IngestCounts()
        self.engine: Engine | None = None
        self.board_id: int | None = None
        self.run_id: int | None = None
        self.owner = locks.owner_id()
        self.write_errors = 0
        self.lock_lost = False
        self._last_flush = time.monotonic()
        self._lock = asyncio.Lock()
        self._heartbeat: asyncio.Task[None] | None = None
        # One writer thread: batches are written in order, and never on the reactor thread.
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="archive-writer")

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ArchivePipeline:
        settings = crawler.settings
        if not settings.getbool("ARCHIVE_ENABLED", True):
            raise NotConfigured("ARCHIVE_ENABLED is off")
        spider: Any = crawler.spider
        if spider is None or not hasattr(spider, "board"):
            raise NotConfigured("ArchivePipeline works with the board spider")
        url = settings.get("ARCHIVE_DATABASE_URL") or spider.config.database_url
        batch = settings.getint("ARCHIVE_BATCH_SIZE", 100)
        if batch < 1:
            raise NotConfigured("ARCHIVE_BATCH_SIZE must be >= 1")
        pipeline = cls(
            crawler,
            url,
            batch,
            settings.getfloat("ARCHIVE_FLUSH_SECONDS", 5.0),
            settings.getfloat("ARCHIVE_HEARTBEAT_SECONDS", 60.0),
            settings.get("ARCHIVE_BLOB_DIR") or str(spider.config.blob_dir),
            RevisitPolicy.with_days(spider.board.revisit),
        )
        crawler.signals.connect(pipeline.spider_closed, signal=signals.spider_closed)
        return pipeline

    @property
    def spider(self) -> Any:
        return self.crawler.spider

    async def _run(self, fn: Callable[..., T], *args: Any) -> T:
        return await asyncio.get_running_loop().run_in_executor(self._executor, fn, *args)

    async def _db(self, fn: Callable[[Session], T]) -> T:
        """Run ``fn`` in one transaction on the writer thread."""
        engine = self.engine
        assert engine is not None

        def work() -> T:
            with Session(engine) as s, s.begin():
                return fn(s)

        return await self._run(work)

    # -- opening -----------------------------------------------------------------------------

    async def open_spider(self) -> None:
        spider = self.spider
        board, mode = spider.board, RunMode(spider.mode)
        now = utcnow()
        self.engine = make_engine(self.database_url)
        await self._run(check_schema, self.engine)
        self.board_id = await self._db(lambda s: ensure_board(s, board, now))
        stale = timedelta(seconds=spider.config.scheduler.lock_stale_after)
        try:
            taken_over = await self._run(
                locks.acquire, self.engine, self.board_id, self.owner, now, stale
            )
        except locks.LockHeld as held:
            board_id, why = self.board_id, str(held)
            await self._db(lambda s: runs.record_skipped(s, board_id, now, mode, why))
            logger.warning("skipped: %s", why)
            self.board_id = None  # nothing of this crawl is ours to close
            raise CloseSpider("board_locked") from None
        if taken_over:
            logger.warning("took over the lock of %s, whose heartbeat had stopped", taken_over)

        board_id, budget, policy = self.board_id, board.view_budget, self.policy

        def begin(s: Session) -> tuple[int, int, CrawlPlan]:
            interrupted = runs.mark_interrupted(s, board_id, now)
            run_id = runs.start_run(s, board_id, now, mode)
            locks.set_run(s, board_id, self.owner, run_id)
            plan = make_plan(s, board_id, now, budget if mode == RunMode.INCREMENTAL else 0, policy)
            return run_id, interrupted, plan

        self.run_id, interrupted, plan = await self._db(begin)
        if interrupted:
            logger.warning("%d earlier run(s) of this board were interrupted", interrupted)
        spider.plan = plan
        self._heartbeat = asyncio.get_running_loop().create_task(self._beat())
        logger.info(
            "run %s (%s) of board %r opened: %d posts archived, %d re-checks due",
            self.run_id,
            mode.value,
            board.name,
            len(plan.known),
            len(plan.due),
        )

    async def _beat(self) -> None:
        board_id = self.board_id
        assert board_id is not None
        while True:
            await asyncio.sleep(self.heartbeat_seconds)
            alive = await self._db(lambda s: locks.heartbeat(s, board_id, self.owner, utcnow()))
            if not alive and not self.lock_lost:
                self.lock_lost = True
                logger.error("the board lock was taken over: another crawl thought this one dead")

    # -- items -------------------------------------------------------------------------------

    async def process_item(self, item: Any) -> Any:
        if not isinstance(item, OUTCOMES):
            return item
        if isinstance(item, it.FileOutcome) and item.status == "stored" and item.sha256 is None:
            item = await self._store_blob(item)
        self.buffer.append(item)
        due = time.monotonic() - self._last_flush >= self.flush_seconds
        if len(self.buffer) >= self.batch_size or due:
            await self.flush()
        return item

    async def _store_blob(self, item: it.FileOutcome) -> it.FileOutcome:
        """The file's bytes into the blob store (writer thread); the item keeps its SHA-256."""
        try:
            put = await self._run(self.blobs.put, item.data)
        except OSError as exc:
            logger.error(
                "could not store a file of post %s in %s: %s", item.post_id, self.blobs.root, exc
            )
            self._stat("blob_errors")
            reason = f"could not be stored: {exc}"
            return dataclasses.replace(item, status="failed", reason=reason, data=b"")
        if put.created:
            self._stat("blobs_new")
            self._stat("blob_bytes_new", put.size)
        return dataclasses.replace(item, data=b"", sha256=put.sha256, size=put.size)

    def _stat(self, key: str, n: int = 1) -> None:
        if self.crawler.stats is not None:
            self.crawler.stats.inc_value(f"board_archive/{key}", n)

    async def flush(self) -> None:
        async with self._lock:
            batch, self.buffer = self.buffer, []
            self._last_flush = time.monotonic()
            if not batch:
                return
            board_id, run_id, now = self.board_id, self.run_id, utcnow()
            assert board_id is not None and run_id is not None

            def write(s: Session) -> IngestCounts:
                counts = ingest_batch(s, board_id, run_id, batch, now, self.policy)
                runs.record_counts(s, run_id, counts)
                locks.heartbeat(s, board_id, self.owner, now)
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
        if self.run_id is not None:
            await self.flush()

    # -- closing -----------------------------------------------------------------------------

    async def spider_closed(self, spider: Spider, reason: str) -> None:
        if self._heartbeat is not None:
            self._heartbeat.cancel()
        try:
            if self.run_id is not None and self.board_id is not None:
                await self._close_run(spider, reason)
        finally:
            self._executor.shutdown(wait=True)
            if self.engine is not None:
                self.engine.dispose()

    async def _close_run(self, spider: Spider, reason: str) -> None:
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
        errors = sum(int(stats.get(f"board_archive/{k}", 0)) for k in ERROR_STATS)
        errors += self.write_errors
        run_id, board_id, now = self.run_id, self.board_id, utcnow()
        assert run_id is not None and board_id is not None

        def close(s: Session) -> tuple[str, list[str]]:
            run = runs.finish_run(
                s,
                run_id,
                status=status,
                now=now,
                pages=int(stats.get("downloader/response_count", 0)),
                requests=int(stats.get("downloader/request_count", 0)),
                errors=errors,
                message=failure,
                stats={**stats, "finish_reason": reason},
            )
            s.flush()
            run.health, notes = assess(s, run)
            run.health_notes = notes or None
            locks.release(s, board_id, self.owner)
            return run.health.value, notes

        try:
            health, notes = await self._db(close)
        except Exception:
            logger.exception("could not close run %s", run_id)
            return
        c = self.counts
        logger.info(
            "run %s %s (health %s): %d posts seen, %d new, %d edited, %d deleted, %d errors; "
            "%d files downloaded (%d bytes), %d skipped%s",
            run_id,
            status.value,
            health,
            c.posts_seen,
            c.new_posts,
            c.edited,
            c.deleted,
            errors,
            c.files_downloaded,
            c.bytes_downloaded,
            c.files_skipped,
            f" ({failure})" if failure else "",
        )
        for note in notes:
            logger.warning("run %s is suspect: %s", run_id, note)
