"""The simulated side of ``bench/revisit.py``: the scripted board (new posts and silent edits
played in time order on the demo board) and the strategies' fetch rules replayed on it."""

from __future__ import annotations

import bisect
import heapq
import math
import random
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from archive.revisit import RevisitPolicy
from board_archive.demoboard import SettableClock, generate_board

SEOUL = ZoneInfo("Asia/Seoul")
START = datetime(2026, 3, 2, 2, 30, tzinfo=SEOUL)
DAY = timedelta(days=1)
ROWS = 15  # the demo board's list page rows
KINDS = ("pre-fetch", "early", "second", "repeat", "old", "hot")


@dataclass(frozen=True)
class EditProcess:
    new_per_night: int = 20
    p_first: float = 0.4
    first_mean_h: float = 6.0
    first_within_d: float = 3.0
    p_second: float = 0.3
    second_mean_h: float = 24.0
    p_repeat: float = 0.05  # a new post amended again and again (정정 공고, 마감 연장)
    repeat_rate: float = 0.3  # edits a day of such a post
    repeat_days: float = 30.0  # for this long after posting
    old_per_day: float = 0.5
    hot_posts: int = 2
    hot_rate: float = 0.35
    # views (0 readers and 0 author views: issue 3's process, the list shows no signal):
    readers_median: float = 20.0  # a post's readers a day when new (log-normal over posts)
    readers_sigma: float = 1.0
    readers_decay: float = 1.5  # the rate falls as (1 + age / readers_tau_d) ** -decay
    readers_tau_d: float = 1.0
    author_views: int = 1  # the author opens the post to edit it


@dataclass(frozen=True)
class Edit:
    k: int
    wr_id: int
    at: datetime
    kind: str


class World:
    """The demo board, its clock, and the scripted new posts and edits, played in time order."""

    def __init__(self, posts: int, seed: int, process: EditProcess) -> None:
        self.clock = SettableClock(START)
        self.board = generate_board(posts, seed, clock=self.clock)
        self.p, self.rng = process, random.Random(seed + 1)
        live = self.board.posts()
        self.initial = {p.wr_id: p.posted_at for p in live}
        self.secret = {p.wr_id for p in live if p.secret}
        self.notices = len(self.board.notice_ids())
        cutoff = START - timedelta(days=30)
        self.eligible = [
            p.wr_id for p in live if not (p.secret or p.notice) and p.posted_at < cutoff
        ]
        self.hot = self.rng.sample(self.eligible, min(process.hot_posts, len(self.eligible)))
        self.added: dict[int, datetime] = {}  # new posts: wr_id -> posted_at
        self.edits: list[Edit] = []
        self.by_post: dict[int, list[Edit]] = {}
        self.base: dict[int, str] = {}
        self.queue: list[tuple[datetime, int, str, int]] = []  # (when, seq, kind, wr_id)
        self.seq = 0
        self.views = {p.wr_id: p.views for p in live}  # readers' and authors' (no crawler's)
        self.views0 = dict(self.views)
        self.views_at: dict[datetime, dict[int, int]] = {}  # at each night's end
        self.reader_rng = random.Random(seed + 2)  # apart: the edits are issue 3's either way
        self.readers: dict[int, float] = {}  # a post's readers a day when new

    def _push(self, when: datetime, kind: str, wr_id: int = 0) -> None:
        self.seq += 1
        heapq.heappush(self.queue, (when.replace(microsecond=0), self.seq, kind, wr_id))

    def play_day(self, start: datetime, end: datetime) -> None:
        """Schedule the day's posts, old and hot edits, then apply every event before ``end``."""
        r = self.rng
        for _ in range(self.p.new_per_night):
            self._push(start + timedelta(hours=r.uniform(4.5, 20.5)), "post")
        for _ in range(_poisson(r, self.p.old_per_day)):
            self._push(start + timedelta(days=r.random()), "old", r.choice(self.eligible))
        for wr_id in self.hot:
            for _ in range(_poisson(r, self.p.hot_rate)):
                self._push(start + timedelta(days=r.random()), "hot", wr_id)
        while self.queue and self.queue[0][0] < end:
            when, _, kind, wr_id = heapq.heappop(self.queue)
            self.clock.set(when)
            if kind == "post":
                self._add_post(when)
            else:
                self._edit(wr_id, when, kind)
        self._read(start, end)

    def _read(self, start: datetime, end: datetime) -> None:
        """Readers' views of every post over [start, end), at its rate for its age."""
        p, r = self.p, self.reader_rng
        if p.readers_median > 0:
            for wr_id, posted in (*self.initial.items(), *self.added.items()):
                if posted >= end:
                    continue
                if wr_id not in self.readers:
                    self.readers[wr_id] = p.readers_median * math.exp(r.gauss(0, p.readers_sigma))
                a = max((start - posted) / DAY, 0.0) / p.readers_tau_d
                b = (end - posted) / DAY / p.readers_tau_d
                g = 1.0 - p.readers_decay
                mean = self.readers[wr_id] * p.readers_tau_d * ((1 + b) ** g - (1 + a) ** g) / g
                if n := _poisson(r, mean):
                    self.views[wr_id] = self.views.get(wr_id, 0) + n
                    self.board.bump_views(wr_id, n)
        self.views_at[end] = dict(self.views)

    def views_on(self, night: datetime) -> dict[int, int]:
        """Every post's views at a night's crawl (the first two nights: as generated)."""
        return self.views_at.get(night) or self.views0

    def _add_post(self, when: datetime) -> None:
        wr_id = self.board.add_post(f"신규 보도자료 {len(self.added) + 1}", "<p>본문입니다.</p>")
        self.added[wr_id] = when
        r, p = self.rng, self.p
        if r.random() < p.p_first:
            first = when + _exp_within(r, p.first_mean_h, p.first_within_d)
            self._push(first, "early", wr_id)
            if r.random() < p.p_second:
                self._push(
                    first + timedelta(hours=r.expovariate(1 / p.second_mean_h)), "second", wr_id
                )
        if r.random() < p.p_repeat:
            at = when + timedelta(days=r.expovariate(p.repeat_rate))
            while at < when + timedelta(days=p.repeat_days):
                self._push(at, "repeat", wr_id)
                at += timedelta(days=r.expovariate(p.repeat_rate))

    def _edit(self, wr_id: int, when: datetime, kind: str) -> None:
        post = self.board.live(wr_id)
        assert post is not None
        base = self.base.setdefault(wr_id, post.body_html)
        if kind == "early" and when < START + math.ceil((self.added[wr_id] - START) / DAY) * DAY:
            kind = "pre-fetch"  # before the post's first crawl
        edit = Edit(len(self.edits) + 1, wr_id, when, kind)
        self.board.edit_post(wr_id, body_html=f"{base}\n<p>(수정 {edit.k:05d})</p>")
        if self.p.author_views:
            self.views[wr_id] = self.views.get(wr_id, 0) + self.p.author_views
            self.board.bump_views(wr_id, self.p.author_views)
        self.edits.append(edit)
        self.by_post.setdefault(wr_id, []).append(edit)

    def marker_at(self, wr_id: int, when: datetime) -> int:
        """The edit whose content the post shows at ``when`` (0: never edited)."""
        edits = self.by_post.get(wr_id, [])
        i = bisect.bisect_right([e.at for e in edits], when)
        return edits[i - 1].k if i else 0


def _poisson(r: random.Random, lam: float) -> int:
    n, t = 0, r.expovariate(1.0) if lam > 0 else math.inf
    while t < lam:
        n, t = n + 1, t + r.expovariate(1.0)
    return n


def _exp_within(r: random.Random, mean_h: float, within_d: float) -> timedelta:
    while (h := r.expovariate(1 / mean_h)) >= within_d * 24:
        pass
    return timedelta(hours=h)


@dataclass
class SimPost:  # the columns make_plan and ingest use (archive.revisit.Scheduled)
    posted_at: datetime | None
    posted_on: date | None
    first_seen_at: datetime
    last_checked_at: datetime | None = None
    last_changed_at: datetime | None = None
    checks: int = 0
    changes: int = 0
    unchanged_streak: int = 0
    next_check_at: datetime | None = None
    marker: int = 0


@dataclass
class Result:
    name: str
    how: str
    requests: list[int] = field(default_factory=list)  # per night with changes (from night 2)
    views: list[int] = field(default_factory=list)
    seen: dict[int, datetime] = field(default_factory=dict)  # edit -> first fetch showing it
    quiet: int = 0  # requests of night 1, nothing changed since the full crawl


def simulate(
    w: World, nights: list[datetime], kind: str, budget: int, policy: RevisitPolicy, full: int
) -> Result:
    """Night 0 is the full crawl, night 1 the quiet night; then ``kind``'s rules."""
    res = Result(kind, "simulated")
    known: dict[int, SimPost] = {}
    order: list[int] = []
    cursor = 0
    live0, pages0 = len(w.initial), -(-len(w.initial) // ROWS)
    for night, now in enumerate(nights):
        live = [i for i, at in w.added.items() if at < now]
        new = [i for i in live if i not in known]
        if night == 0:
            new = sorted(w.initial)
        due: list[int] = []
        if night and kind == "policy":
            due = [
                int(i) for i in policy.pick(((str(i), p) for i, p in known.items()), now, budget)
            ]
        elif night and kind == "round-robin":
            due = [order[(cursor + j) % len(order)] for j in range(min(budget, len(order)))]
            cursor = (cursor + len(due)) % len(order)
        elif night and kind == "full":
            due = list(known)
        fresh = set(new)
        for i in new + due:
            _check(w, known, i, now, policy, new=i in fresh)
            if m := known[i].marker:
                res.seen.setdefault(m, now)
        order += new
        if night == 1:
            res.quiet = 1 + _walked_pages(0, w.notices, pages0) + len(due)
        if night > 1:
            last = -(-(live0 + len(live)) // ROWS)
            walked = _walked_pages(len(new), w.notices, last)
            extra = len(live) + last - pages0  # a full crawl grows with the board
            res.requests.append(full + extra if kind == "full" else 1 + walked + len(new + due))
            res.views.append(len(new) + len(due))
    return res


def _check(
    w: World, known: dict[int, SimPost], i: int, now: datetime, policy: RevisitPolicy, new: bool
) -> None:
    """What ``archive.store.ingest`` does to a post's check history when its page is fetched."""
    if new:
        posted = w.initial.get(i) or w.added.get(i)
        assert posted is not None
        local = posted.astimezone(SEOUL)
        if i in w.secret:  # no view page: only the list row's day
            known[i] = SimPost(posted_at=None, posted_on=local.date(), first_seen_at=now)
        else:
            at = local.replace(second=0, microsecond=0)
            known[i] = SimPost(posted_at=at, posted_on=None, first_seen_at=now)
    p = known[i]
    marker = w.marker_at(i, now)
    changed = marker != p.marker and not new
    p.marker = marker
    p.checks += 1
    p.changes += changed
    p.unchanged_streak = 0 if changed or new else p.unchanged_streak + 1
    p.last_checked_at = now
    if changed or new:
        p.last_changed_at = now
    p.next_check_at = policy.next_check(p, now)


def _walked_pages(new: int, notices: int, last: int) -> int:
    """List pages an incremental run walks: ``list_pages_min`` (2), and on past new posts."""
    last_new = (new - 1 + notices) // ROWS + 1 if new else 0
    return min(max(2, last_new + 1), last)
