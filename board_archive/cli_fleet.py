"""``board-archive worker``: a worker of the fleet (``board_archive.fleet``)."""

from __future__ import annotations

import logging
import os
import socket
import sys
from typing import Annotated

import typer

from archive.db import check_schema
from board_archive.cli_common import ConfigOpt, fail, opened
from board_archive.fleet import FleetError, WorkerState, make_app, require_postgres
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
        WorkerState.current = WorkerState(cfg, engine, log_level)
        app = make_app(cfg)
        name = f"board-archive@{socket.gethostname()}.{os.getpid()}"
        celery_worker = app.Worker(
            pool="threads",
            concurrency=concurrency or default_workers(cfg),
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
