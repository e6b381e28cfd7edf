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

import argparse
import sys

from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings

from crawler.spiders.board import BoardSpider

SETTINGS_MODULE = "crawler.settings"


def parse_args(argv: list[str]) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m board_archive.crawl_process")
    who = p.add_mutually_exclusive_group(required=True)
    who.add_argument("--board", help="a board named in the configuration")
    who.add_argument("--url", help="a list URL not in the configuration (ad hoc)")
    p.add_argument("--mode", choices=("full", "incremental"), default="incremental")
    p.add_argument("--config", help="the board configuration file")
    p.add_argument(
        "-s",
        dest="settings",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="a Scrapy setting for this crawl",
    )
    return p.parse_args(argv)


def crawl_settings(overrides: list[str]) -> Settings:
    settings = Settings()
    settings.setmodule(SETTINGS_MODULE, priority="project")
    for item in overrides:
        name, sep, value = item.partition("=")
        if not sep:
            raise SystemExit(f"-s takes NAME=VALUE, not {item!r}")
        settings.set(name, value, priority="cmdline")
    return settings


def main(argv: list[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    process = CrawlerProcess(crawl_settings(args.settings))
    spider_args = {"mode": args.mode, "config": args.config}
    spider_args |= {"board": args.board} if args.board else {"url": args.url}
    process.crawl(BoardSpider, **spider_args)
    process.start()
    return 1 if process.bootstrap_failed else 0


if __name__ == "__main__":
    sys.exit(main())
