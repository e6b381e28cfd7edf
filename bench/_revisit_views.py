"""The ``signals`` strategy of ``bench/revisit.py``, simulated: the policy's picks plus the posts
whose list-row views jumped (``archive.revisit_signals``), walking more list pages when the
walked ones show views moving.

Each night the crawler walks the list pages an incremental run walks (``_walked_pages``); when
the board's signal is not proved useless (``SignalModel.worth``) and a row on them shows views
gained since it was last seen (nobody read the board: a quiet night), it walks on, up to
``list_share`` of the budget in extra list pages, which the view checks then do without. Every
row walked updates the post's view history (the crawler would store the row's views); rows
whose views jumped beyond the post's usual rate are candidates worth ``SignalModel.worth``,
ranked with the policy's picks by ``RevisitPolicy.value``; the best ``budget`` (less the extra
pages) are checked. The checks of evaluated rows teach the board's ``SignalModel``.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from _revisit_sim import ROWS, START, Result, SimPost, World, _check, _walked_pages

from archive.revisit import RevisitPolicy
from archive.revisit_signals import (
    DAY,
    SignalModel,
    ViewHistory,
    extra_list_pages,
    jump,
    merge_checks,
    pooled,
    seen_again,
)


def simulate_signals(
    w: World,
    nights: list[datetime],
    budget: int,
    policy: RevisitPolicy,
    *,
    alpha: float = 0.01,
    list_share: float = 0.75,
    model: SignalModel | None = None,
) -> tuple[Result, SignalModel]:
    res = Result("signals", "simulated")
    model = model or SignalModel()
    known: dict[int, SimPost] = {}
    hist: dict[int, ViewHistory] = {}

    def days(t: datetime) -> float:
        return (t - START).total_seconds() / DAY

    def age(i: int, now: datetime) -> float:
        posted = w.initial.get(i) or w.added[i]
        return (now - posted).total_seconds() / DAY

    def scheduled(i: int, now: datetime) -> bool:
        at = known[i].next_check_at
        return at is None or at <= now

    def background(i: int, now: datetime) -> bool:
        p = known[i]
        lately = p.changes and p.last_changed_at and now - p.last_changed_at < policy.burst
        return age(i, now) >= policy.young_age / timedelta(days=1) and not lately

    jumps_per_night = 30  # as archive.revisit_views.extra_pages
    for night, now in enumerate(nights):
        views = w.views_on(now)
        live = [i for i, at in w.added.items() if at < now]
        new = sorted(w.initial) if night == 0 else [i for i in live if i not in known]
        order = sorted([*w.initial, *live], reverse=True)  # the list: newest first
        last = -(-(len(order) + w.notices) // ROWS)
        base = _walked_pages(len(new), w.notices, last) if night else last
        worth = model.worth() if night else None
        shown = order[: base * ROWS - w.notices]
        moved = any(i in hist and views.get(i, 0) > hist[i].views for i in shown)
        extra = 0
        values: dict[int, float] = {}
        if night:
            picks = policy.pick(((str(i), p) for i, p in known.items()), now, budget)
            values = {int(k): policy.value(known[int(k)], now) for k in picks}
        if worth is not None and moved:
            scheduled_due = sum(scheduled(i, now) for i in values)
            extra = extra_list_pages(
                budget, last - base, scheduled_due, jumps_per_night, list_share
            )
        walked = order[: (base + extra) * ROWS - w.notices]
        rows = [(i, hist[i]) for i in walked if i in hist]
        curve = pooled((h, views.get(i, 0), days(now), age(i, now)) for i, h in rows)
        jumped: dict[int, float] = {}
        for i, h in rows:
            j = jump(h, views.get(i, 0), days(now), age(i, now), curve)
            if j is not None and j.p < alpha:
                jumped[i] = j.p
            hist[i] = seen_again(h, views.get(i, 0), days(now), age(i, now), curve)
        evaluated = {i for i, _ in rows}
        room = max(budget - extra, 0)
        due: list[int] = []
        if night:
            picks = [(str(i), scheduled(i, now), v) for i, v in values.items()]
            jumps = {str(i): p for i, p in jumped.items()} if worth is not None else {}
            due = [int(k) for k in merge_checks(picks, jumps, model, room)]
        fresh = set(new)
        for i in new + due:
            before = known[i].marker if i in known else None
            _check(w, known, i, now, policy, new=i in fresh)
            if m := known[i].marker:
                res.seen.setdefault(m, now)
            if i in fresh:
                hist[i] = ViewHistory(views.get(i, 0), days(now))
            elif i in evaluated:
                model.add(
                    jumped.get(i),
                    known[i].marker != before,
                    background=background(i, now),
                )
        if night == 1:
            res.quiet = 1 + base + extra + len(new) + len(due)
        elif night > 1:
            res.requests.append(1 + base + extra + len(new) + len(due))
            res.views.append(len(new) + len(due))
    return res, model
