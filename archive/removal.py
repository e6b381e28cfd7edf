"""Removing a board from the archive, and the files no version uses any more.

``remove_board`` deletes the board's row in the caller's transaction; the database's cascades
take its posts, versions, comments, observations, events, files' entries, runs and lock with
it (and the search index's triggers its entries). The caller takes the board's lock first
(``archive.locks.acquire``), so no crawl of the board is writing meanwhile.

``prune_blobs`` then deletes, in its own transaction, the blobs that no version refers to:
their files in the blob store and their rows. The blob store is shared by every board and a
crawl may be about to reuse a file it found stored, so it runs only while no crawl holds a
board lock: it raises ``CrawlsRunning`` otherwise. On PostgreSQL the lock table is locked for
the transaction (no crawl can take a lock meanwhile); SQLite's write lock, taken first, does
the same. Files are deleted before the rows: a failure in between leaves rows of files that
are gone, which nothing refers to, and a later crawl that downloads the same bytes writes the
file again (``BlobStore.put``).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import delete, exists, false, func, select, text, update
from sqlalchemy.orm import Session

from archive.blobs import BlobStore
from archive.models import Blob, Board, BoardLock, CrawlRun, Post, PostVersion, VersionFile

CHUNK = 500  # blob rows deleted per statement (SQLite caps a statement's parameters)


class CrawlsRunning(Exception):
    """Crawls hold board locks: unused files are not deleted while they run."""


@dataclass(frozen=True, slots=True)
class Removed:
    """What a board's removal took out of the archive."""

    posts: int
    versions: int
    runs: int


def board_size(s: Session, board_id: int) -> Removed:
    """How many posts, versions and runs a board has in the archive."""
    posts = s.scalar(select(func.count()).select_from(Post).where(Post.board_id == board_id))
    versions = s.scalar(
        select(func.count())
        .select_from(PostVersion)
        .join(Post, Post.id == PostVersion.post_id)
        .where(Post.board_id == board_id)
    )
    runs = s.scalar(select(func.count()).select_from(CrawlRun).where(CrawlRun.board_id == board_id))
    return Removed(posts or 0, versions or 0, runs or 0)


def remove_board(s: Session, board_id: int) -> None:
    """Delete the board and everything archived of it (see the module's notes)."""
    s.execute(delete(Board).where(Board.id == board_id))


def prune_blobs(s: Session, store: BlobStore) -> tuple[int, int]:
    """Delete the blobs no version refers to (files and rows); returns how many and their
    bytes. Raises ``CrawlsRunning`` while any board lock is held."""
    if s.get_bind().dialect.name == "postgresql":
        s.execute(text("LOCK TABLE board_locks IN EXCLUSIVE MODE"))
    else:  # a write takes SQLite's write lock: no crawl can take a lock until this ends
        s.execute(update(BoardLock).where(false()).values(owner=BoardLock.owner))
    held = s.scalars(select(BoardLock.owner)).all()
    if held:
        raise CrawlsRunning(
            f"{len(held)} crawl(s) running ({', '.join(held[:3])}): unused files are kept; "
            "run it again when no crawl runs"
        )
    unused = s.execute(
        select(Blob.sha256, Blob.size).where(~exists().where(VersionFile.sha256 == Blob.sha256))
    ).all()
    for sha256, _size in unused:
        store.path(sha256).unlink(missing_ok=True)
    shas = [sha for sha, _ in unused]
    for start in range(0, len(shas), CHUNK):
        s.execute(delete(Blob).where(Blob.sha256.in_(shas[start : start + CHUNK])))
    return len(unused), sum(size for _, size in unused)
