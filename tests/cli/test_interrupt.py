"""Stopping ``board-archive crawl`` (the real command, its real crawl process, a demo board on
127.0.0.1): SIGINT at random moments, 20 times, as Ctrl-C does (to the command; or to its whole
process group, as a terminal sends it, which makes the crawl's second signal a forced stop), a
second SIGINT, SIGTERM and a crawl process killed outright. Each time the board is crawlable at
once: no lock is left, no run stays ``running``, an interrupted run's duration is the real one,
and the next crawl runs (never ``skipped``)."""

from __future__ import annotations

import contextlib
import os
import random
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from archive.models import BoardLock, CrawlRun, RunStatus
from board_archive.demoboard import DemoServer, generate_board

pytestmark = [
    pytest.mark.parametrize("backend", ["sqlite"], indirect=True),
    pytest.mark.filterwarnings("ignore:'imghdr' is deprecated:DeprecationWarning"),
]


def _start(tmp_path: Path, db_url: str, url: str) -> subprocess.Popen[str]:
    config = tmp_path / "boards.toml"
    config.write_text(f'[boards.press]\nurl = "{url}"\ndelay = 0.1\nconcurrency = 1\n')
    args = ["crawl", "press", "-c", str(config), "--full", "--log-level", "WARNING"]
    return subprocess.Popen(
        [sys.executable, "-m", "board_archive.cli", *args],
        env={**os.environ, "DATABASE_URL": db_url, "NO_COLOR": "1"},
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,  # its own process group, as a terminal's foreground job
    )


def _crawl_pid(command: subprocess.Popen[str], deadline: float) -> int | None:
    """The crawl process the command started, once it runs (its child)."""
    while time.monotonic() < deadline:
        children = Path(f"/proc/{command.pid}/task/{command.pid}/children")
        pids = children.read_text().split() if children.exists() else []
        if pids:
            return int(pids[0])
        time.sleep(0.05)
    return None


def _stop(command: subprocess.Popen[str], how: str) -> None:
    if how == "group":  # Ctrl-C in a terminal: the command and its crawl both get it
        os.killpg(command.pid, signal.SIGINT)
    elif how == "twice":
        command.send_signal(signal.SIGINT)
        time.sleep(0.3)
        command.send_signal(signal.SIGINT)
    elif how == "kill-crawl":
        pid = _crawl_pid(command, time.monotonic() + 5)
        if pid is not None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
    else:
        command.send_signal(signal.SIGTERM if how == "term" else signal.SIGINT)


def _wait_for_run(engine: Engine, began: datetime, deadline: float) -> None:
    """Until the crawl started after ``began`` has opened its run."""
    while time.monotonic() < deadline:
        with Session(engine) as s:
            started = s.scalars(select(CrawlRun.started_at).order_by(CrawlRun.id.desc())).first()
        if started is not None and _aware(started) >= began:
            return
        time.sleep(0.05)


def _aware(when: datetime) -> datetime:
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def test_a_crawl_stopped_at_any_moment_leaves_the_board_crawlable(
    tmp_path: Path, db_url: str, engine: Engine
) -> None:
    rng = random.Random(20261205)
    ways = ["int", "group", "int", "term", "twice", "int", "group", "kill-crawl", "int", "group"]
    with DemoServer(generate_board(45, seed=11)) as server:
        for round_ in range(20):
            how = ways[round_ % len(ways)]
            began = datetime.now(UTC)
            command = _start(tmp_path, db_url, server.list_url)
            assert _crawl_pid(command, time.monotonic() + 30) is not None, round_
            if round_ % 2:  # a moment of the crawl once its run is open (however slow the start)
                _wait_for_run(engine, began, time.monotonic() + 60)
                time.sleep(rng.uniform(0.0, 2.0))
            else:  # a moment of the crawl process's life, its start included
                time.sleep(rng.uniform(0.0, 5.0))
            _stop(command, how)
            out, _ = command.communicate(timeout=120)
            ended = datetime.now(UTC)
            assert "Traceback" not in out, (round_, how, out[-3000:])
            with Session(engine) as s:
                assert s.scalar(select(func.count()).select_from(BoardLock)) == 0, (round_, how)
                run = s.scalars(select(CrawlRun).order_by(CrawlRun.id.desc())).first()
            if run is None or _aware(run.started_at) < began:
                continue  # stopped before the crawl opened its run
            assert run.status in (RunStatus.INTERRUPTED, RunStatus.SUCCEEDED), (round_, how, out)
            assert run.finished_at is not None
            assert _aware(run.finished_at) <= ended, (round_, how)  # its real end, not later
            if run.status == RunStatus.INTERRUPTED:
                expected = {"term": 143, "kill-crawl": 1}.get(how, 130)
                assert command.returncode == expected, (round_, how, out[-2000:])
        # the board is crawlable at once: a crawl that runs to its end
        command = _start(tmp_path, db_url, server.list_url)
        out, _ = command.communicate(timeout=180)
        assert command.returncode == 0, out[-3000:]
    with Session(engine) as s:
        statuses = list(s.scalars(select(CrawlRun.status)))
        assert RunStatus.SKIPPED not in statuses and RunStatus.RUNNING not in statuses
        assert statuses[-1] == RunStatus.SUCCEEDED
        assert statuses.count(RunStatus.INTERRUPTED) >= 10
