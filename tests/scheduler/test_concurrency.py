"""How many boards crawl at once by default: sized to the machine's memory and to what the
database takes: on SQLite at most 50 writers; on PostgreSQL as many crawl processes as half the
server's ``max_connections`` holds at ``process_connections`` each, ``boards_per_process``
boards a process; ``concurrent_boards`` wins. On SQLite and PostgreSQL."""

from __future__ import annotations

from sqlalchemy import Engine, text

from archive.config import SchedulerConfig
from board_archive.schedule import SQLITE_CONCURRENT, default_workers
from tests.scheduler.conftest import make_config

BOARDS = tuple(f"b{i}" for i in range(400))


def test_the_default_is_bounded_by_the_database(db_url: str, engine: Engine) -> None:
    cfg = make_config(boards=BOARDS, database_url=db_url)
    if engine.dialect.name == "postgresql":
        with engine.connect() as conn:
            most = int(conn.execute(text("SHOW max_connections")).scalar_one())
        processes = (most // 2) // 10  # 10 connections a process, 50 boards in each
        assert default_workers(cfg, engine) == min(400, max(4, processes * 50))
    else:
        assert default_workers(cfg, engine) == SQLITE_CONCURRENT
    assert default_workers(cfg, engine) < len(BOARDS)
    chosen = cfg.model_copy(update={"scheduler": SchedulerConfig(concurrent_boards=300)})
    assert default_workers(chosen, engine) == 300  # the configured number wins
