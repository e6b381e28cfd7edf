"""Clocks: the system clock and a fixed one, both aware and in UTC."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from archive.clock import FixedClock, fixed_clock, system_clock


def test_the_system_clock_is_now_in_utc() -> None:
    now = system_clock()
    assert now.tzinfo is UTC and abs(now - datetime.now(UTC)) < timedelta(seconds=5)


def test_a_fixed_clock_always_returns_its_time_in_utc() -> None:
    clock = fixed_clock("2026-11-25T02:30+09:00")
    assert clock() == clock() == datetime(2026, 11, 24, 17, 30, tzinfo=UTC)
    assert clock().tzinfo is UTC
    assert clock == FixedClock(datetime(2026, 11, 24, 17, 30, tzinfo=UTC))


def test_a_fixed_clock_needs_a_zone() -> None:
    with pytest.raises(ValueError, match="needs a time zone"):
        fixed_clock("2026-11-25T02:30")
    with pytest.raises(ValueError, match="needs a time zone"):
        FixedClock(datetime(2026, 11, 25, 2, 30))
