"""``board-archive worker`` (a worker of the fleet, ``board_archive.fleet``) and
``board-archive fleet`` (the workers alive and what they crawl)."""

from __future__ import annotations

import logging
import sys
from typing import Annotated

import typer
from rich.console import Console
from sqlalchemy.orm import Session

from archive import site_locks
from archive.db import check_schema
from board_archive import fleet_view
from board_archive.cli_common import ConfigOpt, fail, opened
from board_archive.fleet import (
    FleetError,
    WorkerState,
    broker_label,
    make_app,
    require_postgres,
    worker_name,
)
from board_archive.schedule import default_workers


def worker(
    config: ConfigOpt = None,
    concurrency: Annotated[
        int | None,
        typer.Option(
            min=1, help="Boards crawled at once (default: [scheduler] concurrent_boards, or sized)"
        ),
    ] = None,
    log_level: Annotated[str, typer.Option(help="For the worker and its crawls")] = "INFO",
) -> None:
    """Crawl the board runs a fleet scheduler (board-archive schedule --fleet) enqueues, from
    the broker of [fleet] broker_url ($BOARD_ARCHIVE_BROKER_URL), into the shared PostgreSQL.
    Run any number, on any machines sharing the database and the blob store. A run of a worker
    that dies is delivered again to another. Stop with SIGTERM: the worker takes no new run and
    waits for its crawls to end (each within its board's time_limit).

    Exit 2 on SQLite (the fleet needs one PostgreSQL for every machine)."""
    with opened(config, need_schema=False) as (cfg, engine):
        try:
            require_postgres(cfg)
        except FleetError as exc:
            fail(str(exc), 2)
        check_schema(engine)  # a schema not ready: opened() says so, exit 1
        logging.basicConfig(
            level=log_level, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
        )
        logging.getLogger("board_archive").setLevel(log_level)
        name = worker_name()
        WorkerState.current = WorkerState(cfg, engine, log_level, name)
        app = make_app(cfg)
        celery_worker = app.Worker(
            pool="threads",
            concurrency=concurrency or default_workers(cfg, engine),
            loglevel=log_level,
            hostname=name,
            queues=[cfg.fleet.queue],
            without_gossip=True,
            without_mingle=True,
            quiet=True,
        )
        print(f"worker {name}: queue {cfg.fleet.queue}", file=sys.stderr, flush=True)
        celery_worker.start()
        code = celery_worker.exitcode or 0
    raise typer.Exit(code)


def fleet(
    config: ConfigOpt = None,
    timeout: Annotated[
        float, typer.Option(min=0.1, help="Seconds to wait for the workers' answers")
    ] = 2.0,
) -> None:
    """The fleet now: each worker of [fleet] queue that answers the broker ([fleet] broker_url)
    within --timeout, with the board runs it is crawling; then the archive's open runs (who
    runs each, and what a run waiting for its site's turn waits for) and the sites whose turn
    is held.

    Exit 1 when the broker cannot be reached (the archive's part is still shown)."""
    with opened(config) as (cfg, engine):
        try:
            active = fleet_view.workers_alive(make_app(cfg), cfg.fleet.queue, timeout)
        except Exception as exc:  # kombu's OperationalError and socket errors alike
            active = None
            broker_error = f"cannot reach the broker {broker_label(cfg)}: {exc}"
        with Session(engine) as s:
            now_open = fleet_view.open_runs(s)
            sites = site_locks.held(s)
        console = Console()
        if active is not None:
            console.print(fleet_view.workers_table(active, now_open), highlight=False)
        alive = set(active) if active is not None else None
        console.print(fleet_view.runs_table(now_open, alive), highlight=False)
        console.print(fleet_view.sites_table(sites), highlight=False)
        if active is None:
            fail(broker_error)
