"""The time the archive records. Tests and benchmarks that simulate nights set
``$BOARD_ARCHIVE_FAKE_NOW`` (an ISO datetime with a zone) for a crawl process; nothing else
should."""

from __future__ import annotations

import os
from datetime import UTC, datetime


def utcnow() -> datetime:
    fake = os.environ.get("BOARD_ARCHIVE_FAKE_NOW")
    if fake:
        value = datetime.fromisoformat(fake)
        if value.tzinfo is None:
            raise ValueError(
                "BOARD_ARCHIVE_FAKE_NOW needs a time zone, e.g. 2026-11-25T02:30+09:00"
            )
        return value.astimezone(UTC)
    return datetime.now(UTC)
