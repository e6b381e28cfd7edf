"""Attachments and body images of versions: their entries, rows, and the files linked to them.

An *entry* is a file as the view page shows it. An attachment's entry is (position, name, size
as shown, upload time as shown): a re-upload shows a new upload time, so an entry that is the
same is the same file and is never downloaded again (downloads raise the board's counter). A
body image's entry is its URL (editor uploads get a new name each time), shared by every post
of the board that shows it.

Each version gets a ``version_files`` row per entry when it is stored. A row reuses the file of
an earlier row of the same entry (same post for attachments, same board for images) or waits
(``pending``) for its download, which arrives later as a ``FileOutcome`` and is linked to every
row of that entry still without a file. The spider is told which entries are stored already
(``stored_file_keys``, in the crawl plan) and downloads only the others.

Functions that write take a session whose transaction the caller owns.
"""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import unquote, urlsplit

from sqlalchemy import case, func, or_, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from archive import items as it
from archive.models import Blob, FileKind, FileStatus, Post, PostVersion, VersionFile
from archive.versions import normalise_text

ATTACHMENT_PREFIX, IMAGE_PREFIX = "a:", "i:"


@dataclass(frozen=True, slots=True)
class FileEntry:
    kind: FileKind
    position: int
    name: str  # as shown (attachments) or the last part of the URL (images)
    url: str | None
    size_text: str | None = None
    uploaded_at: str | None = None

    @property
    def key(self) -> str:
        return entry_key(self)


@dataclass(slots=True)
class FileCounts:
    downloaded: int = 0  # downloads that returned the file
    bytes: int = 0  # their size
    skipped: int = 0


def entry_key(e: FileEntry) -> str:
    """What identifies an entry: ``a:…`` (position, name, size, upload time) or ``i:…`` (URL)."""
    if e.kind == FileKind.IMAGE:  # the URL, whatever the scheme (a board moving to https)
        return IMAGE_PREFIX + _digest((e.url or "").split(":", 1)[-1])
    parts = (str(e.position), e.name, e.size_text or "", e.uploaded_at or "")
    return ATTACHMENT_PREFIX + _digest(*parts)


def _digest(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:32]


def file_entries(post: it.Post) -> list[FileEntry]:
    """The post's attachments, then its body images, as entries (normalised as in versions)."""
    entries = [
        FileEntry(
            FileKind.ATTACHMENT,
            i,
            normalise_text(a.name),
            a.url,
            normalise_text(a.size_text) or None,
            normalise_text(a.uploaded_at) or None,
        )
        for i, a in enumerate(post.attachments)
    ]
    entries += [
        FileEntry(FileKind.IMAGE, i, image_name(url), url) for i, url in enumerate(post.images)
    ]
    return entries


def image_name(url: str) -> str:
    """The file name an image URL ends with (decoded), or the URL when it ends with none."""
    last = unquote(urlsplit(url).path.rsplit("/", 1)[-1])
    name = "".join("\ufffd" if unicodedata.category(c) == "Cc" else c for c in last).strip()
    return name or url


# ---- writing -------------------------------------------------------------------------------


def add_version_files(
    s: Session,
    board_id: int,
    post_id: int,
    version: PostVersion,
    entries: Sequence[FileEntry],
    stored: Mapping[str, VersionFile] | None = None,
) -> None:
    """Rows for a version's entries; an entry stored before reuses that file, no download.
    ``stored``: the post's stored rows by key, when the caller read them (``StoredFiles``)."""
    if not entries:
        return
    if stored is None:
        stored = stored_rows(s, board_id, {post_id: {e.key for e in entries}}).get(post_id, {})
    for e in entries:
        prev = stored.get(e.key)
        s.add(
            VersionFile(
                version=version,
                kind=e.kind,
                position=e.position,
                entry_key=e.key,
                name=prev.name if prev is not None else e.name,
                url=e.url,
                size_text=e.size_text,
                uploaded_at=e.uploaded_at,
                sha256=prev.sha256 if prev is not None else None,
                status=FileStatus.STORED if prev is not None else FileStatus.PENDING,
                fetched_at=prev.fetched_at if prev is not None else None,
            )
        )


def add_missing_version_files(
    s: Session, board_id: int, shown: Iterable[tuple[Post, it.Post]]
) -> None:
    """Rows for current versions that have none while their page shows files: versions stored
    before files were archived (their content is the same, so are their entries)."""
    wanted = {p.id: (p, item) for p, item in shown if p.current_version and file_entries(item)}
    if not wanted:
        return
    versions = {
        v.post_id: v
        for v in s.scalars(
            select(PostVersion)
            .join(Post, Post.id == PostVersion.post_id)
            .where(PostVersion.post_id.in_(wanted), PostVersion.number == Post.current_version)
        )
    }
    with_rows = set(
        s.scalars(
            select(VersionFile.version_id)
            .where(VersionFile.version_id.in_([v.id for v in versions.values()]))
            .distinct()
        )
    )
    for post_id, version in versions.items():
        if version.id not in with_rows:
            add_version_files(s, board_id, post_id, version, file_entries(wanted[post_id][1]))


def ingest_files(
    s: Session, board_id: int, outcomes: Sequence[it.FileOutcome], at: datetime
) -> FileCounts:
    """Link downloaded files (already in the blob store) to the rows of their entries, or
    record why there is no file. A row that has its file keeps it."""
    counts = FileCounts()
    if not outcomes:
        return counts
    waiting = _rows_without_file(s, board_id, {o.key for o in outcomes})
    for o in outcomes:
        status = FileStatus(o.status)
        if status == FileStatus.STORED:
            if o.sha256 is None or o.size is None:
                raise ValueError(f"a stored file of post {o.post_id} without its sha256 and size")
            _ensure_blob(s, o.sha256, o.size, o.content_type, at)
            counts.downloaded += 1
            counts.bytes += o.size
        elif status == FileStatus.SKIPPED:
            counts.skipped += 1
        _link_rows(o, status, waiting.get(o.key, ()), at)
    return counts


def _rows_without_file(
    s: Session, board_id: int, keys: set[str]
) -> dict[str, list[tuple[VersionFile, str]]]:
    """The board's rows of these entries that have no file yet, by key, with their post id."""
    waiting: dict[str, list[tuple[VersionFile, str]]] = {}
    rows = s.execute(
        select(VersionFile, Post.source_id)
        .join(PostVersion, PostVersion.id == VersionFile.version_id)
        .join(Post, Post.id == PostVersion.post_id)
        .where(
            Post.board_id == board_id,
            VersionFile.entry_key.in_(keys),
            VersionFile.sha256.is_(None),
        )
        .order_by(VersionFile.id)
    )
    for row, source_id in rows:
        waiting.setdefault(row.entry_key, []).append((row, source_id))
    return waiting


def _link_rows(
    o: it.FileOutcome,
    status: FileStatus,
    waiting: Iterable[tuple[VersionFile, str]],
    at: datetime,
) -> None:
    """The outcome's file (or why there is none) on the rows of its entry still without one:
    every post's for an image, its own post's for an attachment."""
    image = o.key.startswith(IMAGE_PREFIX)
    for row, source_id in waiting:
        if row.sha256 is not None or not (image or source_id == o.post_id):
            continue  # linked by an earlier outcome of this batch; another post's entry
        row.status = status
        row.reason = o.reason
        row.fetched_at = at
        if status == FileStatus.STORED:
            row.sha256 = o.sha256
            if o.filename and row.kind == FileKind.ATTACHMENT:
                row.name = o.filename


def _ensure_blob(
    s: Session, sha256: str, size: int, content_type: str | None, at: datetime
) -> None:
    values = {"sha256": sha256, "size": size, "content_type": content_type, "stored_at": at}
    if s.get_bind().dialect.name == "postgresql":
        s.execute(pg_insert(Blob).values(values).on_conflict_do_nothing(index_elements=["sha256"]))
    else:
        stmt: Any = sqlite_insert(Blob).values(values)
        s.execute(stmt.on_conflict_do_nothing(index_elements=["sha256"]))


class StoredFiles:
    """The stored rows of a batch's entries (``stored_rows``), read in one query when a new
    version first needs them: a query per version would flush the session each time and, for
    an image every post shows, read all of its rows each time."""

    def __init__(self, s: Session, board_id: int, wanted: dict[int, set[str]]) -> None:
        self.s, self.board_id, self.wanted = s, board_id, wanted
        self._rows: dict[int, dict[str, VersionFile]] | None = None

    def of(self, post_id: int) -> dict[str, VersionFile]:
        if self._rows is None:
            self._rows = stored_rows(self.s, self.board_id, self.wanted)
        return self._rows.get(post_id, {})


def stored_rows(
    s: Session, board_id: int, wanted: Mapping[int, set[str]]
) -> dict[int, dict[str, VersionFile]]:
    """For each post id, the newest stored row of each of its keys: of that post for
    attachments, of the board for images."""
    keys = {k for ks in wanted.values() for k in ks}
    if not keys:
        return {}
    image = VersionFile.entry_key.startswith(IMAGE_PREFIX)
    newest = (
        select(func.max(VersionFile.id))
        .join(PostVersion, PostVersion.id == VersionFile.version_id)
        .join(Post, Post.id == PostVersion.post_id)
        .where(
            Post.board_id == board_id,
            VersionFile.entry_key.in_(keys),
            VersionFile.sha256.is_not(None),
            or_(image, PostVersion.post_id.in_(list(wanted))),
        )
        .group_by(VersionFile.entry_key, case((image, -1), else_=PostVersion.post_id))
    )
    rows = s.execute(
        select(VersionFile, PostVersion.post_id)
        .join(PostVersion, PostVersion.id == VersionFile.version_id)
        .where(VersionFile.id.in_(newest))
    )
    images: dict[str, VersionFile] = {}
    attachments: dict[tuple[int, str], VersionFile] = {}
    for row, owner in rows:
        if row.entry_key.startswith(IMAGE_PREFIX):
            images[row.entry_key] = row
        else:
            attachments[owner, row.entry_key] = row
    found: dict[int, dict[str, VersionFile]] = {}
    for post_id, post_keys in wanted.items():
        for k in post_keys:
            hit = images.get(k) if k.startswith(IMAGE_PREFIX) else attachments.get((post_id, k))
            if hit is not None:
                found.setdefault(post_id, {})[k] = hit
    return found


# ---- reading -------------------------------------------------------------------------------


def stored_file_keys(s: Session, board_id: int) -> tuple[dict[str, frozenset[str]], frozenset[str]]:
    """The keys of the entries whose file is stored: attachments per post id (the board's; only
    posts that have one), and body images (shared by the board: a theme logo in every body is
    one key, not one per post). Read as a stream; each key string is kept once."""
    rows = s.execute(
        select(Post.source_id, VersionFile.entry_key)
        .join(PostVersion, PostVersion.post_id == Post.id)
        .join(VersionFile, VersionFile.version_id == PostVersion.id)
        .where(Post.board_id == board_id, VersionFile.sha256.is_not(None))
        .distinct()
        .execution_options(yield_per=5000)
    )
    attachments: dict[str, set[str]] = {}
    images: set[str] = set()
    for source_id, key in rows:
        if key.startswith(IMAGE_PREFIX):
            images.add(key)
        else:
            attachments.setdefault(source_id, set()).add(key)
    return {k: frozenset(v) for k, v in attachments.items()}, frozenset(images)


def files_of(s: Session, post: Post) -> list[tuple[int, VersionFile]]:
    """Every version's rows (version number, row), by version, kind and position."""
    rows = s.execute(
        select(PostVersion.number, VersionFile)
        .join(VersionFile, VersionFile.version_id == PostVersion.id)
        .where(PostVersion.post_id == post.id)
        .order_by(PostVersion.number, VersionFile.kind, VersionFile.position)
    )
    return [(number, row) for number, row in rows]
