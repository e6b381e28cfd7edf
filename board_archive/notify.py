"""Run digests: what one crawl run found, sent through Apprise to the board's notify URLs.

A digest lists the run's new posts, edited posts (with a short word diff), deleted and restored
posts, and how the run went. A quiet, healthy run sends nothing; a failed, interrupted or
suspect run always does. Sending never raises: a notification failure must not fail a crawl::

    notify_run(cfg, board_cfg, engine, run_id)  # after the run is closed
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import tzinfo
from typing import Literal

import apprise
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from archive.config import BoardConfig, Config
from archive.contents import version_content
from archive.diff import ContentDiff, diff_contents, format_attachment, format_entry_change
from archive.display import ELLIPSIS, Piece, elide, plain_words
from archive.localtime import format_local, zone, zone_label
from archive.models import (
    CrawlRun,
    EventKind,
    Post,
    PostEvent,
    PostVersion,
    RunHealth,
    RunStatus,
)
from archive.queries import NotInArchive

log = logging.getLogger(__name__)

Level = Literal["info", "warning", "failure"]

PREFIX = "[board-archive]"
MAX_ENTRIES = 50  # posts listed per section; the rest are counted
TITLE_DIFF_CHARS = 200  # text shown of a title's word diff
BODY_DIFF_CHARS = 300  # text shown of a body's word diff
SEND_TIMEOUT = 60.0  # seconds one send() may take over all URLs

_SPACE = re.compile(r"\s+")


@dataclass(frozen=True, slots=True)
class Digest:
    """One notification: a one-line title, a plain-text body, and how bad it is."""

    title: str
    body: str
    level: Level = "info"


@dataclass(frozen=True, slots=True)
class _Row:
    source_id: str
    title: str
    url: str
    version_id: int | None = None
    number: int | None = None


_EntryFn = Callable[[_Row], list[str]]


def build_digest(s: Session, run_id: int) -> Digest | None:
    """The digest of one crawl run, or None when there is nothing to say.

    Nothing to say: a run that did not fail, was not interrupted and is not suspect, and that
    found no new, edited, deleted or restored post. Raises ``NotInArchive`` for an unknown run.
    """
    run = s.get(CrawlRun, run_id)
    if run is None:
        raise NotInArchive(f"no crawl run {run_id} in the archive")
    versions = _version_rows(s, run_id)
    new = [r for r in versions if r.number == 1]
    edited = [r for r in versions if r.number != 1]
    events = _event_rows(s, run_id)
    deleted = events.get(EventKind.DELETED, [])
    restored = events.get(EventKind.RESTORED, [])
    trouble = _trouble(run)
    if not (new or edited or deleted or restored or trouble):
        return None

    counts = [
        (len(new), "new"),
        (len(edited), "edited"),
        (len(deleted), "deleted"),
        (len(restored), "restored"),
    ]
    parts = [f"{n} {what}" for n, what in counts if n]
    if trouble:
        parts.append(trouble)
    title = f"{PREFIX} {run.board.name}: {', '.join(parts)}"

    lines = _run_lines(run)
    lines += _section("New posts", new, _plain_entry)
    tz = zone(run.board.timezone)
    lines += _section("Edited posts", edited, lambda r: _edited_entry(s, r, tz))
    lines += _section("Deleted posts", deleted, _plain_entry)
    lines += _section("Restored posts", restored, _plain_entry)
    others = [
        f"{kind.value.replace('_', ' ')} {len(rows)}"
        for kind, rows in events.items()
        if kind not in (EventKind.DELETED, EventKind.RESTORED)
    ]
    if others:
        lines += ["", "Other changes: " + ", ".join(others)]
    return Digest(title=title, body="\n".join(lines), level=_level(run))


def send(digest: Digest, urls: Sequence[str]) -> bool:
    """Send the digest to every Apprise URL; True only if each URL was valid and delivered.

    Invalid URLs are logged (by scheme only, URLs may hold tokens) and skipped. Never raises.
    """
    if not urls:
        return True
    notifier = apprise.Apprise()
    all_valid = True
    for i, url in enumerate(urls, 1):
        if not notifier.add(url):
            all_valid = False
            log.error(
                "notification URL %d of %d (%s) is not a valid Apprise URL; skipped",
                i,
                len(urls),
                _scheme(url),
            )
    if not len(notifier):
        log.error("no valid notification URL; %r not sent", digest.title)
        return False
    try:
        result = notifier.notify(
            body=digest.body,
            title=digest.title,
            notify_type=apprise.NotifyType(digest.level),
            body_format=apprise.NotifyFormat.TEXT,
            timeout=SEND_TIMEOUT,
        )
    except Exception:
        log.exception("sending notification %r failed", digest.title)
        return False
    try:
        for service in result:
            if not service:
                log.warning(
                    "notification %r to %s (%s) not delivered: %s",
                    digest.title,
                    service.name,
                    service.url,
                    service.status.name,
                )
        return all_valid and bool(result)
    finally:
        result.close()


def notify_run(cfg: Config, board: BoardConfig, engine: Engine, run_id: int) -> bool:
    """Send the run's digest to the board's notify URLs.

    True when there was nothing to send (no URLs, or a quiet run) or everything was
    delivered. Never raises: failures are logged and give False.
    """
    urls = cfg.notify_urls(board)
    if not urls:
        return True
    try:
        with Session(engine) as s:
            digest = build_digest(s, run_id)
    except Exception:
        log.exception("board %s: could not build the digest of run %d", board.name, run_id)
        return False
    if digest is None:
        log.info("board %s: run %d was quiet; no notification", board.name, run_id)
        return True
    return send(digest, urls)


def _trouble(run: CrawlRun) -> str | None:
    """What went wrong with the run, for the title; None for a normal run."""
    if run.status in (RunStatus.FAILED, RunStatus.INTERRUPTED):
        return f"run {run.status.value.upper()}"
    if run.health in (RunHealth.FAILED, RunHealth.SUSPECT):
        return f"health {run.health.value.upper()}"
    return None


def _level(run: CrawlRun) -> Level:
    if run.status == RunStatus.FAILED or run.health == RunHealth.FAILED:
        return "failure"
    if run.status == RunStatus.INTERRUPTED or run.health == RunHealth.SUSPECT:
        return "warning"
    return "info"


def _run_lines(run: CrawlRun) -> list[str]:
    """The board and how the run went; its times in the board's zone."""
    board = run.board
    tz = zone(board.timezone)
    when = format_local(run.started_at, tz)
    if run.finished_at is not None:
        when += f" – {format_local(run.finished_at, tz)}"
    health = f", health {run.health.value}" if run.health is not None else ""
    lines = [
        f"Board {board.name}: {board.url}",
        f"Run {run.id} ({run.mode.value}): {run.status.value}{health}, {when} {zone_label(tz)}",
        f"Pages {run.pages}, posts seen {run.posts_seen}, errors {run.errors}",
    ]
    if run.message:
        lines.append(f"Message: {run.message}")
    if run.health_notes:
        lines.append("Health notes:")
        lines += [f"  - {note}" for note in run.health_notes]
    return lines


def _section(heading: str, rows: list[_Row], entry: _EntryFn) -> list[str]:
    if not rows:
        return []
    lines = ["", f"{heading} ({len(rows)}):"]
    for row in rows[:MAX_ENTRIES]:
        lines += entry(row)
    if len(rows) > MAX_ENTRIES:
        lines.append(f"{ELLIPSIS} and {len(rows) - MAX_ENTRIES} more")
    return lines


def _plain_entry(row: _Row) -> list[str]:
    return [f"- [{row.source_id}] {row.title}", f"  {row.url}"]


def _edited_entry(s: Session, row: _Row, tz: tzinfo) -> list[str]:
    lines = [f"- [{row.source_id}] {row.title} (version {row.number})", f"  {row.url}"]
    new = s.get(PostVersion, row.version_id) if row.version_id is not None else None
    if new is None:
        return lines
    old = s.scalar(
        select(PostVersion).where(
            PostVersion.post_id == new.post_id, PostVersion.number == new.number - 1
        )
    )
    if old is None:  # versions are append-only; this is only defensive
        return lines
    diff = diff_contents(version_content(old), version_content(new), tz)
    lines.append(f"  changed: {', '.join(diff.changed) or 'nothing'}")
    lines += [f"  {line}" for line in _short_diff(diff)]
    return lines


def _short_diff(diff: ContentDiff) -> list[str]:
    """One line per changed field: word diffs cut short, other fields old → new."""
    lines = []
    for change in diff.changes:
        name = change.field
        if name == "title":
            lines.append("title: " + _clip(elide(diff.title_words, 60), TITLE_DIFF_CHARS))
        elif name == "body_text":
            lines.append("body: " + _clip(elide(diff.body_words, 60), BODY_DIFF_CHARS))
        elif name == "attachments":
            a = diff.attachments
            items = [f"+ {format_attachment(*e)}" for e in a.added]
            items += [f"- {format_attachment(*e)}" for e in a.removed]
            items += [
                "~ {}: {} → {}".format(o[0], *format_entry_change(o, n)) for o, n in a.replaced
            ]
            lines.append("attachments: " + ("; ".join(items) or "reordered"))
        elif name != "body_html":  # markup changes are named in "changed:" only
            lines.append(f"{name}: {change.old or '(none)'} → {change.new or '(none)'}")
    return lines


def _clip(pieces: Iterable[Piece], limit: int) -> str:
    """Word-diff pieces on one line with ``[-…-]{+…+}`` markers, at most ``limit`` chars of
    text (markers not counted), no piece more than half of it, so a text replaced whole shows
    both sides; a cut piece keeps its closing marker."""
    out: list[Piece] = []
    used = 0
    for op, text in pieces:
        text = _SPACE.sub(" ", text)
        if len(text) > limit // 2:
            text = text[: limit // 2] + ELLIPSIS
        if used + len(text) > limit:
            out.append((op, text[: max(limit - used, 0)] + ELLIPSIS))
            break
        out.append((op, text))
        used += len(text)
    return plain_words(out).strip()


def _version_rows(s: Session, run_id: int) -> list[_Row]:
    """The versions the run stored (only the columns listed), newest post id first."""
    rows = s.execute(
        select(Post.source_id, PostVersion.title, Post.url, PostVersion.id, PostVersion.number)
        .join(Post, Post.id == PostVersion.post_id)
        .where(PostVersion.run_id == run_id)
        .order_by(func.length(Post.source_id).desc(), Post.source_id.desc())
    )
    return [_Row(*row) for row in rows]


def _event_rows(s: Session, run_id: int) -> dict[EventKind, list[_Row]]:
    rows = s.execute(
        select(PostEvent.kind, Post.source_id, Post.title, Post.url)
        .join(Post, Post.id == PostEvent.post_id)
        .where(PostEvent.run_id == run_id)
        .order_by(func.length(Post.source_id).desc(), Post.source_id.desc(), PostEvent.id)
    )
    events: dict[EventKind, list[_Row]] = {}
    for kind, source_id, title, url in rows:
        events.setdefault(EventKind(kind), []).append(_Row(source_id, title or "(no title)", url))
    return events


def _scheme(url: str) -> str:
    scheme, sep, _ = url.partition("://")
    return f"{scheme}://…" if sep else "no scheme"
