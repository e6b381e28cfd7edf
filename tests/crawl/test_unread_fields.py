"""A run whose posts were read without an author (or a posted time) is ``suspect`` when that is
new: on the board's first run, and when the last run read the field on most posts (a skin
changed under the reader); a board whose skin never shows it is noted once, not every night
(``archive.health.unread_fields``). An author not read keeps the archived one: no edit. End
to end on the demo board, its skin printing no author (``Renderer.show_author``). On SQLite
and PostgreSQL.

Likewise a body read from ``#bo_v_con`` where that holds a box of the skin's own and the post
is printed after it (``Renderer.body_beside_container``, as a real estate agents' skin does):
the first view pages compared show the container holds none of what differs between posts,
and the run is ``suspect``, saying so, not ``ok``."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine

from archive.config import load_config
from archive.models import CrawlRun, RunHealth, RunStatus
from archive.runstats import RunStats, Stat
from board_archive.crawl import run_crawl
from board_archive.demoboard import DemoServer, generate_board
from tests.faults.helpers import FAST

pytestmark = pytest.mark.filterwarnings("ignore:'imghdr' is deprecated:DeprecationWarning")


def crawl(tmp_path: Path, engine: Engine, url: str) -> CrawlRun:
    path = tmp_path / "boards.toml"
    path.write_text(
        f'[archive]\ndata_dir = "{tmp_path / "var"}"\n'
        f'[boards.press]\nurl = "{url}"\ndelay = 0\nconcurrency = 8\n',
        encoding="utf-8",
    )
    cfg = load_config(path)
    result = run_crawl(
        cfg, cfg.board("press"), engine, mode="full", log_level="WARNING", extra_settings=FAST
    )
    assert result.run is not None and result.run.status == RunStatus.SUCCEEDED, result
    return result.run


def author_notes(run: CrawlRun) -> list[str]:
    return [n for n in run.health_notes or [] if n.startswith("the author of")]


def test_posts_read_without_their_author_make_the_run_suspect_when_that_is_new(
    tmp_path: Path, engine: Engine
) -> None:
    board = generate_board(20, seed=9)
    readable = len([p for p in board.posts() if not p.secret])
    with DemoServer(board) as server:
        first = crawl(tmp_path, engine, server.list_url)
        server.renderer.show_author = False  # the skin changed: the reader finds no author
        changed = crawl(tmp_path, engine, server.list_url)
        again = crawl(tmp_path, engine, server.list_url)  # and stays so
    assert (first.health, author_notes(first)) == (RunHealth.OK, [])
    assert RunStats.of(first.stats)[Stat.POSTS_NO_AUTHOR] == 0
    assert RunStats.of(changed.stats)[Stat.POSTS_NO_AUTHOR] == readable
    assert changed.health == RunHealth.SUSPECT
    assert (changed.edited_posts, changed.new_versions) == (0, 0)  # a miss is no edit
    assert author_notes(changed) == [
        f"the author of {readable} of {readable} posts read could not be read: the skin may not "
        "show it, or the reader misses it (board-archive probe shows where each field is read "
        "from; a selector in [boards.NAME.selectors] fixes it)"
    ]
    assert (again.health, author_notes(again)) == (RunHealth.OK, [])  # noted once


def test_a_first_run_without_authors_is_suspect(tmp_path: Path, engine: Engine) -> None:
    with DemoServer(generate_board(12, seed=10)) as server:
        server.renderer.show_author = False
        run = crawl(tmp_path, engine, server.list_url)
    assert run.health == RunHealth.SUSPECT and len(author_notes(run)) == 1
    assert RunStats.of(run.stats)[Stat.POSTS_NO_TIME] == 0


def test_a_body_container_holding_none_of_the_posts_makes_the_run_suspect(
    tmp_path: Path, engine: Engine
) -> None:
    with DemoServer(generate_board(12, seed=11)) as server:
        server.renderer.body_beside_container = True
        run = crawl(tmp_path, engine, server.list_url)
    assert RunStats.of(run.stats)[Stat.BODY_DOUBTED] == 1
    assert run.health == RunHealth.SUSPECT
    assert [n for n in run.health_notes or [] if "#bo_v_con" in n] == [
        "the body container #bo_v_con holds little of what differs between the view pages "
        "compared: the bodies archived may be the skin's template, not the posts "
        "(board-archive probe; set view_body in [boards.NAME.selectors])"
    ]


def test_a_body_container_holding_the_posts_is_not_doubted(tmp_path: Path, engine: Engine) -> None:
    with DemoServer(generate_board(12, seed=11)) as server:
        run = crawl(tmp_path, engine, server.list_url)
    assert RunStats.of(run.stats)[Stat.BODY_DOUBTED] == 0
    assert (run.health, run.health_notes) == (RunHealth.OK, None)
