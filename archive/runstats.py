"""The crawl's own counters: their names, and a typed reader of a run's stored stats.

The spider, the archive pipeline and the run ledger count into Scrapy's stats under these names;
the ledger stores the stats with the run (``crawl_runs.stats``), and ``archive/health.py`` reads
them back, from the run just closed and from earlier runs. One name, one place: a counter is
written as ``Stat.POSTS.key`` and read as ``RunStats(run.stats)[Stat.POSTS]``.

The stored keys are ``board_archive/<name>`` (runs recorded before this module read the same).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

PREFIX = "board_archive"
#: The stats key of the pages that failed to fetch or to be read (a list of "URL: why").
FAILED_PAGES = f"{PREFIX}/failed_pages"
FAILED_PAGES_KEPT = 50  # at most this many are kept; the counters count them all


class Stat(StrEnum):
    """A counter of the crawl; its value is the name after ``board_archive/``."""

    # list pages (crawler/spiders/board.py)
    LIST_PAGES = "list_pages"  # list pages parsed
    LIST_ROWS = "list_rows"  # regular (not pinned) rows on them
    PAGE1_ROWS = "page1_rows"  # regular rows on page 1 (health: a page 1 far emptier than usual)
    LIST_ERRORS = "list_errors"  # list pages that failed to fetch or parse
    LIST_CLAIMED = "list_claimed"  # the posts the board says it has (Total N건, row numbers)
    LISTED_POSTS = "listed_posts"  # distinct posts a complete full walk of the list reached
    # view pages requested, by why (incremental runs; views_missing_from_list in both modes)
    VIEWS_NEW = "views_new"
    VIEWS_ROW_CHANGED = "views_row_changed"
    VIEWS_DUE = "views_due"  # re-checks the revisit policy picked
    VIEWS_MISSING_FROM_LIST = "views_missing_from_list"  # deletion candidates
    # view pages, by what they showed
    POSTS = "posts"
    SECRET_POSTS = "secret_posts"
    NOT_FOUND = "not_found"
    VIEW_PARSE_ERRORS = "view_parse_errors"
    VIEW_FETCH_ERRORS = "view_fetch_errors"
    # the default body container held little of what differs between posts (health: suspect)
    BODY_DOUBTED = "body_doubted"
    # posts read without a field every GnuBoard post has (health: a skin the reader misses)
    POSTS_NO_AUTHOR = "posts_no_author"
    POSTS_NO_TIME = "posts_no_time"  # neither its moment nor its day
    # downloads (crawler/spiders/files.py)
    FILES_DOWNLOADED = "files_downloaded"
    FILE_BYTES = "file_bytes"
    FILES_SKIPPED = "files_skipped"
    FILES_REFUSED = "files_refused"
    FILES_FAILED = "files_failed"
    # the blob store (crawler/pipelines.py)
    BLOBS_NEW = "blobs_new"
    BLOB_BYTES_NEW = "blob_bytes_new"
    BLOB_ERRORS = "blob_errors"
    # WARC records of the fetches (crawler/warc.py)
    WARC_RECORDS = "warc_records"  # responses written whole
    WARC_REVISITS = "warc_revisits"  # responses whose payload was written before: revisits
    WARC_BYTES = "warc_bytes"  # bytes of the response and revisit records (gzip)
    WARC_ERRORS = "warc_errors"  # fetches whose records could not be written

    @property
    def key(self) -> str:
        """The name in Scrapy's stats and in a stored run's stats."""
        return f"{PREFIX}/{self.value}"


#: The errors a run's ``errors`` count is made of (with the batches that could not be written).
ERRORS = (Stat.LIST_ERRORS, Stat.VIEW_PARSE_ERRORS, Stat.VIEW_FETCH_ERRORS)
#: View pages that gave an answer, and those that failed.
VIEWS = (Stat.POSTS, Stat.SECRET_POSTS, Stat.NOT_FOUND)
FAILED_VIEWS = (Stat.VIEW_PARSE_ERRORS, Stat.VIEW_FETCH_ERRORS)


@dataclass(frozen=True, slots=True)
class RunStats:
    """A run's stats mapping (Scrapy's at close, or ``crawl_runs.stats``) read by counter.

    A counter the run never touched, or a value that is not a number, reads 0.
    """

    stats: Mapping[str, object] = field(default_factory=dict)

    @classmethod
    def of(cls, stats: Mapping[str, object] | None) -> RunStats:
        return cls(stats or {})

    def __getitem__(self, stat: Stat) -> int:
        value = self.stats.get(stat.key, 0)
        return int(value) if isinstance(value, int | float) else 0

    def total(self, stats: tuple[Stat, ...]) -> int:
        return sum(self[s] for s in stats)

    def failed_pages(self) -> list[str]:
        """The pages that failed (``"URL: why"``), as far as they were kept."""
        value = self.stats.get(FAILED_PAGES)
        return [str(x) for x in value] if isinstance(value, list) else []
