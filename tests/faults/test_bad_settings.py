"""A crawl setting that makes no sense stops the crawl with a clear error before it fetches
anything: it never switches archiving off and lets the run report success."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine

from board_archive.demoboard import DemoServer, generate_board
from tests.faults.helpers import crawl, posts


def test_a_batch_size_below_one_fails_the_crawl_instead_of_archiving_nothing(
    tmp_path: Path, engine: Engine, capfd: pytest.CaptureFixture[str]
) -> None:
    with DemoServer(generate_board(12, seed=3)) as server:
        result = crawl(tmp_path, engine, server.list_url, settings={"ARCHIVE_BATCH_SIZE": "0"})
        assert not result.ok and result.exit_code == 1 and result.run is None
        assert sum(server.counts.values()) == 0  # nothing fetched
    assert "ARCHIVE_BATCH_SIZE must be >= 1, not 0" in capfd.readouterr().err
    assert posts(engine) == {}
