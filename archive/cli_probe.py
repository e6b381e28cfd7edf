"""``board-archive probe URL``: which board profile fits a board, and what it reads from it.

The probe itself is ``crawler.probe`` (the crawler's page objects over plain ``urllib``); it
runs as a child process, as crawls do, because ``archive`` never imports the crawler.
Register it in ``archive/cli.py`` with ``app.command()(cli_probe.probe)``.
"""

from __future__ import annotations

import os
import subprocess
import sys
from typing import Annotated

import typer

from archive.crawl import PROJECT_ROOT


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
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(PROJECT_ROOT), env.get("PYTHONPATH")]))
    args = [sys.executable, "-m", "crawler.probe", url, *(["--engine", engine] if engine else [])]
    raise typer.Exit(subprocess.run(args, env=env, check=False).returncode)
