"""The crawl process: one board's crawl through Scrapy's API, in a process of its own.

    python -m board_archive.crawl_process (--board NAME | --url LIST_URL) [--mode MODE]
        [--config FILE] [-s SETTING=VALUE ...]

:func:`board_archive.crawl.run_crawl` starts it (the Twisted reactor cannot be restarted, so
every crawl gets a fresh process). It runs from an installed package: the Scrapy project's
settings are read from the ``crawler.settings`` module, not found through ``scrapy.cfg`` or
``$SCRAPY_SETTINGS_MODULE``. The database comes from ``$DATABASE_URL`` or the configuration
(never from the command line, where another user could read a password).

Exit 0 when the crawl ran to its end (the run record says how it went), 1 when it could not
start (bad arguments, configuration), as ``scrapy crawl`` does.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer
from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings

from crawler.spiders.board import BoardSpider

SETTINGS_MODULE = "crawler.settings"


class Mode(StrEnum):
    FULL = "full"
    INCREMENTAL = "incremental"


def crawl_settings(overrides: list[str]) -> Settings:
    settings = Settings()
    settings.setmodule(SETTINGS_MODULE, priority="project")
    for item in overrides:
        name, sep, value = item.partition("=")
        if not sep:
            raise typer.BadParameter(f"-s takes NAME=VALUE, not {item!r}")
        settings.set(name, value, priority="cmdline")
    return settings


def crawl(
    board: Annotated[str | None, typer.Option(help="A board named in the configuration")] = None,
    url: Annotated[str | None, typer.Option(help="A list URL not in the configuration")] = None,
    mode: Annotated[Mode, typer.Option(help="What to fetch")] = Mode.INCREMENTAL,
    config: Annotated[str | None, typer.Option(help="The board configuration file")] = None,
    setting: Annotated[
        list[str] | None,
        typer.Option("-s", metavar="NAME=VALUE", help="A Scrapy setting for this crawl"),
    ] = None,
) -> None:
    """Crawl one board (the crawl process board-archive starts for every run)."""
    if bool(board) == bool(url):
        raise typer.BadParameter("give exactly one of --board or --url")
    process = CrawlerProcess(crawl_settings(setting or []))
    spider_args = {"mode": mode.value, "config": config}
    spider_args |= {"board": board} if board else {"url": url}
    process.crawl(BoardSpider, **spider_args)
    process.start()
    raise typer.Exit(1 if process.bootstrap_failed else 0)


def main() -> None:
    app = typer.Typer(add_completion=False, pretty_exceptions_enable=False)
    app.command()(crawl)
    app(prog_name="python -m board_archive.crawl_process")


if __name__ == "__main__":
    main()
