"""Two schedulers started at once (two machines, or a scheduler started twice): each board is
crawled once per slot; the other start records a ``skipped`` run naming the crawl that holds the
board's lock."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import Engine

from archive.models import RunStatus
from board_archive.demoboard.generate import generate_board
from board_archive.demoboard.server import DemoServer
from tests.scheduler.conftest import wait_until
from tests.scheduler.test_cli import NEVER, Scheduler, runs, write_config

SEOUL = ZoneInfo("Asia/Seoul")


def check_one_crawl_one_skip(engine: Engine, logs: str, posts: int) -> None:
    skipped, crawled = sorted(runs(engine), key=lambda r: r.status != RunStatus.SKIPPED)
    assert crawled.status == RunStatus.SUCCEEDED, logs
    assert crawled.posts_seen == posts and crawled.new_posts == posts
    assert skipped.status == RunStatus.SKIPPED, logs
    assert skipped.message and "another crawl of this board is running" in skipped.message
    assert f":{crawled.pid}," in skipped.message  # the holder: host:pid of the crawl


def test_two_once_starts_of_the_same_slot(tmp_path: Path, db_url: str, engine: Engine) -> None:
    board = generate_board(60, seed=8)
    with DemoServer(board) as srv:
        path = write_config(tmp_path, srv.list_url, delay=0.05, concurrency=1)
        args = ("--once", "press", "--full", "--config", str(path), "--log-level", "INFO")
        both = [Scheduler(tmp_path, db_url, *args) for _ in range(2)]
        try:
            codes = [s.wait(240) for s in both]
        finally:
            for s in both:
                s.close()
    logs = "\n".join(s.log for s in both)
    assert codes == [0, 0], logs  # a skipped run is no failure
    check_one_crawl_one_skip(engine, logs, len(board.live_ids()))


def test_two_schedulers_with_the_same_cron(tmp_path: Path, db_url: str, engine: Engine) -> None:
    """Both started just after the board's daily start (which neither saw): both catch it up at
    once; one crawls, the other's start is skipped, and neither crawls that slot again."""
    slot = datetime.now(SEOUL) - timedelta(minutes=2)
    board = generate_board(60, seed=8)
    with DemoServer(board) as srv:
        path = write_config(
            tmp_path,
            srv.list_url,
            schedule=f"{slot.minute} {slot.hour} * * *",
            full_schedule=NEVER,
            delay=0.05,
            concurrency=1,
            extra="[scheduler]\nmisfire_grace = 3600\n",
        )
        args = ("--config", str(path), "--log-level", "INFO")
        both = [Scheduler(tmp_path, db_url, *args) for _ in range(2)]
        try:
            for s in both:
                s.wait_for_log("start: board=press mode=incremental (catch-up)")
            done = (RunStatus.SUCCEEDED, RunStatus.SKIPPED)
            wait_until(lambda: sorted(r.status for r in runs(engine)) == sorted(done), 240)
            wait_until(lambda: "status=succeeded" in "".join(s.log for s in both), 30)
            for s in both:
                s.proc.terminate()
                assert s.wait(60) == 0, s.log
        finally:
            for s in both:
                s.close()
    logs = "\n".join(s.log for s in both)
    assert len(runs(engine)) == 2, logs
    check_one_crawl_one_skip(engine, logs, len(board.live_ids()))
    assert (
        logs.count("skipped: board=press mode=incremental") == 1
        and logs.count("status=succeeded") == 1
    ), logs
