"""One crawl of a board at a time, across processes and machines that share the database.

The lock is a row in ``board_locks``: taken when a crawl opens, kept alive by a heartbeat while
it runs, deleted when it closes. A lock whose heartbeat is older than ``stale_after`` (the
holder was killed, or its machine went away) is taken over.
"""

from __future__ import annotations

import os
import socket
from datetime import datetime, timedelta

from sqlalchemy import Engine, delete, update
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session

from archive.models import BoardLock


def owner_id(pid: int | None = None) -> str:
    """The lock owner this process is (or the process ``pid`` of this machine)."""
    return f"{socket.gethostname()}:{os.getpid() if pid is None else pid}"


class LockHeld(Exception):
    """Another crawl holds the board's lock."""

    def __init__(self, owner: str, since: datetime, heartbeat: datetime) -> None:
        super().__init__(owner, since, heartbeat)
        self.owner, self.since, self.heartbeat = owner, since, heartbeat

    def __str__(self) -> str:
        return (
            f"another crawl of this board is running ({self.owner}, since "
            f"{self.since:%Y-%m-%d %H:%M} UTC, last heartbeat {self.heartbeat:%H:%M:%S} UTC)"
        )


def acquire(
    engine: Engine, board_id: int, owner: str, now: datetime, stale_after: timedelta
) -> str | None:
    """Take the lock, in its own transaction. Returns the stale owner taken over, if any.

    Raises :class:`LockHeld` when a live crawl holds it.
    """
    for attempt in range(5):
        try:
            with Session(engine) as s, s.begin():
                lock = s.get(BoardLock, board_id, with_for_update=True)
                if lock is None:
                    s.add(
                        BoardLock(board_id=board_id, owner=owner, acquired_at=now, heartbeat_at=now)
                    )
                    return None
                if lock.owner == owner or lock.heartbeat_at < now - stale_after:
                    previous = lock.owner
                    lock.owner, lock.acquired_at, lock.heartbeat_at = owner, now, now
                    return None if previous == owner else previous
                raise LockHeld(lock.owner, lock.acquired_at, lock.heartbeat_at)
        except (IntegrityError, OperationalError):
            # Two crawls raced for a free lock: one insert won; look again.
            if attempt == 4:
                raise
    return None  # pragma: no cover


def set_run(s: Session, board_id: int, owner: str, run_id: int) -> None:
    s.execute(
        update(BoardLock)
        .where(BoardLock.board_id == board_id, BoardLock.owner == owner)
        .values(run_id=run_id)
    )


def heartbeat(s: Session, board_id: int, owner: str, now: datetime) -> bool:
    """Keep the lock alive; False if it was lost (taken over as stale)."""
    result = s.execute(
        update(BoardLock)
        .where(BoardLock.board_id == board_id, BoardLock.owner == owner)
        .values(heartbeat_at=now)
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


def release(s: Session, board_id: int, owner: str) -> None:
    s.execute(delete(BoardLock).where(BoardLock.board_id == board_id, BoardLock.owner == owner))
