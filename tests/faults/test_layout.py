"""A layout change (the list's markup renamed, as a new skin does) fails the run loudly: status
and health failed, a failure notification sent, and not one new version or deletion."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine

from archive.models import RunHealth, RunStatus
from board_archive.demoboard import DemoServer, generate_board
from tests.archive.test_notify import Receiver
from tests.crawl.test_end_to_end import crawl as cli_crawl
from tests.faults.helpers import last_run, posts, version_count

pytestmark = pytest.mark.filterwarnings("ignore:'imghdr' is deprecated:DeprecationWarning")


@pytest.fixture
def receiver(monkeypatch: pytest.MonkeyPatch) -> Iterator[Receiver]:
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")
    rec = Receiver()
    yield rec
    rec.close()


def test_a_layout_change_fails_the_run_with_no_new_versions(
    tmp_path: Path, db_url: str, engine: Engine, receiver: Receiver
) -> None:
    board = generate_board(30, seed=4)
    with DemoServer(board) as server:
        assert cli_crawl(tmp_path, db_url, server.list_url).returncode == 0
        count, states = version_count(engine), {k: p.state for k, p in posts(engine).items()}
        board.edit_post(board.live_ids()[3], title="바뀐 제목")  # a real edit the run must not see
        server.faults.seen.clear()
        server.faults.add("layout")  # every list page in the new markup; view pages unchanged
        env = {"BOARD_ARCHIVE_NOTIFY_URLS": receiver.url}
        result = cli_crawl(tmp_path, db_url, server.list_url, env=env)
        seen = [t for _, t, _ in server.faults.seen if "board.php" in t]

    assert result.returncode == 1 and "failed" in result.stdout
    run = last_run(engine)
    assert (run.status, run.health) == (RunStatus.FAILED, RunHealth.FAILED)
    assert run.message and "bo_list" in run.message  # names what no longer matches
    assert (run.new_versions, run.new_posts, run.deleted_posts) == (0, 0, 0)
    assert version_count(engine) == count
    assert {k: p.state for k, p in posts(engine).items()} == states
    assert seen == ["/bbs/board.php?bo_table=press"]  # list page 1, then the run stopped
    assert len(receiver.received) == 1
    message = receiver.received[0]
    assert message["type"] == "failure" and "FAILED" in message["title"]
