"""The scheduler on a fake clock: misfire grace, coalescing, max_instances, the error listener,
the per-board lock, notifications. The crawl is a fake (see conftest)."""

from __future__ import annotations

import logging
import threading
from datetime import timedelta

import pytest
from apscheduler.events import (
    EVENT_JOB_ERROR,
    EVENT_JOB_EXECUTED,
    EVENT_JOB_MAX_INSTANCES,
    EVENT_JOB_MISSED,
    EVENT_JOB_SUBMITTED,
)
from sqlalchemy import Engine

from archive.models import RunStatus
from board_archive import board_runner
from board_archive.board_runner import FULL, INCREMENTAL, BoardRunner
from board_archive.crawl import CrawlResult
from board_archive.schedule import build_scheduler, default_workers
from tests.scheduler.conftest import (
    SEOUL,
    FakeClock,
    FakeRun,
    Harness,
    make_config,
    seoul_time,
    wait_until,
)

LOGGER = "board_archive.schedule"


def notify_none(*args: object) -> bool:
    return True


@pytest.fixture(autouse=True)
def _info_logs(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, LOGGER)


def test_jobs_per_board_with_the_job_defaults(clock: FakeClock, mem_engine: Engine) -> None:
    cfg = make_config(boards=("press", "notice"), misfire_grace=1234)
    sched = build_scheduler(
        cfg, mem_engine, run=FakeRun(), notify=notify_none, catch_up=False, now=clock.now(SEOUL)
    )
    with Harness(sched):
        jobs = {job.id: job for job in sched.get_jobs()}
        assert set(jobs) == {"press/incremental", "press/full", "notice/incremental", "notice/full"}
        for job in jobs.values():
            assert (job.coalesce, job.max_instances, job.misfire_grace_time) == (True, 1, 1234)
        assert jobs["press/incremental"].next_run_time == seoul_time(2024, 5, 1, 2, 30)
        assert jobs["press/full"].next_run_time == seoul_time(2024, 5, 5, 4, 0)
        assert jobs["press/full"].args == ("press", FULL)
    assert default_workers(cfg) == 4 and default_workers(make_config()) == 2


def test_missed_starts_within_the_grace_coalesce_into_one_run(
    clock: FakeClock, mem_engine: Engine
) -> None:
    run = FakeRun()
    cfg = make_config(schedule="0 * * * *", misfire_grace=6 * 3600)
    sched = build_scheduler(
        cfg, mem_engine, run=run, notify=notify_none, catch_up=False, now=clock.now(SEOUL)
    )
    with Harness(sched) as h:
        assert sched.get_job("press/incremental").next_run_time == seoul_time(2024, 5, 1, 1, 0)
        clock.set(seoul_time(2024, 5, 1, 4, 30))  # asleep through 01:00, 02:00, 03:00 and 04:00
        h.tick()
        submitted = h.wait_for(EVENT_JOB_SUBMITTED)
        assert submitted.scheduled_run_times == [seoul_time(2024, 5, 1, 4, 0)]
        h.wait_for(EVENT_JOB_EXECUTED)
        assert sched.get_job("press/incremental").next_run_time == seoul_time(2024, 5, 1, 5, 0)
        h.tick()
        h.tick()
    assert run.calls == [("press", INCREMENTAL)]
    assert h.job_events(EVENT_JOB_MISSED) == []
    assert len(h.job_events(EVENT_JOB_SUBMITTED)) == 1


def test_machine_off_at_0230_runs_once_when_back_within_the_grace(
    clock: FakeClock, mem_engine: Engine, caplog: pytest.LogCaptureFixture
) -> None:
    run = FakeRun()
    sched = build_scheduler(
        make_config(), mem_engine, run=run, notify=notify_none, catch_up=False, now=clock.now(SEOUL)
    )
    with Harness(sched) as h:
        clock.set(seoul_time(2024, 5, 3, 5, 0))  # off for two nights, back 2.5 h after 02:30
        h.tick()
        submitted = h.wait_for(EVENT_JOB_SUBMITTED)
        assert submitted.scheduled_run_times == [seoul_time(2024, 5, 3, 2, 30)]
        h.wait_for(EVENT_JOB_EXECUTED)
        assert sched.get_job("press/incremental").next_run_time == seoul_time(2024, 5, 4, 2, 30)
    assert run.calls == [("press", INCREMENTAL)]
    assert "start: board=press mode=incremental (scheduled)" in caplog.text
    assert "end: board=press mode=incremental run=1 status=succeeded" in caplog.text
    assert "pages=3 posts=20 new=1 versions=2 edited=1" in caplog.text


def test_a_start_missed_by_more_than_the_grace_is_not_run(
    clock: FakeClock, mem_engine: Engine, caplog: pytest.LogCaptureFixture
) -> None:
    run = FakeRun()
    sched = build_scheduler(
        make_config(), mem_engine, run=run, notify=notify_none, catch_up=False, now=clock.now(SEOUL)
    )
    with Harness(sched) as h:
        clock.set(seoul_time(2024, 5, 1, 9, 0))  # 6 h 30 min after 02:30; the grace is 6 h
        h.tick()
        missed = h.wait_for(EVENT_JOB_MISSED)
        assert missed.scheduled_run_time == seoul_time(2024, 5, 1, 2, 30)
        assert sched.get_job("press/incremental").next_run_time == seoul_time(2024, 5, 2, 2, 30)
    assert run.calls == []
    assert (
        "missed: board=press mode=incremental: the start at 2024-05-01 02:30 KST came more "
        "than misfire_grace=21600s late" in caplog.text
    )


def test_a_job_still_running_at_its_next_start_is_skipped_and_logged(
    clock: FakeClock, mem_engine: Engine, caplog: pytest.LogCaptureFixture
) -> None:
    run = FakeRun()
    run.release.clear()
    cfg = make_config(schedule="0 * * * *")
    sched = build_scheduler(
        cfg, mem_engine, run=run, notify=notify_none, catch_up=False, now=clock.now(SEOUL)
    )
    with Harness(sched) as h:
        clock.set(seoul_time(2024, 5, 1, 1, 0))
        h.tick()
        assert run.started.wait(10)
        clock.set(seoul_time(2024, 5, 1, 2, 0))
        h.tick()
        event = h.wait_for(EVENT_JOB_MAX_INSTANCES)
        assert event.scheduled_run_times == [seoul_time(2024, 5, 1, 2, 0)]
        run.release.set()
        h.wait_for(EVENT_JOB_EXECUTED)
    assert run.calls == [("press", INCREMENTAL)]
    assert (
        "skipped: board=press mode=incremental, start at 2024-05-01 02:00 KST: the previous "
        "run of this job is still running" in caplog.text
    )


def test_a_failing_job_is_logged_and_the_scheduler_goes_on(
    clock: FakeClock, mem_engine: Engine, caplog: pytest.LogCaptureFixture
) -> None:
    run = FakeRun()
    run.fail.append(RuntimeError("database went away"))
    cfg = make_config(schedule="0 * * * *")
    sched = build_scheduler(
        cfg, mem_engine, run=run, notify=notify_none, catch_up=False, now=clock.now(SEOUL)
    )
    with Harness(sched) as h:
        clock.set(seoul_time(2024, 5, 1, 1, 0))
        h.tick()
        error = h.wait_for(EVENT_JOB_ERROR)
        assert isinstance(error.exception, RuntimeError)
        clock.set(seoul_time(2024, 5, 1, 2, 0))
        h.tick()
        h.wait_for(EVENT_JOB_EXECUTED)  # the board's lock was given back after the failure
    assert run.calls == [("press", INCREMENTAL), ("press", INCREMENTAL)]
    assert (
        "failed: board=press mode=incremental, start of 2024-05-01 01:00 KST: "
        "RuntimeError: database went away (the scheduler goes on)" in caplog.text
    )
    assert "end: board=press mode=incremental run=2 status=succeeded" in caplog.text


def test_boards_crawl_in_parallel(clock: FakeClock, mem_engine: Engine) -> None:
    run = FakeRun()
    run.release.clear()
    cfg = make_config(boards=("press", "notice"))
    sched = build_scheduler(
        cfg, mem_engine, run=run, notify=notify_none, catch_up=False, now=clock.now(SEOUL)
    )
    with Harness(sched) as h:
        clock.set(seoul_time(2024, 5, 1, 2, 30))
        h.tick()
        for _ in range(2):
            h.wait_for(EVENT_JOB_SUBMITTED)
        wait_until(lambda: len(run.calls) == 2)  # both crawls are in run() at the same time
        assert sorted(run.calls) == [("notice", INCREMENTAL), ("press", INCREMENTAL)]
        run.release.set()
        h.wait_for(EVENT_JOB_EXECUTED)
        h.wait_for(EVENT_JOB_EXECUTED)


# -- the per-board lock ----------------------------------------------------------------------


def _in_thread(runner: BoardRunner, *args: str) -> threading.Thread:
    thread = threading.Thread(target=runner, args=args)
    thread.start()
    return thread


def test_an_overlapping_run_of_a_board_is_skipped(
    mem_engine: Engine, caplog: pytest.LogCaptureFixture
) -> None:
    run = FakeRun()
    run.release.clear()
    runner = BoardRunner(make_config(), mem_engine, run=run, notify=notify_none)
    first = _in_thread(runner, "press", INCREMENTAL)
    assert run.started.wait(10)
    assert runner("press", INCREMENTAL, "catch-up") is None
    run.release.set()
    first.join(10)
    assert run.calls == [("press", INCREMENTAL)]
    assert (
        "skipped: board=press mode=incremental (catch-up): a crawl of this board is already "
        "running (incremental)" in caplog.text
    )
    assert runner("press", INCREMENTAL) is not None  # free again


def test_an_incremental_run_is_skipped_while_the_full_one_runs(
    mem_engine: Engine, caplog: pytest.LogCaptureFixture
) -> None:
    run = FakeRun()
    run.release.clear()
    runner = BoardRunner(make_config(), mem_engine, run=run, notify=notify_none)
    full = _in_thread(runner, "press", FULL)
    assert run.started.wait(10)
    assert runner("press", INCREMENTAL) is None
    run.release.set()
    full.join(10)
    assert run.calls == [("press", FULL)]
    assert "already running (full)" in caplog.text


def test_the_full_run_waits_for_the_incremental_one_then_runs(
    mem_engine: Engine, caplog: pytest.LogCaptureFixture
) -> None:
    run = FakeRun()
    run.release.clear()
    runner = BoardRunner(make_config(), mem_engine, run=run, notify=notify_none)
    incremental = _in_thread(runner, "press", INCREMENTAL)
    assert run.started.wait(10)
    full = _in_thread(runner, "press", FULL)
    wait_until(lambda: "waiting: board=press mode=full (scheduled)" in caplog.text)
    assert run.calls == [("press", INCREMENTAL)]
    run.release.set()
    incremental.join(10)
    full.join(10)
    assert not full.is_alive()
    assert run.calls == [("press", INCREMENTAL), ("press", FULL)]
    assert "board=press: the incremental crawl ended, the full run starts" in caplog.text
    assert "skipped" not in caplog.text


def test_a_waiting_full_run_gives_up_when_the_scheduler_stops(
    mem_engine: Engine, caplog: pytest.LogCaptureFixture
) -> None:
    run = FakeRun()
    run.release.clear()
    runner = BoardRunner(make_config(), mem_engine, run=run, notify=notify_none)
    incremental = _in_thread(runner, "press", INCREMENTAL)
    assert run.started.wait(10)
    full = _in_thread(runner, "press", FULL)
    wait_until(lambda: "waiting: board=press mode=full" in caplog.text)
    runner.stop()
    full.join(10)
    assert not full.is_alive()
    run.release.set()
    incremental.join(10)
    assert run.calls == [("press", INCREMENTAL)]
    assert "not started: board=press mode=full (scheduled): stopping" in caplog.text


# -- notifications and run records -----------------------------------------------------------


def test_each_recorded_run_is_notified(mem_engine: Engine) -> None:
    sent: list[tuple[str, int]] = []
    cfg = make_config()

    def notify(c: object, board: object, engine: object, run_id: int) -> bool:
        assert c is cfg and engine is mem_engine
        sent.append((getattr(board, "name", ""), run_id))
        return True

    runner = BoardRunner(cfg, mem_engine, run=FakeRun(), notify=notify)
    runner("press", INCREMENTAL)
    runner("press", FULL)
    assert sent == [("press", 1), ("press", 2)]


def test_jobs_notify_through_notify_run_by_default(
    mem_engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    sent: list[int] = []

    def notify_run(cfg: object, board: object, engine: object, run_id: int) -> bool:
        sent.append(run_id)
        return True

    monkeypatch.setattr(board_runner, "notify_run", notify_run)
    BoardRunner(make_config(), mem_engine, run=FakeRun())("press", INCREMENTAL)
    assert sent == [1]


def test_a_failing_notification_does_not_fail_the_job(
    mem_engine: Engine, caplog: pytest.LogCaptureFixture
) -> None:
    def notify(*args: object) -> bool:
        raise RuntimeError("smtp down")

    result = BoardRunner(make_config(), mem_engine, run=FakeRun(), notify=notify)(
        "press", INCREMENTAL
    )
    assert result is not None and result.ok
    assert "notification failed: board=press run=1" in caplog.text


def test_a_run_skipped_by_the_board_lock_is_logged_as_skipped(
    mem_engine: Engine, caplog: pytest.LogCaptureFixture
) -> None:
    run = FakeRun()
    run.status = RunStatus.SKIPPED
    runner = BoardRunner(make_config(), mem_engine, run=run, notify=notify_none)
    result = runner("press", INCREMENTAL)
    assert result is not None and result.run is not None
    assert "skipped: board=press mode=incremental run=1: " in caplog.text
    assert "end: board=press" not in caplog.text


def test_a_crawl_that_recorded_no_run_is_logged(
    mem_engine: Engine, caplog: pytest.LogCaptureFixture
) -> None:
    sent: list[tuple[object, ...]] = []

    def run(*args: object, **kwargs: object) -> CrawlResult:
        return CrawlResult(exit_code=1, run=None)

    def notify(*args: object) -> bool:
        sent.append(args)
        return True

    runner = BoardRunner(make_config(), mem_engine, run=run, notify=notify)
    assert runner("press", FULL) is not None
    assert "end: board=press mode=full run=- status=none exit=1" in caplog.text
    assert sent == []  # no run recorded, nothing to notify of


def test_clock_fixture_starts_on_a_wednesday_night(clock: FakeClock) -> None:
    assert clock.now(SEOUL) == seoul_time(2024, 5, 1, 0, 30)
    clock.advance(timedelta(hours=1))
    assert clock.now(SEOUL).hour == 1
