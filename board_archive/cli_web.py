"""``board-archive serve``: the web UI and JSON API over the archive (``archive.web``).
Registered in ``board_archive.cli``.

Read-only: the server's database connections refuse writes. Archived files are served from the
blob store (``[archive] blob_dir``). SIGTERM or Ctrl-C stops it (uvicorn finishes the requests
under way) with exit code 0.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from archive.web.app import serve as run_server
from board_archive.cli_common import console, opened


def serve(
    host: Annotated[
        str, typer.Option(help="Address to listen on (0.0.0.0: every interface)")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=0, max=65535, help="Port (0: any free one)")] = 8000,
    config: Annotated[
        Path | None,
        typer.Option(
            "--config",
            "-c",
            help="Board configuration file (default: $BOARD_ARCHIVE_CONFIG, else ./boards.toml)",
        ),
    ] = None,
    open_browser: Annotated[
        bool, typer.Option("--open", help="Open the UI in a web browser once it is up")
    ] = False,
) -> None:
    """Browse the archive in a web browser: boards, posts, versions, diffs, search, runs, files.

    The JSON API is under /api (OpenAPI at /api/openapi.json, documentation at /api/docs).
    """
    with opened(config) as (cfg, engine):  # the configuration, the database and its schema
        where = engine.url.render_as_string(hide_password=True)
        engine.dispose()
        shown = "127.0.0.1" if host in ("0.0.0.0", "::", "") else host
        shown = f"[{shown}]" if ":" in shown else shown
        url = f" on http://{shown}:{port}/" if port else ""
        console.print(
            f"serving {where} (files from {cfg.blob_dir}){url}", highlight=False, soft_wrap=True
        )
        run_server(cfg, host, port, open_browser)
