"""The revisit policy: intervals, the change-rate estimate, and the budgeted choice of checks."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine, update
from sqlalchemy.orm import Session

from archive import items as it
from archive.config import board_from_values
from archive.models import Post
from archive.revisit import RevisitPolicy, estimated_rate, make_plan, row_signature
from archive.store import ensure_board, ingest

NOW = datetime(2026, 11, 25, 17, 30, tzinfo=UTC)
POLICY = RevisitPolicy()


@dataclass
class History:
    posted_at: datetime | None
    first_seen_at: datetime
    last_checked_at: datetime | None
    checks: int = 0
    changes: int = 0
    unchanged_streak: int = 0


def test_young_posts_every_night_old_ones_less_often() -> None:
    young = POLICY.interval(age=timedelta(days=2), unchanged_streak=5, rate=None)
    assert young == POLICY.min_interval
    month = POLICY.interval(age=timedelta(days=30), unchanged_streak=0, rate=None)
    year = POLICY.interval(age=timedelta(days=365), unchanged_streak=0, rate=None)
    assert POLICY.min_interval < month < year <= POLICY.max_interval
    assert month == timedelta(days=3)  # 10% of its age


def test_interval_grows_with_each_unchanged_check_and_caps() -> None:
    intervals = [
        POLICY.interval(age=timedelta(days=30), unchanged_streak=n, rate=None) for n in range(6)
    ]
    assert intervals == sorted(intervals) and intervals[1] == intervals[0] * 1.5
    assert POLICY.interval(age=timedelta(days=30), unchanged_streak=40, rate=None) == (
        POLICY.max_interval
    )


def test_a_post_that_changes_is_checked_sooner() -> None:
    calm = POLICY.interval(age=timedelta(days=60), unchanged_streak=3, rate=None)
    busy = POLICY.interval(age=timedelta(days=60), unchanged_streak=3, rate=0.5)
    assert busy == timedelta(days=1) < calm  # half of its 2-day expected time between changes


def test_change_rate_estimator_of_cho_and_garcia_molina() -> None:
    start = NOW - timedelta(days=10)
    # 11 checks a day apart (10 intervals), 5 of them found a change.
    h = History(None, start, NOW, checks=11, changes=5)
    expected = -math.log((11 - 5 + 0.5) / (11 + 0.5)) / 1.0
    assert math.isclose(estimated_rate(h) or 0, expected)
    assert estimated_rate(History(None, start, NOW, checks=11, changes=0)) == 0.0
    assert estimated_rate(History(None, start, start, checks=1)) is None


def test_value_prefers_young_and_long_unchecked_posts() -> None:
    fresh = History(NOW - timedelta(days=1), NOW - timedelta(days=1), NOW - timedelta(hours=20))
    old = History(NOW - timedelta(days=200), NOW - timedelta(days=200), NOW - timedelta(hours=20))
    stale = History(NOW - timedelta(days=200), NOW - timedelta(days=200), NOW - timedelta(days=60))
    assert POLICY.value(fresh, NOW) > POLICY.value(old, NOW)
    assert POLICY.value(stale, NOW) > POLICY.value(old, NOW)


def test_row_signature_sees_title_comments_attachment_secret() -> None:
    row = it.ListRow("5", "u", "제목", "관리자", "11-20", None, 3, 0, False, False, False)
    same = it.ListRow("5", "u2", "제목", "관리자", "11-20", None, 99, 0, False, False, False)
    assert row_signature(row) == row_signature(same)  # views and URL do not count
    for changed in (
        it.ListRow("5", "u", "제목 (수정)", "관리자", "11-20", None, 3, 0, False, False, False),
        it.ListRow("5", "u", "제목", "관리자", "11-20", None, 3, 1, False, False, False),
        it.ListRow("5", "u", "제목", "관리자", "11-20", None, 3, 0, False, True, False),
        it.ListRow("5", "u", "제목", "관리자", "11-20", None, 3, 0, False, False, True),
    ):
        assert row_signature(changed) != row_signature(row)


def _post(i: int, posted: datetime) -> it.Post:
    return it.Post(
        post_id=str(i),
        url=f"u{i}",
        title=f"제목 {i}",
        author="관리자",
        posted_at=posted,
        body_html=f"<p>{i}</p>",
        body_text=str(i),
    )


def test_plan_takes_the_due_posts_most_likely_changed_within_budget(engine: Engine) -> None:
    board = board_from_values("press", {"url": "http://h/bbs/board.php?bo_table=press"})
    first_crawl = NOW - timedelta(days=3)
    with Session(engine) as s, s.begin():
        board_id = ensure_board(s, board, first_crawl)
        posts = [_post(i, NOW - timedelta(days=400 - i)) for i in range(1, 401)]
        ingest(s, board_id, None, posts, first_crawl)
    with Session(engine) as s:
        plan = make_plan(s, board_id, NOW, budget=10)
    assert len(plan.known) == 400 and plan.newest_known == 400
    # Posts under a week old are due every night, and the youngest are the most valuable.
    assert plan.due == [str(i) for i in range(400, 390, -1)]
    with Session(engine) as s, s.begin():
        s.execute(update(Post).values(next_check_at=NOW + timedelta(days=1)))
    with Session(engine) as s:
        assert make_plan(s, board_id, NOW, budget=10).due == []
