"""A crawl waits for its site's turn: two boards on one site (host and port) are never crawled
at once, whoever started them (one crawl process, two, or two machines of a fleet).

The run ledger (``crawler/extensions.py``) asks for the turn once its run is open, and the
spider awaits it in ``start()`` before its first request. While another board's crawl holds
the site, the run stays open (the board's lock and heartbeat kept), says in its message what
it waits for, and asks again every ``RUNLEDGER_SITE_POLL_SECONDS``; a crawl stopped while
waiting (its time limit, a signal) ends without a request, its run ``interrupted``. Once it has
the turn, it waits out the board's delay from when the site's previous crawl left it (the real
time that crawl recorded as it gave the turn up), so the site sees no two requests closer than
the delay when its boards are crawled back to back; never longer than the delay, whatever the
clocks of two machines say.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from datetime import timedelta
from functools import partial

from archive import runs, site_locks
from archive.clock import Clock, system_clock
from crawler.hosts import site
from crawler.writer import ArchiveWriter

logger = logging.getLogger(__name__)


def site_key(url: str) -> str | None:
    """The site a board's list URL is on: its host, with the port where it is not the scheme's
    own (``http`` and ``https`` on their own ports are one site); None for no http(s) URL."""
    where = site(url)
    if where is None:
        return None
    scheme, host, port = where
    default = {"http": 80, "https": 443}[scheme]
    return host if port == default else f"{host}:{port}"


class SiteTurn:
    """The wait for one crawl's turn on its site."""

    def __init__(
        self, url: str, poll_seconds: float, stale_after: timedelta, delay: float = 0.0
    ) -> None:
        self.site = site_key(url)
        self.delay = delay
        self.poll_seconds, self.stale_after = poll_seconds, stale_after
        self.waiting_for: site_locks.SiteHolder | None = None  # while waiting
        self.held = False
        self._closed = asyncio.Event()

    def close(self) -> None:
        """The crawl is closing: a wait ends, no turn is taken any more."""
        self._closed.set()

    async def take(
        self, writer: ArchiveWriter, board_id: int, run_id: int, owner: str, clock: Clock
    ) -> bool:
        """Wait for the turn (the database work on the crawl's writer thread); False when the
        crawl closed first."""
        if self.site is None:
            return True
        while not self._closed.is_set():
            now, stale = clock(), self.stale_after
            holder = await writer.run(
                site_locks.take, writer.engine, self.site, board_id, owner, now, stale
            )
            if holder is None:
                self.held = True
                if self.waiting_for is not None:
                    self.waiting_for = None
                    await writer.transaction(lambda s: runs.set_message(s, run_id, None))
                    logger.info("the site's turn came: %s", self.site)
                await self._after_the_last_visit(writer, self.site)
                return not self._closed.is_set()
            if self.waiting_for is None or holder.board != self.waiting_for.board:
                why = f"waiting for its site's turn: {holder}"
                logger.info("%s", why)
                await writer.transaction(partial(runs.set_message, run_id=run_id, message=why))
            self.waiting_for = holder
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._closed.wait(), self.poll_seconds)
        return False

    async def _after_the_last_visit(self, writer: ArchiveWriter, key: str) -> None:
        """Wait until the delay has passed since the site's previous crawl left it."""
        if self.delay <= 0:
            return
        left = await writer.transaction(lambda s: site_locks.left_at(s, key))
        if left is None:
            return
        wait = (left - system_clock()).total_seconds() + self.delay
        if wait > 0:
            wait = min(wait, self.delay)  # a clock ahead of ours waits no more than the delay
            logger.info(
                "%s was crawled until %.1f s ago: %.1f s more", key, self.delay - wait, wait
            )
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._closed.wait(), wait)

    def note(self) -> str | None:
        """What a run stopped while waiting says of it."""
        if self.waiting_for is None:
            return None
        return f"stopped while waiting for its site's turn ({self.waiting_for})"
