"""Scheduler test helpers: a fake clock for APScheduler, a fake crawl, a harness that runs the
real BlockingScheduler loop in a thread.

APScheduler 3 reads the time in exactly two modules, always as ``datetime.now(tz)``:
``apscheduler.schedulers.base`` (what is due, the next wake-up) and ``apscheduler.executors.base``
(whether a due start is past ``misfire_grace_time``). The ``clock`` fixture replaces the name
``datetime`` in those two modules with an object whose only attribute is ``now``, reading a
:class:`FakeClock`; any other use of ``datetime`` there would fail loudly instead of silently
using the real time (``test_fake_clock_covers_every_clock_read`` checks the source for that).
The loop itself still sleeps in real time (at most ``MAX_SLEEP``), so a test moves the clock and
then wakes the scheduler up.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
import types
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta, tzinfo
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import apscheduler.executors.base
import apscheduler.schedulers.base
import pytest
from apscheduler.events import EVENT_ALL, JobEvent
from apscheduler.schedulers.base import STATE_STOPPED
from sqlalchemy import Engine

from archive.config import BoardConfig, Config, SchedulerConfig
from archive.db import make_engine
from archive.models import CrawlRun, RunHealth, RunMode, RunStatus
from board_archive.crawl import CrawlResult
from board_archive.schedule import ArchiveScheduler

SEOUL = ZoneInfo("Asia/Seoul")
CLOCK_MODULES = (apscheduler.schedulers.base, apscheduler.executors.base)


class FakeClock:
    def __init__(self, now: datetime) -> None:
        self._now = now
        self._lock = threading.Lock()

    def now(self, tz: tzinfo | None = None) -> datetime:
        with self._lock:
            now = self._now
        return now.astimezone(tz) if tz is not None else now.astimezone().replace(tzinfo=None)

    def set(self, at: datetime) -> None:
        assert at.tzinfo is not None
        with self._lock:
            self._now = at

    def advance(self, delta: timedelta) -> None:
        with self._lock:
            self._now += delta


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> FakeClock:
    fake = FakeClock(datetime(2024, 5, 1, 0, 30, tzinfo=SEOUL))  # a Wednesday
    for module in CLOCK_MODULES:
        monkeypatch.setattr(module, "datetime", types.SimpleNamespace(now=fake.now))
    return fake


@pytest.fixture(autouse=True)
def _keep_logger_levels() -> Iterator[None]:
    """``main()`` sets levels on a few loggers; put them back after each test."""
    names = ("archive", "apscheduler", "alembic")
    levels = {n: logging.getLogger(n).level for n in names}
    yield
    for name, level in levels.items():
        logging.getLogger(name).setLevel(level)


@pytest.fixture
def mem_engine() -> Iterator[Engine]:
    """An engine the scheduler holds but, with catch_up=False and a fake crawl, never uses."""
    engine = make_engine("sqlite://")
    yield engine
    engine.dispose()


def make_config(
    *,
    misfire_grace: int = 6 * 3600,
    boards: tuple[str, ...] = ("press",),
    database_url: str = "sqlite://",
    **board: Any,
) -> Config:
    board.setdefault("jitter", 0)
    return Config(
        database_url=database_url,
        data_dir=Path("var"),
        contact_url="https://example.org/contact",
        boards={
            name: BoardConfig(
                name=name, url=f"http://127.0.0.1:9/bbs/board.php?bo_table={name}", **board
            )
            for name in boards
        },
        scheduler=SchedulerConfig(misfire_grace=misfire_grace),
    )


def run_record(run_id: int, status: RunStatus = RunStatus.SUCCEEDED, **values: Any) -> CrawlRun:
    fields: dict[str, Any] = {
        "pages": 3,
        "posts_seen": 20,
        "new_posts": 1,
        "new_versions": 2,
        "edited_posts": 1,
        "deleted_posts": 0,
        "restored_posts": 0,
        "errors": 0,
        "health": RunHealth.OK,
        "mode": RunMode.INCREMENTAL,
        "message": None,
    }
    fields.update(values)
    return CrawlRun(id=run_id, status=status, **fields)


class FakeRun:
    """Stands in for run_crawl: records the call, optionally blocks or raises."""

    def __init__(self, clock: FakeClock | None = None) -> None:
        self.clock = clock
        self.calls: list[tuple[str, str]] = []
        self.started = threading.Event()
        self.release = threading.Event()
        self.release.set()
        self.fail: list[BaseException] = []  # raised by the next calls, in order
        self.status = RunStatus.SUCCEEDED
        self._lock = threading.Lock()

    def __call__(
        self,
        config: Config,
        board: BoardConfig,
        engine: Engine,
        *,
        mode: str,
        log_level: str,
        timeout: float | None,
        log_file: Path | None,
    ) -> CrawlResult:
        assert timeout == board.time_limit
        assert log_file is not None and log_file.parent == config.data_dir / "logs" / board.name
        with self._lock:
            self.calls.append((board.name, mode))
            run_id = len(self.calls)
            failure = self.fail.pop(0) if self.fail else None
        self.started.set()
        assert self.release.wait(30), "the test never released the crawl"
        if failure is not None:
            raise failure
        return CrawlResult(
            0 if self.status == RunStatus.SUCCEEDED else 1,
            run_record(run_id, self.status, mode=RunMode(mode)),
        )


class Harness:
    """Runs ``sched.start()`` (the real blocking loop) in a thread and collects its events."""

    def __init__(self, sched: ArchiveScheduler) -> None:
        self.sched = sched
        self.events: queue.Queue[Any] = queue.Queue()
        self.seen: list[Any] = []
        self._returned: set[int] = set()
        sched.add_listener(self.events.put, EVENT_ALL)
        self._thread = threading.Thread(target=sched.start, name="test-scheduler", daemon=True)

    def __enter__(self) -> Harness:
        self._thread.start()
        assert self.sched.started.wait(10), "the scheduler did not start"
        return self

    def __exit__(self, *exc: object) -> None:
        self.sched.runner.stop()
        if self.sched.state != STATE_STOPPED:
            self.sched.shutdown(wait=True)
        self._thread.join(10)
        assert not self._thread.is_alive()

    def tick(self) -> None:
        """Let the loop look at the (fake) clock now."""
        self.sched.wakeup()

    def wait_for(self, code: int, timeout: float = 15) -> Any:
        """The next event with this code not returned before, in the order they happened.

        Events of one job can arrive out of the order they are waited for (a quick job's
        EXECUTED before its SUBMITTED), so earlier events are looked at first.
        """
        while True:
            for event in self.seen:
                if event.code == code and id(event) not in self._returned:
                    self._returned.add(id(event))
                    return event
            try:
                self.seen.append(self.events.get(timeout=timeout))
            except queue.Empty:
                seen = [(e.code, getattr(e, "job_id", None)) for e in self.seen]
                raise AssertionError(f"no event {code} within {timeout}s; seen: {seen}") from None

    def job_events(self, code: int) -> list[JobEvent]:
        while not self.events.empty():
            self.seen.append(self.events.get_nowait())
        return [e for e in self.seen if e.code == code]


def seoul_time(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=SEOUL)


def wait_until(condition: Callable[[], bool], timeout: float = 15) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out waiting"
        time.sleep(0.02)
