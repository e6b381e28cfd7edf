"""The list rows' view counts as a revisit signal (``archive.revisit_views``): the routing half.

Every walked row's view count is kept. Past the list pages an incremental run walks anyway,
the run walks on for more rows' counts (``extra_pages``: paid from the view budget, decided
once), unless no row shows a reader's view since it was last seen (a quiet night). After the
walk the rows whose views jumped are put among the revisit policy's picks (``rechecks``), in a
view budget less the extra list pages. The RunLedger stores the counts and what the checks
found when the run closes (``archive.revisit_views.record``).
"""

from __future__ import annotations

from datetime import datetime

from scrapy.crawler import Crawler

from archive import items as it
from archive.revisit import CrawlPlan
from archive.revisit_views import SignalRun, evaluate, extra_pages, moved, rechecks


class ViewSignals:
    """Mixed into ``BoardSpider`` (which provides ``plan``, ``crawler`` and ``clock``)."""

    plan: CrawlPlan | None
    crawler: Crawler

    def init_views(self) -> None:
        self.row_views: dict[str, int] = {}
        self.extra_allowed: int | None = None  # list pages to walk for their views
        self.extra_walked = 0
        self.signal_run: SignalRun | None = None  # read by the RunLedger when the run closes

    def note_views(self, row: it.ListRow) -> None:
        if row.views is not None:
            self.row_views[row.post_id] = row.views

    def walk_for_views(self, pages_left: int) -> bool:
        """Whether to walk one more list page for its rows' view counts (counted as walked)."""
        assert self.plan is not None
        if self.extra_allowed is None:
            walk = moved(self.plan, self.row_views)
            self.extra_allowed = extra_pages(self.plan, pages_left) if walk else 0
            self._stat_set("signal/extra_list_pages_allowed", self.extra_allowed)
        if self.extra_walked >= self.extra_allowed:
            return False
        self.extra_walked += 1
        return True

    def rechecks_after_walk(self, now: datetime) -> list[str]:
        """The policy's picks and the jumped rows, best first, in the budget the extra list
        pages left."""
        assert self.plan is not None
        self.signal_run = evaluate(self.plan, self.row_views, now)
        room = max(self.plan.budget - self.extra_walked, 0)
        picked = rechecks(self.plan, self.signal_run, room)
        self._stat_set("signal/jumps", len(self.signal_run.jumps))
        self._stat_set("signal/jumps_checked", len(set(picked) & self.signal_run.jumps.keys()))
        self._stat_set("signal/extra_list_pages", self.extra_walked)
        return picked

    def views_without_signal(self) -> None:
        """A full run: the rows' counts are stored, nothing is judged."""
        self.signal_run = SignalRun(rows=dict(self.row_views))

    def _stat_set(self, key: str, value: int) -> None:
        assert self.crawler.stats is not None
        self.crawler.stats.set_value(key, value)
