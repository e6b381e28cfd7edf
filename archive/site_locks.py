"""One crawl of a site at a time: the boards on one host and port take turns, across processes
and machines that share the database (issue 14: politeness holds across a fleet).

A crawl takes its site's turn after its board's lock (``archive.locks``) and before its first
request; the row in ``site_locks`` names the board crawling the site, is kept alive by the
board lock's heartbeat, and is deleted when that crawl closes. A turn whose heartbeat is older
than ``stale_after`` (its holder was killed, or its machine went away) is taken over. When a
crawl gives the turn up, the site keeps when it was left (``site_visits``): the next board's
crawl of it waits out its delay from then before its first request, so boards crawled back to
back do not bring a site two requests closer than the delay. Which string is a site is the
crawler's to say (host, with the port where it is not the scheme's).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Engine, delete, select, update
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session

from archive.models import Board, SiteLock, SiteVisit


@dataclass(frozen=True, slots=True)
class SiteHolder:
    """The crawl that has the site's turn."""

    site: str
    board: str
    owner: str
    since: datetime

    def __str__(self) -> str:
        return (
            f"board {self.board!r} is crawling {self.site} ({self.owner}, since "
            f"{self.since:%Y-%m-%d %H:%M} UTC)"
        )


def take(
    engine: Engine, site: str, board_id: int, owner: str, now: datetime, stale_after: timedelta
) -> SiteHolder | None:
    """Take the site's turn for ``board_id``, in its own transaction: None when taken (a stale
    holder's taken over), or the live crawl that has it."""
    for attempt in range(5):
        try:
            with Session(engine) as s, s.begin():
                lock = s.get(SiteLock, site, with_for_update=True)
                if lock is None:
                    s.add(
                        SiteLock(
                            site=site,
                            board_id=board_id,
                            owner=owner,
                            acquired_at=now,
                            heartbeat_at=now,
                        )
                    )
                    return None
                ours = lock.owner == owner and lock.board_id == board_id
                if ours or lock.heartbeat_at < now - stale_after:
                    lock.board_id, lock.owner = board_id, owner
                    lock.acquired_at = lock.acquired_at if ours else now
                    lock.heartbeat_at = now
                    return None
                name = s.scalar(select(Board.name).where(Board.id == lock.board_id))
                return SiteHolder(site, name or f"#{lock.board_id}", lock.owner, lock.acquired_at)
        except (IntegrityError, OperationalError):
            # Two crawls raced for a free turn: one insert won; look again.
            if attempt == 4:
                raise
    return None  # pragma: no cover


def heartbeat(s: Session, board_id: int, owner: str, now: datetime) -> None:
    """Keep alive the turn the crawl of ``board_id`` holds, if any."""
    s.execute(
        update(SiteLock)
        .where(SiteLock.board_id == board_id, SiteLock.owner == owner)
        .values(heartbeat_at=now)
    )


def release(s: Session, board_id: int, owner: str, left_at: datetime | None = None) -> None:
    """Give up the turn the crawl of ``board_id`` holds; with ``left_at`` (the real time, after
    its last answer), the site keeps when it was left, for the next crawl's first request."""
    mine = (SiteLock.board_id == board_id, SiteLock.owner == owner)
    sites = list(s.scalars(select(SiteLock.site).where(*mine)))
    s.execute(delete(SiteLock).where(*mine))
    if left_at is None:
        return
    for site in sites:
        visit = s.get(SiteVisit, site)
        if visit is None:
            s.add(SiteVisit(site=site, left_at=left_at))
        else:
            visit.left_at = left_at


def left_at(s: Session, site: str) -> datetime | None:
    """When the last crawl of ``site`` left it, if one did since the archive began keeping it."""
    visit = s.get(SiteVisit, site)
    return visit.left_at if visit is not None else None


def held(s: Session) -> list[SiteHolder]:
    """Every site's turn now held, by site."""
    query = select(SiteLock, Board.name).join(Board, Board.id == SiteLock.board_id)
    rows = s.execute(query.order_by(SiteLock.site))
    return [SiteHolder(lock.site, name, lock.owner, lock.acquired_at) for lock, name in rows]
