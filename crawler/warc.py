"""The crawl's fetches as WARC records: the ``WarcRecorder`` extension.

Every response the downloader receives (robots.txt, list pages, view pages, files and images,
redirects and error answers alike) is written with the request that fetched it to the board's
WARC files (``archive.warcfiles``), ``DATA_DIR/warc/BOARD/BOARD-….warc.gz``, as it came off the
wire: Scrapy's ``response_downloaded`` signal comes before any downloader middleware, so the
body is still compressed where the server compressed it (``Content-Encoding`` stays true). The
one change: a chunked body is de-chunked by the HTTP client, so ``Transfer-Encoding`` is left
out and ``Content-Length`` is the body's.

The records are written on a thread of their own, never on the reactor, in the order the
responses came; the archive pipeline calls ``flush`` before it commits a batch, so what the
database holds was fetched by exchanges already on disk (fsync'd), and each new version points
at the record of its response (``record_of``). A record that cannot be
written is counted (``warc_errors``), the file is closed (the next record starts a new one),
and the run is failed when it closes: the archive it kept is not whole.

Settings: ``WARC_ENABLED`` (default on; off with ``ARCHIVE_ENABLED``), ``WARC_DIR`` (default
``DATA_DIR/warc/BOARD``), ``WARC_MAX_BYTES`` (a file is closed past this size, default 1 GB).
"""

from __future__ import annotations

import asyncio
import logging
from concurrent.futures import ThreadPoolExecutor
from http import HTTPStatus
from pathlib import Path
from typing import Self
from urllib.parse import urlsplit

from scrapy import Request, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.http import Headers, Response

from archive.runstats import Stat
from archive.warcfiles import MAX_BYTES, Exchange, RecordRef, WarcFiles, board_folder
from archive.warcindex import known_payloads, write_index
from crawler.extensions import RunSpider, crawl_clock

logger = logging.getLogger(__name__)

LEFT_OUT = {"transfer-encoding", "content-length"}


class WarcRecorder:
    def __init__(self, crawler: Crawler, files: WarcFiles) -> None:
        self.crawler = crawler
        self.files = files
        self.clock = crawl_clock(crawler)
        #: where each URL's response of this run is (a page is fetched once a run)
        self.records: dict[str, RecordRef] = {}
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="warc-writer")
        self._executor.submit(self._learn)  # before any record: the thread runs them in turn

    def _learn(self) -> None:
        """The payloads the board's earlier WARC files hold: written again, they are revisits."""
        try:
            self.files.known = known_payloads(self.files.folder).get
        except Exception as exc:  # unreadable files: payloads are written whole, not lost
            logger.error("could not read the index of %s: %s", self.files.folder, exc)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        settings = crawler.settings
        archiving = settings.getbool("ARCHIVE_ENABLED", True)
        if not settings.getbool("WARC_ENABLED", True) or not archiving:
            raise NotConfigured  # off, or a crawl that archives nothing
        spider = crawler.spider
        if not isinstance(spider, RunSpider):
            raise NotConfigured
        name = spider.board.name
        folder = Path(settings.get("WARC_DIR") or board_folder(spider.config.data_dir, name))
        max_bytes = settings.getint("WARC_MAX_BYTES", MAX_BYTES)
        if max_bytes < 1:
            raise ValueError(f"WARC_MAX_BYTES must be >= 1, not {max_bytes}")
        info = {"operator-board": name, "isPartOf": name, "robots": "obey"}
        files = WarcFiles(folder, name, max_bytes=max_bytes, info=info, on_closed=write_index)
        recorder = cls(crawler, files)
        crawler.signals.connect(recorder.response_downloaded, signal=signals.response_downloaded)
        crawler.signals.connect(recorder.spider_closed, signal=signals.spider_closed)
        return recorder

    def response_downloaded(self, response: Response, request: Request) -> None:
        length = len(response.body)
        exchange = Exchange(
            url=response.url,
            fetched_at=self.clock(),
            status=response.status,
            reason=_reason(response.status),
            response_headers=[*_pairs(response.headers), ("Content-Length", str(length))],
            body=response.body,
            method=request.method,
            request_headers=_request_headers(request),
            request_body=request.body,
            protocol=response.protocol or "HTTP/1.1",
        )
        self._executor.submit(self._write, exchange)

    def _write(self, exchange: Exchange) -> None:
        stats = self.crawler.stats
        assert stats is not None
        try:
            ref = self.files.write(exchange)
        except Exception as exc:
            stats.inc_value(Stat.WARC_ERRORS.key)
            logger.error("could not write the WARC record of %s: %s", exchange.url, exc)
            try:
                self.files.close()
            except OSError:
                logger.exception("could not close the WARC file")
            return
        self.records[exchange.url] = ref
        stats.inc_value(Stat.WARC_REVISITS.key if ref.revisit else Stat.WARC_RECORDS.key)
        stats.inc_value(Stat.WARC_BYTES.key, ref.length)

    def record_of(self, url: str) -> tuple[str, int, int] | None:
        """Where the response of ``url`` is (file, offset, length), once ``flush`` has run."""
        ref = self.records.get(url)
        return (ref.file, ref.offset, ref.length) if ref is not None else None

    async def flush(self) -> None:
        """Wait until the records of the responses so far are written and fsync'd."""
        await asyncio.get_running_loop().run_in_executor(self._executor, self._flush)

    def _flush(self) -> None:
        try:
            self.files.flush()
        except OSError as exc:
            self.crawler.stats.inc_value(Stat.WARC_ERRORS.key)
            logger.error("could not flush the WARC file: %s", exc)
            self.files.close()

    async def spider_closed(self) -> None:
        await self.flush()
        await asyncio.get_running_loop().run_in_executor(self._executor, self.files.close)
        self._executor.shutdown(wait=True)


def _pairs(headers: Headers) -> list[tuple[str, str]]:
    return [
        (name.decode("latin-1"), value.decode("latin-1"))
        for name, values in headers.items()
        for value in values
        if name.decode("latin-1").lower() not in LEFT_OUT
    ]


def _request_headers(request: Request) -> list[tuple[str, str]]:
    pairs = _pairs(request.headers)
    if request.body:
        pairs.append(("Content-Length", str(len(request.body))))
    if not any(name.lower() == "host" for name, _ in pairs):
        pairs.insert(0, ("Host", urlsplit(request.url).netloc))
    return pairs


def _reason(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return ""
