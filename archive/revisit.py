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
- A post that changed is checked sooner: edits come in bursts (a grant call amended, then its
  deadline extended), so it is checked every run for ``burst`` after the change, then from
  ``min_interval`` again (whatever its age), growing with each check that found nothing, as
  Heritrix's adaptive revisiting does; and never at more than ``rate_share`` of the post's
  expected time between changes.
- When more posts are due than the budget allows, the ones most likely to have changed since
  their last check (``1 - exp(-λ·t)``, with an age-based prior for λ) go first.
- What the due checks leave of the budget goes to the posts unchecked for longest, once that is
  over ``explore_after``: this is how an old post that started changing is found at all (its
  scheduled check may be months away), and how the estimate learns its rate. Right after a full
  crawl no post qualifies, so a quiet night stays cheap.

A post's age counts from ``posted_at`` (its view page), else ``posted_on`` (its list row's day,
the only date of a secret post: from its midnight in the board's zone), else from when it was
first seen.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, tzinfo
from typing import Any, Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session

from archive.files import IMAGE_PREFIX, stored_file_keys
from archive.items import ListRow
from archive.localtime import DEFAULT_TIMEZONE, DEFAULT_ZONE, start_of_day, zone
from archive.models import Board, Post, PostState
from archive.revisit_signals import SignalModel, ViewHistory

DAY = 86400.0


class CheckHistory(Protocol):
    """What the policy reads of a post (a Post, or a row of those columns)."""

    @property
    def posted_at(self) -> datetime | None: ...
    @property
    def posted_on(self) -> date | None: ...
    @property
    def first_seen_at(self) -> datetime: ...
    @property
    def last_checked_at(self) -> datetime | None: ...
    @property
    def last_changed_at(self) -> datetime | None: ...  # the fetch that stored the newest version
    @property
    def checks(self) -> int: ...
    @property
    def changes(self) -> int: ...
    @property
    def unchanged_streak(self) -> int: ...


class Scheduled(CheckHistory, Protocol):
    """A post as the plan reads it: its check history and when it is next due."""

    @property
    def next_check_at(self) -> datetime | None: ...


def posted(post: CheckHistory, tz: tzinfo = DEFAULT_ZONE) -> datetime:
    """When the post was posted, as well as it is known (see the module's docstring); ``tz`` is
    the board's zone, the day of its list rows' dates."""
    if post.posted_at is not None:
        return post.posted_at
    if post.posted_on is not None:
        return start_of_day(post.posted_on, tz)
    return post.first_seen_at


@dataclass(frozen=True, slots=True)
class RevisitPolicy:
    young_age: timedelta = timedelta(days=7)
    min_interval: timedelta = timedelta(hours=20)  # "every night", with slack for jitter
    max_interval: timedelta = timedelta(days=90)
    age_factor: float = 0.1  # an old post's base interval is this share of its age
    growth: float = (
        0.25  # the interval grows by this share of its base with each check that found nothing
    )
    prior_rate: float = 0.5  # edits per day expected of a post on its first day; decays with age
    rate_share: float = 0.25  # of the expected time between changes, at most, between checks
    burst: timedelta = timedelta(days=14)  # checked every run for this long after a change
    explore_after: timedelta = timedelta(days=3)  # unchecked this long: leftover budget's pick
    timezone: tzinfo = DEFAULT_ZONE  # the board's: a list row's date is a day in it

    @classmethod
    def with_days(
        cls, days: Mapping[str, float], timezone: str = DEFAULT_TIMEZONE
    ) -> RevisitPolicy:
        """The policy with a board's ``[revisit]`` periods (``young``, ``burst``,
        ``explore_after``, ``max_interval``: days) and its time zone; the defaults for the
        others."""
        base = cls()

        def period(key: str, default: timedelta) -> timedelta:
            return timedelta(days=days[key]) if key in days else default

        return cls(
            young_age=period("young", base.young_age),
            burst=period("burst", base.burst),
            explore_after=period("explore_after", base.explore_after),
            max_interval=period("max_interval", base.max_interval),
            timezone=zone(timezone),
        )

    def interval(
        self,
        *,
        age: timedelta,
        unchanged_streak: int,
        rate: float | None,
        since_change: timedelta | None = None,
    ) -> timedelta:
        """How long until the next check of a post, from its age and its history of checks
        (``since_change``: how long ago a check last found new content, if one ever did)."""
        if age < self.young_age or (since_change is not None and since_change < self.burst):
            return self.min_interval  # new, or changed lately: edits come in bursts
        if since_change is not None:
            seconds = self.min_interval.total_seconds()
        else:
            seconds = max(age.total_seconds() * self.age_factor, self.min_interval.total_seconds())
        seconds *= 1.0 + self.growth * min(unchanged_streak, 100)
        if rate is not None and rate > 0:
            seconds = min(seconds, self.rate_share * DAY / rate)
        bounded = min(
            max(seconds, self.min_interval.total_seconds()), self.max_interval.total_seconds()
        )
        return timedelta(seconds=bounded)

    def next_check(self, post: CheckHistory, now: datetime) -> datetime:
        changed = post.changes > 0 and post.last_changed_at is not None
        return now + self.interval(
            age=now - posted(post, self.timezone),
            unchanged_streak=post.unchanged_streak,
            rate=estimated_rate(post),
            since_change=now - post.last_changed_at if changed and post.last_changed_at else None,
        )

    def value(self, post: CheckHistory, now: datetime) -> float:
        """Probability that the post changed since its last check (the budget's sort key)."""
        since = (now - (post.last_checked_at or post.first_seen_at)).total_seconds() / DAY
        age_days = max((now - posted(post, self.timezone)).total_seconds() / DAY, 0.0)
        rate = estimated_rate(post)
        prior = self.prior_rate / (1.0 + age_days)
        lam = max(rate if rate is not None else 0.0, prior)
        return 1.0 - math.exp(-lam * max(since, 0.0))

    def pick(self, posts: Iterable[tuple[str, Scheduled]], now: datetime, budget: int) -> list[str]:
        """The re-checks to make now, at most ``budget``: the due posts most likely to have
        changed first, then the posts unchecked for longest (over ``explore_after``); ties go to
        the higher post id (the newer post)."""
        return [key for key, _scheduled, _value in self.pick_scored(posts, now, budget)]

    def pick_scored(
        self, posts: Iterable[tuple[str, Scheduled]], now: datetime, budget: int
    ) -> list[tuple[str, bool, float]]:
        """``pick``'s choice, each with whether its next check has passed (else: exploration)
        and its ``value``."""
        due: list[tuple[float, str]] = []
        stale: list[tuple[datetime, str]] = []
        horizon = now - self.explore_after
        for key, post in posts:
            if post.next_check_at is None or post.next_check_at <= now:
                due.append((self.value(post, now), key))
            elif (last := post.last_checked_at or post.first_seen_at) <= horizon:
                stale.append((last, key))
        due.sort(reverse=True)
        chosen = [(key, True, value) for value, key in due[:budget]]
        if len(chosen) < budget and stale:
            stale.sort(key=lambda t: (t[0], _descending(t[1])))
            chosen += [(key, False, 0.0) for _last, key in stale[: budget - len(chosen)]]
        return chosen


def _descending(key: str) -> tuple[int, int | str]:
    """Sort key putting higher numeric ids first (then any other ids)."""
    return (0, -int(key)) if key.isdigit() else (1, key)


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
    posted_at: datetime | None = None  # as archived (a view showing less keeps it)
    # the view counts its list row showed (archive.revisit_signals), when posted (days since
    # the epoch), and whether it is background: neither young nor changed lately
    views: ViewHistory | None = None
    posted_days: float = 0.0
    background: bool = False


@dataclass(slots=True)
class CrawlPlan:
    """What an incremental run needs to know before it starts."""

    known: dict[str, KnownPost] = field(default_factory=dict)  # not-deleted posts
    due: list[str] = field(default_factory=list)  # re-checks picked by the policy, best first
    # the same with whether each one's next check has passed, and its value (RevisitPolicy)
    picks: list[tuple[str, bool, float]] = field(default_factory=list)
    budget: int = 0
    signal: SignalModel = field(default_factory=SignalModel)  # what the board's jumps found
    # keys of the file entries (archive.files) whose file is stored: attachments per post id;
    # body images are shared by the board, so their keys are in stored_images alone
    stored_files: dict[str, frozenset[str]] = field(default_factory=dict)
    stored_images: frozenset[str] = frozenset()
    # the body container an earlier run found by comparing view pages (``Board.body_selector``)
    body_selector: str | None = None
    # when the last clean run (succeeded, no page failed) started: it listed every post there was,
    # so a post newer than every archived one was posted after it (``crawler.pages.posted``)
    listed_at: datetime | None = None

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
    columns = (
        Post.source_id,
        Post.list_signature,
        Post.notice,
        Post.state,
        Post.next_check_at,
        Post.posted_at,
        Post.posted_on,
        Post.first_seen_at,
        Post.last_checked_at,
        Post.last_changed_at,
        Post.checks,
        Post.changes,
        Post.unchanged_streak,
        Post.views_seen,
        Post.views_seen_at,
        Post.views_own,
        Post.reader_views,
        Post.expected_views,
    )
    rows = s.execute(  # a stream: on a 100,000-post board the rows would take ~60 MB at once
        select(*columns)
        .where(Post.board_id == board_id, Post.state != PostState.DELETED)
        .execution_options(yield_per=5000)
    )

    def known() -> Iterator[tuple[str, Any]]:
        for post in rows:
            views = None
            if post.views_seen is not None and post.views_seen_at is not None:
                views = ViewHistory(
                    post.views_seen,
                    post.views_seen_at.timestamp() / DAY,
                    post.reader_views,
                    post.expected_views,
                    post.views_own,
                )
            born = posted(post, policy.timezone)
            lately = post.changes > 0 and post.last_changed_at is not None
            lately = lately and now - post.last_changed_at < policy.burst
            plan.known[post.source_id] = KnownPost(
                post.list_signature,
                post.notice,
                post.state == PostState.SECRET,
                post.posted_at,
                views=views,
                posted_days=born.timestamp() / DAY,
                background=now - born >= policy.young_age and not lately,
            )
            yield post.source_id, post

    plan.picks = policy.pick_scored(known(), now, budget)
    plan.due = [key for key, _scheduled, _value in plan.picks]
    plan.budget = budget
    stored = s.scalar(select(Board.view_signal).where(Board.id == board_id))
    plan.signal = SignalModel.load(stored)
    plan.stored_files, plan.stored_images = stored_file_keys(s, board_id)
    plan.body_selector = s.scalar(select(Board.body_selector).where(Board.id == board_id))
    return plan


def row_signature(row: ListRow) -> str:
    """What the list row shows that can reveal an edit: title, comments, attachment, secret."""
    parts = (row.title, str(row.comment_count), str(row.has_attachment), str(row.secret))
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:32]
