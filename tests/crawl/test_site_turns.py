"""Two boards on one site take turns (``crawler/site_turns.py``, ``archive/site_locks.py``):
never crawled at once, whoever started them: in one crawl process, or (a turn held by another
process or machine) across processes. A crawl stopped while it waits ends ``interrupted``
without a request; a turn whose holder died is taken over. Every run records who ran it. On
SQLite and PostgreSQL."""

from __future__ import annotations

import itertools
import socket
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from archive.config import Config, load_config
from archive.models import Board as BoardRow
from archive.models import BoardLock, CrawlRun, Observation, Post, RunStatus, SiteLock, SiteVisit
from board_archive.crawl import CrawlResult, run_crawls
from board_archive.demoboard import DemoServer, generate_board
from crawler.site_turns import site_key
from tests.crawl.test_many_boards import archived_ids, readable, write_config
from tests.faults.helpers import FAST

pytestmark = pytest.mark.filterwarnings("ignore:'imghdr' is deprecated:DeprecationWarning")

QUICK = {**FAST, "RUNLEDGER_SITE_POLL_SECONDS": "0.2"}


def observed_span(engine: Engine, board: str) -> tuple[datetime, datetime]:
    """When the crawl of ``board`` saw its first and last post."""
    with Session(engine) as s:
        query = (
            select(func.min(Observation.observed_at), func.max(Observation.observed_at))
            .join(Post, Post.id == Observation.post_id)
            .join(BoardRow, BoardRow.id == Post.board_id)
            .where(BoardRow.name == board)
        )
        first, last = s.execute(query).one()
    assert first is not None and last is not None
    return first, last


def hold_site(engine: Engine, site: str, heartbeat: datetime) -> None:
    """The site's turn held by another machine's crawl of another board."""
    with Session(engine) as s, s.begin():
        url = "http://example.invalid/bbs/board.php?bo_table=x"
        other = BoardRow(name="elsewhere", url=url, engine="gnuboard5", created_at=heartbeat)
        s.add(other)
        s.flush()
        s.add(
            SiteLock(
                site=site,
                board_id=other.id,
                owner="other-host:4242",
                acquired_at=heartbeat,
                heartbeat_at=heartbeat,
            )
        )


def crawl_one_and_two(cfg: Config, engine: Engine, log_file: Path) -> list[CrawlResult]:
    """Boards ``one`` and ``two`` (of one site) crawled in one crawl process, full runs."""
    boards = [cfg.board("one"), cfg.board("two")]
    return run_crawls(
        cfg, boards, engine, mode="full", log_level="INFO", extra_settings=QUICK, log_file=log_file
    )


def test_site_key_is_the_host_with_a_port_only_where_it_is_not_the_schemes() -> None:
    assert site_key("http://Board.example.kr/bbs/board.php?bo_table=a") == "board.example.kr"
    assert site_key("https://board.example.kr:443/bbs/board.php") == "board.example.kr"
    assert site_key("http://board.example.kr:443/x") == "board.example.kr:443"
    assert site_key("http://127.0.0.1:8056/bbs/board.php") == "127.0.0.1:8056"
    assert site_key("ftp://example.kr/") is None


def test_two_boards_on_one_site_take_turns_in_one_crawl_process(
    tmp_path: Path, db_url: str, engine: Engine
) -> None:
    board = generate_board(20, seed=7)
    with DemoServer(board) as server:  # two configured boards of one site
        cfg = load_config(write_config(tmp_path, {"one": server.list_url, "two": server.list_url}))
        results = crawl_one_and_two(cfg, engine, tmp_path / "crawl.log")
    assert [r.run.status if r.run else None for r in results] == [RunStatus.SUCCEEDED] * 2
    assert archived_ids(engine, "one") == archived_ids(engine, "two") == readable(board)
    spans = sorted([observed_span(engine, "one"), observed_span(engine, "two")])
    assert spans[0][1] < spans[1][0], spans  # one board's crawl ended before the other's began
    log = (tmp_path / "crawl.log").read_text(encoding="utf-8")
    assert "waiting for its site's turn: board '" in log
    assert "the site's turn came" in log
    with Session(engine) as s:
        assert s.scalars(select(SiteLock)).all() == []
        assert s.scalars(select(BoardLock)).all() == []
        workers = set(s.scalars(select(CrawlRun.worker)))
        messages = set(s.scalars(select(CrawlRun.message)))
    assert workers == {socket.gethostname()}  # no fleet worker: the machine ran them
    assert messages == {None}  # the wait was said while it lasted, not kept as a note


def test_a_crawl_waiting_for_its_site_ends_interrupted_at_its_time_limit_without_a_request(
    tmp_path: Path, db_url: str, engine: Engine
) -> None:
    with DemoServer(generate_board(10, seed=8)) as server:
        site = site_key(server.list_url)
        assert site is not None
        far_future = datetime.now(UTC) + timedelta(days=1)  # alive for this test's whole life
        hold_site(engine, site, far_future)
        cfg = load_config(write_config(tmp_path, {"press": server.list_url}))
        [result] = run_crawls(
            cfg,
            [cfg.board("press")],
            engine,
            mode="full",
            log_level="WARNING",
            extra_settings={**QUICK, "RUNLEDGER_WORKER": "board-archive@test.1"},
            time_limit=2,
        )
        assert sum(server.counter.kinds().values()) == 0  # not even robots.txt
    run = result.run
    assert run is not None and run.status == RunStatus.INTERRUPTED and not result.ok
    assert "closespider_timeout" in (run.message or "")
    assert "waiting for its site's turn (board 'elsewhere' is crawling" in (run.message or "")
    assert run.worker == "board-archive@test.1"
    with Session(engine) as s:
        assert s.scalars(select(BoardLock)).all() == []  # its own lock released
        [held] = s.scalars(select(SiteLock)).all()  # the other crawl's turn untouched
        assert held.owner == "other-host:4242"


def test_a_turn_whose_holder_died_is_taken_over(
    tmp_path: Path, db_url: str, engine: Engine
) -> None:
    board = generate_board(10, seed=9)
    with DemoServer(board) as server:
        site = site_key(server.list_url)
        assert site is not None
        hold_site(engine, site, datetime.now(UTC) - timedelta(hours=2))  # no heartbeat since
        cfg = load_config(write_config(tmp_path, {"press": server.list_url}))
        [result] = run_crawls(cfg, [cfg.board("press")], engine, mode="full", extra_settings=QUICK)
    assert result.run is not None and result.run.status == RunStatus.SUCCEEDED
    assert archived_ids(engine, "press") == readable(board)
    with Session(engine) as s:
        assert s.scalars(select(SiteLock)).all() == []  # taken over, then released


def test_boards_of_one_site_crawled_back_to_back_keep_its_delay(
    tmp_path: Path, db_url: str, engine: Engine
) -> None:
    """The second board's first request (its robots.txt) waits out the delay from when the
    first board's crawl left the site: the site never sees two requests closer than it."""
    delay = 1.0
    with DemoServer(generate_board(4, seed=10)) as server:
        config = tmp_path / "boards.toml"
        boards = "".join(
            f'[boards.{name}]\nurl = "{server.list_url}"\ndelay = {delay}\n'
            for name in ("one", "two")
        )
        config.write_text(f'[archive]\ndata_dir = "{tmp_path / "var"}"\n{boards}')
        cfg = load_config(config)
        results = crawl_one_and_two(cfg, engine, tmp_path / "crawl.log")
        arrivals = [at for at, _, _ in server.faults.seen]
    assert [r.run.status if r.run else None for r in results] == [RunStatus.SUCCEEDED] * 2
    gaps = [b - a for a, b in itertools.pairwise(arrivals)]
    assert len(arrivals) > 10 and min(gaps) >= delay * 0.98, sorted(gaps)[:3]
    assert "was crawled until" in (tmp_path / "crawl.log").read_text(encoding="utf-8")
    with Session(engine) as s:
        [visit] = s.scalars(select(SiteVisit)).all()
        assert visit.site == site_key(server.list_url)
        assert visit.left_at > datetime.now(UTC) - timedelta(minutes=5)
