"""The fleet (``board_archive.fleet``) on the RabbitMQ of this machine (127.0.0.1:5672) and
PostgreSQL: a run enqueued is crawled by a ``board-archive worker`` process; a worker killed
(SIGKILL) in the middle of a run loses nothing: its crawl closes its run and the broker gives
the run to another worker, which archives the board with no duplicate version and no false
deletion; a broker that cannot be reached keeps the runs until it answers; one scheduler holds
the lease; SQLite is refused. Without a broker these tests skip, except under CI."""

from __future__ import annotations

import logging
import signal
import subprocess
import threading
import time
from pathlib import Path

import pytest
from kombu import Connection
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from archive.config import load_config
from archive.models import BoardLock, Post, PostState, PostVersion, RunStatus
from board_archive.demoboard import DemoServer, generate_board
from board_archive.fleet import TASK, Enqueuer, SchedulerLease, make_app
from tests.crawl.test_end_to_end import cli
from tests.fleet.helpers import (
    BROKER,
    posts_archived,
    runs,
    start_cli,
    start_worker,
    stop,
    wait_for,
    write_config,
)

pytestmark = pytest.mark.filterwarnings("ignore:'imghdr' is deprecated:DeprecationWarning")


def test_a_run_enqueued_is_crawled_by_a_worker(
    tmp_path: Path, db_url: str, engine: Engine, queue: str
) -> None:
    board = generate_board(15, seed=21)
    with DemoServer(board) as server:
        cfg = load_config(write_config(tmp_path, server.list_url, queue))
        worker = start_worker(tmp_path, db_url, cfg.source or Path(), "worker")
        try:
            Enqueuer(cfg)("press", "full", "test")
            wait_for("the run", lambda: any(r.status == RunStatus.SUCCEEDED for r in runs(engine)))
        finally:
            stop(worker)
    assert worker.returncode == 0, (tmp_path / "worker.log").read_text()[-3000:]
    with Session(engine) as s:
        archived = set(s.scalars(select(Post.source_id)))
    assert archived == {str(i) for i in board.live_ids()}


def test_a_worker_killed_mid_run_loses_nothing(
    tmp_path: Path, db_url: str, engine: Engine, queue: str
) -> None:
    board = generate_board(40, seed=22)
    live = {str(i) for i in board.live_ids()}
    with DemoServer(board) as server:
        config = write_config(tmp_path, server.list_url, queue, delay=0.25)
        first = start_worker(tmp_path, db_url, config, "first")
        second = None
        try:
            Enqueuer(load_config(config))("press", "full", "test")
            wait_for("a few posts archived", lambda: posts_archived(engine) >= 3)
            assert posts_archived(engine) < len(live)  # in the middle of the run
            first.kill()  # SIGKILL: no goodbye to the broker, no closing of anything
            first.wait()
            second = start_worker(tmp_path, db_url, config, "second")
            wait_for(
                "the run delivered again",
                lambda: any(r.status == RunStatus.SUCCEEDED for r in runs(engine)),
                seconds=240,
            )
        finally:
            stop(first)
            if second is not None:
                stop(second)
    done = runs(engine)
    assert done[0].status == RunStatus.INTERRUPTED, [r.status for r in done]  # its crawl closed it
    assert done[-1].status == RunStatus.SUCCEEDED
    with Session(engine) as s:
        archived = set(s.scalars(select(Post.source_id)))
        assert archived == live
        assert s.scalar(select(func.count()).select_from(PostVersion)) == len(
            [p for p in board.posts() if not p.secret]
        )  # one version each: nothing stored twice
        states = set(s.scalars(select(Post.state)))
        assert PostState.DELETED not in states
        assert s.scalars(select(BoardLock)).all() == []


def test_a_broker_that_cannot_be_reached_keeps_the_runs_until_it_answers(
    tmp_path: Path, queue: str, caplog: pytest.LogCaptureFixture
) -> None:
    good = load_config(write_config(tmp_path, "http://127.0.0.1:9/bbs/board.php?bo_table=a", queue))
    bad = good.model_copy(
        update={
            "fleet": good.fleet.model_copy(update={"broker_url": "amqp://g:secret@127.0.0.1:1//"})
        }
    )
    enqueuer = Enqueuer(bad)
    with caplog.at_level(logging.WARNING, logger="board_archive.fleet"):
        enqueuer("press", "incremental")
        enqueuer("press", "incremental", "catch-up")  # the same run: kept once
        enqueuer("press", "full")
    warnings = [
        r.getMessage() for r in caplog.records if "cannot reach the broker" in r.getMessage()
    ]
    assert len(warnings) == 1 and "secret" not in warnings[0]  # once a minute, no password
    assert enqueuer.pending == {
        ("press", "incremental"): "catch-up",
        ("press", "full"): "scheduled",
    }
    enqueuer.app = make_app(good)  # the broker answers again
    assert enqueuer.flush() == 2 and enqueuer.pending == {}
    with Connection(BROKER) as conn:
        box = conn.SimpleQueue(queue)
        bodies = [box.get(timeout=5) for _ in range(2)]
        for message in bodies:
            message.ack()
    assert {m.headers["task"] for m in bodies} == {TASK}
    assert sorted(
        tuple(m.headers["argsrepr"].strip("[]").replace("'", "").split(", ")) for m in bodies
    ) == [
        ("press", "full", "scheduled"),
        ("press", "incremental", "catch-up"),
    ]


class SlowApp:
    """A Celery app's ``send_task`` that takes a moment, as a broker's round trip does."""

    def __init__(self) -> None:
        self.sent: list[tuple[str, str]] = []

    def send_task(self, name: str, args: list[str], **options: object) -> None:
        time.sleep(0.02)
        self.sent.append((args[0], args[1]))


def test_boards_due_together_are_each_enqueued_once(tmp_path: Path) -> None:
    # the scheduler's job threads of boards due at one minute call the enqueuer at once: each
    # run is sent once (each thread used to send everything kept at its moment: most twice or more)
    path = tmp_path / "boards.toml"
    path.write_text(
        "".join(
            f'[boards.b{i}]\nurl = "http://127.0.0.1:9/bbs/board.php?bo_table=b{i}"\n'
            for i in range(20)
        ),
        encoding="utf-8",
    )
    app = SlowApp()
    enqueuer = Enqueuer(load_config(path), app=app)  # type: ignore[arg-type]
    start = threading.Barrier(20)

    def job(board: str) -> None:
        start.wait()
        enqueuer(board, "full")

    threads = [threading.Thread(target=job, args=(f"b{i}",)) for i in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(app.sent) == sorted((f"b{i}", "full") for i in range(20))
    assert enqueuer.pending == {} and enqueuer.sent == 20


def test_one_scheduler_holds_the_lease(engine: Engine) -> None:
    first, second = SchedulerLease(engine), SchedulerLease(engine)
    try:
        assert first.try_take() and first.held()
        assert not second.try_take()  # stands by
        first.release()
        assert second.try_take()
    finally:
        first.release()
        second.release()


def test_the_fleet_refuses_sqlite(tmp_path: Path) -> None:
    sqlite = f"sqlite:///{tmp_path}/archive.sqlite3"
    config = write_config(tmp_path, "http://127.0.0.1:9/bbs/board.php?bo_table=a", "q")
    worker = cli(tmp_path, sqlite, "worker", "-c", str(config))
    assert worker.returncode == 2 and "needs PostgreSQL" in worker.stderr, worker.stderr
    sched = cli(tmp_path, sqlite, "schedule", "--fleet", "-c", str(config))
    assert sched.returncode == 2 and "needs PostgreSQL" in sched.stderr, sched.stderr


def test_one_scheduler_enqueues_and_a_second_takes_over_when_it_stops(
    tmp_path: Path, db_url: str, queue: str
) -> None:
    config = write_config(tmp_path, "http://127.0.0.1:9/bbs/board.php?bo_table=a", queue)
    with config.open("a", encoding="utf-8") as fh:  # due every minute, no jitter
        fh.write('schedule = "* * * * *"\nfull_schedule = "0 0 1 1 *"\njitter = 0\n')

    def start(name: str) -> subprocess.Popen[bytes]:
        return start_cli(tmp_path, db_url, name, "schedule", "--fleet", "-c", str(config))

    def said(name: str, text: str) -> bool:
        return text in (tmp_path / f"{name}.log").read_text(errors="replace")

    first = start("first")
    second = None
    try:
        wait_for("the lease", lambda: said("first", "holding the scheduler lease"), 60)
        with Connection(BROKER) as conn:
            message = conn.SimpleQueue(queue).get(timeout=90)  # the minute's run, enqueued
            message.ack()
        assert message.headers["task"] == TASK and "press" in message.headers["argsrepr"]
        second = start("second")
        wait_for("the second standing by", lambda: said("second", "standing by"), 60)
        assert not said("second", "holding the scheduler lease")
        first.send_signal(signal.SIGTERM)
        assert first.wait(timeout=60) == 0
        wait_for("the take-over", lambda: said("second", "holding the scheduler lease"), 60)
    finally:
        for proc in (first, second):
            if proc is not None and proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
                proc.wait(timeout=60)
    assert second is not None and second.returncode == 0
