"""ArchivePipeline: hands parsed outcomes to the archive in batches, off the reactor thread.

Settings (prefix ``ARCHIVE_``):

- ``ARCHIVE_ENABLED`` (True): False raises NotConfigured (a crawl that stores nothing; the run
  ledger is off too, see ``crawler/extensions.py``).
- ``ARCHIVE_BATCH_SIZE`` (100): outcomes written per transaction.
- ``ARCHIVE_FLUSH_SECONDS`` (5.0): a partial batch is written at least this often, so a kill loses
  at most a few seconds of fetches (re-fetched by the next run), never anything committed.
- ``ARCHIVE_BLOB_DIR`` (None): else the configuration's ``[archive] blob_dir``.
- ``ARCHIVE_CLOCK`` (None: the system clock): the clock the batches' fetch times are read from.

The pipeline writes under the run the ``RunLedger`` extension opened, into its database
(``ARCHIVE_DATABASE_URL``), on its writer thread (``crawler/writer.py``); without the ledger
(``RUNLEDGER_ENABLED`` off) it raises NotConfigured. Each batch is one transaction:
``archive.store.ingest_batch``, then the ledger adds the batch's counts to the run and renews
the board lock's heartbeat (``RunLedger.record_batch``). A batch that fails is rolled back
whole (its posts keep their last good version and are fetched again by the next run) and
reported to the ledger, which marks the run failed when it closes.

Downloaded files arrive as ``FileOutcome`` items after their post. Their bytes go into the blob
store at once, on the writer thread (never on the reactor), and only the SHA-256 waits in the
batch, which links it to the version's rows after the post's own outcome; a batch that fails
leaves at most an unreferenced blob, and the file is downloaded again by the next run.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import time
from typing import Any, Self

from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from sqlalchemy.orm import Session

from archive import items as it
from archive.blobs import BlobStore
from archive.clock import Clock
from archive.runstats import Stat
from archive.store import IngestCounts, ingest_batch
from crawler.extensions import RunLedger, crawl_clock
from crawler.warc import WarcRecorder

logger = logging.getLogger(__name__)
OUTCOMES = (it.Post, it.PostNotFound, it.SecretPost, it.FileOutcome)


class ArchivePipeline:
    def __init__(
        self,
        crawler: Crawler,
        ledger: RunLedger,
        batch_size: int,
        flush_s: float,
        blob_dir: str,
        clock: Clock,
    ) -> None:
        self.crawler = crawler
        self.ledger = ledger
        self.writer = ledger.writer
        self.blobs = BlobStore(blob_dir)
        self.batch_size = batch_size
        self.flush_seconds = flush_s
        self.clock = clock
        self.buffer: list[it.ViewOutcome | it.FileOutcome] = []
        self._last_flush = time.monotonic()
        self._lock = asyncio.Lock()
        self.warc = crawler.get_extension(WarcRecorder)  # None when WARC_ENABLED is off

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        settings = crawler.settings
        if not settings.getbool("ARCHIVE_ENABLED", True):
            raise NotConfigured("ARCHIVE_ENABLED is off")
        ledger = crawler.get_extension(RunLedger)  # extensions are built before pipelines
        if ledger is None:
            raise NotConfigured("no RunLedger (RUNLEDGER_ENABLED is off): no run to write under")
        batch = settings.getint("ARCHIVE_BATCH_SIZE", 100)
        if batch < 1:  # a mistake, not a way to switch archiving off: the crawl must not start
            raise ValueError(f"ARCHIVE_BATCH_SIZE must be >= 1, not {batch}")
        return cls(
            crawler,
            ledger,
            batch,
            settings.getfloat("ARCHIVE_FLUSH_SECONDS", 5.0),
            settings.get("ARCHIVE_BLOB_DIR") or str(ledger.spider.config.blob_dir),
            crawl_clock(crawler),
        )

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
            put = await self.writer.run(self.blobs.put, item.data)
        except OSError as exc:
            logger.error(
                "could not store a file of post %s in %s: %s", item.post_id, self.blobs.root, exc
            )
            self._stat(Stat.BLOB_ERRORS)
            reason = f"could not be stored: {exc}"
            return dataclasses.replace(item, status="failed", reason=reason, data=b"")
        if put.created:
            self._stat(Stat.BLOBS_NEW)
            self._stat(Stat.BLOB_BYTES_NEW, put.size)
        return dataclasses.replace(item, data=b"", sha256=put.sha256, size=put.size)

    def _stat(self, stat: Stat, n: int = 1) -> None:
        self.crawler.stats.inc_value(stat.key, n)

    async def flush(self) -> None:
        async with self._lock:
            batch, self.buffer = self.buffer, []
            self._last_flush = time.monotonic()
            if not batch:
                return
            run, now, policy = self.ledger.current_run(), self.clock(), self.ledger.policy

            def write(s: Session) -> IngestCounts:
                counts = ingest_batch(s, run.board_id, run.run_id, batch, now, policy)
                self.ledger.record_batch(s, counts, now)
                return counts

            try:
                if self.warc is not None:  # the fetches behind the batch on disk first
                    await self.warc.flush()
                    batch = [self._with_record(o) for o in batch]
                await self.writer.transaction(write)
            except Exception:
                self.ledger.write_failed()
                logger.exception("writing a batch of %d outcomes failed", len(batch))

    def _with_record(self, outcome: it.ViewOutcome | it.FileOutcome) -> Any:
        """A post with where its response is in the WARC files."""
        if not isinstance(outcome, it.Post) or self.warc is None:
            return outcome
        return dataclasses.replace(outcome, warc_record=self.warc.record_of(outcome.url))

    async def close_spider(self) -> None:
        if self.ledger.run is not None:
            await self.flush()
