"""The revisit policy: intervals, the change-rate estimate, and the budgeted choice of checks."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import Engine, select, update
from sqlalchemy.orm import Session

from archive import items as it
from archive.config import board_from_values
from archive.models import Post
from archive.revisit import RevisitPolicy, estimated_rate, make_plan, posted, row_signature
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
    posted_on: date | None = None
    last_changed_at: datetime | None = None
    next_check_at: datetime | None = None


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
    assert intervals == sorted(intervals) and len(set(intervals)) == 6
    assert intervals[4] == intervals[0] * (1 + 4 * POLICY.growth)
    assert POLICY.interval(age=timedelta(days=365), unchanged_streak=40, rate=None) == (
        POLICY.max_interval
    )


def test_a_post_that_changes_is_checked_sooner() -> None:
    calm = POLICY.interval(age=timedelta(days=60), unchanged_streak=3, rate=None)
    busy = POLICY.interval(age=timedelta(days=60), unchanged_streak=3, rate=0.1)
    assert busy == timedelta(days=2.5) < calm  # a quarter of its 10 days between changes
    hot = POLICY.interval(age=timedelta(days=60), unchanged_streak=3, rate=2.0)
    assert hot == POLICY.min_interval  # never more often than every run
    # Edits come in bursts: a change found on an old post brings it back to every night for two
    # weeks, then its interval starts again from the minimum, not from its age.
    year = timedelta(days=365)
    fresh = POLICY.interval(age=year, unchanged_streak=2, rate=None, since_change=timedelta(10))
    assert fresh == POLICY.min_interval
    later = POLICY.interval(age=year, unchanged_streak=2, rate=None, since_change=timedelta(15))
    never = POLICY.interval(age=year, unchanged_streak=2, rate=None)
    assert later == POLICY.min_interval * (1 + 2 * POLICY.growth) < never


def test_next_check_reads_the_last_change() -> None:
    old = NOW - timedelta(days=400)
    quiet = History(old, old, NOW, checks=5, changes=0, unchanged_streak=0)
    changed = History(old, old, NOW, checks=5, changes=1, last_changed_at=NOW - timedelta(1))
    assert POLICY.next_check(changed, NOW) == NOW + POLICY.min_interval
    assert POLICY.next_check(quiet, NOW) > NOW + timedelta(days=30)


def test_a_secret_post_is_aged_from_its_list_row_date() -> None:
    """A secret post has no view page; its list row's day is its age, not the first crawl."""
    first_crawl = NOW - timedelta(days=1)
    secret = History(None, first_crawl, first_crawl, checks=1, posted_on=date(2025, 3, 1))
    unknown = History(None, first_crawl, first_crawl, checks=1)
    assert POLICY.next_check(secret, first_crawl) > first_crawl + timedelta(days=20)
    assert POLICY.next_check(unknown, first_crawl) == first_crawl + POLICY.min_interval
    assert posted(secret) == datetime(2025, 2, 28, 15, 0, tzinfo=UTC)  # 00:00 in Seoul


def test_a_list_row_date_is_a_day_in_the_boards_zone() -> None:
    """The policy of a board in another zone ages a secret post from midnight in that zone."""
    seen = NOW - timedelta(days=1)
    secret = History(None, seen, seen, checks=1, posted_on=date(2025, 3, 1))
    utc = RevisitPolicy.with_days({}, "UTC")
    assert utc.timezone == ZoneInfo("UTC") and RevisitPolicy().timezone == ZoneInfo("Asia/Seoul")
    assert posted(secret, utc.timezone) == datetime(2025, 3, 1, tzinfo=UTC)
    assert posted(secret, ZoneInfo("America/New_York")) == datetime(2025, 3, 1, 5, tzinfo=UTC)
    # nine hours younger than in Seoul: the estimate of its change rate is a little higher
    assert utc.value(secret, NOW) > RevisitPolicy().value(secret, NOW)


def test_pick_fills_the_budget_with_the_longest_unchecked() -> None:
    """Due posts first, by value; what is left of the budget goes to posts unchecked for over
    ``explore_after``, oldest check first; nothing is explored right after a full crawl."""
    old = NOW - timedelta(days=500)

    def post(last: timedelta, due: bool) -> History:
        when = NOW - last
        return History(old, old, when, next_check_at=NOW - timedelta(1) if due else NOW + last)

    assert POLICY.explore_after == timedelta(days=3)
    posts = {
        "1": post(timedelta(days=30), due=False),
        "2": post(timedelta(days=4), due=False),
        "3": post(timedelta(days=20), due=False),
        "4": post(timedelta(days=2), due=False),  # checked lately: never explored
        "5": post(timedelta(days=2), due=True),
        "6": post(timedelta(days=9), due=True),
    }
    assert POLICY.pick(posts.items(), NOW, 1) == ["6"]
    assert POLICY.pick(posts.items(), NOW, 4) == ["6", "5", "1", "3"]
    assert POLICY.pick(posts.items(), NOW, 10) == ["6", "5", "1", "3", "2"]
    after_full_crawl = {k: post(timedelta(days=1), due=False) for k in "123"}
    assert POLICY.pick(after_full_crawl.items(), NOW, 10) == []


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
    first_crawl = NOW - timedelta(days=2)  # within explore_after: no post is stale yet
    with Session(engine) as s, s.begin():
        board_id = ensure_board(s, board, first_crawl)
        posts = [_post(i, NOW - timedelta(days=400 - i)) for i in range(1, 401)]
        ingest(s, board_id, None, posts, first_crawl, RevisitPolicy())
    with Session(engine) as s:
        plan = make_plan(s, board_id, NOW, budget=10)
    assert len(plan.known) == 400 and plan.newest_known == 400
    # Posts under a week old are due every night, and the youngest are the most valuable.
    assert plan.due == [str(i) for i in range(400, 390, -1)]
    with Session(engine) as s, s.begin():
        s.execute(update(Post).values(next_check_at=NOW + timedelta(days=1)))
    with Session(engine) as s:
        assert make_plan(s, board_id, NOW, budget=10).due == []


def test_secret_posts_keep_their_list_date_and_are_not_due_the_next_night(engine: Engine) -> None:
    """Before ``posted_on``, a first full crawl made every old secret post look a day old, and
    the next nights re-checked all of them."""
    board = board_from_values("press", {"url": "http://h/bbs/board.php?bo_table=press"})
    first_crawl = NOW - timedelta(days=1)
    secret = it.SecretPost("7", "u7", title="비밀글입니다", posted_on=date(2024, 5, 2))
    unknown = it.SecretPost("8", "u8")  # a view page with no list row: no date at all
    with Session(engine) as s, s.begin():
        board_id = ensure_board(s, board, first_crawl)
        outcomes = [secret, unknown, _post(9, NOW - timedelta(days=300))]
        ingest(s, board_id, None, outcomes, first_crawl, RevisitPolicy())
    with Session(engine) as s, s.begin():
        stored = {p.source_id: p for p in s.scalars(select(Post))}
        assert stored["7"].posted_on == date(2024, 5, 2) and stored["7"].posted_at is None
        assert stored["8"].posted_on is None
        assert make_plan(s, board_id, NOW, budget=10).due == ["8"]
        # A later list row without a date keeps the known one.
        ingest(s, board_id, None, [it.SecretPost("7", "u7")], NOW, RevisitPolicy())
    with Session(engine) as s:
        assert s.scalars(select(Post.posted_on).where(Post.source_id == "7")).one() == date(
            2024, 5, 2
        )


def test_a_boards_periods_in_days_make_its_policy() -> None:
    policy = RevisitPolicy.with_days({"young": 14, "burst": 30, "explore_after": 1.5})
    default = RevisitPolicy()
    assert policy.young_age == timedelta(days=14) and policy.burst == timedelta(days=30)
    assert policy.explore_after == timedelta(hours=36)
    assert policy.max_interval == default.max_interval and policy.growth == default.growth
    assert RevisitPolicy.with_days({}) == default
    # a 10-day-old post: past the default's young age, still young for this board
    age = timedelta(days=10)
    assert policy.interval(age=age, unchanged_streak=3, rate=None) == policy.min_interval
    assert default.interval(age=age, unchanged_streak=3, rate=None) > default.min_interval
