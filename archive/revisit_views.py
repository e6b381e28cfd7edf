"""A run's view-count signal: the list rows' views read against the plan's history
(``archive.revisit_signals``), and stored back when the run closes.

While an incremental run walks the list, the spider keeps each row's view count. After the
walk, ``evaluate`` pools the board's reader curve from those rows and finds the rows whose
views jumped; ``merge_checks`` puts them among the policy's picks. When the run closes,
``record`` stores each walked row's count in its post's view history (the crawler's fetch of a
post counted as its own view, which the board counts too) and teaches the board's
``SignalModel`` what the checks of evaluated rows found (a new version this run or none).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from archive.models import Board, Post, PostVersion
from archive.revisit import CrawlPlan
from archive.revisit_signals import (
    DAY,
    AgeCurve,
    extra_list_pages,
    jump,
    merge_checks,
    pooled,
    seen_again,
)

CHUNK = 5000  # post ids per query
ALPHA = 0.01  # a row jumped when readers alone gain as many views with less than this chance


@dataclass(slots=True)
class SignalRun:
    """What a run's list walk told: rows' views, the reader curve, the jumps (post id -> p)."""

    rows: dict[str, int] = field(default_factory=dict)
    curve: AgeCurve = field(default_factory=AgeCurve)
    jumps: dict[str, float] = field(default_factory=dict)
    evaluated: set[str] = field(default_factory=set)


def evaluate(plan: CrawlPlan, rows: Mapping[str, int], now: datetime) -> SignalRun:
    """The rows' jumps against the posts' view histories."""
    run = SignalRun(rows=dict(rows))
    now_days = now.timestamp() / DAY
    known = [
        (key, k, views)
        for key, views in rows.items()
        if (k := plan.known.get(key)) is not None and k.views is not None
    ]
    run.curve = pooled(
        (k.views, views, now_days, now_days - k.posted_days)
        for _key, k, views in known
        if k.views is not None
    )
    for key, k, views in known:
        assert k.views is not None
        run.evaluated.add(key)
        j = jump(k.views, views, now_days, now_days - k.posted_days, run.curve)
        if j is not None and j.p < ALPHA:
            run.jumps[key] = j.p
    return run


def moved(plan: CrawlPlan, rows: Mapping[str, int]) -> bool:
    """Whether a row shows views a reader made since it was last seen (none: a quiet night)."""
    for key, views in rows.items():
        k = plan.known.get(key)
        if k is not None and k.views is not None and views > k.views.views + k.views.own:
            return True
    return False


def extra_pages(plan: CrawlPlan, pages_left: int) -> int:
    """List pages the run may walk beyond its own for their rows' views (0: the signal is
    proved useless on this board)."""
    if plan.signal.worth() is None:
        return 0
    scheduled = sum(1 for _key, due, _value in plan.picks if due)
    return extra_list_pages(plan.budget, pages_left, scheduled, jumps=30)


def rechecks(plan: CrawlPlan, run: SignalRun, room: int) -> list[str]:
    """The policy's picks and the jumped rows, best first, at most ``room``."""
    jumps = run.jumps if plan.signal.worth() is not None else {}
    return merge_checks(plan.picks, jumps, plan.signal, room)


def record(
    s: Session,
    board_id: int,
    run_id: int,
    now: datetime,
    plan: CrawlPlan,
    run: SignalRun,
    fetched: set[str],
) -> None:
    """The walked rows' counts into their posts' view histories, the fetched posts' own views,
    and what the checks of evaluated rows found into the board's model."""
    keys = set(run.rows) | fetched
    if not keys:
        return
    ordered = sorted(keys)
    posts: dict[str, Post] = {}
    for i in range(0, len(ordered), CHUNK):  # a database's limit on bound parameters
        chunk = ordered[i : i + CHUNK]
        query = select(Post).where(Post.board_id == board_id, Post.source_id.in_(chunk))
        posts.update((p.source_id, p) for p in s.scalars(query))
    now_days = now.timestamp() / DAY
    for key, post in posts.items():
        views = run.rows.get(key)
        own = 1 if key in fetched else 0
        if views is None:  # fetched, not on the walked pages: one more of our own views
            post.views_own += own
            continue
        k = plan.known.get(key)
        if k is None or k.views is None:
            post.views_seen, post.views_seen_at, post.views_own = views, now, own
            continue
        h = seen_again(k.views, views, now_days, now_days - k.posted_days, run.curve)
        post.views_seen, post.views_seen_at, post.views_own = views, now, own
        post.reader_views, post.expected_views = h.seen_views, h.expected_views
    changed = set(
        s.scalars(
            select(Post.source_id)
            .join(PostVersion, PostVersion.post_id == Post.id)
            .where(Post.board_id == board_id, PostVersion.run_id == run_id, PostVersion.number > 1)
        )
    )
    model = plan.signal
    for key in run.evaluated & fetched:
        k = plan.known[key]
        model.add(run.jumps.get(key), key in changed, background=k.background)
    board = s.get(Board, board_id)
    if board is not None:
        board.view_signal = model.dump()
