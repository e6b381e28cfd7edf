"""What goes wrong in a shared crawl process (``board_archive.crawl_host``, handed boards by
``board_archive.crawl_batches.CrawlBatcher``) ends the board it concerns, or the process's
boards, with a clear result, and never leaves a job waiting or a run open: a board cut by its
time limit, a board the process cannot start, a process killed in the middle of its crawls.
Real crawls of demo boards, on SQLite and PostgreSQL."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from archive.config import BoardConfig, Config, load_config
from archive.models import BoardLock, RunStatus
from board_archive.crawl import CrawlResult
from board_archive.crawl_batches import CrawlBatcher
from board_archive.demoboard import DemoServer, generate_board
from board_archive.demoboard.faults import Rule
from tests.crawl.test_many_boards import archived_ids, readable, runs_by_board, write_config
from tests.scheduler.test_batches import wait_for_open_run

pytestmark = pytest.mark.filterwarnings("ignore:'imghdr' is deprecated:DeprecationWarning")


def start_jobs(
    batcher: CrawlBatcher,
    cfg: Config,
    engine: Engine,
    boards: list[BoardConfig],
    results: dict[str, CrawlResult],
    timeout: float | None = 600,
) -> list[threading.Thread]:
    """A scheduler job thread per board, each handing its board to the batcher."""

    def job(board: BoardConfig) -> None:
        results[board.name] = batcher(
            cfg, board, engine, mode="full", log_level="WARNING", timeout=timeout, log_file=None
        )

    threads = [threading.Thread(target=job, args=(b,)) for b in boards]
    for thread in threads:
        thread.start()
    return threads


def join(threads: list[threading.Thread]) -> None:
    for thread in threads:
        thread.join(timeout=240)
    assert not any(t.is_alive() for t in threads), "a job is still waiting for its crawl"


def no_locks(engine: Engine) -> bool:
    with Session(engine) as s:
        return s.scalars(select(BoardLock)).all() == []


def test_a_board_cut_by_its_time_limit_ends_alone_in_the_shared_process(
    tmp_path: Path, db_url: str, engine: Engine
) -> None:
    quick, slow = generate_board(12, seed=50), generate_board(12, seed=51)
    results: dict[str, CrawlResult] = {}
    with DemoServer(quick) as a, DemoServer(slow) as b:
        b.faults.add("hang", "wr_id=", seconds=15)  # its view pages never answer in time
        cfg = load_config(write_config(tmp_path, {"quick": a.list_url, "slow": b.list_url}))
        boards = [cfg.board("quick"), cfg.board("slow")]
        join(start_jobs(CrawlBatcher(idle=1.0), cfg, engine, boards, results, timeout=3))
    quick_run, slow_run = results["quick"].run, results["slow"].run
    assert quick_run is not None and slow_run is not None
    assert quick_run.pid == slow_run.pid  # one process
    assert quick_run.status == RunStatus.SUCCEEDED and results["quick"].ok
    assert slow_run.status == RunStatus.INTERRUPTED and not results["slow"].ok
    assert "closespider_timeout" in (slow_run.message or "")
    assert archived_ids(engine, "quick") == readable(quick)
    assert archived_ids(engine, "slow") == set()  # nothing half-read is archived
    assert no_locks(engine)


def test_a_board_the_process_cannot_start_fails_alone(
    tmp_path: Path, db_url: str, engine: Engine
) -> None:
    """A board the crawl process does not find in the configuration (the file changed under
    the scheduler) gets exit 1 and no run; the board beside it is crawled."""
    board = generate_board(10, seed=52)
    results: dict[str, CrawlResult] = {}
    with DemoServer(board) as srv:
        cfg = load_config(write_config(tmp_path, {"press": srv.list_url}))
        ghost = cfg.board("press").model_copy(update={"name": "ghost"})
        batcher = CrawlBatcher(idle=1.0)
        join(start_jobs(batcher, cfg, engine, [cfg.board("press"), ghost], results))
    assert results["ghost"].exit_code == 1 and results["ghost"].run is None
    assert results["press"].ok
    assert archived_ids(engine, "press") == readable(board)


def test_a_killed_crawl_process_ends_its_jobs_and_the_next_board_gets_a_new_one(
    tmp_path: Path, db_url: str, engine: Engine
) -> None:
    slow = {"s1": generate_board(12, seed=53), "s2": generate_board(12, seed=54)}
    after = generate_board(8, seed=55)
    results: dict[str, CrawlResult] = {}
    batcher = CrawlBatcher(idle=1.0)
    with DemoServer(slow["s1"]) as a, DemoServer(slow["s2"]) as b, DemoServer(after) as c:
        for srv in (a, b):
            srv.faults.add("hang", "wr_id=", seconds=20)
        urls = {"s1": a.list_url, "s2": b.list_url, "after": c.list_url}
        cfg = load_config(write_config(tmp_path, urls))
        threads = start_jobs(batcher, cfg, engine, [cfg.board("s1"), cfg.board("s2")], results)
        for name in slow:
            wait_for_open_run(engine, name)
        [host] = batcher.hosts
        assert host.proc is not None
        os.kill(host.proc.pid, signal.SIGKILL)
        join(threads)
        join(start_jobs(batcher, cfg, engine, [cfg.board("after")], results))
    for name in slow:
        result = results[name]
        assert result.exit_code == -signal.SIGKILL and result.run is not None
        assert result.run.status == RunStatus.INTERRUPTED  # closed by the batcher at once
        assert result.run.finished_at is not None
    assert results["after"].ok
    assert results["after"].run is not None and results["after"].run.pid != host.proc.pid
    assert archived_ids(engine, "after") == readable(after)
    assert no_locks(engine)
    deadline = time.monotonic() + 30
    while batcher.processes() and time.monotonic() < deadline:
        time.sleep(0.2)
    assert batcher.processes() == 0


@contextlib.contextmanager
def host_process(
    tmp_path: Path,
    engine: Engine,
    config: Path,
    *settings: str,
    boards: tuple[str, ...] = ("press",),
) -> Iterator[subprocess.Popen[bytes]]:
    """``python -m board_archive.crawl_host`` (full runs) with ``boards`` handed in, its log in
    ``tmp_path/host.log``; killed if a test leaves it running."""
    args = ["--mode", "full", "--config", str(config)]
    for setting in settings:
        args += ["-s", setting]
    url = engine.url.render_as_string(hide_password=False)
    with (
        (tmp_path / "host.log").open("wb") as err,
        subprocess.Popen(
            [sys.executable, "-m", "board_archive.crawl_host", *args],
            env={**os.environ, "DATABASE_URL": url},
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=err,
        ) as proc,
    ):
        try:
            assert proc.stdin is not None
            for ident, board in enumerate(boards, 7):
                proc.stdin.write(f"{ident} {board}\n".encode())
            proc.stdin.flush()
            yield proc
        finally:
            if proc.poll() is None:
                proc.kill()


def wait_for_hits(rule: Rule) -> None:
    deadline = time.monotonic() + 60
    while not rule.hits and time.monotonic() < deadline:
        time.sleep(0.05)
    assert rule.hits, "the crawl never asked for the page"


@pytest.mark.parametrize("twice", [signal.SIGHUP, signal.SIGTERM])
def test_a_signal_that_comes_again_closes_the_run(
    tmp_path: Path, db_url: str, engine: Engine, twice: signal.Signals
) -> None:
    """SIGHUP (the process that handed the boards in died) may come more than once: the
    second changes nothing, the crawl closes its run itself. A second SIGTERM stops the
    process at once, and the process closes the runs it leaves before it exits."""
    board = generate_board(30, seed=57)
    with DemoServer(board) as srv:
        slow = srv.faults.add("hang", "wr_id=", seconds=3)  # a crawl in the middle
        config = write_config(tmp_path, {"press": srv.list_url})
        with host_process(tmp_path, engine, config) as proc:
            wait_for_hits(slow)
            proc.send_signal(twice)
            time.sleep(0.05)
            proc.send_signal(twice)
            code = proc.wait(timeout=60)
    run = runs_by_board(engine)["press"]
    assert run.status == RunStatus.INTERRUPTED and run.finished_at is not None
    if twice == signal.SIGHUP:
        assert code == 0 and run.message == "crawl stopped early: shutdown"  # its own close
    else:
        assert run.message == "its crawl process was stopped at once (a second signal)"
    assert no_locks(engine)
    assert archived_ids(engine, "press") <= readable(board)


def test_a_stop_that_does_not_end_is_cut_and_the_runs_closed(
    tmp_path: Path, db_url: str, engine: Engine
) -> None:
    """A crawl process asked to stop whose crawl does not close (here a view page that never
    answers under a long download timeout: a clean stop waits for the request in flight) ends
    within its bound, with its run closed and the board's lock released by itself: a process
    whose parent died cannot hold a board for ever."""
    board = generate_board(12, seed=56)
    with DemoServer(board) as srv:
        hang = srv.faults.add("hang", "wr_id=", seconds=300)
        config = write_config(tmp_path, {"press": srv.list_url})
        settings = ("DOWNLOAD_TIMEOUT=300", "CRAWL_HOST_STOP_WITHIN=3")
        with host_process(tmp_path, engine, config, *settings) as proc:
            wait_for_open_run(engine, "press")
            wait_for_hits(hang)  # a view page asked for: it hangs
            proc.send_signal(signal.SIGTERM)
            asked = time.monotonic()
            code = proc.wait(timeout=60)
            took = time.monotonic() - asked
    assert code == 1 and took < 30, took
    run = runs_by_board(engine)["press"]
    assert run.status == RunStatus.INTERRUPTED and run.finished_at is not None
    assert run.message == "the crawl did not stop within 3 s of being asked"
    assert no_locks(engine)
    text = (tmp_path / "host.log").read_text(encoding="utf-8", errors="replace")
    assert "did not stop within 3 s of being asked" in text
    assert "most recent call first" in text  # every thread's stack, to find what hung
