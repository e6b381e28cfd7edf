"""Downloads of a post's attachments and body images: the routing half of ``BoardSpider``.

After a view page, each file entry of the post (``archive.files.file_entries``) that the archive
has not stored (``CrawlPlan.file_stored``) is downloaded, in the spider's one cookie session:
GnuBoard serves a file only to the session that opened its post (5.6 also wants the link's
nonce). What cannot or should not be fetched becomes a ``FileOutcome`` saying why, so the
version's row records it:

- body images on another host: skipped ("other host") unless ``fetch_external_images``;
- a file whose shown size is over ``max_file_size``: skipped without a request; one that turns
  out larger while downloading is cut off by Scrapy's ``download_maxsize`` and skipped;
- files past the run's ``max_run_bytes`` (shown sizes of the downloads in flight counted):
  skipped, and fetched by a later run;
- the board's refusal (``crawler.pages.files.parse_download``): refused; network and HTTP
  errors: failed. Both are tried again by the next run that fetches the post.

An image URL is requested once per run whatever the number of posts showing it; the archive
links its file to every post's row. Bytes go to the pipeline inside the ``FileOutcome``.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

import scrapy
from scrapy.exceptions import DownloadCancelledError
from scrapy.http import Response
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.internet.defer import CancelledError
from twisted.python.failure import Failure

from archive import items as it
from archive.config import BoardConfig
from archive.files import FileEntry, file_entries
from archive.models import FileKind
from archive.revisit import CrawlPlan
from archive.runstats import Stat
from crawler.hosts import same_host
from crawler.pages.files import DownloadRefused, file_url, parse_download, shown_size

logger = logging.getLogger(__name__)
FILE_PRIORITY = 20  # before further view pages: the session and the nonce are fresh


class FileDownloads:
    """Mixed into ``BoardSpider`` (which provides ``board``, ``plan`` and ``_count``)."""

    board: BoardConfig
    plan: CrawlPlan | None

    def _count(self, stat: Stat, n: int = 1) -> None:
        raise NotImplementedError

    def init_files(self) -> None:
        self.file_bytes = 0  # bytes of files received this run
        self.file_bytes_reserved = 0  # shown sizes of the downloads in flight
        self.images_requested: set[str] = set()

    def file_requests(self, post: it.Post) -> Iterator[scrapy.Request | it.FileOutcome]:
        """Downloads (or outcomes saying why not) for the entries of ``post`` not stored yet."""
        for entry in file_entries(post):
            if not entry.url or (self.plan and self.plan.file_stored(post.post_id, entry.key)):
                continue
            if entry.kind == FileKind.IMAGE:
                if not self.board.fetch_external_images and not same_host(
                    entry.url, self.board.url
                ):
                    yield self._skipped(post.post_id, entry, "other host")
                    continue
                if entry.url in self.images_requested:
                    continue
                self.images_requested.add(entry.url)
            shown = shown_size(entry.size_text)
            limit = self.board.max_file_size
            if shown is not None and shown[1] > limit:
                why = f"too large: {entry.size_text} shown, max_file_size is {limit} bytes"
                yield self._skipped(post.post_id, entry, why)
                continue
            expected = shown[0] if shown else 0
            if self.file_bytes + self.file_bytes_reserved + expected > self.board.max_run_bytes:
                why = f"this run reached max_run_bytes ({self.board.max_run_bytes} bytes)"
                yield self._skipped(post.post_id, entry, why)
                continue
            self.file_bytes_reserved += expected
            yield scrapy.Request(
                file_url(entry.url),
                callback=self.parse_file,
                errback=self.on_file_error,
                cb_kwargs={"post_id": post.post_id, "entry": entry},
                meta={"download_maxsize": limit, "download_warnsize": 0, "reserved": expected},
                priority=FILE_PRIORITY,
            )

    def parse_file(
        self, response: Response, post_id: str, entry: FileEntry
    ) -> Iterator[it.FileOutcome]:
        self.file_bytes_reserved -= response.meta.get("reserved", 0)
        headers = {k.decode("latin-1"): response.headers.get(k) or b"" for k in response.headers}
        result = parse_download(response.status, headers, response.body)
        if isinstance(result, DownloadRefused):
            self._count(Stat.FILES_REFUSED)
            logger.warning("file %s of post %s: %s", response.url, post_id, result.reason)
            yield _outcome(post_id, entry, "refused", result.reason)
            return
        if self.file_bytes + result.size > self.board.max_run_bytes:
            why = f"this run reached max_run_bytes ({self.board.max_run_bytes} bytes)"
            yield self._skipped(post_id, entry, why)
            return
        self.file_bytes += result.size
        self._count(Stat.FILES_DOWNLOADED)
        self._count(Stat.FILE_BYTES, result.size)
        yield it.FileOutcome(
            post_id,
            entry.kind.value,
            entry.key,
            entry.url or response.url,
            "stored",
            data=result.data,
            filename=result.filename,
            content_type=result.content_type,
        )

    def on_file_error(self, failure: Failure) -> Iterator[it.FileOutcome]:
        request: Any = failure.request  # type: ignore[attr-defined]
        self.file_bytes_reserved -= request.meta.get("reserved", 0)
        post_id, entry = request.cb_kwargs["post_id"], request.cb_kwargs["entry"]
        if failure.check(DownloadCancelledError, CancelledError):
            why = f"too large: over max_file_size ({self.board.max_file_size} bytes)"
            yield self._skipped(post_id, entry, why)
            return
        if failure.check(HttpError):
            reason = f"HTTP {failure.value.response.status}"  # type: ignore[union-attr]
        else:
            reason = failure.getErrorMessage() or failure.type.__name__  # type: ignore[union-attr]
        self._count(Stat.FILES_FAILED)
        logger.warning("file %s of post %s failed: %s", request.url, post_id, reason)
        yield _outcome(post_id, entry, "failed", reason)

    def _skipped(self, post_id: str, entry: FileEntry, reason: str) -> it.FileOutcome:
        self._count(Stat.FILES_SKIPPED)
        return _outcome(post_id, entry, "skipped", reason)


def _outcome(post_id: str, entry: FileEntry, status: str, reason: str) -> it.FileOutcome:
    return it.FileOutcome(post_id, entry.kind.value, entry.key, entry.url or "", status, reason)
