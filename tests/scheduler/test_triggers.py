"""Cron triggers fire at the right times in the board's time zone (Asia/Seoul by default)."""

from __future__ import annotations

import ast
import inspect
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from apscheduler.triggers.cron import CronTrigger

from archive.cron import crontab_trigger, next_fire_times, previous_fire_time
from board_archive.board_runner import FULL, INCREMENTAL
from board_archive.schedule import board_trigger
from board_archive.schedule_cli import describe_schedule
from tests.scheduler.conftest import CLOCK_MODULES, SEOUL, make_config, seoul_time


def test_nightly_run_is_at_0230_seoul_time() -> None:
    trigger = board_trigger(make_config().boards["press"], INCREMENTAL)
    assert next_fire_times(trigger, seoul_time(2024, 5, 1, 12, 0), 3) == [
        seoul_time(2024, 5, 2, 2, 30),
        seoul_time(2024, 5, 3, 2, 30),
        seoul_time(2024, 5, 4, 2, 30),
    ]
    # the same night, seen from a UTC clock: 02:00 KST is 17:00 UTC the day before
    nxt = trigger.get_next_fire_time(None, datetime(2024, 5, 1, 17, 0, tzinfo=UTC))
    assert nxt == seoul_time(2024, 5, 2, 2, 30)
    assert nxt.astimezone(UTC) == datetime(2024, 5, 1, 17, 30, tzinfo=UTC)
    assert nxt.utcoffset() == timedelta(hours=9)


def test_weekly_full_run_is_sunday_0400_seoul_time() -> None:
    trigger = board_trigger(make_config().boards["press"], FULL)
    times = next_fire_times(trigger, seoul_time(2024, 5, 1, 12, 0), 2)
    assert times == [seoul_time(2024, 5, 5, 4, 0), seoul_time(2024, 5, 12, 4, 0)]
    assert {t.strftime("%A") for t in times} == {"Sunday"}
    # what APScheduler 3's from_crontab would have done with the same line (weekday 0 = Monday)
    plain = CronTrigger.from_crontab("0 4 * * 0", timezone=SEOUL)
    assert plain.get_next_fire_time(None, seoul_time(2024, 5, 1, 12, 0)).strftime("%A") == "Monday"


@pytest.mark.parametrize(
    ("weekday", "days"),
    [
        ("*", {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"}),
        ("0", {"Sun"}),
        ("7", {"Sun"}),
        ("1-5", {"Mon", "Tue", "Wed", "Thu", "Fri"}),
        ("mon-fri", {"Mon", "Tue", "Wed", "Thu", "Fri"}),
        ("SAT,sun", {"Sat", "Sun"}),
        ("5-7", {"Fri", "Sat", "Sun"}),
        ("*/2", {"Sun", "Tue", "Thu", "Sat"}),
        ("1-5/2", {"Mon", "Wed", "Fri"}),
        ("6,0", {"Sat", "Sun"}),
    ],
)
def test_weekdays_count_as_in_crontab(weekday: str, days: set[str]) -> None:
    trigger = crontab_trigger(f"0 9 * * {weekday}", "Asia/Seoul")
    fired = next_fire_times(trigger, seoul_time(2024, 5, 1, 0, 0), 14)
    assert {t.strftime("%a") for t in fired} == days
    assert all((t.hour, t.minute) == (9, 0) for t in fired)


@pytest.mark.parametrize("bad", ["0 9 * * 8", "0 9 * * 5-1", "0 9 * * */0", "0 9 * *", "x 9 * * *"])
def test_bad_crontab_lines_are_refused(bad: str) -> None:
    with pytest.raises(ValueError):
        crontab_trigger(bad, "Asia/Seoul")


def test_board_time_zone_and_jitter_are_used() -> None:
    board = make_config(timezone="Europe/Berlin", jitter=600).boards["press"]
    trigger = board_trigger(board, INCREMENTAL)
    assert trigger.timezone == ZoneInfo("Europe/Berlin")
    assert trigger.jitter == 600
    start = datetime(2024, 5, 1, 12, 0, tzinfo=ZoneInfo("Europe/Berlin"))
    planned = datetime(2024, 5, 2, 2, 30, tzinfo=ZoneInfo("Europe/Berlin"))
    for _ in range(20):
        fire = trigger.get_next_fire_time(None, start)
        assert planned <= fire <= planned + timedelta(seconds=600)
    assert board_trigger(board, INCREMENTAL, jitter=False).jitter is None


def test_previous_fire_time_looks_back_within_the_window() -> None:
    trigger = board_trigger(make_config().boards["press"], INCREMENTAL, jitter=False)
    now = seoul_time(2024, 5, 2, 5, 0)
    assert previous_fire_time(trigger, now, timedelta(hours=6)) == seoul_time(2024, 5, 2, 2, 30)
    assert previous_fire_time(trigger, now, timedelta(hours=2)) is None
    assert previous_fire_time(
        trigger, seoul_time(2024, 5, 2, 2, 30), timedelta(hours=1)
    ) == seoul_time(2024, 5, 2, 2, 30)
    hourly = crontab_trigger("0 * * * *", "Asia/Seoul")
    assert previous_fire_time(
        hourly, seoul_time(2024, 5, 2, 5, 59), timedelta(days=1)
    ) == seoul_time(2024, 5, 2, 5, 0)


def test_describe_schedule_lists_next_starts_in_seoul_time() -> None:
    cfg = make_config(boards=("press", "notice"), jitter=600)
    text = describe_schedule(cfg, seoul_time(2024, 5, 1, 12, 0), count=2)
    lines = text.splitlines()
    assert lines[0].split() == ["board", "mode", "cron", "zone", "jitter", "next", "2", "starts"]
    assert [line.split()[:2] for line in lines[1:5]] == [
        ["notice", "incremental"],
        ["notice", "full"],
        ["press", "incremental"],
        ["press", "full"],
    ]
    press_inc, press_full = lines[3], lines[4]
    assert "30 2 * * *" in press_inc and "Asia/Seoul" in press_inc and "600s" in press_inc
    assert press_inc.endswith("2024-05-02 Thu 02:30 KST, 2024-05-03 Fri 02:30 KST")
    assert press_full.endswith("2024-05-05 Sun 04:00 KST, 2024-05-12 Sun 04:00 KST")
    assert "jitter" in lines[-1]


def test_fake_clock_covers_every_clock_read() -> None:
    """The ``clock`` fixture swaps ``datetime`` in these modules; it only offers ``now``."""
    for module in CLOCK_MODULES:
        tree = ast.parse(inspect.getsource(module))
        names = [n.id for n in ast.walk(tree) if isinstance(n, ast.Name)]
        uses = {
            n.attr
            for n in ast.walk(tree)
            if isinstance(n, ast.Attribute) and isinstance(n.value, ast.Name)
            if n.value.id == "datetime"
        }
        assert uses == {"now"}, (module.__name__, uses)
        assert names.count("datetime") == len(  # no bare use, e.g. isinstance(x, datetime)
            [n for n in ast.walk(tree) if isinstance(n, ast.Attribute) and n.attr == "now"]
        ), module.__name__
        assert "time" not in names and "monotonic" not in names, module.__name__
