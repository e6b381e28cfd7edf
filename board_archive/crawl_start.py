"""The crawl process's entry: ``python -m board_archive.crawl_start`` runs the crawl of
:mod:`board_archive.crawl_process` (same arguments).

Scrapy takes SIGINT and SIGTERM once its crawl starts (the first stops it cleanly, the second at
once). A Ctrl-C that comes before, while the process imports and starts Scrapy, would end it
with Python's traceback; here it ends it quietly, exit 130, with nothing recorded yet.
"""

from __future__ import annotations

import runpy
import sys

PROGRAM = "board_archive.crawl_process"  # run as a program, as ``python -m`` would


def main() -> None:
    try:
        runpy.run_module(PROGRAM, run_name="__main__", alter_sys=True)
    except KeyboardInterrupt:
        sys.exit(130)


if __name__ == "__main__":
    main()
