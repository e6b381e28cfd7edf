"""View pages whose body the skin does not name: the body container learnt by comparing pages.

A GnuBoard skin that keeps neither its ``view_body`` selector nor ``#bo_v_con`` makes the page
object raise ``BodyNotFound``. Such a page waits here, undecided (neither archived nor
failed), until two or more view pages of the board are waiting; then the profile compares them
(``Profile.find_body``: the template is what they share, the post is what differs). When it
names the container, the crawl reads the waiting pages and every later one with it (as the
board's ``view_body`` for this run, logged). When it cannot tell with ``COMPARED`` pages, or
the run has no other post to compare with, the waiting pages fail, saying why and asking for
``view_body``: template text is never archived as a body.

When the crawl goes idle with pages still waiting (an incremental run that fetched one post),
up to ``COMPARED`` other posts' view pages are fetched to compare with, once per run; each is
archived like any re-check. This is the routing half; the comparison is the page object's.

A board whose container is neither configured nor found (the engine's default, ``#bo_v_con``)
has it checked the same way on the first ``COMPARED`` posts read (``watch_body``,
``Profile.doubt_body``): where it holds little of what differs between them (a skin that keeps
``#bo_v_con`` for something else and prints the post below it) the run says so
(``body_doubted``, counted as ``Stat.BODY_DOUBTED``: the run is suspect), never ok.

The container found is kept by the archive (``Board.body_selector``, written by the
``RunLedger`` when the run closes) and every later run reads the body with it
(``use_kept_body``), so a run reads the body as the runs before it did and fetches no page only
to compare with. A page the kept container is not on (the skin changed) waits here as above,
and the container found again replaces it.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass

import scrapy
from scrapy.http import Response

from archive import items as it
from archive.revisit import CrawlPlan
from archive.runstats import Stat
from crawler.pages.profile import Profile

logger = logging.getLogger(__name__)
COMPARED = 3  # view pages compared at most before the body is called unknowable


@dataclass(frozen=True, slots=True)
class Waiting:
    """A view page waiting for the body container, with what its outcome needs."""

    response: Response
    encoding: str
    html: str
    row: it.ListRow | None


class BodyLearning:
    """Mixed into ``BoardSpider`` (which provides ``profile``, ``plan``, the post ids it
    listed and requested, ``_view_request``, ``_failed_page`` and ``_count``)."""

    profile: Profile
    plan: CrawlPlan | None
    listed: set[str]
    requested: set[str]

    def _view_request(
        self, post_id: str, row: it.ListRow | None, notice: bool | None = None
    ) -> scrapy.Request:
        raise NotImplementedError

    def _failed_page(self, note: str) -> None:
        raise NotImplementedError

    def _count(self, stat: Stat, n: int = 1) -> None:
        raise NotImplementedError

    def init_body(self) -> None:
        self.body_waiting: list[Waiting] = []
        self.body_unknown: str | None = None  # why the body cannot be told, once decided
        self.body_references_asked = False
        self.body_learnt: str | None = None  # found this run: the archive keeps it
        self.body_kept: str | None = None  # found by an earlier run, read while it matches
        self.body_configured = False  # the board's config names the container
        self.body_watched: list[tuple[str, str]] | None = []  # posts read by the default one
        self.body_doubted: str | None = None  # why the default container is not the post

    def use_kept_body(self, plan: CrawlPlan | None, configured: Mapping[str, str]) -> None:
        """Read the body with the container an earlier run found, unless the board's config
        names one (``configured``: its selector overrides)."""
        self.body_configured = bool(configured.get("view_body"))
        kept = plan.body_selector if plan is not None else None
        if kept and not configured.get("view_body"):
            self.body_kept = kept
            self.profile = self.profile.with_selectors({"view_body": kept})
            logger.info("body container kept from an earlier run: %s", kept)

    def wait_for_body(self, page: Waiting) -> list[Waiting]:
        """Keep ``page`` (whose body is not known) until the body is found; returns the pages
        to read now: with the body found (the profile now names it), or, when it cannot be told
        (``body_unknown`` says why), to fail."""
        if self.body_unknown is not None:
            return [page]
        if self.body_kept is not None:
            logger.warning(
                "the body container kept from an earlier run (%s) is not on %s: finding it "
                "again by comparing view pages",
                self.body_kept,
                page.response.url,
            )
            self.body_kept = None
        self.body_waiting.append(page)
        if len(self.body_waiting) < 2:
            return []
        pages = [(w.html, w.response.url) for w in self.body_waiting]
        selector, why = self.profile.find_body(pages)
        if selector is None and len(self.body_waiting) < COMPARED:
            return []
        waiting, self.body_waiting = self.body_waiting, []
        if selector is None:
            self.body_unknown = (
                f"the post's body cannot be told from the skin's template in {len(pages)} view "
                f"pages ({why}): set view_body in the board's selectors"
            )
            logger.error("%s", self.body_unknown)
            return waiting
        self.profile = self.profile.with_selectors({"view_body": selector})
        self.body_learnt = selector
        logger.info(
            "body container found by comparing %d view pages: %s (kept for the next runs)",
            len(pages),
            selector,
        )
        return waiting

    def watch_body(self, html: str, url: str) -> None:
        """A post read: the first ``COMPARED`` read with the engine's default container (none
        configured, kept or learnt) are compared to check it holds the post (once a run)."""
        if self.body_watched is None:
            return
        if self.body_configured or self.body_kept or self.body_learnt:
            self.body_watched = None
            return
        self.body_watched.append((html, url))
        if len(self.body_watched) < COMPARED:
            return
        pages, self.body_watched = self.body_watched, None
        self.body_doubted = self.profile.doubt_body(pages)
        if self.body_doubted is not None:
            self._count(Stat.BODY_DOUBTED)
            logger.error("%s", self.body_doubted)

    def body_references(self) -> list[scrapy.Request]:
        """At idle, with pages still waiting: view requests of other posts to compare with
        (once per run); none left, the waiting pages fail."""
        if not self.body_waiting:
            return []
        if not self.body_references_asked:
            self.body_references_asked = True
            known = set(self.plan.known) if self.plan is not None else set()
            others = sorted((self.listed | known) - self.requested, key=_newest_first)
            wanted = COMPARED - len(self.body_waiting)
            requests = [self._view_request(i, None) for i in others[:wanted]]
            if requests:
                logger.info("fetching %d view pages to find the body by", len(requests))
                return requests
        waiting, self.body_waiting = self.body_waiting, []
        self.body_unknown = (
            f"the post's body cannot be told from the skin's template with {len(waiting)} "
            "view page(s) of the board to compare: set view_body in the board's selectors"
        )
        for page in waiting:
            self._count(Stat.VIEW_PARSE_ERRORS)
            self._failed_page(f"{page.response.url}: {self.body_unknown}")
        return []


def _newest_first(post_id: str) -> tuple[int, str]:
    return (-int(post_id), "") if post_id.isdigit() else (0, post_id)
