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
    """Fetch a board's pages, say which profile fits and print what each field reads from where.

    On a GnuBoard board (any skin): two list pages and two view pages, every field with its
    source, what is uncertain, and the boards.toml block (with view_body where the body was
    found by comparing pages). On other engines: the list page and one view page. robots.txt is
    obeyed. Exit 0 when a profile fits, 1 when none does (each profile's reason), 2 when the
    page cannot be fetched or robots.txt disallows it.
    """
    if engine is not None and engine not in crawler_probe.BUILTIN:
        raise typer.BadParameter(f"{engine!r}: one of {', '.join(crawler_probe.BUILTIN)}")
    raise typer.Exit(crawler_probe.probe(url, engine))
