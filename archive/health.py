"""Run health: each run checked against the board's own history.

- failed: the run failed or was interrupted; a run in which most view pages failed to fetch or
  to be read fails (``most_views_failed``), however it ended.
- suspect: page 1 showed far fewer rows than it usually does; a full walk of the list reached
  fewer posts than the board says it has (its ``Total N건``, or the display number of its
  newest row); many view pages failed to fetch or parse; most re-checked posts "changed" at
  once, which is what a changed skin or template looks like (every body renders differently),
  not what editors do; most posts were read without an author or a posted time
  (``unread_fields``); or the body container the engine's pages name (``#bo_v_con``) held little
  of what differs between the view pages compared (``BODY_DOUBTED``: the bodies may be the
  skin's template).
- ok: none of that.
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from archive.models import CrawlRun, RunHealth, RunStatus
from archive.runstats import FAILED_VIEWS, VIEWS, RunStats, Stat

HISTORY = 10  # earlier runs of the board to compare with
MIN_RECHECKED = 5  # re-checks needed before a share of changes means anything
MIN_READ = 5  # posts read before a share of unread fields means anything
NAMED_FAILURES = 5  # failed pages named in a note


def most_views_failed(stats: RunStats) -> str | None:
    """Why the run failed, when more than half of its view pages failed; else None."""
    views, failed = stats.total(VIEWS), stats.total(FAILED_VIEWS)
    if failed and failed > 0.5 * (views + failed):
        return _with_pages(f"{failed} of {views + failed} view pages failed", stats)
    return None


def _with_pages(note: str, stats: RunStats) -> str:
    pages = stats.failed_pages()
    if not pages:
        return note
    more = len(pages) - NAMED_FAILURES
    shown = "; ".join(pages[:NAMED_FAILURES]) + (f"; and {more} more" if more > 0 else "")
    return f"{note}: {shown}"


def assess(s: Session, run: CrawlRun) -> tuple[RunHealth, list[str]]:
    if run.status in (RunStatus.FAILED, RunStatus.INTERRUPTED):
        return RunHealth.FAILED, [run.message or f"run {run.status.value}"]
    notes: list[str] = []
    stats = RunStats.of(run.stats)
    page1 = stats[Stat.PAGE1_ROWS]
    earlier = s.scalars(
        select(CrawlRun.stats)
        .where(
            CrawlRun.board_id == run.board_id,
            CrawlRun.id != run.id,
            CrawlRun.status == RunStatus.SUCCEEDED,
        )
        .order_by(CrawlRun.started_at.desc())
        .limit(HISTORY)
    ).all()
    usual = [n for x in earlier if (n := RunStats.of(x)[Stat.PAGE1_ROWS])]
    if usual and page1 < 0.5 * statistics.median(usual):
        notes.append(f"list page 1 had {page1} rows; it usually has {statistics.median(usual):g}")
    views, failed_views = stats.total(VIEWS), stats.total(FAILED_VIEWS)
    if failed_views and failed_views >= 0.1 * (views + failed_views):
        notes.append(
            _with_pages(
                f"{failed_views} of {views + failed_views} view pages failed to fetch or parse",
                stats,
            )
        )
    claimed, listed = stats[Stat.LIST_CLAIMED], stats[Stat.LISTED_POSTS]
    if listed and claimed > listed:
        notes.append(
            f"the board says it has {claimed} posts; the walk of its list reached {listed}"
        )
    notes += unread_fields(stats, earlier)
    if stats[Stat.BODY_DOUBTED]:
        notes.append(
            "the body container #bo_v_con holds little of what differs between the view pages "
            "compared: the bodies archived may be the skin's template, not the posts "
            "(board-archive probe; set view_body in [boards.NAME.selectors])"
        )
    rechecked = run.posts_seen - run.new_posts
    if rechecked >= MIN_RECHECKED and run.edited_posts > 0.5 * rechecked:
        notes.append(
            f"{run.edited_posts} of {rechecked} re-checked posts changed in one run: "
            "likely a template or skin change, not edits"
        )
    return (RunHealth.SUSPECT if notes else RunHealth.OK), notes


def unread_fields(stats: RunStats, earlier: Sequence[object]) -> list[str]:
    """A field every GnuBoard post has (author, posted time) that most of the run's posts were
    read without: a skin the reader misses, or one that does not show it. Noted on a board's
    first run, and later when the last run that counted it had it on most posts (a skin or
    layout change); a board whose skin never shows it is noted once, not every night."""
    posts = stats[Stat.POSTS]
    if posts < MIN_READ:
        return []
    counted = [RunStats.of(x) for x in earlier if isinstance(x, dict) and _counts_fields(x)]
    counted = [r for r in counted if r[Stat.POSTS] >= MIN_READ]
    notes = []
    for stat, what in ((Stat.POSTS_NO_AUTHOR, "author"), (Stat.POSTS_NO_TIME, "posted time")):
        missing = stats[stat]
        if missing <= 0.5 * posts:
            continue
        if earlier and not counted:  # runs from before this was counted: nothing to go by
            continue
        if counted and counted[0][stat] > 0.5 * counted[0][Stat.POSTS]:
            continue  # as before: the skin does not show it
        notes.append(
            f"the {what} of {missing} of {posts} posts read could not be read: the skin may "
            "not show it, or the reader misses it (board-archive probe shows where each field "
            "is read from; a selector in [boards.NAME.selectors] fixes it)"
        )
    return notes


def _counts_fields(stats: dict[object, object]) -> bool:
    return Stat.POSTS_NO_AUTHOR.key in stats or Stat.POSTS_NO_TIME.key in stats
