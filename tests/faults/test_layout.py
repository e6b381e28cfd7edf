"""A new skin on the list (its markup renamed, as a skin or theme change does) is read by the
engine's own links: the run succeeds and archives the one real edit, and the changed markup is
recorded as no edit and no deletion. (A page that is no list of the board at all fails the
run: tests/crawl/test_end_to_end.py.)"""

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


def test_a_new_skin_on_the_list_is_read_by_the_engine_and_fabricates_nothing(
    tmp_path: Path, db_url: str, engine: Engine, receiver: Receiver
) -> None:
    board = generate_board(30, seed=4)
    with DemoServer(board) as server:
        assert cli_crawl(tmp_path, db_url, server.list_url).returncode == 0
        count, states = version_count(engine), {k: p.state for k, p in posts(engine).items()}
        edited = board.live_ids()[3]
        board.edit_post(edited, title="바뀐 제목")  # the one real edit
        server.faults.add("layout")  # every list page in the new markup; view pages unchanged
        env = {"BOARD_ARCHIVE_NOTIFY_URLS": receiver.url}
        result = cli_crawl(tmp_path, db_url, server.list_url, env=env)

    assert result.returncode == 0, result.stderr[-3000:]
    run = last_run(engine)
    assert (run.status, run.health) == (RunStatus.SUCCEEDED, RunHealth.OK)
    assert (run.new_versions, run.new_posts, run.deleted_posts, run.errors) == (1, 0, 0, 0)
    assert version_count(engine) == count + 1
    assert {k: p.state for k, p in posts(engine).items()} == states
    assert posts(engine)[str(edited)].current_version == 2
    assert all(m["type"] != "failure" for m in receiver.received)
