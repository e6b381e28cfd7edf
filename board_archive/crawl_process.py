"""The crawl process: board crawls through Scrapy's API, in a process of their own.

    python -m board_archive.crawl_process (--board NAME [--board NAME ...] | --url LIST_URL)
        [--mode MODE] [--config FILE] [--time-limit SECONDS] [-s SETTING=VALUE ...]

Several ``--board`` are crawled at once, one Scrapy crawler each on the one reactor (as
``CrawlerProcess`` runs several crawlers): each has its own run record, lock, plan, batched
writes and download slot, so one board's failure (a site down, a changed layout, an exception
in its crawl) ends its run alone and the others go on. ``--time-limit`` ends each board's crawl
that long after it started (``CLOSESPIDER_TIMEOUT``: the run is closed ``interrupted``).

:func:`board_archive.crawl.run_crawl` starts it (the Twisted reactor cannot be restarted, so
every crawl gets a fresh process). It runs from an installed package: the Scrapy project's
settings are read from the ``crawler.settings`` module, not found through ``scrapy.cfg`` or
``$SCRAPY_SETTINGS_MODULE``. The database comes from ``$DATABASE_URL`` or the configuration
(never from the command line, where another user could read a password).

The crawl's clock (``archive.clock``) is built here, once: the system clock, or, when
``$BOARD_ARCHIVE_FAKE_NOW`` is set (an ISO datetime with a zone; tests and benchmarks that
simulate nights set it), a clock fixed at that time. It reaches the spider, the run ledger and
the pipeline as the ``ARCHIVE_CLOCK`` setting.

Exit 0 when every crawl ran to its end (the run records say how they went), 1 when one could
not start (bad arguments, configuration, a $BOARD_ARCHIVE_FAKE_NOW without a zone, an archive in
which the run could not be opened), as ``scrapy crawl`` does.
"""

from __future__ import annotations

import os
import signal
from enum import StrEnum
from types import FrameType
from typing import Annotated

import typer
from scrapy.crawler import Crawler, CrawlerProcess
from scrapy.settings import Settings

from archive.clock import Clock, fixed_clock, system_clock
from crawler.extensions import CLOCK_SETTING, RunLedger
from crawler.spiders.board import BoardSpider

SETTINGS_MODULE = "crawler.settings"
FAKE_NOW = "BOARD_ARCHIVE_FAKE_NOW"


class Mode(StrEnum):
    FULL = "full"
    INCREMENTAL = "incremental"


def clock_from_environment() -> Clock:
    """The system clock, or a clock fixed at ``$BOARD_ARCHIVE_FAKE_NOW`` (read once, here)."""
    fake = os.environ.get(FAKE_NOW)
    if not fake:
        return system_clock
    try:
        return fixed_clock(fake)
    except ValueError as exc:
        typer.echo(f"${FAKE_NOW}: {exc}", err=True)
        raise typer.Exit(1) from None


def crawl_settings(overrides: list[str], clock: Clock = system_clock) -> Settings:
    settings = Settings()
    settings.setmodule(SETTINGS_MODULE, priority="project")
    settings.set(CLOCK_SETTING, clock, priority="cmdline")
    for item in overrides:
        name, sep, value = item.partition("=")
        if not sep:
            raise typer.BadParameter(f"-s takes NAME=VALUE, not {item!r}")
        settings.set(name, value, priority="cmdline")
    return settings


def run_settings(setting: list[str] | None, time_limit: float | None) -> Settings:
    """The crawls' settings: the project's, ``-s`` overrides, the clock and the time limit."""
    settings = crawl_settings(setting or [], clock_from_environment())
    if time_limit is not None:
        settings.set("CLOSESPIDER_TIMEOUT", time_limit, priority="cmdline")
    return settings


# the options the crawl processes share (this one's and board_archive.crawl_host's)
ModeOption = Annotated[Mode, typer.Option(help="What to fetch")]
ConfigOption = Annotated[str | None, typer.Option(help="The board configuration file")]
SettingOption = Annotated[
    list[str] | None,
    typer.Option("-s", metavar="NAME=VALUE", help="A Scrapy setting for the crawls"),
]
TimeLimitOption = Annotated[
    float | None,
    typer.Option(min=1, help="End each board's crawl this many seconds after it started"),
]


def crawl(
    board: Annotated[
        list[str] | None,
        typer.Option(help="A board named in the configuration (repeat: crawled at once)"),
    ] = None,
    url: Annotated[str | None, typer.Option(help="A list URL not in the configuration")] = None,
    mode: ModeOption = Mode.INCREMENTAL,
    config: ConfigOption = None,
    setting: SettingOption = None,
    time_limit: TimeLimitOption = None,
) -> None:
    """Crawl boards (the crawl process board-archive starts for every run)."""
    if bool(board) == bool(url):
        raise typer.BadParameter("give --board (one or more) or --url, not both")
    boards = list(dict.fromkeys(board or []))  # a board named twice is crawled once
    early = EarlyStop()
    settings = run_settings(setting, time_limit)
    if len(boards) > 1 and settings.get("PROGRESS_FILE"):
        raise typer.BadParameter("PROGRESS_FILE is one board's: not with several --board")
    process = CrawlerProcess(settings)
    crawlers = []
    targets: list[dict[str, str | None]] = [{"board": b} for b in boards] or [{"url": url}]
    for target in targets:
        crawler = process.create_crawler(BoardSpider)
        process.crawl(crawler, mode=mode.value, config=config, **target)
        crawlers.append(crawler)
    if early.signum is not None:  # nothing has run yet: nothing to close
        raise typer.Exit(128 + early.signum)
    early.process = process
    process.start()
    failed = process.bootstrap_failed or any(_not_opened(c) for c in crawlers)
    raise typer.Exit(1 if failed else 0)


class EarlyStop:
    """SIGINT and SIGTERM before Scrapy takes them (once its reactor runs): no
    ``KeyboardInterrupt`` in the middle of building the crawl. Before the reactor starts, the
    crawl is not started; after, it is stopped as Scrapy stops it on a signal. SIGHUP (the
    process that started the crawl died: ``board_archive.crawl.run_crawls``'s
    ``stop_with_parent``) stops it cleanly whenever it comes, and again and again: Scrapy
    never takes it."""

    def __init__(self) -> None:
        self.signum: int | None = None
        self.process: CrawlerProcess | None = None
        for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            signal.signal(sig, self._handle)

    def _handle(self, signum: int, frame: FrameType | None) -> None:
        self.signum = self.signum or signum
        if self.process is not None:
            from twisted.internet import reactor

            reactor.callFromThread(self.process.stop)


def _not_opened(crawler: Crawler) -> bool:
    """Whether the run ledger could not open the run (its error is in the log), or the crawl
    failed before its extensions were built."""
    try:
        ledger = crawler.get_extension(RunLedger)
    except RuntimeError:  # the crawler failed before its extensions existed
        return True
    return ledger is not None and ledger.open_failed


def main() -> None:
    app = typer.Typer(add_completion=False, pretty_exceptions_enable=False, rich_markup_mode=None)
    app.command()(crawl)
    app(prog_name="python -m board_archive.crawl_process")


if __name__ == "__main__":
    main()
