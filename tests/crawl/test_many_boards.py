"""Several boards crawled at once in one crawl process (``board-archive crawl A B C``;
``board_archive.crawl.run_crawls``): one Scrapy crawler per board on one reactor, each with
its own run record and lock. A board whose site fails ends its own run ``failed`` and the
others archive every post; a board cut by the per-board time limit is closed ``interrupted``
while the others finish. On SQLite and PostgreSQL."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from archive.config import load_config
from archive.models import Board as BoardRow
from archive.models import BoardLock, CrawlRun, Post, RunStatus
from board_archive.crawl import run_crawls
from board_archive.demoboard import Board, DemoServer, generate_board
from tests.crawl.test_end_to_end import cli
from tests.faults.helpers import FAST

pytestmark = pytest.mark.filterwarnings("ignore:'imghdr' is deprecated:DeprecationWarning")


def write_config(tmp_path: Path, urls: dict[str, str]) -> Path:
    path = tmp_path / "boards.toml"
    boards = "".join(
        f'[boards.{name}]\nurl = "{url}"\ndelay = 0\nconcurrency = 8\n'
        for name, url in urls.items()
    )
    path.write_text(f'[archive]\ndata_dir = "{tmp_path / "var"}"\n{boards}', encoding="utf-8")
    return path


def runs_by_board(engine: Engine) -> dict[str, CrawlRun]:
    with Session(engine) as s:
        rows = s.execute(select(BoardRow.name, CrawlRun).join(CrawlRun.board))
        return {name: run for name, run in rows}


def archived_ids(engine: Engine, board: str) -> set[str]:
    with Session(engine) as s:
        query = select(Post.source_id).join(BoardRow, BoardRow.id == Post.board_id)
        return set(s.scalars(query.where(BoardRow.name == board)))


def readable(board: Board) -> set[str]:
    """The ids of the board's posts a crawl archives (secret ones too, as secret)."""
    return {str(i) for i in board.live_ids()}


def test_a_failing_board_fails_alone_among_boards_crawled_at_once(
    tmp_path: Path, db_url: str, engine: Engine
) -> None:
    press, notice = generate_board(20, seed=1), generate_board(15, seed=2)
    with (
        DemoServer(press) as a,
        DemoServer(notice) as b,
        DemoServer(generate_board(10, seed=3)) as c,
    ):
        c.faults.add("500")  # the whole site answers errors
        cfg = write_config(
            tmp_path, {"press": a.list_url, "notice": b.list_url, "broken": c.list_url}
        )
        args = ["crawl", "press", "notice", "broken", "--full", "-c", str(cfg)]
        result = cli(tmp_path, db_url, *args, "--log-level", "WARNING")
    assert result.returncode == 1, result.stdout[-2000:] + result.stderr[-3000:]
    runs = runs_by_board(engine)
    assert {n: r.status for n, r in runs.items()} == {
        "press": RunStatus.SUCCEEDED,
        "notice": RunStatus.SUCCEEDED,
        "broken": RunStatus.FAILED,
    }
    assert len({r.pid for r in runs.values()}) == 1  # one crawl process for the three
    assert archived_ids(engine, "press") == readable(press)
    assert archived_ids(engine, "notice") == readable(notice)
    assert archived_ids(engine, "broken") == set()
    with Session(engine) as s:  # every board's lock released
        assert s.scalars(select(BoardLock)).all() == []
    for name in ("press", "notice", "broken"):  # a report line each
        assert re.search(rf"run \d+ \(full\) of {name}: ", result.stdout), result.stdout
    [log] = (tmp_path / "var" / "logs" / "_together").glob("*-press+2.log")
    assert f"log: {log}" in result.stderr.replace("\n", "")


def test_a_board_cut_by_its_time_limit_ends_interrupted_and_the_others_finish(
    tmp_path: Path, db_url: str, engine: Engine
) -> None:
    quick, slow = generate_board(12, seed=4), generate_board(12, seed=5)
    with DemoServer(quick) as a, DemoServer(slow) as b:
        b.faults.add("hang", "wr_id=", seconds=30)  # its view pages never answer
        cfg = load_config(write_config(tmp_path, {"quick": a.list_url, "slow": b.list_url}))
        results = run_crawls(
            cfg,
            [cfg.board("quick"), cfg.board("slow")],
            engine,
            mode="full",
            log_level="WARNING",
            extra_settings={**FAST, "DOWNLOAD_TIMEOUT": "20"},
            time_limit=3,
        )
    quick_run, slow_run = (r.run for r in results)
    assert quick_run is not None and slow_run is not None
    assert quick_run.status == RunStatus.SUCCEEDED and results[0].ok
    assert slow_run.status == RunStatus.INTERRUPTED and not results[1].ok
    assert "closespider_timeout" in (slow_run.message or "")
    assert archived_ids(engine, "quick") == readable(quick)
    assert archived_ids(engine, "slow") == set()  # nothing half-read is archived
    with Session(engine) as s:
        assert s.scalars(select(BoardLock)).all() == []
