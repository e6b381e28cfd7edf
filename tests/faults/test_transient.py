"""Transient faults (errors, resets, time-outs, truncated and empty answers, 429s) are retried
with backoff and never recorded as an edit, a deletion or an empty version; a run that could
not fetch everything says so, and the next run catches up. Real crawls of a demo board on
127.0.0.1 with faults switched on in the server, into SQLite and PostgreSQL."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine

from archive.models import PostState, RunHealth, RunStatus
from board_archive.demoboard import Board, DemoServer, generate_board
from tests.faults.helpers import crawl, last_run, posts, stat, version_count, versions


@pytest.fixture
def board() -> Board:
    return generate_board(40, seed=21)


@pytest.fixture
def server(board: Board) -> Iterator[DemoServer]:
    with DemoServer(board) as srv:
        yield srv


def regular(board: Board) -> list[int]:
    return [p.wr_id for p in board.posts() if not p.notice and not p.secret]


def view_target(server: DemoServer, wr_id: int) -> str:
    return server.view_url(wr_id).removeprefix(server.url)


def test_transient_faults_are_retried_and_record_nothing_false(
    tmp_path, engine: Engine, board: Board, server: DemoServer
) -> None:
    assert crawl(tmp_path, engine, server.list_url).ok
    server.faults.seen.clear()
    before = versions(engine)
    ids = regular(board)
    edited = ids[5]
    board.edit_post(edited, title="정정된 제목")  # the one real change of this run
    faults = {
        ids[0]: ("500", 1),
        ids[1]: ("502", 1),
        ids[2]: ("503", 2),
        ids[3]: ("reset", 1),
        ids[4]: ("truncate", 1),
        ids[6]: ("hang", 1),
        ids[7]: ("429", 1),
    }
    for wr_id, (kind, times) in faults.items():
        server.faults.add(kind, f"wr_id={wr_id}$", times=times, seconds=10)  # type: ignore[arg-type]
    server.faults.add("503", "&page=2", times=1)

    result = crawl(tmp_path, engine, server.list_url, settings={"DOWNLOAD_TIMEOUT": "1"})

    assert result.ok, result
    run = last_run(engine)
    assert (run.new_versions, run.deleted_posts, run.edited_posts) == (1, 0, 1)
    after = versions(engine)
    assert {k: len(v) for k, v in after.items() if len(v) > 1} == {str(edited): 2}
    assert after[str(edited)][-1].title == "정정된 제목"
    assert all(v.body_text.strip() and v.title.strip() for vs in after.values() for v in vs)
    for wr_id in faults:
        assert len(after[str(wr_id)]) == len(before[str(wr_id)]) == 1
    # every faulted page was asked for again, after its fault, and answered
    seen = list(server.faults.seen)
    for wr_id, (kind, times) in faults.items():
        mine = [fault for _, target, fault in seen if target == view_target(server, wr_id)]
        assert mine[:times] == [kind] * times and mine[times:] == [None], (wr_id, mine)
    assert stat(run, "retry/count") >= len(faults) + 2
    assert stat(run, "retry/wait_ms") > 0  # backoff before retries


def test_faults_that_outlast_the_retries_then_the_next_run_catches_up(
    tmp_path, engine: Engine, board: Board, server: DemoServer
) -> None:
    assert crawl(tmp_path, engine, server.list_url).ok
    ids = regular(board)
    broken = {ids[0]: "500", ids[1]: "empty", ids[2]: "maintenance", ids[3]: "login"}
    broken[ids[4]] = "reset"
    for wr_id in broken:
        board.edit_post(wr_id, body_html="<p>고쳐진 본문</p>")  # edits the run cannot see
    gone = ids[-1]  # on list page 2 or 3: the deletion needs a complete list walk
    board.delete_post(gone)
    for wr_id, kind in broken.items():
        server.faults.add(kind, f"wr_id={wr_id}$")  # type: ignore[arg-type]
    server.faults.add("503", "&page=2")
    count = version_count(engine)

    result = crawl(tmp_path, engine, server.list_url)

    run = last_run(engine)
    assert result.ok and run.status == RunStatus.SUCCEEDED  # list page 1 was read
    assert run.errors >= len(broken) + 1  # it says what it could not fetch
    assert (run.new_versions, run.deleted_posts) == (0, 0)
    assert version_count(engine) == count
    archived = posts(engine)
    assert archived[str(gone)].state == PostState.ACTIVE  # list walk incomplete: no deletion
    assert all(archived[str(i)].current_version == 1 for i in broken)

    server.faults.clear()
    assert crawl(tmp_path, engine, server.list_url).ok
    run = last_run(engine)
    assert (run.new_versions, run.deleted_posts, run.errors) == (len(broken), 1, 0)
    archived = posts(engine)
    assert archived[str(gone)].state == PostState.DELETED
    after = versions(engine)
    for wr_id in broken:
        assert [v.body_text for v in after[str(wr_id)]][-1] == "고쳐진 본문"


def test_429_retry_after_is_honoured(
    tmp_path, engine: Engine, board: Board, server: DemoServer
) -> None:
    assert crawl(tmp_path, engine, server.list_url).ok
    server.faults.seen.clear()
    ids = regular(board)
    server.faults.add("429", f"wr_id={ids[0]}$", times=1, retry_after=2)
    server.faults.add("429", f"wr_id={ids[1]}$", retry_after=3600)  # more than we wait
    board.edit_post(ids[1], title="바뀐 제목")

    result = crawl(tmp_path, engine, server.list_url, settings={"RETRY_AFTER_MAX": "30"})

    seen = list(server.faults.seen)
    first = [(t, f) for t, target, f in seen if target == view_target(server, ids[0])]
    assert [f for _, f in first] == ["429", None]
    assert first[1][0] - first[0][0] >= 1.9  # it waited what the site asked
    long = [f for _, target, f in seen if target == view_target(server, ids[1])]
    assert long == ["429"]  # not retried: the site asked for an hour
    run = last_run(engine)
    assert result.run is not None and run.errors >= 1
    assert stat(run, "retry/retry_after_too_long") == 1
    assert posts(engine)[str(ids[1])].current_version == 1  # the edit waits for a later run
    assert run.new_versions == 0 and run.deleted_posts == 0


def test_a_run_in_which_most_view_pages_failed_is_failed(
    tmp_path, engine: Engine, board: Board, server: DemoServer
) -> None:
    """Every view page answers a maintenance page: the list was read, but the run lost its
    posts, so it is failed (exit non-zero), never ok, and its message names the pages."""
    server.faults.add("maintenance", "wr_id=")  # type: ignore[arg-type]

    result = crawl(tmp_path, engine, server.list_url)

    run = last_run(engine)
    assert not result.ok and result.exit_code == 0  # the crawl ran to its end, and failed
    assert (run.status, run.health) == (RunStatus.FAILED, RunHealth.FAILED)
    assert run.message is not None
    counts = re.match(r"(\d+) of (\d+) view pages failed: ", run.message)
    assert counts and counts[1] == counts[2] and int(counts[1]) >= len(regular(board))
    assert f"{server.url}/bbs/board.php?bo_table=press&wr_id=" in run.message
    assert (run.new_versions, run.deleted_posts) == (0, 0)
    assert version_count(engine) == 0
