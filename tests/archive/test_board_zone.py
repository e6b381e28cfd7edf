"""A board's time zone travels with its data: ``boards.timezone`` follows the config, and what
reads the database (reports, digests) shows the board's times in it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from archive import items as it
from archive.config import BoardConfig, board_from_values
from archive.models import Board, CrawlRun, RunHealth, RunMode, RunStatus
from archive.reports import zone_of
from archive.revisit import RevisitPolicy
from archive.store import ensure_board, ingest
from board_archive.notify import build_digest

# Apprise's e-mail plugin imports the deprecated stdlib imghdr (see tests/archive/test_notify.py).
pytestmark = pytest.mark.filterwarnings("ignore:'imghdr' is deprecated:DeprecationWarning")

T0 = datetime(2026, 11, 20, 17, 30, tzinfo=UTC)  # 02:30 on the 21st in Seoul
URL = "http://127.0.0.1:1/bbs/board.php?bo_table=press"
SEOUL_BOARD = board_from_values("press", {"url": URL})
UTC_BOARD = board_from_values("press", {"url": URL, "timezone": "UTC"})


def zones(engine: Engine) -> dict[str, str]:
    with Session(engine) as s:
        return {name: tz for name, tz in s.execute(select(Board.name, Board.timezone))}


def test_ensure_board_writes_the_zone_and_follows_the_config(engine: Engine) -> None:
    with Session(engine) as s, s.begin():
        first = ensure_board(s, SEOUL_BOARD, T0)
        ensure_board(s, board_from_values("tokyo", {"url": URL, "timezone": "Asia/Tokyo"}), T0)
    assert zones(engine) == {"press": "Asia/Seoul", "tokyo": "Asia/Tokyo"}
    with Session(engine) as s, s.begin():
        assert ensure_board(s, UTC_BOARD, T0 + timedelta(days=1)) == first
    assert zones(engine) == {"press": "UTC", "tokyo": "Asia/Tokyo"}


def test_zone_of_is_the_boards_or_the_display_zone(engine: Engine) -> None:
    with Session(engine) as s, s.begin():
        ensure_board(s, UTC_BOARD, T0)
    display = ZoneInfo("Asia/Tokyo")
    with Session(engine) as s:
        assert zone_of(s, "press", display) == ZoneInfo("UTC")
        assert zone_of(s, None, display) is display
        assert zone_of(s, "nosuch", display) is display


def night(engine: Engine, board: BoardConfig, outcomes: list[it.ViewOutcome], at: datetime) -> int:
    """A closed, healthy incremental run that ingested ``outcomes``; its id."""
    with Session(engine) as s, s.begin():
        board_id = ensure_board(s, board, at)
        run = CrawlRun(
            board_id=board_id,
            started_at=at,
            finished_at=at + timedelta(minutes=5),
            status=RunStatus.SUCCEEDED,
            health=RunHealth.OK,
            mode=RunMode.INCREMENTAL,
        )
        s.add(run)
        s.flush()
        ingest(s, board_id, run.id, outcomes, at, RevisitPolicy.with_days({}, board.timezone))
        return run.id


def post(posted_at: datetime) -> it.Post:
    return it.Post(
        post_id="130",
        url=f"{URL}&wr_id=130",
        title="개인정보 처리방침 개정",
        author="관리자",
        posted_at=posted_at,
        body_html="<p>본문</p>",
        body_text="본문",
    )


@pytest.mark.parametrize(
    ("board", "when", "posted"),
    [
        (SEOUL_BOARD, "2026-11-22 02:30 – 2026-11-22 02:35 KST", "11-18 09:00 → 2026-11-18 10:00"),
        (UTC_BOARD, "2026-11-21 17:30 – 2026-11-21 17:35 UTC", "11-18 00:00 → 2026-11-18 01:00"),
    ],
)
def test_a_digest_shows_the_run_and_a_changed_posting_time_in_the_boards_zone(
    engine: Engine, board: BoardConfig, when: str, posted: str
) -> None:
    first = datetime(2026, 11, 18, 0, 0, tzinfo=UTC)
    night(engine, board, [post(first)], T0)
    run_id = night(engine, board, [post(first + timedelta(hours=1))], T0 + timedelta(days=1))
    with Session(engine) as s:
        digest = build_digest(s, run_id)
    assert digest is not None
    assert f"Run {run_id} (incremental): succeeded, health ok, {when}" in digest.body
    assert f"  posted_at: 2026-{posted}" in digest.body
