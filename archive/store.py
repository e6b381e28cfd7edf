"""Ingest: identity, canonical hash, a new version or just an observation.

Every function takes a :class:`~sqlalchemy.orm.Session` whose transaction the caller owns::

    with Session(engine) as s, s.begin():
        counts = ingest(s, board_id, run_id, items, fetched_at)

so a batch is written whole or not at all.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, fields
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from archive import items as it
from archive.comments import ingest_comments, load_comments
from archive.config import BoardConfig
from archive.files import (
    StoredFiles,
    add_missing_version_files,
    add_version_files,
    file_entries,
    ingest_files,
)
from archive.models import Board, EventKind, Observation, Post, PostEvent, PostState, PostVersion
from archive.revisit import RevisitPolicy
from archive.versions import Content, attachment_entry, changed_fields, normalise_html


@dataclass(slots=True)
class IngestCounts:
    """What one batch (or a whole run) did to the archive."""

    posts_seen: int = 0
    new_posts: int = 0
    new_versions: int = 0  # first versions of new posts included
    edited: int = 0  # new versions of posts archived before
    unchanged: int = 0
    new_comments: int = 0
    edited_comments: int = 0
    deleted_comments: int = 0
    deleted: int = 0
    restored: int = 0
    secret: int = 0
    files_downloaded: int = 0
    bytes_downloaded: int = 0
    files_skipped: int = 0

    def add(self, other: IngestCounts) -> None:
        for f in fields(self):
            setattr(self, f.name, getattr(self, f.name) + getattr(other, f.name))


def ensure_board(s: Session, cfg: BoardConfig, now: datetime) -> int:
    """The board's id, creating the row on first use (the URL follows the config).

    Two crawls may start on a new board at once: the row is inserted first, doing nothing when
    it exists (PostgreSQL waits for the other transaction's insert; SQLite's write lock is taken
    before anything is read), so neither fails on the unique name.
    """
    insert = pg_insert if s.get_bind().dialect.name == "postgresql" else sqlite_insert
    s.execute(
        insert(Board)
        .values(name=cfg.name, url=cfg.url, engine=cfg.engine, created_at=now)
        .on_conflict_do_nothing(index_elements=[Board.name])
    )
    board = s.scalars(select(Board).where(Board.name == cfg.name)).one()
    if board.url != cfg.url or board.engine != cfg.engine:
        board.url, board.engine = cfg.url, cfg.engine
    return board.id


def known_post_ids(s: Session, board_id: int) -> set[str]:
    """Source ids of the board's posts that are not marked deleted."""
    rows = s.scalars(
        select(Post.source_id).where(Post.board_id == board_id, Post.state != PostState.DELETED)
    )
    return set(rows)


def ingest(
    s: Session,
    board_id: int,
    run_id: int | None,
    outcomes: Sequence[it.ViewOutcome],
    fetched_at: datetime,
    policy: RevisitPolicy | None = None,
) -> IngestCounts:
    """Apply a batch of parsed view outcomes to the archive.

    Every outcome is a check of the post: besides a version (only when the content hash
    changed) or an observation, it updates the post's check history and its next check time,
    and records state changes (deleted, restored, pinned, unpinned, secret on/off) as events.
    """
    policy = policy or RevisitPolicy()
    counts = IngestCounts()
    ids = {o.post_id for o in outcomes}
    existing = {
        p.source_id: p
        for p in s.scalars(select(Post).where(Post.board_id == board_id, Post.source_id.in_(ids)))
    }
    created = _create_new_posts(s, board_id, outcomes, existing, fetched_at)
    with_comments = [
        existing[o.post_id].id
        for o in outcomes
        if isinstance(o, it.Post) and existing[o.post_id].id not in created
    ]
    archived_comments = load_comments(s, with_comments)
    files = StoredFiles(
        s,
        board_id,
        {
            existing[o.post_id].id: {e.key for e in file_entries(o)}
            for o in outcomes
            if isinstance(o, it.Post)
        },
    )
    unchanged: list[tuple[Post, it.Post]] = []
    for outcome in outcomes:
        post = existing.get(outcome.post_id)
        if isinstance(outcome, it.PostNotFound):
            if post is not None and post.state != PostState.DELETED:
                _event(s, post, EventKind.DELETED, run_id, fetched_at)
                post.state = PostState.DELETED
                post.deleted_at = fetched_at
                post.last_checked_at = fetched_at
                counts.deleted += 1
            continue
        assert post is not None  # created above for every Post and SecretPost
        new = post.id in created
        before = (post.state, post.notice)
        counts.posts_seen += 1
        counts.new_posts += new
        post.last_seen_at = fetched_at
        if outcome.notice is not None:
            post.notice = outcome.notice
        if outcome.list_signature is not None:
            post.list_signature = outcome.list_signature
        s.add(
            Observation(
                post_id=post.id,
                run_id=run_id,
                observed_at=fetched_at,
                views=outcome.views,
                comment_count=outcome.comment_count,
            )
        )
        changed = False
        if isinstance(outcome, it.SecretPost):
            counts.secret += 1
            post.state = PostState.SECRET
            post.deleted_at = None
            post.title = outcome.title or post.title
            post.posted_on = outcome.posted_on or post.posted_on
        else:
            changed = _apply_post(s, post, outcome, run_id, fetched_at, counts, files)
            if not changed:
                unchanged.append((post, outcome))
            cc = ingest_comments(
                s, post.id, outcome, archived_comments.setdefault(post.id, {}), run_id, fetched_at
            )
            counts.new_comments += cc.new
            counts.edited_comments += cc.edited
            counts.deleted_comments += cc.deleted
        if not new:
            counts.edited += changed
            counts.restored += _state_events(s, post, before, run_id, fetched_at)
        post.checks += 1
        content_changed = changed and not new
        post.changes += content_changed
        post.unchanged_streak = 0 if content_changed or new else post.unchanged_streak + 1
        post.last_checked_at = fetched_at
        post.next_check_at = policy.next_check(post, fetched_at)
    add_missing_version_files(s, board_id, unchanged)
    return counts


def ingest_batch(
    s: Session,
    board_id: int,
    run_id: int | None,
    items: Sequence[it.ViewOutcome | it.FileOutcome],
    fetched_at: datetime,
    policy: RevisitPolicy | None = None,
) -> IngestCounts:
    """A batch in the order the crawl sent it: view outcomes, then the file outcomes (whose
    files are in the blob store already), linked to the version rows the views made."""
    views = [i for i in items if not isinstance(i, it.FileOutcome)]
    counts = ingest(s, board_id, run_id, views, fetched_at, policy)
    files = ingest_files(
        s, board_id, [i for i in items if isinstance(i, it.FileOutcome)], fetched_at
    )
    counts.files_downloaded += files.downloaded
    counts.bytes_downloaded += files.bytes
    counts.files_skipped += files.skipped
    return counts


def _state_events(
    s: Session,
    post: Post,
    before: tuple[PostState, bool],
    run_id: int | None,
    at: datetime,
) -> int:
    """Record how a known post's state moved; returns 1 if it came back from deletion."""
    state, notice = before
    restored = 0
    if state == PostState.DELETED:
        _event(s, post, EventKind.RESTORED, run_id, at)
        restored = 1
    if state != PostState.SECRET and post.state == PostState.SECRET:
        _event(s, post, EventKind.SECRET_ON, run_id, at)
    if state == PostState.SECRET and post.state == PostState.ACTIVE:
        _event(s, post, EventKind.SECRET_OFF, run_id, at)
    if notice != post.notice:
        _event(s, post, EventKind.PINNED if post.notice else EventKind.UNPINNED, run_id, at)
    return restored


def _event(s: Session, post: Post, kind: EventKind, run_id: int | None, at: datetime) -> None:
    s.add(PostEvent(post_id=post.id, run_id=run_id, at=at, kind=kind))


def _create_new_posts(
    s: Session,
    board_id: int,
    outcomes: Iterable[it.ViewOutcome],
    existing: dict[str, Post],
    now: datetime,
) -> set[int]:
    new: list[Post] = []
    for o in outcomes:
        if isinstance(o, it.PostNotFound) or o.post_id in existing:
            continue
        post = Post(
            board_id=board_id,
            source_id=o.post_id,
            url=o.url,
            title=o.title,
            posted_at=o.posted_at if isinstance(o, it.Post) else None,
            posted_on=o.posted_on if isinstance(o, it.SecretPost) else None,
            notice=bool(o.notice),
            list_signature=o.list_signature,
            state=PostState.SECRET if isinstance(o, it.SecretPost) else PostState.ACTIVE,
            deleted_at=None,
            first_seen_at=now,
            last_seen_at=now,
            current_version=0,
            checks=0,
            changes=0,
            unchanged_streak=0,
        )
        existing[o.post_id] = post
        new.append(post)
    if not new:
        return set()
    s.add_all(new)
    s.flush()
    return {p.id for p in new}


def _apply_post(
    s: Session,
    post: Post,
    item: it.Post,
    run_id: int | None,
    fetched_at: datetime,
    counts: IngestCounts,
    files: StoredFiles,
) -> bool:
    """Store a new version if the content changed; returns whether it did."""
    content = Content.from_post(item)
    digest = content.content_hash()
    post.state = PostState.ACTIVE
    post.deleted_at = None
    post.url = item.url
    if digest == post.current_hash:
        counts.unchanged += 1
        return False
    if post.current_hash == content.legacy_hash():
        # Archived before upload times were part of the content: the same content, hashed the
        # way it is now from here on.
        post.current_hash = digest
        counts.unchanged += 1
        return False
    previous = latest_content(s, post)
    number = post.current_version + 1
    version = PostVersion(
        post_id=post.id,
        number=number,
        fetched_at=fetched_at,
        run_id=run_id,
        content_hash=digest,
        title=content.title,
        author=content.author,
        category=content.category,
        posted_at=content.posted_at,
        body_html=item.body_html,
        body_text=content.body_text,
        attachments=[list(a) for a in content.attachments],
        changed_fields=changed_fields(previous, content),
        raw_page=zlib.compress(item.raw_page, 6) if item.raw_page else None,
        raw_encoding=item.raw_encoding,
        prev_seen_at=post.last_checked_at if post.current_version else None,
    )
    s.add(version)
    entries = file_entries(item)
    if entries:
        add_version_files(s, post.board_id, post.id, version, entries, files.of(post.id))
    post.current_version = number
    post.current_hash = digest
    post.last_changed_at = fetched_at
    post.title = content.title
    post.posted_at = content.posted_at
    counts.new_versions += 1
    return True


def latest_content(s: Session, post: Post) -> Content | None:
    if not post.current_version:
        return None
    version = s.scalar(
        select(PostVersion).where(
            PostVersion.post_id == post.id, PostVersion.number == post.current_version
        )
    )
    return version_content(version) if version else None


def version_content(v: PostVersion) -> Content:
    """The canonical content a stored version was hashed from."""
    return Content(
        title=v.title,
        author=v.author,
        category=v.category,
        posted_at=v.posted_at,
        body_text=v.body_text,
        body_html=normalise_html(v.body_html),
        attachments=tuple(attachment_entry(a) for a in v.attachments),
    )


def raw_page(v: PostVersion) -> bytes | None:
    """The response body a version was parsed from, decompressed."""
    return zlib.decompress(v.raw_page) if v.raw_page else None
