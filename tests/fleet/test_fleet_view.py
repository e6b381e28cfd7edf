"""``board-archive fleet``, and who ran what: the workers alive (asked through the broker) with
the board each is crawling, the archive's open runs with their worker, and the run records
naming the worker that ran them; a broker that cannot be reached is exit 1, with the archive's
part still shown. On this machine's RabbitMQ and PostgreSQL (see ``test_fleet``)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from sqlalchemy import Engine

from archive.config import load_config
from archive.models import RunStatus
from board_archive.demoboard import DemoServer, generate_board
from board_archive.fleet import Enqueuer
from tests.crawl.test_end_to_end import cli
from tests.fleet.helpers import (
    runs,
    start_worker,
    stop,
    wait_for,
    write_config,
)

pytestmark = pytest.mark.filterwarnings("ignore:'imghdr' is deprecated:DeprecationWarning")


def test_fleet_lists_the_workers_alive_with_their_boards_and_runs_name_their_worker(
    tmp_path: Path, db_url: str, engine: Engine, queue: str
) -> None:
    board = generate_board(30, seed=23)
    with DemoServer(board) as server:
        config = write_config(tmp_path, server.list_url, queue, delay=0.3)
        worker = start_worker(tmp_path, db_url, config, "worker")
        try:
            wait_for("the worker", lambda: "ready" in (tmp_path / "worker.log").read_text())
            Enqueuer(load_config(config))("press", "full", "test")
            wait_for("the run", lambda: any(r.status == RunStatus.RUNNING for r in runs(engine)))
            shown = cli(tmp_path, db_url, "fleet", "-c", str(config))
            wait_for("the end", lambda: any(r.status == RunStatus.SUCCEEDED for r in runs(engine)))
            idle = cli(tmp_path, db_url, "fleet", "-c", str(config))
        finally:
            stop(worker)
    assert shown.returncode == 0, shown.stdout + shown.stderr
    [name] = re.findall(r"worker (board-archive@\S+):", (tmp_path / "worker.log").read_text())
    [run] = runs(engine)
    assert run.worker == name  # the run names the worker that ran it
    out = shown.stdout
    assert "workers alive: 1" in out and name in out
    assert re.search(r"press \(full, since \d\d:\d\d:\d\d UTC\)", out), out
    assert f"press run {run.id}" in out  # the archive's open run, by the same worker
    assert "open runs: 1" in out and "sites' turns held: 1" in out
    assert idle.returncode == 0 and "idle" in idle.stdout and "open runs: 0" in idle.stdout
    listed = cli(tmp_path, db_url, "runs", "-c", str(config))
    assert name in listed.stdout  # `runs` shows who ran it


def test_fleet_says_when_the_broker_cannot_be_reached(
    tmp_path: Path, db_url: str, engine: Engine
) -> None:
    config = tmp_path / "boards.toml"
    config.write_text(
        '[fleet]\nbroker_url = "amqp://guest:secret@127.0.0.1:1//"\n'
        '[boards.press]\nurl = "http://127.0.0.1:9/bbs/board.php?bo_table=press"\n',
        encoding="utf-8",
    )
    assert cli(tmp_path, db_url, "init", "-c", str(config)).returncode == 0
    shown = cli(tmp_path, db_url, "fleet", "-c", str(config), "--timeout", "1")
    assert shown.returncode == 1
    assert "cannot reach the broker amqp://guest:***@127.0.0.1:1//" in shown.stderr
    assert "secret" not in shown.stdout + shown.stderr
    assert "open runs: 0" in shown.stdout  # the archive's part is still shown
