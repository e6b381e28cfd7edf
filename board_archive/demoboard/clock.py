"""Clocks for the board: the system clock, or one that tests and demos can set and advance."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

__all__ = ["SEOUL", "Clock", "SettableClock", "system_clock"]

SEOUL = ZoneInfo("Asia/Seoul")

Clock = Callable[[], datetime]
"""Returns "now" as an aware datetime; the board shows it in Asia/Seoul."""


def system_clock() -> datetime:
    return datetime.now(SEOUL)


class SettableClock:
    """A callable clock. Fixed at ``start`` if given, else following the system clock; ``set``
    pins it to a time and ``advance`` moves it (a following clock keeps following, shifted)."""

    def __init__(self, start: datetime | None = None) -> None:
        if start is not None and start.tzinfo is None:
            raise ValueError("the clock needs an aware datetime")
        self._fixed = start
        self._offset = timedelta(0)
        self._lock = threading.Lock()

    def __call__(self) -> datetime:
        with self._lock:
            if self._fixed is not None:
                return self._fixed
            return datetime.now(SEOUL) + self._offset

    def set(self, when: datetime) -> None:
        if when.tzinfo is None:
            raise ValueError("the clock needs an aware datetime")
        with self._lock:
            self._fixed = when

    def advance(self, delta: timedelta | None = None, **kwargs: float) -> datetime:
        step = (delta or timedelta(0)) + timedelta(**kwargs)
        with self._lock:
            if self._fixed is not None:
                self._fixed = self._fixed + step
            else:
                self._offset += step
        return self()
