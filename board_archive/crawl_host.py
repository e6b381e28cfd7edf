"""A crawl process that takes boards while it runs: the scheduler's shared crawl processes.

    python -m board_archive.crawl_host [--mode MODE] [--config FILE] [--time-limit SECONDS]
        [-s SETTING=VALUE ...]

Reads ``ID NAME`` lines on its standard input, one a board to crawl, and starts a Scrapy crawler
for each at once on its one reactor (as :mod:`board_archive.crawl_process` does for the boards
on its command line: each its own run record, lock, plan, batched writes and download slot; one
board's failure ends its run alone). When a board's crawl has ended it writes
``board-archive-host: ended ID CODE`` on its standard output (CODE 0: the crawl ran to its end
and its run record says how it went; 1: the crawl could not start or could not open its run).
At the end of its input it takes no more boards and exits once the boards it has are done.

So a process started for the first boards due goes on taking the boards that fall due while it
runs (:class:`board_archive.crawl_batches.CrawlBatcher` hands them in): a night's boards,
however their starts spread, run in a few processes of about 140 MB and a few MB a board, not
in a process per few boards.

Signals: SIGINT and SIGTERM stop it as they stop a Scrapy crawl (it takes no more boards, every
crawl closes its run ``interrupted``; a second one stops at once); SIGHUP (the process that
started it died) stops it cleanly, however often it comes. A clean stop is bounded: if the
crawls have not closed ``CRAWL_HOST_STOP_WITHIN`` seconds after it began (default twice
``DOWNLOAD_TIMEOUT`` and a minute), the process writes every thread's stack to its log, closes
the runs it still has ``interrupted`` itself, releases their locks and exits 1, so a process
whose parent died cannot hold a board's lock for ever. SIGUSR1 writes every thread's stack to
the log at any time. The standard output carries only the ``ended`` lines (Scrapy logs to the
standard error).
"""

from __future__ import annotations

import faulthandler
import logging
import os
import signal
import sys
import threading
import time
from types import FrameType
from typing import Any

import typer
from scrapy.crawler import CrawlerProcess
from scrapy.utils.reactor import install_reactor
from twisted.python.failure import Failure

from archive.config import load_config
from archive.db import make_engine
from board_archive.crawl import close_abandoned
from board_archive.crawl_process import (
    ConfigOption,
    EarlyStop,
    Mode,
    ModeOption,
    SettingOption,
    TimeLimitOption,
    _not_opened,
    run_settings,
)
from crawler.spiders.board import BoardSpider

PREFIX = "board-archive-host:"
log = logging.getLogger(__name__)


class Host:
    """The boards this process crawls: started from the input, reported when ended."""

    def __init__(self, process: CrawlerProcess, mode: str, config: str | None) -> None:
        self.process, self.mode, self.config = process, mode, config
        self.running: dict[str, str] = {}  # ident -> name of the boards crawling now
        self.accepting = True
        settings = process.settings
        self.stop_within = settings.getfloat("CRAWL_HOST_STOP_WITHIN") or (
            2 * settings.getfloat("DOWNLOAD_TIMEOUT") + 60
        )
        self._stopping = False

    def add(self, ident: str, name: str) -> None:
        """Start crawling board ``name`` (on the reactor's thread)."""
        if not self.accepting:  # stopping: reported as not started
            self._report(ident, 1)
            return
        try:
            crawler = self.process.create_crawler(BoardSpider)
            done = self.process.crawl(crawler, mode=self.mode, config=self.config, board=name)
        except Exception:
            log.exception("board %s: the crawl could not start", name)
            self._report(ident, 1)
            return
        self.running[ident] = name

        def ended(result: Any) -> None:
            failed = isinstance(result, Failure)
            if failed:
                log.error(
                    "board %s: the crawl failed: %s",
                    name,
                    result.getErrorMessage(),
                    exc_info=result.value,
                )
            try:
                failed = failed or _not_opened(crawler)
            finally:  # reported whatever happens: the scheduler's job waits for it
                self.running.pop(ident, None)
                self._report(ident, 1 if failed else 0)
                self._maybe_stop()

        done.addBoth(ended)

    def end_of_input(self) -> None:
        self.accepting = False
        self._maybe_stop()

    def shut_down(self, signum: int = signal.SIGTERM) -> None:
        """Stop every crawl cleanly (each run closed ``interrupted``), then the reactor."""
        self.accepting = False
        name = signal.Signals(signum).name
        if self._stopping:  # asked again (SIGHUP may come more than once): the stop goes on;
            log.info("%s again: the crawls are stopping", name)  # stopping the crawlers
            return  # again would end at once, and the reactor with it
        log.info("%s: stopping the crawls of %s", name, ", ".join(self.running.values()) or "-")
        self._stopping = True
        threading.Thread(target=self._cut_if_stuck, daemon=True, name="stop-bound").start()
        self.process.stop().addBoth(lambda _: self.stop_reactor())

    def _maybe_stop(self) -> None:
        if not self.accepting and not self.running:
            self.stop_reactor()

    def _cut_if_stuck(self) -> None:
        """A clean stop that has not ended in time: the runs closed here, the process ended
        (a daemon thread: if the stop ends first, the process exits without waiting for it)."""
        time.sleep(self.stop_within)
        boards = ", ".join(self.running.values()) or "no board"
        said = (  # written as it is: a logging lock held by a stuck thread cannot stop it
            f"{time.strftime('%Y-%m-%d %H:%M:%S')} [{__name__}] ERROR: the crawls of {boards} "
            f"did not stop within {self.stop_within:.0f} s of being asked: their runs are "
            "closed here and the process ends; every thread's stack follows\n"
        )
        os.write(sys.stderr.fileno(), said.encode())
        faulthandler.dump_traceback(all_threads=True)
        self.close_left(f"the crawl did not stop within {self.stop_within:.0f} s of being asked")
        logging.shutdown()
        os._exit(1)

    def close_left(self, why: str) -> None:
        """The runs of the crawls that did not end, closed ``interrupted`` and their locks
        released, from here (the crawls' own writers are past closing them)."""
        left = list(self.running.values())
        if not left:
            return
        try:
            engine = make_engine(self.database_url())
            try:
                for name in left:
                    close_abandoned(engine, name, os.getpid(), why)
            finally:
                engine.dispose()
        except Exception:  # the archive is gone: the next crawl of each board closes its run
            log.exception("could not close the runs of %s", ", ".join(left))

    def database_url(self) -> str:
        url = self.process.settings.get("ARCHIVE_DATABASE_URL")
        return str(url) if url else load_config(self.config).database_url

    @staticmethod
    def stop_reactor() -> None:
        from twisted.internet import reactor

        core: Any = reactor  # an IReactorCore
        if core.running:
            core.stop()

    @staticmethod
    def _report(ident: str, code: int) -> None:
        """Tell the process that handed the board in (gone, if it died: then no one waits)."""
        try:
            sys.stdout.write(f"{PREFIX} ended {ident} {code}\n")
            sys.stdout.flush()
        except (OSError, ValueError):
            log.warning("board %s ended, and no one reads this process's reports", ident)


def _read_input(host: Host) -> None:
    """The boards handed in, passed to the reactor's thread as they come."""
    from twisted.internet import reactor

    for line in sys.stdin:
        ident, _, name = line.strip().partition(" ")
        if ident and name:
            reactor.callFromThread(host.add, ident, name)
    reactor.callFromThread(host.end_of_input)


def host(
    mode: ModeOption = Mode.INCREMENTAL,
    config: ConfigOption = None,
    setting: SettingOption = None,
    time_limit: TimeLimitOption = None,
) -> None:
    """Crawl the boards named on the standard input, as they come."""
    early = EarlyStop()
    settings = run_settings(setting, time_limit)
    if settings.get("PROGRESS_FILE"):
        raise typer.BadParameter("PROGRESS_FILE is one board's: not in a shared crawl process")
    # The reactor the settings name, installed now: the crawlers are made once it runs, too
    # late for the first of them to install it as CrawlerProcess otherwise does.
    install_reactor(settings["TWISTED_REACTOR"], settings["ASYNCIO_EVENT_LOOP"])
    process = CrawlerProcess(settings)
    the_host = Host(process, mode.value, config)
    if early.signum is not None:  # nothing has run yet: nothing to close
        raise typer.Exit(128 + early.signum)

    stops = 0

    def stop(signum: int, frame: FrameType | None) -> None:
        from twisted.internet import reactor

        nonlocal stops
        stops += signum != signal.SIGHUP  # SIGHUP may come again and again: always clean
        if stops >= 2:
            reactor.callFromThread(the_host.stop_reactor)  # the second: at once
        else:
            reactor.callFromThread(the_host.shut_down, signum)

    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, stop)
    faulthandler.enable()  # a crash (SIGSEGV, SIGABRT...) leaves every thread's stack in the log
    faulthandler.register(signal.SIGUSR1, all_threads=True)  # where it is, at any time
    threading.Thread(target=_read_input, args=(the_host,), daemon=True).start()
    process.start(stop_after_crawl=False, install_signal_handlers=False)
    the_host.close_left("its crawl process was stopped at once (a second signal)")


def main() -> None:
    app = typer.Typer(add_completion=False, pretty_exceptions_enable=False, rich_markup_mode=None)
    app.command()(host)
    app(prog_name="python -m board_archive.crawl_host")


if __name__ == "__main__":
    main()
