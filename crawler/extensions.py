"""RunLedger: the crawl's record in the archive (the board's lock, the run, its plan and health).

Settings (prefix ``RUNLEDGER_``):

- ``RUNLEDGER_ENABLED`` (True): False raises NotConfigured. No ledger means no archive: the
  archive pipeline has no run to write under and is off too, and the spider crawls without a
  plan (every post is new, no deletion check; an incremental run walks the whole list like a
  full one, and says so in the log).
- ``RUNLEDGER_HEARTBEAT_SECONDS`` (60): how often the board lock's heartbeat is renewed.
- ``RUNLEDGER_SITE_POLL_SECONDS`` (5): how often a crawl waiting for its site's turn asks again
  (``crawler/site_turns.py``: two boards on one site are never crawled at once).
- ``RUNLEDGER_WORKER`` (None: this machine's name): who runs the crawl, recorded on its run
  (a fleet worker passes its own name).
- ``RUNLEDGER_DB_CONNECTIONS`` (10): the most connections to the database the crawls of one
  process hold together (they share one engine: ``crawler/writer.py``).

and of the archive's settings, which the pipeline reads too:

- ``ARCHIVE_ENABLED`` (True): False switches the ledger off as well (no archive at all).
- ``ARCHIVE_DATABASE_URL`` (None): else the configuration's database ($DATABASE_URL,
  boards.toml, ``./var/archive.sqlite3``).
- ``ARCHIVE_CLOCK`` (None: ``archive.clock.system_clock``): the clock object every time the
  crawl records is read from (the crawl process sets a fixed one for $BOARD_ARCHIVE_FAKE_NOW).

Scrapy builds the spider first, then the extensions, then the item pipelines, opens the
pipelines, sends ``spider_opened`` and only then iterates the spider's ``start()``. When the
spider opens, the ledger takes the board's lock (a second crawl of the board records a
"skipped" run and stops: ``CloseSpider("board_locked")``), closes runs left "running" by killed
crawls as interrupted, opens the run and computes its plan (``archive.revisit.make_plan``: the
posts the archive knows; for an incremental run, the re-checks the revisit policy picked). The
spider awaits that plan in ``start()`` (:meth:`RunLedger.plan`), then its site's turn
(:meth:`RunLedger.site_turn`), before its first request.

While the crawl runs, the ledger renews the lock's heartbeat; each batch the pipeline writes
adds its counts to the run and renews the heartbeat in the batch's own transaction
(:meth:`RunLedger.record_batch`), and a batch that could not be written is reported
(:meth:`RunLedger.write_failed`) and fails the run. When the spider has closed (after the
pipeline's last batch), the run gets its status, health (``archive.health.assess``), message
and Scrapy stats, the board keeps the body container the spider found by comparing view pages
(``crawler/spiders/body.py``), and the lock is released. All database work runs on the
crawl's writer thread (``crawler/writer.py``), never on the reactor.
"""

from __future__ import annotations

import asyncio
import logging
import socket
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol, Self, runtime_checkable

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import CloseSpider, NotConfigured
from sqlalchemy.orm import Session

from archive import locks, revisit_views, runs, site_locks
from archive.clock import Clock, system_clock
from archive.config import BoardConfig, Config
from archive.health import assess, most_views_failed
from archive.models import CrawlRun, RunMode, RunStatus
from archive.revisit import CrawlPlan, RevisitPolicy, make_plan
from archive.runstats import ERRORS, RunStats, Stat
from archive.store import IngestCounts, ensure_board
from crawler.site_turns import SiteTurn
from crawler.writer import DEFAULT_CONNECTIONS, ArchiveWriter

logger = logging.getLogger(__name__)

CLOCK_SETTING = "ARCHIVE_CLOCK"


def crawl_clock(crawler: Crawler) -> Clock:
    """The crawl's clock: the ``ARCHIVE_CLOCK`` setting, else the system clock."""
    clock = crawler.settings.get(CLOCK_SETTING)
    if clock is None:
        return system_clock
    if not callable(clock):
        raise TypeError(f"{CLOCK_SETTING} must be a clock (archive.clock.Clock), not {clock!r}")
    return clock


@runtime_checkable
class RunSpider(Protocol):
    """What the ledger reads of the spider (``BoardSpider``)."""

    board: BoardConfig
    config: Config
    mode: str  # "full" or "incremental"
    failure: str | None  # why the run failed, if it did (read when the spider closes)
    body_learnt: str | None  # the body container found by comparing pages: kept for the board


@dataclass(frozen=True, slots=True)
class OpenRun:
    """The run the crawl records, and its board."""

    board_id: int
    run_id: int


class RunLedger:
    def __init__(
        self,
        crawler: Crawler,
        spider: RunSpider,
        writer: ArchiveWriter,
        clock: Clock,
        heartbeat_s: float,
        site_poll_s: float = 5.0,
        worker: str | None = None,
    ) -> None:
        self.crawler = crawler
        self.spider = spider
        self.writer = writer
        self.clock = clock
        self.heartbeat_seconds = heartbeat_s
        #: the board's revisit policy: the run's plan, and ingest's next checks
        self.policy = RevisitPolicy.with_days(spider.board.revisit, spider.board.timezone)
        self.owner = locks.owner_id()
        self.worker = worker or socket.gethostname()
        stale = timedelta(seconds=spider.config.scheduler.lock_stale_after)
        self.site = SiteTurn(spider.board.url, site_poll_s, stale, spider.board.delay)
        self.run: OpenRun | None = None  # None: not opened (yet), or skipped
        self.open_failed = False  # the run could not be opened: the crawl did not start
        self.write_errors = 0
        self.lock_lost = False
        self._plan: CrawlPlan | None = None
        self._opened = asyncio.Event()
        self._heartbeat: asyncio.Task[None] | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        settings = crawler.settings
        if not settings.getbool("ARCHIVE_ENABLED", True):
            raise NotConfigured("ARCHIVE_ENABLED is off")
        if not settings.getbool("RUNLEDGER_ENABLED", True):
            raise NotConfigured("RUNLEDGER_ENABLED is off")
        spider = crawler.spider
        if not isinstance(spider, RunSpider):
            raise NotConfigured("RunLedger works with the board spider")
        url = settings.get("ARCHIVE_DATABASE_URL") or spider.config.database_url
        ledger = cls(
            crawler,
            spider,
            ArchiveWriter(url, settings.getint("RUNLEDGER_DB_CONNECTIONS", DEFAULT_CONNECTIONS)),
            crawl_clock(crawler),
            settings.getfloat("RUNLEDGER_HEARTBEAT_SECONDS", 60.0),
            settings.getfloat("RUNLEDGER_SITE_POLL_SECONDS", 5.0),
            settings.get("RUNLEDGER_WORKER"),
        )
        crawler.signals.connect(ledger.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(ledger.spider_closed, signal=signals.spider_closed)
        return ledger

    # -- what the spider and the pipeline ask ------------------------------------------------

    async def plan(self) -> CrawlPlan:
        """The run's plan, once the run is open."""
        await self._opened.wait()
        if self._plan is None:
            raise RuntimeError("the run was not opened: there is no plan")
        return self._plan

    async def site_turn(self) -> bool:
        """Wait until no other board's crawl is on this board's site (``crawler/site_turns.py``);
        False when the crawl was stopped first."""
        run = self.current_run()
        return await self.site.take(self.writer, run.board_id, run.run_id, self.owner, self.clock)

    def current_run(self) -> OpenRun:
        if self.run is None:
            raise RuntimeError("the run is not open")
        return self.run

    def record_batch(self, s: Session, counts: IngestCounts, now: datetime) -> None:
        """In the transaction of a batch written: its counts added to the run, the lock's
        heartbeat renewed."""
        run = self.current_run()
        runs.record_counts(s, run.run_id, counts)
        locks.heartbeat(s, run.board_id, self.owner, now)
        site_locks.heartbeat(s, run.board_id, self.owner, now)

    def write_failed(self) -> None:
        """A batch could not be written: the run is marked failed when it closes."""
        self.write_errors += 1

    # -- opening -----------------------------------------------------------------------------

    async def spider_opened(self) -> None:
        try:
            await self._open()
        except CloseSpider:
            raise
        except Exception:
            self.open_failed = True
            logger.exception("could not open the run of board %r", self.spider.board.name)
            raise CloseSpider("archive_unavailable") from None
        finally:
            self._opened.set()

    async def _open(self) -> None:
        board, mode, now = self.spider.board, RunMode(self.spider.mode), self.clock()
        await self.writer.open()
        board_id = await self.writer.transaction(lambda s: ensure_board(s, board, now))
        await self._take_lock(board_id, mode, now)
        budget = board.view_budget if mode == RunMode.INCREMENTAL else 0

        def begin(s: Session) -> tuple[int, int, CrawlPlan]:
            interrupted = runs.mark_interrupted(s, board_id, now)
            run_id = runs.start_run(s, board_id, now, mode, self.worker)
            locks.set_run(s, board_id, self.owner, run_id)
            plan = make_plan(s, board_id, now, budget, self.policy)
            plan.listed_at = runs.last_clean_start(s, board_id)
            return run_id, interrupted, plan

        run_id, interrupted, plan = await self.writer.transaction(begin)
        self.run, self._plan = OpenRun(board_id, run_id), plan
        if interrupted:
            logger.warning("%d earlier run(s) of this board were interrupted", interrupted)
        self._heartbeat = asyncio.get_running_loop().create_task(self._beat())
        logger.info(
            "run %s (%s) of board %r opened: %d posts archived, %d re-checks due",
            run_id,
            mode.value,
            board.name,
            len(plan.known),
            len(plan.due),
        )

    async def _take_lock(self, board_id: int, mode: RunMode, now: datetime) -> None:
        """The board's lock, or a "skipped" run and ``CloseSpider`` when a live crawl holds it."""
        stale = timedelta(seconds=self.spider.config.scheduler.lock_stale_after)
        engine = self.writer.engine
        try:
            taken_over = await self.writer.run(
                locks.acquire, engine, board_id, self.owner, now, stale
            )
        except locks.LockHeld as held:
            why = str(held)
            await self.writer.transaction(
                lambda s: runs.record_skipped(s, board_id, now, mode, why, self.worker)
            )
            logger.warning("skipped: %s", why)
            raise CloseSpider("board_locked") from None
        if taken_over:
            logger.warning("took over the lock of %s, whose heartbeat had stopped", taken_over)

    async def _beat(self) -> None:
        while True:
            await asyncio.sleep(self.heartbeat_seconds)
            alive = await self.writer.transaction(self._heartbeat_now)
            if not alive and not self.lock_lost:
                self.lock_lost = True
                logger.error("the board lock was taken over: another crawl thought this one dead")

    def _heartbeat_now(self, s: Session) -> bool:
        board_id, now = self.current_run().board_id, self.clock()
        site_locks.heartbeat(s, board_id, self.owner, now)
        return locks.heartbeat(s, board_id, self.owner, now)

    # -- closing -----------------------------------------------------------------------------

    async def spider_closed(self, reason: str) -> None:
        self.site.close()
        if self._heartbeat is not None:
            self._heartbeat.cancel()
        try:
            if self.run is not None:
                await self._close_run(self.run, reason)
        finally:
            self.writer.close()

    def _outcome(self, reason: str, stats: RunStats) -> tuple[RunStatus, str | None]:
        """The run's status and message, from the spider's failure, the batches that could not
        be written, the view pages that failed, and why the spider closed."""
        failure = self.spider.failure
        if self.write_errors:
            failure = failure or f"{self.write_errors} batch(es) could not be written"
        if stats[Stat.WARC_ERRORS]:
            failure = failure or f"{stats[Stat.WARC_ERRORS]} fetch(es) could not be written as WARC"
        failure = failure or most_views_failed(stats)
        if failure:
            return RunStatus.FAILED, failure
        if reason == "finished":
            return RunStatus.SUCCEEDED, None
        waited = self.site.note()
        return RunStatus.INTERRUPTED, f"crawl stopped early: {reason}" + (
            f", {waited}" if waited else ""
        )

    async def _close_run(self, run: OpenRun, reason: str) -> None:
        stats = self.crawler.stats.get_stats()
        status, failure = self._outcome(reason, RunStats.of(stats))
        errors = RunStats.of(stats).total(ERRORS) + self.write_errors
        now = self.clock()

        def close(s: Session) -> tuple[str, list[str], str]:
            record = runs.finish_run(
                s,
                run.run_id,
                status=status,
                now=now,
                pages=int(stats.get("downloader/response_count", 0)),
                requests=int(stats.get("downloader/request_count", 0)),
                errors=errors,
                message=failure,
                stats={**stats, "finish_reason": reason},
            )
            s.flush()
            record.health, notes = assess(s, record)
            record.health_notes = notes or None
            if self.spider.body_learnt:
                runs.keep_body_selector(s, run.board_id, self.spider.body_learnt)
            self._record_views(s, run, now)
            site_locks.release(s, run.board_id, self.owner, left_at=system_clock())
            locks.release(s, run.board_id, self.owner)
            return record.health.value, notes, _counts(record)

        try:
            health, notes, counts = await self.writer.transaction(close)
        except Exception:
            logger.exception("could not close run %s", run.run_id)
            return
        suffix = f" ({failure})" if failure else ""
        logger.info("run %s %s (health %s): %s%s", run.run_id, status.value, health, counts, suffix)
        for note in notes:
            logger.warning("run %s is suspect: %s", run.run_id, note)

    def _record_views(self, s: Session, run: OpenRun, now: datetime) -> None:
        """The walked rows' view counts and what the run's checks of them found
        (``archive.revisit_views.record``)."""
        signal = getattr(self.spider, "signal_run", None)
        plan = self._plan
        if signal is not None and plan is not None:
            fetched = set(getattr(self.spider, "requested", ()))
            revisit_views.record(s, run.board_id, run.run_id, now, plan, signal, fetched)


def _counts(run: CrawlRun) -> str:
    return (
        f"{run.posts_seen} posts seen, {run.new_posts} new, {run.edited_posts} edited, "
        f"{run.deleted_posts} deleted, {run.errors} errors; {run.files_downloaded} files "
        f"downloaded ({run.bytes_downloaded} bytes), {run.files_skipped} skipped"
    )
