"""Ingest: parsed pages applied to the archive, one step at a time.

Each view outcome is a check of a post, in these steps: its identity (the board's post id; a
row created on first sight), an observation (views, comment count, notice flag), the canonical
hash of its content and a new version only when that changed (``archive/versions.py``), rows
for the version's files (``archive/files.py``), its comments (``archive/comments.py``), events
for state changes, and its check history with the next check time from the board's revisit
policy. File outcomes are then linked to the rows of their entries. Reading a stored version
back is ``archive/contents.py``'s.

Every function takes a :class:`~sqlalchemy.orm.Session` whose transaction the caller owns::

    with Session(engine) as s, s.begin():
        counts = ingest_batch(s, board_id, run_id, items, fetched_at, policy)

so a batch is written whole or not at all.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, fields, replace
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from archive import items as it
from archive.comments import ingest_comments, load_comments
from archive.config import BoardConfig
from archive.contents import latest_content
from archive.files import (
    StoredFiles,
    add_missing_version_files,
    add_version_files,
    file_entries,
    ingest_files,
)
from archive.models import (
    Board,
    Comment,
    EventKind,
    Observation,
    Post,
    PostEvent,
    PostState,
    PostVersion,
)
from archive.revisit import RevisitPolicy
from archive.versions import Content, changed_fields, kept_hash


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
    """The board's id, creating the row on first use (URL, engine and zone follow the config;
    a new URL or engine forgets the body container found by comparing the old pages).

    Two crawls may start on a new board at once: the row is inserted first, doing nothing when
    it exists (PostgreSQL waits for the other transaction's insert; SQLite's write lock is taken
    before anything is read), so neither fails on the unique name.
    """
    insert = pg_insert if s.get_bind().dialect.name == "postgresql" else sqlite_insert
    s.execute(
        insert(Board)
        .values(
            name=cfg.name, url=cfg.url, engine=cfg.engine, timezone=cfg.timezone, created_at=now
        )
        .on_conflict_do_nothing(index_elements=[Board.name])
    )
    board = s.scalars(select(Board).where(Board.name == cfg.name)).one()
    if (board.url, board.engine) != (cfg.url, cfg.engine):
        board.body_selector = None  # other pages: their body container is found anew
    if (board.url, board.engine, board.timezone) != (cfg.url, cfg.engine, cfg.timezone):
        board.url, board.engine, board.timezone = cfg.url, cfg.engine, cfg.timezone
    return board.id


def ingest(
    s: Session,
    board_id: int,
    run_id: int | None,
    outcomes: Sequence[it.ViewOutcome],
    fetched_at: datetime,
    policy: RevisitPolicy,
) -> IngestCounts:
    """Apply a batch of parsed view outcomes to the archive.

    Every outcome is a check of the post: besides a version (only when the content hash
    changed) or an observation, it updates the post's check history and its next check time
    (from ``policy``, the board's), and records state changes (deleted, restored, pinned,
    unpinned, secret on/off) as events.
    """
    posts = _archived_posts(s, board_id, outcomes)
    created = _create_new_posts(s, board_id, outcomes, posts, fetched_at)
    shown = [(posts[o.post_id], o) for o in outcomes if isinstance(o, it.Post)]
    batch = _Batch(
        s,
        run_id,
        fetched_at,
        policy,
        created,
        comments=load_comments(s, [p.id for p, _ in shown if p.id not in created]),
        files=StoredFiles(s, board_id, {p.id: {e.key for e in file_entries(o)} for p, o in shown}),
    )
    for outcome in outcomes:
        post = posts.get(outcome.post_id)
        if isinstance(outcome, it.PostNotFound):
            if post is not None:
                _mark_deleted(batch, post)
            continue
        assert post is not None  # created above for every Post and SecretPost
        _check(batch, post, outcome)
    add_missing_version_files(s, board_id, batch.unchanged)
    return batch.counts


def ingest_batch(
    s: Session,
    board_id: int,
    run_id: int | None,
    items: Sequence[it.ViewOutcome | it.FileOutcome],
    fetched_at: datetime,
    policy: RevisitPolicy,
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


@dataclass(slots=True)
class _Batch:
    """One ``ingest`` call: what its steps read, and what they add up."""

    s: Session
    run_id: int | None
    at: datetime  # when the batch's pages were fetched
    policy: RevisitPolicy
    created: set[int]  # ids of the posts this batch created
    comments: dict[int, dict[str, Comment]]  # archived comments of the known posts shown
    files: StoredFiles
    counts: IngestCounts = field(default_factory=IngestCounts)
    unchanged: list[tuple[Post, it.Post]] = field(default_factory=list)  # shown, no new version


# ---- identity ------------------------------------------------------------------------------


def _archived_posts(
    s: Session, board_id: int, outcomes: Iterable[it.ViewOutcome]
) -> dict[str, Post]:
    """The board's archived posts among the outcomes, by the board's post id."""
    ids = {o.post_id for o in outcomes}
    return {
        p.source_id: p
        for p in s.scalars(select(Post).where(Post.board_id == board_id, Post.source_id.in_(ids)))
    }


def _create_new_posts(
    s: Session,
    board_id: int,
    outcomes: Iterable[it.ViewOutcome],
    existing: dict[str, Post],
    now: datetime,
) -> set[int]:
    """Rows for the posts (or secret posts) seen for the first time, added to ``existing``;
    their ids."""
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
            posted_on=o.posted_on,
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


# ---- one check of a post -------------------------------------------------------------------


def _check(b: _Batch, post: Post, outcome: it.Post | it.SecretPost) -> None:
    """A post whose page was fetched: observation, content (or secret), comments, state
    events, check history."""
    new = post.id in b.created
    before = (post.state, post.notice)
    b.counts.posts_seen += 1
    b.counts.new_posts += new
    _observe(b, post, outcome)
    changed = False
    if isinstance(outcome, it.SecretPost):
        _mark_secret(b, post, outcome)
    else:
        changed = _check_content(b, post, outcome)
        _check_comments(b, post, outcome)
    if not new:
        b.counts.edited += changed
        b.counts.restored += _state_events(b, post, before)
    _record_check(b, post, new, changed)


def _observe(b: _Batch, post: Post, outcome: it.Post | it.SecretPost) -> None:
    """What the list row and the page show besides the content: an observation row (views,
    comment count), the notice flag and the list signature."""
    post.last_seen_at = b.at
    if outcome.notice is not None:
        post.notice = outcome.notice
    if outcome.list_signature is not None:
        post.list_signature = outcome.list_signature
    b.s.add(
        Observation(
            post_id=post.id,
            run_id=b.run_id,
            observed_at=b.at,
            views=outcome.views,
            comment_count=outcome.comment_count,
        )
    )


def _mark_secret(b: _Batch, post: Post, outcome: it.SecretPost) -> None:
    """A secret post: its state, and what its list row shows (kept when it shows nothing)."""
    b.counts.secret += 1
    post.state = PostState.SECRET
    post.deleted_at = None
    post.title = outcome.title or post.title
    post.posted_on = outcome.posted_on or post.posted_on


def _mark_deleted(b: _Batch, post: Post) -> None:
    """The board's own not-found answer for an archived post: deleted, unless it is already."""
    if post.state == PostState.DELETED:
        return
    _event(b, post, EventKind.DELETED)
    post.state = PostState.DELETED
    post.deleted_at = b.at
    post.last_checked_at = b.at
    b.counts.deleted += 1


# ---- canonical hash and version ------------------------------------------------------------


def _check_content(b: _Batch, post: Post, item: it.Post) -> bool:
    """A new version if the canonical content's hash changed; returns whether it did."""
    content = Content.from_post(item)
    digest = content.content_hash()
    post.state = PostState.ACTIVE
    post.deleted_at = None
    post.url = item.url
    if _same_content(b.s, post, content, digest):
        b.counts.unchanged += 1
        b.unchanged.append((post, item))
        return False
    _add_version(b, post, item, content, digest)
    b.counts.new_versions += 1
    return True


def _same_content(s: Session, post: Post, content: Content, digest: str) -> bool:
    """Whether ``content`` (hashed ``digest``) is the post's current version's
    (``versions.kept_hash``: hashed the old way, or a posted time read on one side only). An
    author not read this time (every GnuBoard post has one: the reader missed it, or the skin
    hid it) keeps the archived one: no edit."""
    kept = kept_hash(post.current_hash, post.posted_at, content, digest)
    archived = latest_content(s, post) if kept is None and not content.author else None
    if archived is not None and archived.author:
        filled = replace(content, author=archived.author)
        kept = kept_hash(post.current_hash, post.posted_at, filled, filled.content_hash())
    if kept is None:
        return False
    post.current_hash = kept
    post.posted_at = post.posted_at or content.posted_at  # learnt now: no edit
    return True


def _add_version(b: _Batch, post: Post, item: it.Post, content: Content, digest: str) -> None:
    """The post's next version, with rows for its files; the post follows it."""
    previous = latest_content(b.s, post)
    number = post.current_version + 1
    version = PostVersion(
        post_id=post.id,
        number=number,
        fetched_at=b.at,
        run_id=b.run_id,
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
        warc_file=item.warc_record[0] if item.warc_record else None,
        warc_offset=item.warc_record[1] if item.warc_record else None,
        warc_length=item.warc_record[2] if item.warc_record else None,
        prev_seen_at=post.last_checked_at if post.current_version else None,
    )
    b.s.add(version)
    entries = file_entries(item)
    if entries:
        add_version_files(b.s, post.board_id, post.id, version, entries, b.files.of(post.id))
    post.current_version = number
    post.current_hash = digest
    post.last_changed_at = b.at
    post.title = content.title
    post.posted_at = content.posted_at
    post.posted_on = item.posted_on or post.posted_on


# ---- comments, state events, check history -------------------------------------------------


def _check_comments(b: _Batch, post: Post, item: it.Post) -> None:
    """The page's comments (``archive/comments.py``), counted into the batch."""
    archived = b.comments.setdefault(post.id, {})
    cc = ingest_comments(b.s, post.id, item, archived, b.run_id, b.at)
    b.counts.new_comments += cc.new
    b.counts.edited_comments += cc.edited
    b.counts.deleted_comments += cc.deleted


def _state_events(b: _Batch, post: Post, before: tuple[PostState, bool]) -> int:
    """Record how a known post's state moved; returns 1 if it came back from deletion."""
    state, notice = before
    restored = 0
    if state == PostState.DELETED:
        _event(b, post, EventKind.RESTORED)
        restored = 1
    if state != PostState.SECRET and post.state == PostState.SECRET:
        _event(b, post, EventKind.SECRET_ON)
    if state == PostState.SECRET and post.state == PostState.ACTIVE:
        _event(b, post, EventKind.SECRET_OFF)
    if notice != post.notice:
        _event(b, post, EventKind.PINNED if post.notice else EventKind.UNPINNED)
    return restored


def _event(b: _Batch, post: Post, kind: EventKind) -> None:
    b.s.add(PostEvent(post_id=post.id, run_id=b.run_id, at=b.at, kind=kind))


def _record_check(b: _Batch, post: Post, new: bool, changed: bool) -> None:
    """The post's check history, and its next check time from the revisit policy."""
    post.checks += 1
    content_changed = changed and not new
    post.changes += content_changed
    post.unchanged_streak = 0 if content_changed or new else post.unchanged_streak + 1
    post.last_checked_at = b.at
    post.next_check_at = b.policy.next_check(post, b.at)
