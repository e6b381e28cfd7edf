"""Incremental runs against a demo board: only what is new, changed on the list, or due for a
re-check is fetched; silent edits are caught by re-checks, with the bounds of the edit; state
changes are events; the board lock keeps two crawls apart."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from archive.locks import acquire, owner_id
from archive.models import (
    Board,
    CrawlRun,
    EventKind,
    Post,
    PostEvent,
    PostVersion,
    RunMode,
    RunStatus,
)
from archive.runstats import RunStats, Stat
from board_archive.demoboard.content import Board as DemoBoard
from board_archive.demoboard.generate import generate_board
from board_archive.demoboard.server import DemoServer
from tests.crawl.test_end_to_end import archived, crawl, last_run

INCREMENTAL = ""


def at(when: datetime) -> dict[str, str]:
    return {"BOARD_ARCHIVE_FAKE_NOW": when.isoformat()}


@pytest.fixture
def board() -> DemoBoard:
    return generate_board(60, seed=21)  # 4 list pages


@pytest.fixture
def server(board: DemoBoard) -> Iterator[DemoServer]:
    with DemoServer(board) as srv:
        yield srv


def views(server: DemoServer) -> dict[str, int]:
    return {t: n for t, n in server.target_counts.items() if "board.php?" in t and "wr_id=" in t}


def test_quiet_night_costs_two_list_pages_and_nothing_else(
    tmp_path: Path, db_url: str, engine: Engine, server: DemoServer
) -> None:
    assert crawl(tmp_path, db_url, server.list_url).returncode == 0
    server.reset_counts()
    result = crawl(tmp_path, db_url, server.list_url, INCREMENTAL)
    assert result.returncode == 0, result.stderr[-2000:]
    assert server.counts["list"] == 2 and server.counts["view"] == 0
    run = last_run(engine)
    assert (run.mode, run.status, run.new_versions) == (RunMode.INCREMENTAL, RunStatus.SUCCEEDED, 0)


def test_new_posts_and_changed_rows_are_fetched_silent_edits_wait_for_their_check(
    tmp_path: Path, db_url: str, engine: Engine, board: DemoBoard, server: DemoServer
) -> None:
    t0 = datetime.now(UTC)
    assert crawl(tmp_path, db_url, server.list_url, env=at(t0)).returncode == 0
    regular = [p for p in board.posts() if not p.notice and not p.secret]
    silent = regular[-4]  # a young post, edited without any trace on the list
    commented = regular[-12]  # a post on list page 1 or 2 gets a comment: its row changes
    board.edit_post(silent.wr_id, body_html="<p>조용히 고친 본문</p>")
    board.add_comment(commented.wr_id, "좋은 소식이네요", author="방문자")
    new_id = board.add_post("신규 보도자료", "<p>새 글</p>")
    server.reset_counts()

    # Two hours later: the new post and the changed row, not the silent edit (not due yet).
    result = crawl(tmp_path, db_url, server.list_url, INCREMENTAL, env=at(t0 + timedelta(hours=2)))
    assert result.returncode == 0, result.stderr[-2000:]
    fetched = {t.split("wr_id=")[1] for t in views(server)}
    assert fetched == {str(new_id), str(commented.wr_id)}
    assert archived(engine)[str(silent.wr_id)].current_version == 1

    # The next night the young post is due: the silent edit is caught, with its bounds.
    t2 = t0 + timedelta(days=1)
    server.reset_counts()
    assert crawl(tmp_path, db_url, server.list_url, INCREMENTAL, env=at(t2)).returncode == 0
    assert str(silent.wr_id) in {t.split("wr_id=")[1] for t in views(server)}
    assert max(views(server).values()) == 1
    with Session(engine) as s:
        v2 = s.scalars(
            select(PostVersion)
            .join(Post, Post.id == PostVersion.post_id)
            .where(Post.source_id == str(silent.wr_id), PostVersion.number == 2)
        ).one()
    assert v2.changed_fields == ["body_text", "body_html"]
    assert v2.prev_seen_at is not None and abs(v2.prev_seen_at - t0) < timedelta(minutes=5)
    assert abs(v2.fetched_at - t2) < timedelta(minutes=5)
    run = last_run(engine)
    assert run.edited_posts == 1 and run.health is not None and run.health.value == "ok"


def test_budget_bounds_the_rechecks(
    tmp_path: Path, db_url: str, engine: Engine, server: DemoServer
) -> None:
    t0 = datetime.now(UTC)
    assert crawl(tmp_path, db_url, server.list_url, env=at(t0)).returncode == 0
    (tmp_path / "extra.toml").write_text("")
    server.reset_counts()
    later = at(t0 + timedelta(days=30))  # everything is due
    cfg_extra = "view_budget = 5\n"
    from tests.crawl.test_end_to_end import cli, write_config

    cfg = write_config(tmp_path, server.list_url, extra=cfg_extra)
    result = cli(tmp_path, db_url, "crawl", "press", "-c", str(cfg), env=later)
    assert result.returncode == 0, result.stderr[-2000:]
    assert server.counts["view"] == 5
    assert RunStats.of(last_run(engine).stats)[Stat.VIEWS_DUE] == 5


@pytest.mark.parametrize(("young", "rechecked"), [(None, "some"), (3650, "all")])
def test_a_boards_revisit_periods_decide_the_rechecks(
    tmp_path: Path,
    db_url: str,
    engine: Engine,
    server: DemoServer,
    young: int | None,
    rechecked: str,
) -> None:
    """``[boards.press.revisit] young = 3650``: every post counts as young, so the next night
    re-checks all of them; with the default periods only the posts that are due."""
    from tests.crawl.test_end_to_end import cli, write_config

    extra = f"[boards.press.revisit]\nyoung = {young}\n" if young else ""
    cfg = write_config(tmp_path, server.list_url, extra=extra)
    args = ("crawl", "press", "-c", str(cfg))
    t0 = datetime.now(UTC)
    assert cli(tmp_path, db_url, *args, "--full", env=at(t0)).returncode == 0
    result = cli(tmp_path, db_url, *args, env=at(t0 + timedelta(days=1)))
    assert result.returncode == 0, result.stderr[-2000:]
    due = RunStats.of(last_run(engine).stats)[Stat.VIEWS_DUE]
    known = len(archived(engine))
    assert (due == known) == (rechecked == "all"), (due, known)
    assert due > 0


def test_deletions_unpins_and_secret_changes_are_events(
    tmp_path: Path, db_url: str, engine: Engine, board: DemoBoard, server: DemoServer
) -> None:
    assert crawl(tmp_path, db_url, server.list_url).returncode == 0
    regular = [p for p in board.posts() if not p.notice and not p.secret]
    notice = board.notice_ids()[0]
    board.delete_post(regular[-3].wr_id)  # on the walked pages
    board.set_notice(notice, False)
    board.set_secret(regular[-2].wr_id, True)
    assert crawl(tmp_path, db_url, server.list_url, INCREMENTAL).returncode == 0
    with Session(engine) as s:
        events = {
            (src, kind)
            for src, kind in s.execute(
                select(Post.source_id, PostEvent.kind).join(Post, Post.id == PostEvent.post_id)
            )
        }
    assert events == {
        (str(regular[-3].wr_id), EventKind.DELETED),
        (str(notice), EventKind.UNPINNED),
        (str(regular[-2].wr_id), EventKind.SECRET_ON),
    }
    assert last_run(engine).deleted_posts == 1


def test_a_second_crawl_of_a_locked_board_is_skipped_and_says_so(
    tmp_path: Path, db_url: str, engine: Engine, server: DemoServer
) -> None:
    assert crawl(tmp_path, db_url, server.list_url).returncode == 0
    with Session(engine) as s:
        board_id = s.scalars(select(Board.id)).one()
    acquire(engine, board_id, "otherhost:4242", datetime.now(UTC), timedelta(minutes=15))
    server.reset_counts()
    result = crawl(tmp_path, db_url, server.list_url)
    assert result.returncode == 1
    assert "skipped" in result.stdout and "otherhost:4242" in result.stdout
    assert server.counts["list"] == 0
    assert last_run(engine).status == RunStatus.SKIPPED
    # A lock whose heartbeat stopped long ago is taken over.
    stale = datetime.now(UTC) - timedelta(hours=2)
    with Session(engine) as s, s.begin():
        from archive.models import BoardLock

        s.get_one(BoardLock, board_id).heartbeat_at = stale
    assert crawl(tmp_path, db_url, server.list_url).returncode == 0
    with Session(engine) as s:
        statuses = [r.status for r in s.scalars(select(CrawlRun).order_by(CrawlRun.id))]
    assert statuses == [RunStatus.SUCCEEDED, RunStatus.SKIPPED, RunStatus.SUCCEEDED]
    assert owner_id()  # the lock owner names host and pid


@pytest.mark.parametrize("fault", ["500", "reset", "empty", "garbage"])
def test_a_fault_on_a_vanished_post_is_not_a_deletion_and_a_return_is_a_restore(
    tmp_path: Path, db_url: str, engine: Engine, board: DemoBoard, server: DemoServer, fault: str
) -> None:
    from tests.crawl.faults import FaultProxy

    assert crawl(tmp_path, db_url, server.list_url).returncode == 0
    gone = [p for p in board.posts() if not p.notice and not p.secret][-5]
    board.delete_post(gone.wr_id)
    with FaultProxy(server.url) as proxy:
        proxy.faults = {f"wr_id={gone.wr_id}": fault}  # type: ignore[dict-item]
        result = crawl(tmp_path, db_url, proxy.url + "/bbs/board.php?bo_table=press")
        assert result.returncode == 0, result.stderr[-2000:]
        assert proxy.hits[f"wr_id={gone.wr_id}"] >= 1
    assert archived(engine)[str(gone.wr_id)].state.value == "active"
    assert last_run(engine).deleted_posts == 0
    # Without the fault the board's own not-found answer is seen: deleted, versions kept.
    assert crawl(tmp_path, db_url, server.list_url, INCREMENTAL).returncode == 0
    post = archived(engine)[str(gone.wr_id)]
    assert post.state.value == "deleted" and post.current_version == 1
    # It comes back: restored, and recorded as an event.
    board.restore_post(gone.wr_id)
    assert crawl(tmp_path, db_url, server.list_url, INCREMENTAL).returncode == 0
    assert archived(engine)[str(gone.wr_id)].state.value == "active"
    assert last_run(engine).restored_posts == 1
    with Session(engine) as s:
        kinds = s.scalars(
            select(PostEvent.kind)
            .join(Post, Post.id == PostEvent.post_id)
            .where(Post.source_id == str(gone.wr_id))
            .order_by(PostEvent.id)
        ).all()
    assert kinds == [EventKind.DELETED, EventKind.RESTORED]


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"], indirect=True)
def test_two_crawls_at_once_one_runs_one_is_skipped(
    tmp_path: Path, db_url: str, engine: Engine, board: DemoBoard, server: DemoServer
) -> None:
    import os
    import subprocess
    import sys

    from tests.crawl.test_end_to_end import write_config

    cfg = write_config(tmp_path, server.list_url).read_text().replace("delay = 0", "delay = 0.1")
    (tmp_path / "boards.toml").write_text(cfg)
    env = {**os.environ, "DATABASE_URL": db_url}
    args = [
        sys.executable,
        "-m",
        "board_archive.cli",
        "crawl",
        "press",
        "--full",
        "-c",
        "boards.toml",
    ]
    procs = [
        subprocess.Popen(args, cwd=tmp_path, env=env, stdout=subprocess.PIPE, text=True)
        for _ in range(2)
    ]
    outputs = [p.communicate(timeout=240)[0] for p in procs]
    assert sorted(p.returncode for p in procs) == [0, 1]
    assert sum(": skipped" in o for o in outputs) == 1  # the run line of the second
    with Session(engine) as s:
        statuses = sorted(r.status.value for r in s.scalars(select(CrawlRun)))
    assert statuses == ["skipped", "succeeded"]
    assert set(archived(engine)) == {str(i) for i in board.live_ids()}
