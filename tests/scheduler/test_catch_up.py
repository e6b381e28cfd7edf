"""Catching up at start-up: a start missed while the scheduler was not running, seen from the
last runs in the database (SQLite and PostgreSQL)."""

from __future__ import annotations

import logging
from datetime import UTC, datetime

import pytest
from apscheduler.events import EVENT_JOB_EXECUTED, EVENT_JOB_SUBMITTED
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from archive.config import Config
from archive.models import Board, CrawlRun, RunMode, RunStatus
from board_archive.board_runner import FULL, INCREMENTAL
from board_archive.schedule import CatchUp, build_scheduler, missed_runs
from tests.scheduler.conftest import FakeClock, FakeRun, Harness, make_config, seoul_time


def add_run(
    engine: Engine,
    started: datetime,
    mode: str = INCREMENTAL,
    board: str = "press",
    status: RunStatus = RunStatus.SUCCEEDED,
) -> None:
    with Session(engine) as s, s.begin():
        row = s.scalar(select(Board).where(Board.name == board))
        if row is None:
            row = Board(
                name=board,
                url=f"http://127.0.0.1:9/bbs/board.php?bo_table={board}",
                engine="gnuboard5",
                created_at=datetime(2024, 1, 1, tzinfo=UTC),
            )
            s.add(row)
            s.flush()
        s.add(
            CrawlRun(
                board_id=row.id,
                started_at=started,
                finished_at=started,
                status=status,
                mode=RunMode(mode),
            )
        )


def config(engine: Engine, **kw: object) -> Config:
    return make_config(database_url=str(engine.url), **kw)  # type: ignore[arg-type]


def test_a_run_before_the_last_start_gets_one_catch_up(engine: Engine) -> None:
    add_run(engine, seoul_time(2024, 5, 1, 2, 35))  # the night before
    now = seoul_time(2024, 5, 2, 5, 0)  # the machine came back at 05:00, 02:30 was missed
    assert missed_runs(config(engine), engine, now) == [
        CatchUp("press", INCREMENTAL, seoul_time(2024, 5, 2, 2, 30), seoul_time(2024, 5, 1, 2, 35))
    ]


def test_a_run_after_the_last_start_gets_none(engine: Engine) -> None:
    add_run(engine, seoul_time(2024, 5, 2, 2, 36), status=RunStatus.FAILED)  # any status counts
    assert missed_runs(config(engine), engine, seoul_time(2024, 5, 2, 5, 0)) == []


def test_a_start_older_than_the_grace_is_not_caught_up(engine: Engine) -> None:
    add_run(engine, seoul_time(2024, 5, 1, 2, 35))
    assert missed_runs(config(engine), engine, seoul_time(2024, 5, 2, 9, 0)) == []
    assert (
        len(
            missed_runs(
                config(engine, misfire_grace=7 * 3600), engine, seoul_time(2024, 5, 2, 9, 0)
            )
        )
        == 1
    )


def test_a_board_never_crawled_is_caught_up(engine: Engine) -> None:
    add_run(engine, seoul_time(2024, 5, 2, 2, 31), board="other")
    cfg = config(engine, boards=("press", "other"))
    assert [
        (c.board, c.mode, c.last_run)
        for c in missed_runs(cfg, engine, seoul_time(2024, 5, 2, 3, 0))
    ] == [("press", INCREMENTAL, None)]


def test_when_both_were_missed_only_the_full_run_is_caught_up(engine: Engine) -> None:
    now = seoul_time(2024, 5, 5, 5, 0)  # a Sunday: 02:30 incremental and 04:00 full missed
    add_run(engine, seoul_time(2024, 5, 4, 2, 33))
    assert missed_runs(config(engine), engine, now) == [
        CatchUp("press", FULL, seoul_time(2024, 5, 5, 4, 0), None)
    ]
    add_run(engine, seoul_time(2024, 5, 5, 2, 33))  # the incremental one ran; the full did not
    assert [c.mode for c in missed_runs(config(engine), engine, now)] == [FULL]
    add_run(engine, seoul_time(2024, 5, 5, 4, 2), mode=FULL)
    assert missed_runs(config(engine), engine, now) == []


def test_a_full_run_covers_a_missed_incremental_start(engine: Engine) -> None:
    add_run(engine, seoul_time(2024, 5, 2, 2, 45), mode=FULL)  # e.g. run by hand
    assert missed_runs(config(engine), engine, seoul_time(2024, 5, 2, 5, 0)) == []


@pytest.mark.parametrize("ran_after", [False, True])
def test_the_scheduler_runs_the_catch_up_once_at_start(
    engine: Engine, clock: FakeClock, caplog: pytest.LogCaptureFixture, ran_after: bool
) -> None:
    caplog.set_level(logging.INFO, "board_archive.schedule")
    add_run(engine, seoul_time(2024, 5, 2, 2, 40) if ran_after else seoul_time(2024, 5, 1, 2, 40))
    clock.set(seoul_time(2024, 5, 2, 5, 0))
    run = FakeRun()
    sched = build_scheduler(
        config(engine), engine, run=run, notify=lambda *a: True, now=clock.now(UTC)
    )
    catch_up = sched.get_job("press/incremental/catch-up")
    assert (catch_up is None) == ran_after
    with Harness(sched) as h:
        assert sched.get_job("press/incremental").next_run_time == seoul_time(2024, 5, 3, 2, 30)
        if not ran_after:
            submitted = h.wait_for(EVENT_JOB_SUBMITTED)
            assert submitted.job_id == "press/incremental/catch-up"
            h.wait_for(EVENT_JOB_EXECUTED)
            assert sched.get_job("press/incremental/catch-up") is None  # a one-off
        h.tick()
    assert run.calls == ([] if ran_after else [("press", INCREMENTAL)])
    assert (
        "catch-up: board=press mode=incremental: the start at 2024-05-02 02:30 KST was "
        "missed (last run started 2024-05-01 02:40 KST); running it now" in caplog.text
    ) != (ran_after)
    if not ran_after:
        assert "start: board=press mode=incremental (catch-up)" in caplog.text
