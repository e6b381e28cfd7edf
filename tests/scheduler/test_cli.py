"""``scheduler.py``: --list, exit codes, a clean stop on SIGTERM/SIGINT, and one real --once crawl
of a demo board."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from archive.models import CrawlRun, RunMode, RunStatus
from board_archive.cli import app as cli_app
from board_archive.demoboard.generate import generate_board
from board_archive.demoboard.server import DemoServer
from board_archive.schedule_cli import main
from tests.scheduler.conftest import wait_until

SCRIPT = Path(__file__).resolve().parents[2] / "scheduler.py"
UNREACHABLE = "http://127.0.0.1:9/bbs/board.php?bo_table=press"
NEVER = "0 0 1 1 *"  # New Year's midnight: does not fire during a test


def write_config(tmp_path: Path, url: str = UNREACHABLE, extra: str = "", **keys: Any) -> Path:
    values = {"url": url, "delay": 0, **keys}
    lines = ["[boards.press]"] + [f"{k} = {json.dumps(v)}" for k, v in values.items()]
    path = tmp_path / "boards.toml"
    path.write_text("\n".join(lines) + "\n" + extra, encoding="utf-8")
    return path


def runs(engine: Engine) -> list[CrawlRun]:
    with Session(engine) as s:
        return list(s.scalars(select(CrawlRun).order_by(CrawlRun.id)))


class Scheduler:
    """``python scheduler.py …`` as a child process; its log lines are collected as they come."""

    def __init__(self, tmp_path: Path, db_url: str, *args: str) -> None:
        env = {**os.environ, "DATABASE_URL": db_url}
        env.pop("BOARD_ARCHIVE_CONFIG", None)
        self.proc = subprocess.Popen(
            [sys.executable, str(SCRIPT), *args],
            cwd=tmp_path,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        self.lines: list[str] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.proc.stderr is not None
        for line in self.proc.stderr:
            self.lines.append(line)

    @property
    def log(self) -> str:
        return "".join(self.lines)

    def wait_for_log(self, text: str, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while text not in self.log:
            assert self.proc.poll() is None, f"exited {self.proc.returncode}:\n{self.log}"
            assert time.monotonic() < deadline, f"no {text!r} in:\n{self.log}"
            time.sleep(0.05)

    def wait(self, timeout: float) -> int:
        try:
            code = self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            raise AssertionError(f"still running after {timeout}s:\n{self.log}") from None
        self._reader.join(5)
        return code

    def close(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        for stream in (self.proc.stdout, self.proc.stderr):
            if stream is not None:
                stream.close()


# -- in-process: --list, usage and configuration errors ----------------------------------------


def test_list_prints_each_boards_next_starts(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_config(tmp_path, full_schedule="0 4 * * 0", jitter=120)
    assert main(["--list", "--config", str(path)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].split()[:5] == ["board", "mode", "cron", "zone", "jitter"]
    incremental, full = out[1], out[2]
    assert incremental.split()[:2] == ["press", "incremental"] and "30 2 * * *" in incremental
    assert full.split()[:2] == ["press", "full"] and "0 4 * * 0" in full
    assert "Asia/Seoul" in incremental and "120s" in incremental
    assert incremental.count("02:30 KST") == 3
    assert full.count("Sun 04:00 KST") == 3
    dates = re.findall(r"\d{4}-\d\d-\d\d", full)
    assert len(dates) == 3 and dates == sorted(dates)
    assert date.fromisoformat(dates[0]) >= datetime.now(UTC).date()


def test_help(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--help"]) == 0
    out = capsys.readouterr().out
    assert re.search(r"--once\s+BOARD", out) and "--list" in out and "--full" in out


@pytest.mark.parametrize(
    ("args", "keys", "message"),
    [
        ([], {"delay": "fast"}, "boards.press.delay: expected a number >= 0, got 'fast'"),
        ([], {"schedule": "every night"}, "boards.press.schedule: not a cron expression"),
        ([], {"full_schedule": "0 4 * * 8"}, "boards.press.full_schedule:"),
        (["--once", "nope"], {}, "unknown board 'nope'"),
        (["--list"], {"timezone": "Mars/Olympus"}, "unknown time zone"),
    ],
)
def test_a_configuration_error_exits_2(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    args: list[str],
    keys: dict[str, Any],
    message: str,
) -> None:
    path = write_config(tmp_path, **keys)
    assert main([*args, "--config", str(path)]) == 2
    assert message in capsys.readouterr().err


def test_usage_errors_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--full"]) == 2
    assert "--full goes with --once BOARD" in capsys.readouterr().err
    assert main(["--once", "press", "--list"]) == 2
    empty = tmp_path / "empty.toml"
    empty.write_text("", encoding="utf-8")
    assert main(["--config", str(empty)]) == 2
    assert "no boards to schedule" in capsys.readouterr().err
    assert main(["--config", str(tmp_path / "missing.toml")]) == 2


def test_a_database_that_is_not_initialised_exits_1(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path}/empty.sqlite3")
    path = write_config(tmp_path)
    assert main(["--config", str(path)]) == 1
    assert main(["--once", "press", "--config", str(path)]) == 1
    err = capsys.readouterr().err
    assert "not initialised" in err and "board-archive init" in err


# -- as a process ------------------------------------------------------------------------------


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_a_signal_stops_the_scheduler_promptly_with_exit_0(
    tmp_path: Path, db_url: str, engine: Engine, signum: signal.Signals
) -> None:
    path = write_config(
        tmp_path, schedule=NEVER, full_schedule=NEVER, extra=("[scheduler]\nmisfire_grace = 60\n")
    )
    sched = Scheduler(tmp_path, db_url, "--config", str(path))
    try:
        sched.wait_for_log("scheduler running: 1 board(s)")
        assert "scheduled: board=press mode=incremental cron='0 0 1 1 *'" in sched.log
        began = time.monotonic()
        sched.proc.send_signal(signum)
        assert sched.wait(20) == 0, sched.log
        assert time.monotonic() - began < 10
    finally:
        sched.close()
    assert f"stopping on {signum.name}" in sched.log and "scheduler stopped" in sched.log
    assert runs(engine) == []  # nothing fired, nothing was caught up


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_sigterm_interrupts_a_running_crawl_and_exits_0(
    tmp_path: Path, db_url: str, engine: Engine
) -> None:
    """A board never crawled, whose every-minute start just passed: the start-up catch-up
    crawls it at once; SIGTERM reaches the crawl, which closes its run as interrupted."""
    with DemoServer(generate_board(60, seed=3)) as srv:
        path = write_config(
            tmp_path,
            srv.list_url,
            schedule="* * * * *",
            full_schedule=NEVER,
            delay=1.0,
            concurrency=1,
            extra="[scheduler]\nmisfire_grace = 3600\n",
        )
        sched = Scheduler(tmp_path, db_url, "--config", str(path), "--log-level", "INFO")
        try:
            sched.wait_for_log("start: board=press mode=incremental (catch-up)")
            wait_until(lambda: any(r.status == RunStatus.RUNNING for r in runs(engine)), 120)
            began = time.monotonic()
            sched.proc.send_signal(signal.SIGTERM)
            assert sched.wait(120) == 0, sched.log
            took = time.monotonic() - began
        finally:
            sched.close()
    assert "catch-up: board=press mode=incremental" in sched.log
    assert "sending SIGTERM to crawl process" in sched.log
    [run] = runs(engine)
    assert run.status == RunStatus.INTERRUPTED, sched.log
    assert f"end: board=press mode=incremental run={run.id} status=interrupted" in sched.log
    assert took < 60


def test_once_crawls_the_demo_board_for_real(tmp_path: Path, db_url: str, engine: Engine) -> None:
    with DemoServer(generate_board(20, seed=7)) as srv:
        path = write_config(tmp_path, srv.list_url, concurrency=8)
        for args in (["--once", "press", "--full"], ["--once", "press"]):
            sched = Scheduler(tmp_path, db_url, *args, "--config", str(path))
            try:
                assert sched.wait(240) == 0, sched.log
            finally:
                sched.close()
            # the scheduler says where the crawl's log is; Scrapy's lines are there, not here
            [shown] = re.findall(r"start: board=press .*, log (\S+)", sched.log)
            assert "Spider opened" in (tmp_path / shown).read_text(encoding="utf-8")
            assert "Spider opened" not in sched.log and "[scrapy" not in sched.log
    assert len(list((tmp_path / "var" / "logs" / "press").glob("*.log"))) == 2
    full, incremental = runs(engine)
    assert (full.mode, full.status) == (RunMode.FULL, RunStatus.SUCCEEDED)
    assert full.posts_seen >= 20 and full.new_posts >= 20
    assert (incremental.mode, incremental.status) == (RunMode.INCREMENTAL, RunStatus.SUCCEEDED)


def test_board_archive_schedule_is_the_same_command() -> None:
    """``board-archive schedule`` is the scheduler's own command, its options in its --help."""
    result = CliRunner().invoke(cli_app, ["schedule", "--help"])
    assert result.exit_code == 0
    assert re.search(r"--once\s+BOARD", result.output) and "--list" in result.output
    assert CliRunner().invoke(cli_app, ["schedule", "--full"]).exit_code == 2
