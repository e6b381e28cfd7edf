"""The time the archive records, as a clock object handed to whoever records it.

A ``Clock`` is a callable returning an aware datetime in UTC. ``system_clock`` is the real one;
``FixedClock`` always returns one time, which is how tests and benchmarks that simulate nights
run a crawl at a chosen "now". Nothing here reads the environment: the crawl process
(``board_archive.crawl_process``) builds the clock once at start and hands it to the crawl.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

__all__ = ["Clock", "FixedClock", "fixed_clock", "system_clock"]

Clock = Callable[[], datetime]
"""Returns "now" as an aware datetime in UTC."""


def system_clock() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True, slots=True)
class FixedClock:
    """A clock that always returns ``at`` (in UTC)."""

    at: datetime

    def __post_init__(self) -> None:
        if self.at.tzinfo is None:
            raise ValueError(f"a fixed clock needs a time zone: {self.at.isoformat()}")
        object.__setattr__(self, "at", self.at.astimezone(UTC))

    def __call__(self) -> datetime:
        return self.at


def fixed_clock(text: str) -> FixedClock:
    """A fixed clock at an ISO datetime with a zone, e.g. ``2026-11-25T02:30+09:00``."""
    value = datetime.fromisoformat(text)
    if value.tzinfo is None:
        raise ValueError(f"{text!r} needs a time zone, e.g. 2026-11-25T02:30+09:00")
    return FixedClock(value)
