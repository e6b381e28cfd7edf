"""What ``board-archive crawl`` prints of its runs, and its several boards at once."""

from __future__ import annotations

import signal

import typer
from sqlalchemy import Engine

from archive.config import BoardConfig, Config
from board_archive.cli_common import console, err
from board_archive.crawl import CrawlResult, run_crawls
from board_archive.notify import notify_run
from board_archive.runlogs import RunFiles


def crawl_several(
    cfg: Config, boards: list[BoardConfig], engine: Engine, mode: str, log_level: str, live: bool
) -> None:
    """``crawl A B C``: the boards crawled at once in one crawl process, a report each."""
    files = None if live else RunFiles.several(cfg.data_dir, [b.name for b in boards])
    if files is not None:
        err.print(f"log: {files.log}", highlight=False)
    results = run_crawls(
        cfg, boards, engine, mode=mode, log_level=log_level, log_file=files.log if files else None
    )
    for board_cfg, result in zip(boards, results, strict=True):
        report_run(board_cfg.name, result)
        if result.run is not None:
            notify_run(cfg, board_cfg, engine, result.run.id)
    signum = results[0].signum
    if signum is not None:
        name = signal.Signals(signum).name
        err.print(f"stopped by {name}; the boards' locks are released", highlight=False)
        raise typer.Exit(128 + signum)
    if not all(r.ok for r in results):
        raise typer.Exit(1)


def report_run(name: str, result: CrawlResult) -> None:
    run = result.run
    if run is None and result.signum is not None:
        err.print(f"crawl of {name} stopped before it started: nothing was recorded")
        return
    if run is None:
        err.print(f"[red]crawl of {name} ended (exit {result.exit_code}) without recording a run")
        return
    colour = {"succeeded": "green", "failed": "red"}.get(run.status.value, "yellow")
    health = f", health {run.health.value}" if run.health else ""
    console.print(
        f"run {run.id} ({run.mode.value}) of [bold]{name}[/]: [{colour}]{run.status.value}[/]"
        f"{health} — {run.requests} requests, {run.posts_seen} posts seen, {run.new_posts} new, "
        f"{run.edited_posts} edited, {run.deleted_posts} deleted, {run.errors} errors; "
        f"{run.files_downloaded} files downloaded ({run.bytes_downloaded:,} bytes), "
        f"{run.files_skipped} skipped",
        highlight=False,
    )
    for note in dict.fromkeys(filter(None, [run.message, *(run.health_notes or [])])):
        console.print(f"  {note}", highlight=False, markup=False)  # each once
