"""What the list pages say for free: a post whose view count jumped beyond its own usual rate.

GnuBoard raises ``wr_hit`` on every view of a post (once per session), and an author opens a
post right before editing it. The list rows an incremental run walks carry every post's view
count, so a view that is not a reader's can show on the list at no extra request: an old post
read a few times a month that gained views overnight is worth a check before the exploration
sweep reaches it.

- **The board's reader rate by age** (``AgeCurve``): views per day of the posts of each age
  (buckets of ``log2(1 + age in days)``), pooled over the rows of the run's list walk (the
  increase since each row was last seen, over the time since). Readers' views decay with age;
  pooled over hundreds of posts an edit's one view is noise, so the pool is the readers'.
- **A post's own usual rate** is the board's for its age times the post's own factor,
  estimated from its history as a Gamma–Poisson posterior: with ``v`` reader views seen where the
  board's curve expected ``e``, the factor is Gamma(``shape + v``, ``shape + e``) (mean
  ``(shape + v) / (shape + e)``; ``shape`` is the prior's weight, in views).
- **A jump**: the views gained since the row was last seen, less the crawler's own views
  (``own``: GnuBoard counts the crawler's fetch too), are ``k``; under the post's usual rate they
  follow a negative binomial (the Gamma–Poisson predictive) of mean ``μ``; the row jumped when
  ``P(X >= k) < alpha``.
- **Whether the board's jumps are worth a check** (``SignalModel``) is learnt from its own
  checks, as the change rates are: checks after a jump that found a change vs. not, against
  checks without one. The first ``trials`` jump checks are made to learn; after them a jump is
  worth its observed share of changes if that is at least ``lift`` times the share of the other
  checks, else the board's jumps tell nothing and the policy is today's (``worth`` None).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

DAY = 86400.0


def nb_tail(k: int, mean: float, shape: float) -> float:
    """P(X >= k) for X negative binomial of ``mean`` and ``shape`` (Gamma–Poisson; Poisson as
    ``shape`` grows)."""
    if k <= 0:
        return 1.0
    if mean <= 0:
        return 0.0
    q = mean / (shape + mean)
    p = math.exp(shape * math.log(shape / (shape + mean)))  # P(X = 0)
    below = 0.0
    for x in range(k):
        below += p
        p *= (x + shape) / (x + 1) * q
        if p < 1e-300 and x > mean:
            break
    return max(1.0 - below, p)


def age_bucket(age_days: float) -> int:
    return int(math.log2(1.0 + max(age_days, 0.0)))


@dataclass(slots=True)
class AgeCurve:
    """Reader views per day by age bucket, pooled over many posts."""

    views: dict[int, float] = field(default_factory=dict)
    days: dict[int, float] = field(default_factory=dict)
    min_days: float = 20.0  # post-days a bucket needs before it is trusted

    def add(self, age_days: float, gained: float, days: float) -> None:
        if days <= 0:
            return
        b = age_bucket(age_days)
        self.views[b] = self.views.get(b, 0.0) + max(gained, 0.0)
        self.days[b] = self.days.get(b, 0.0) + days

    def rate(self, age_days: float, without: tuple[float, float] = (0.0, 0.0)) -> float | None:
        """Views per day of a post of this age (the nearest trusted bucket, older ones scaled
        as ``1 / age``), leaving out ``without`` (views, days: the post's own share of its
        bucket, so that a jump does not hide itself); None before any bucket is trusted."""
        b = age_bucket(age_days)
        trusted = [x for x, d in self.days.items() if d >= self.min_days]
        if not trusted:
            return None
        near = min(trusted, key=lambda x: (abs(x - b), -x))
        views, days = self.views[near], self.days[near]
        if near == b:
            views, days = views - min(max(without[0], 0.0), views), days - without[1]
        rate = views / days if days > 0 else 0.0
        if near != b:  # decay of about 1/age between buckets
            rate *= 2.0 ** (near - b)
        return max(rate, 1e-6)


@dataclass(slots=True)
class ViewHistory:
    """A post's views when its row (or page) was last seen, and its reader views so far against
    what the board's curve expected of it."""

    views: int
    at_days: float  # when last seen, in days on any fixed clock
    seen_views: float = 0.0
    expected_views: float = 0.0
    own: int = 0  # crawler's fetches of it since ``views`` was read (each counted by the board)


@dataclass(frozen=True, slots=True)
class Jump:
    gained: int  # views since last seen, less the crawler's own
    mean: float  # expected of readers over that time
    p: float  # P(readers alone gained as many)


def jump(
    h: ViewHistory,
    views: int,
    now_days: float,
    age_days: float,
    curve: AgeCurve,
    *,
    shape: float = 0.2,
) -> Jump | None:
    """How unusual the views gained since ``h`` are for this post; None when the board's curve
    cannot tell yet."""
    span = now_days - h.at_days
    if span <= 0:
        return None
    gained = views - h.views - h.own
    rate = curve.rate(max(age_days - span / 2, 0.0), without=(gained, span))
    if rate is None:
        return None
    factor_shape = shape + h.seen_views
    factor = factor_shape / (shape + h.expected_views)
    mean = rate * span * factor
    return Jump(gained, mean, nb_tail(gained, mean, factor_shape))


def seen_again(
    h: ViewHistory, views: int, now_days: float, age_days: float, curve: AgeCurve
) -> ViewHistory:
    """The history after the row showed ``views`` now (the crawler's own views left out)."""
    span = now_days - h.at_days
    if span <= 0:
        return ViewHistory(views, now_days, h.seen_views, h.expected_views)
    rate = curve.rate(max(age_days - span / 2, 0.0))
    expected = rate * span if rate is not None else 0.0
    gained = max(views - h.views - h.own, 0) if rate is not None else 0.0
    return ViewHistory(views, now_days, h.seen_views + gained, h.expected_views + expected)


@dataclass(slots=True)
class SignalModel:
    """A board's checks after a jump (by how strong: ``tiers`` of its p-value) and the others,
    with the changes they found."""

    jump_checks: list[int] = field(default_factory=lambda: [0, 0])  # strong, weak
    jump_changes: list[int] = field(default_factory=lambda: [0, 0])
    other_checks: int = 0
    other_changes: int = 0
    # of those, the checks of posts neither young nor changed lately (the background a jump
    # stands out from), and their changes
    background_checks: int = 0
    background_changes: int = 0
    strong: float = 1e-3  # a jump this unlikely of readers alone is a strong one
    trials: int = 30  # jump checks made to learn before the signal is judged
    lift: float = 1.5  # a jump's share of changes must be this many times the others'

    @classmethod
    def load(cls, stored: Mapping[str, object] | None) -> SignalModel:
        """The model as ``dump`` stored it (``boards.view_signal``); a new one for None."""
        model = cls()
        for key, value in (stored or {}).items():
            if key in COUNTS:
                setattr(model, key, list(value) if isinstance(value, list) else value)
        return model

    def dump(self) -> dict[str, object]:
        return {key: getattr(self, key) for key in COUNTS}

    def tier(self, p: float) -> int:
        return 0 if p < self.strong else 1

    def add(self, p: float | None, changed: bool, background: bool = False) -> None:
        """A check of a post whose row was evaluated: ``p`` of its jump (None: no jump; then
        whether the post is ``background``: neither young nor changed lately)."""
        if p is None:
            self.other_checks += 1
            self.other_changes += changed
            self.background_checks += background
            self.background_changes += changed and background
        else:
            t = self.tier(p)
            self.jump_checks[t] += 1
            self.jump_changes[t] += changed

    def worth(self, p: float | None = None) -> float | None:
        """The chance that a check after a jump (of ``p``; None: any) finds a change, the
        budget's sort key against the policy's due posts; None when the board's jumps have
        proved to tell nothing (or this tier's, where it has had its trials)."""
        n, x = sum(self.jump_checks), sum(self.jump_changes)
        if n < self.trials:
            return max((x + 0.5) / (n + 1.0), 0.5)  # learning: before all but the likeliest due
        if self.background_checks < self.trials:
            return (x + 0.5) / (n + 1.0)  # nothing to tell it from yet
        base = (self.background_changes + 0.5) / (self.background_checks + 1.0)
        if (x + 0.5) / (n + 1.0) < self.lift * base:
            return None
        if p is not None and self.jump_checks[t := self.tier(p)] >= self.trials:
            n, x = self.jump_checks[t], self.jump_changes[t]
            share = (x + 0.5) / (n + 1.0)
            return share if share >= self.lift * base else None
        return (x + 0.5) / (n + 1.0)


COUNTS = (
    "jump_checks",
    "jump_changes",
    "other_checks",
    "other_changes",
    "background_checks",
    "background_changes",
)


def pooled(rows: Iterable[tuple[ViewHistory, int, float, float]]) -> AgeCurve:
    """The board's reader curve from the rows of a list walk: (history, views shown, now in
    days, age in days)."""
    curve = AgeCurve()
    for h, views, now_days, age_days in rows:
        span = now_days - h.at_days
        if span > 0:
            curve.add(max(age_days - span / 2, 0.0), views - h.views - h.own, span)
    return curve


def extra_list_pages(
    budget: int, pages_left: int, scheduled: int, jumps: int, share: float = 0.75
) -> int:
    """List pages to walk beyond an incremental run's own (scope: their rows' view counts),
    paid from the view budget: at most ``share`` of it, and only what the ``scheduled`` due
    checks (the policy's, next check passed) and the ``jumps`` expected leave."""
    return max(min(pages_left, int(budget * share), budget - scheduled - jumps), 0)


def merge_checks(
    picks: Iterable[tuple[str, bool, float]],
    jumps: Mapping[str, float],
    model: SignalModel,
    room: int,
) -> list[str]:
    """The checks to make, at most ``room``: the policy's ``picks`` (key, scheduled: its next
    check has passed, value) whose schedule is due, by value; then the rows that jumped
    (key -> p), unlikeliest first, where the board's jumps are worth a check; then the rest of
    the picks (the exploration of posts unchecked for long)."""
    scored: list[tuple[float, float, str]] = [
        (2.0 + value if scheduled else value, 0.0, key) for key, scheduled, value in picks
    ]
    for key, p in jumps.items():
        if model.worth(p) is not None:
            scored.append((1.0, 1.0 - p, key))
    scored.sort(key=lambda t: (t[0], t[1]), reverse=True)
    chosen: list[str] = []
    taken: set[str] = set()
    for _value, _p, key in scored:
        if len(chosen) >= room:
            break
        if key not in taken:
            taken.add(key)
            chosen.append(key)
    return chosen
