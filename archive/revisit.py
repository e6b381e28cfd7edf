"""The revisit policy: which archived posts to re-check, and when.

GnuBoard changes no date and nothing on the list page when a post is edited, so silent edits are
only found by fetching the view page again. Fetching every post every night costs the board a
full crawl; never fetching misses every edit. The policy spends a per-run budget where edits are
likely:

- Young posts (younger than ``young_age``) are checked every run: most edits come in the first
  days after posting.
- Older posts are checked at an interval that grows with the post's age and with each check that
  found nothing (``growth`` per unchanged check), up to ``max_interval``.
- Each post's change rate is estimated from its own checks, with the estimator of Cho and
  Garcia-Molina ("Estimating frequency of change", 2003) for a Poisson process observed at
  intervals: with ``n`` checks of which ``x`` found a change, over a mean interval ``I``,
  ``λ = -ln((n - x + 0.5) / (n + 0.5)) / I``. A post that changed is checked again sooner: the
  interval never exceeds half its expected time between changes.
- When more posts are due than the budget allows, the ones most likely to have changed since
  their last check (``1 - exp(-λ·t)``, with an age-based prior for λ) go first.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session

from archive.files import IMAGE_PREFIX, stored_file_keys
from archive.items import ListRow
from archive.models import Post, PostState

DAY = 86400.0


class CheckHistory(Protocol):
    """What the policy reads of a post (a Post, or a row of those columns)."""

    @property
    def posted_at(self) -> datetime | None: ...
    @property
    def first_seen_at(self) -> datetime: ...
    @property
    def last_checked_at(self) -> datetime | None: ...
    @property
    def checks(self) -> int: ...
    @property
    def changes(self) -> int: ...
    @property
    def unchanged_streak(self) -> int: ...


@dataclass(frozen=True, slots=True)
class RevisitPolicy:
    young_age: timedelta = timedelta(days=7)
    min_interval: timedelta = timedelta(hours=20)  # "every night", with slack for jitter
    max_interval: timedelta = timedelta(days=90)
    age_factor: float = 0.1  # an old post's base interval is this share of its age
    growth: float = 1.5  # the interval grows this much with each check that found nothing
    prior_rate: float = 0.5  # edits per day expected of a post on its first day; decays with age

    def interval(self, *, age: timedelta, unchanged_streak: int, rate: float | None) -> timedelta:
        """How long until the next check of a post, from its age and its history of checks."""
        if age < self.young_age:
            return self.min_interval
        seconds = max(age.total_seconds() * self.age_factor, self.min_interval.total_seconds())
        seconds *= self.growth ** min(unchanged_streak, 30)
        if rate is not None and rate > 0:
            seconds = min(seconds, 0.5 * DAY / rate)
        bounded = min(
            max(seconds, self.min_interval.total_seconds()), self.max_interval.total_seconds()
        )
        return timedelta(seconds=bounded)

    def next_check(self, post: CheckHistory, now: datetime) -> datetime:
        return now + self.interval(
            age=now - (post.posted_at or post.first_seen_at),
            unchanged_streak=post.unchanged_streak,
            rate=estimated_rate(post),
        )

    def value(self, post: CheckHistory, now: datetime) -> float:
        """Probability that the post changed since its last check (the budget's sort key)."""
        since = (now - (post.last_checked_at or post.first_seen_at)).total_seconds() / DAY
        age_days = max((now - (post.posted_at or post.first_seen_at)).total_seconds() / DAY, 0.0)
        rate = estimated_rate(post)
        prior = self.prior_rate / (1.0 + age_days)
        lam = max(rate if rate is not None else 0.0, prior)
        return 1.0 - math.exp(-lam * max(since, 0.0))


def estimated_rate(post: CheckHistory) -> float | None:
    """Changes per day from the post's own checks (Cho & Garcia-Molina); None before 2 checks."""
    n, x = post.checks, post.changes
    if n < 2 or post.last_checked_at is None:
        return None
    span = (post.last_checked_at - post.first_seen_at).total_seconds() / DAY
    if span <= 0:
        return None
    mean_interval = span / (n - 1)
    x = min(x, n)
    return -math.log((n - x + 0.5) / (n + 0.5)) / mean_interval


@dataclass(frozen=True, slots=True)
class KnownPost:
    signature: str | None  # of its list row when last fetched
    notice: bool
    secret: bool


@dataclass(slots=True)
class CrawlPlan:
    """What an incremental run needs to know before it starts."""

    known: dict[str, KnownPost] = field(default_factory=dict)  # not-deleted posts
    due: list[str] = field(default_factory=list)  # re-checks picked by the policy, best first
    # keys of the file entries (archive.files) whose file is stored, per post id; body images
    # are shared by the board, so their keys are also in stored_images
    stored_files: dict[str, frozenset[str]] = field(default_factory=dict)
    stored_images: frozenset[str] = frozenset()

    def file_stored(self, post_id: str, key: str) -> bool:
        if key.startswith(IMAGE_PREFIX):
            return key in self.stored_images
        return key in self.stored_files.get(post_id, ())

    @property
    def newest_known(self) -> int | None:
        ids = [int(k) for k in self.known if k.isdigit()]
        return max(ids) if ids else None


def make_plan(
    s: Session, board_id: int, now: datetime, budget: int, policy: RevisitPolicy | None = None
) -> CrawlPlan:
    """Known posts and the re-checks due now, best first, at most ``budget``."""
    policy = policy or RevisitPolicy()
    plan = CrawlPlan()
    due: list[tuple[float, str]] = []
    columns = (
        Post.source_id,
        Post.list_signature,
        Post.notice,
        Post.state,
        Post.next_check_at,
        Post.posted_at,
        Post.first_seen_at,
        Post.last_checked_at,
        Post.checks,
        Post.changes,
        Post.unchanged_streak,
    )
    rows = s.execute(
        select(*columns).where(Post.board_id == board_id, Post.state != PostState.DELETED)
    )
    for post in rows:
        plan.known[post.source_id] = KnownPost(
            post.list_signature, post.notice, post.state == PostState.SECRET
        )
        if post.next_check_at is None or post.next_check_at <= now:
            due.append((policy.value(post, now), post.source_id))
    due.sort(reverse=True)
    plan.due = [source_id for _value, source_id in due[:budget]]
    plan.stored_files = stored_file_keys(s, board_id)
    plan.stored_images = frozenset(
        k for keys in plan.stored_files.values() for k in keys if k.startswith(IMAGE_PREFIX)
    )
    return plan


def row_signature(row: ListRow) -> str:
    """What the list row shows that can reveal an edit: title, comments, attachment, secret."""
    parts = (row.title, str(row.comment_count), str(row.has_attachment), str(row.secret))
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:32]
