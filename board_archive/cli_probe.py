"""``board-archive probe URL``: which board profile fits a board, and what it reads from it.

The probe itself is :func:`crawler.probe.probe` (the crawler's page objects over plain
``urllib``, no Scrapy reactor). Registered in ``board_archive/cli.py``.
"""

from __future__ import annotations

from typing import Annotated

import typer

from crawler import probe as crawler_probe


def probe(
    url: Annotated[str, typer.Argument(help="The board's list URL")],
    engine: Annotated[
        str | None, typer.Option(help="Try only this profile (gnuboard5 or rhymix)")
    ] = None,
) -> None:
    """Fetch a list page and a view page, say which profile fits and print what it extracted.

    Two requests to the site. Ends with the lines to put in boards.toml. Exit 0 when a profile
    fits, 1 when none does (each profile's reason: the selector that matched nothing), 2 when
    the page cannot be fetched.
    """
    if engine is not None and engine not in crawler_probe.BUILTIN:
        raise typer.BadParameter(f"{engine!r}: one of {', '.join(crawler_probe.BUILTIN)}")
    raise typer.Exit(crawler_probe.probe(url, engine))
