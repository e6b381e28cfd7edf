"""``board-archive boards``: the boards in the archive, and removing one. Registered in
``board_archive.cli``.

``boards remove NAME`` takes the board's lock (a crawl of the board running: refused), deletes
the board with everything archived of it (``archive.removal``), then the files in the blob
store that no other version uses (kept, and said so, while crawls of other boards run).
"""

from __future__ import annotations

import shutil
import sys
from datetime import timedelta
from typing import Annotated

import typer
from rich.table import Table
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from archive import locks, queries
from archive.blobs import BlobStore
from archive.clock import system_clock
from archive.config import Config
from archive.localtime import format_local, zone
from archive.models import Board, CrawlRun, Post
from archive.removal import CrawlsRunning, board_size, prune_blobs, remove_board
from archive.warcfiles import board_folder
from board_archive.cli_common import ConfigOpt, console, err, fail, opened

app = typer.Typer(
    help="The boards in the archive: list them, remove one.",
    no_args_is_help=True,
    rich_markup_mode=None,
)


@app.command("list")
def list_boards(config: ConfigOpt = None) -> None:
    """Every board in the archive: its URL, posts and last run (in the board's zone)."""
    with opened(config) as (_cfg, engine), Session(engine) as s:
        table = Table(title="boards in the archive")
        for col in ("board", "url", "posts", "last run"):
            table.add_column(col, overflow="fold")
        posts = dict(s.execute(select(Post.board_id, func.count()).group_by(Post.board_id)).all())
        last = dict(
            s.execute(
                select(CrawlRun.board_id, func.max(CrawlRun.started_at)).group_by(CrawlRun.board_id)
            ).all()
        )
        for b in s.scalars(select(Board).order_by(Board.name)):
            when = format_local(last.get(b.id), zone(b.timezone))
            table.add_row(b.name, b.url, str(posts.get(b.id, 0)), when)
        console.print(table)


@app.command("remove")
def remove(
    board: Annotated[str, typer.Argument(help="The board's name in the archive")],
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask")] = False,
    config: ConfigOpt = None,
) -> None:
    """Remove a board from the archive: its posts, versions, comments and runs, and the
    archived files no other board's version uses. A running crawl of the board: refused.
    The board stays in boards.toml (remove it there too, or the next crawl archives it anew)."""
    with opened(config) as (cfg, engine):
        with Session(engine) as s:
            b = queries.board_by_name(s, board)
            board_id, size = b.id, board_size(s, b.id)
        what = f"{size.posts} posts, {size.versions} versions, {size.runs} runs"
        if not yes:
            if not sys.stdin.isatty():
                fail(f"board {board!r} has {what}: give --yes to remove it", 2)
            if not typer.confirm(f"Remove board {board!r} ({what}) from the archive?"):
                raise typer.Exit(1)
        removed = remove_archived_board(cfg, engine, board_id, board)
        console.print(f"removed board {board!r}: {what}; {removed}", highlight=False)


def remove_archived_board(cfg: Config, engine: Engine, board_id: int, name: str) -> str:
    """Remove the board (its lock taken first), its WARC files, then the files no version
    uses; says what became of the files."""
    now = system_clock()
    stale = timedelta(seconds=cfg.scheduler.lock_stale_after)
    owner = locks.owner_id()
    try:
        locks.acquire(engine, board_id, owner, now, stale)
    except locks.LockHeld as held:
        fail(f"{held}: stop it first")
    with Session(engine) as s, s.begin():
        remove_board(s, board_id)  # its lock goes with it
    warc = board_folder(cfg.data_dir, name)
    if warc.is_dir():
        shutil.rmtree(warc)
    try:
        with Session(engine) as s, s.begin():
            count, size = prune_blobs(s, BlobStore(cfg.blob_dir))
    except CrawlsRunning as exc:
        err.print(str(exc), highlight=False)
        return "its WARC files deleted; files no version uses are kept for now"
    return f"{count} files no other version used deleted ({size:,} bytes), its WARC files too"
