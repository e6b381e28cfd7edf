"""The seams of a crawl's record: the RunLedger switched off is a crawl with no archive that says
so; the stats the crawl stores are read back by the names health reads; the crawl process runs
on the clock it was given; a run that cannot be opened stops the crawl before its first request."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from archive.db import make_engine
from archive.health import assess
from archive.models import CrawlRun, Post, PostVersion, RunHealth, RunMode, RunStatus
from archive.runstats import ERRORS, FAILED_VIEWS, VIEWS, RunStats, Stat
from board_archive.demoboard import DemoServer, generate_board
from tests.faults.helpers import crawl, last_run
from tests.faults.procs import start_crawl, write_config

pytestmark = pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
NIGHT = datetime(2026, 11, 25, 2, 30, tzinfo=ZoneInfo("Asia/Seoul"))


def count(engine: Engine, model: type[CrawlRun] | type[PostVersion] | type[Post]) -> int:
    with Session(engine) as s:
        return s.scalar(select(func.count()).select_from(model)) or 0


def test_without_the_ledger_an_incremental_crawl_archives_nothing_and_says_so(
    tmp_path: Path, engine: Engine
) -> None:
    board = generate_board(60, seed=21)  # 4 list pages
    with DemoServer(board) as server:
        assert crawl(tmp_path, engine, server.list_url).ok
        runs, versions = count(engine, CrawlRun), count(engine, PostVersion)
        server.reset_counts()
        settings = {"RUNLEDGER_ENABLED": "False"}
        proc = start_crawl(tmp_path, engine, settings=settings, mode="incremental")
        _, err = proc.communicate(timeout=240)
        assert proc.returncode == 0, err[-3000:]
        # With the archive, this quiet night would cost two list pages and no view page.
        assert server.counts["list"] == board.total_pages(15)
        assert server.counts["view"] == len(board.live_ids())
    assert "no run ledger" in err and "this incremental run walks every list page" in err
    assert "Disabled crawler.pipelines.ArchivePipeline: no RunLedger" in err
    assert (count(engine, CrawlRun), count(engine, PostVersion)) == (runs, versions)


def test_the_stats_health_reads_are_the_ones_the_crawl_stored(
    tmp_path: Path, engine: Engine
) -> None:
    board = generate_board(60, seed=21)
    with DemoServer(board) as server:
        assert crawl(tmp_path, engine, server.list_url).ok
        gone = [p for p in board.posts() if not p.notice and not p.secret][-5]
        board.delete_post(gone.wr_id)
        result = crawl(tmp_path, engine, server.list_url)
    assert result.ok and result.run is not None
    run = result.run
    assert run.stats is not None
    ours = {key for key in run.stats if key.startswith("board_archive/")}
    assert ours and ours <= {stat.key for stat in Stat}
    stats = RunStats.of(run.stats)
    assert stats[Stat.LIST_PAGES] == board.total_pages(15)
    assert stats[Stat.NOT_FOUND] == stats[Stat.VIEWS_MISSING_FROM_LIST] == 1
    assert stats.total(VIEWS) == len(board.live_ids()) + 1
    assert stats.total(FAILED_VIEWS) == stats.total(ERRORS) == run.errors == 0
    page1 = stats[Stat.PAGE1_ROWS]
    assert page1 > 0 and run.health == RunHealth.OK
    # Health compares a run with the page 1 rows the earlier runs stored.
    with Session(engine) as s:
        thin = CrawlRun(
            board_id=run.board_id,
            started_at=datetime.now(UTC),
            status=RunStatus.SUCCEEDED,
            mode=RunMode.FULL,
            posts_seen=0,
            new_posts=0,
            edited_posts=0,
            stats={Stat.PAGE1_ROWS.key: 1},
        )
        s.add(thin)
        s.flush()
        health, notes = assess(s, thin)
        s.rollback()
    assert health == RunHealth.SUSPECT
    assert notes == [f"list page 1 had 1 rows; it usually has {page1}"]


def test_the_crawl_process_runs_on_the_fixed_clock(tmp_path: Path, engine: Engine) -> None:
    board = generate_board(20, seed=5)
    with DemoServer(board) as server:
        write_config(tmp_path, server.list_url)
        proc = start_crawl(tmp_path, engine, now=NIGHT)
        _, err = proc.communicate(timeout=240)
    assert proc.returncode == 0, err[-3000:]
    run = last_run(engine)
    assert run.status == RunStatus.SUCCEEDED
    assert run.started_at == run.finished_at == NIGHT
    with Session(engine) as s:
        assert set(s.scalars(select(PostVersion.fetched_at))) == {NIGHT}
        assert set(s.scalars(select(Post.first_seen_at))) == {NIGHT}


def test_a_fake_now_without_a_zone_stops_the_crawl_process(
    tmp_path: Path, engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_config(tmp_path, "http://127.0.0.1:9/bbs/board.php?bo_table=press")
    monkeypatch.setenv("BOARD_ARCHIVE_FAKE_NOW", "2026-11-25T02:30")
    proc = start_crawl(tmp_path, engine)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 1
    assert "$BOARD_ARCHIVE_FAKE_NOW: '2026-11-25T02:30' needs a time zone" in err
    assert count(engine, CrawlRun) == 0


def test_a_run_that_cannot_be_opened_fetches_nothing_and_exits_1(
    tmp_path: Path, engine: Engine
) -> None:
    empty = make_engine(f"sqlite:///{tmp_path / 'no-schema.sqlite3'}")  # never initialised
    board = generate_board(20, seed=5)
    try:
        with DemoServer(board) as server:
            write_config(tmp_path, server.list_url)
            proc = start_crawl(tmp_path, empty)
            _, err = proc.communicate(timeout=240)
            assert server.counts["list"] == server.counts["view"] == 0
    finally:
        empty.dispose()
    assert proc.returncode == 1, err[-3000:]
    assert "could not open the run of board 'press'" in err
