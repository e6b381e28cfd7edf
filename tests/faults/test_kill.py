"""kill -9 of the crawl process at random points, 20 times in a row, then a normal run: every post
archived exactly once, no duplicate or half-written version, the killed runs interrupted.

Each crawl is the real crawl process (the command ``board_archive.crawl.run_crawl`` runs),
started here so the test has its pid. Each one runs an hour after the one before
($BOARD_ARCHIVE_FAKE_NOW), as nightly crawls would, so the killed crawl's lock is stale.
"""

from __future__ import annotations

import itertools
import os
import random
import signal
import subprocess
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from archive.models import CrawlRun, RunStatus
from board_archive.demoboard import DemoServer, generate_board
from tests.faults.helpers import posts, versions
from tests.faults.procs import start_crawl, write_config

KILLS = 20
START = datetime(2026, 11, 1, 2, 30, tzinfo=UTC)


def runs(engine: Engine) -> list[CrawlRun]:
    with Session(engine, expire_on_commit=False) as s:
        return list(s.scalars(select(CrawlRun).order_by(CrawlRun.id)))


def wait_for_run(engine: Engine, proc: subprocess.Popen[str]) -> None:
    end = time.monotonic() + 120
    while proc.poll() is None and not any(r.pid == proc.pid for r in runs(engine)):
        assert time.monotonic() < end
        time.sleep(0.05)


def test_kill_9_at_random_points_then_a_normal_run(tmp_path: Path, engine: Engine) -> None:
    rng = random.Random(7)
    board = generate_board(150, seed=7)
    killed: set[int] = set()
    edited: dict[int, str] = {}
    # small batches: more commits, so more kills land between and inside them
    settings = {"ARCHIVE_BATCH_SIZE": "7"}
    ended: dict[int, str] = {}  # night -> the log of a crawl that ended before its kill
    with DemoServer(board) as server:
        # Every crawl is still running at its kill, however fast the machine: one view page (the
        # oldest post's, asked for once the list walk reaches the last page) never answers, and
        # the crawl cannot end before it has timed out three times (DOWNLOAD_TIMEOUT 3 s, retried
        # twice), 9 s or more after its run opened; the kills come at most 3 s after. The delay
        # (0.03 s between requests, two at a time) spreads the crawl's ~170 requests, and its
        # writes, over those seconds, so the kills land while it crawls and writes.
        oldest = min(p.wr_id for p in board.posts() if not p.secret and not p.notice)
        server.faults.add("hang", f"wr_id={oldest}$", seconds=30)
        write_config(tmp_path, server.list_url, delay=0.03, concurrency=2)
        for night in range(KILLS):
            # the board changes between crawls: a version may be half-way through being stored
            wr_id = rng.choice([p.wr_id for p in board.posts() if not p.secret])
            edited[wr_id] = f"{board.live(wr_id).title} (수정 {night})"  # type: ignore[union-attr]
            board.edit_post(wr_id, title=edited[wr_id])
            proc = start_crawl(tmp_path, engine, START + timedelta(hours=night), settings)
            if night % 5 == 0:  # while it starts up
                time.sleep(rng.uniform(0.2, 2.0))
            else:  # while it crawls and writes: from its run's opening to past the crawl's end
                wait_for_run(engine, proc)
                time.sleep(rng.uniform(0.0, 3.0))
            if proc.poll() is None:
                os.kill(proc.pid, signal.SIGKILL)
                killed.add(proc.pid)
            _, err = proc.communicate(timeout=240)
            if proc.pid not in killed:
                ended[night] = err[-3000:]
        assert not ended, ended  # each crawl was killed while it ran
        server.faults.clear()  # the normal run gets every page
        final = start_crawl(tmp_path, engine, START + timedelta(hours=KILLS), settings)
        _, err = final.communicate(timeout=240)
        assert final.returncode == 0, err[-3000:]

    # the killed runs that got as far as opening a run are interrupted (or succeeded: the kill
    # came after they closed it); none is left running
    all_runs = runs(engine)
    assert all_runs[-1].pid == final.pid and all_runs[-1].status == RunStatus.SUCCEEDED
    for run in all_runs[:-1]:
        assert run.status in (RunStatus.INTERRUPTED, RunStatus.SUCCEEDED), run
        assert run.finished_at is not None
        if run.status == RunStatus.INTERRUPTED:  # killed before it closed its run
            assert run.pid in killed
            assert run.message == "the crawl process ended without closing its run"
    assert sum(r.status == RunStatus.INTERRUPTED for r in all_runs) >= KILLS // 2, all_runs

    # every live post archived exactly once (posts are unique by (board, source_id))
    archived = posts(engine)
    assert set(archived) == {str(i) for i in board.live_ids()}
    by_post = versions(engine)
    for source_id, post in archived.items():
        if post.state.value == "secret":
            assert source_id not in by_post
            continue
        vs = by_post[source_id]
        # numbered 1..n without gap or duplicate; each a real change from the one before
        assert [v.number for v in vs] == list(range(1, len(vs) + 1)), source_id
        assert post.current_version == len(vs) and post.current_hash == vs[-1].content_hash
        assert all(a.content_hash != b.content_hash for a, b in itertools.pairwise(vs))
        for v in vs:  # complete rows, never half-written
            assert v.title and v.body_text and v.body_html and v.raw_page, (source_id, v.number)
            assert len(v.content_hash) == 64 and v.fetched_at is not None
        if int(source_id) in edited:
            assert vs[-1].title == edited[int(source_id)]
