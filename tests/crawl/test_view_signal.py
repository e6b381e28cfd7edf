"""The list rows' view counts as a revisit signal, end to end on the demo board (which counts a
view per session, the crawler's too, as GnuBoard does): an old post whose views jumped since its
row was last seen is re-checked the next night, at no extra request, and its silent edit is
caught; an old post edited without a view waits for its scheduled check."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from archive.models import Board, Post
from archive.revisit_signals import SignalModel
from board_archive.demoboard.content import Board as DemoBoard
from board_archive.demoboard.generate import generate_board
from board_archive.demoboard.server import DemoServer
from tests.crawl.test_end_to_end import archived, cli, last_run, write_config


@pytest.fixture
def board() -> DemoBoard:
    return generate_board(60, seed=21)  # 4 list pages; page 2 holds posts 2 to 5 weeks old


@pytest.fixture
def server(board: DemoBoard) -> Iterator[DemoServer]:
    with DemoServer(board) as srv:
        yield srv


def at(when: datetime) -> dict[str, str]:
    return {"BOARD_ARCHIVE_FAKE_NOW": when.isoformat()}


def test_a_post_whose_views_jumped_is_rechecked_at_no_extra_request(
    tmp_path: Path, db_url: str, engine: Engine, board: DemoBoard, server: DemoServer
) -> None:
    # view_budget 40: the extra list pages the signal may walk would leave too little of it
    cfg = write_config(tmp_path, server.list_url, extra="view_budget = 40\n")
    args = ("crawl", "press", "-c", str(cfg), "--log-level", "WARNING")
    t0 = datetime.now(UTC)
    assert cli(tmp_path, db_url, *args, "--full", env=at(t0)).returncode == 0
    with Session(engine) as s:
        seen = {k: v for k, v in s.execute(select(Post.source_id, Post.views_seen))}
        assert all(v is not None for v in seen.values())  # the full crawl's rows
    regular = sorted((p for p in board.posts() if not p.notice), key=lambda p: -p.wr_id)
    opened, quiet = regular[20], regular[22]  # on list page 2, about four weeks old
    assert not (opened.secret or quiet.secret)
    board.bump_views(opened.wr_id)  # the author opens the post, then edits it
    board.edit_post(opened.wr_id, body_html="<p>마감일을 연장합니다</p>")
    board.edit_post(quiet.wr_id, body_html="<p>조용히 고친 본문</p>")  # no view: no signal
    server.reset_counts()

    result = cli(tmp_path, db_url, *args, env=at(t0 + timedelta(days=2)))
    assert result.returncode == 0, result.stderr[-2000:]
    assert server.counts["list"] == 2  # the pages an incremental run walks anyway
    fetched = {t.split("wr_id=")[1] for t in server.target_counts if "wr_id=" in t}
    assert str(opened.wr_id) in fetched and str(quiet.wr_id) not in fetched
    posts = archived(engine)
    assert posts[str(opened.wr_id)].current_version == 2
    assert posts[str(quiet.wr_id)].current_version == 1
    run = last_run(engine)
    stats = run.stats or {}
    assert stats["signal/jumps"] == 1 and stats["signal/jumps_checked"] == 1
    assert stats["signal/extra_list_pages"] == 0
    assert run.requests == 1 + 2 + len(fetched)  # robots.txt, two list pages, the views
    assert len(fetched) <= 40
    with Session(engine) as s:
        model = SignalModel.load(s.scalar(select(Board.view_signal)))
        after = s.scalar(select(Post.views_seen).where(Post.source_id == str(opened.wr_id)))
    assert model.jump_checks == [1, 0] and model.jump_changes == [1, 0]
    assert model.other_checks == len(fetched) - 1
    assert after == seen[str(opened.wr_id)] + 2  # its row: the crawler's view and the author's
