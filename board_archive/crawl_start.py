"""The crawl process's entry: ``python -m board_archive.crawl_start`` runs the crawl of
:mod:`board_archive.crawl_process` (same arguments).

Scrapy takes SIGINT and SIGTERM once its crawl starts (the first stops it cleanly, the second at
once). A Ctrl-C that comes before, while the process imports and starts Scrapy, would end it
with Python's traceback; here it ends it quietly, exit 130, with nothing recorded yet.
"""

from __future__ import annotations

import sys


def main() -> None:
    try:
        from board_archive.crawl_process import main as crawl

        crawl()
    except KeyboardInterrupt:
        sys.exit(130)


if __name__ == "__main__":
    main()
