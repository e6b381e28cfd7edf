"""The board's delay kept as the site sees it: the next request to a site goes ``delay`` seconds
after the previous one's answer arrived, not after it was sent.

Scrapy spaces the *sends* of a download slot by ``DOWNLOAD_DELAY``, counted from when the
downloader takes a request from the slot's queue. Between that moment and the bytes reaching the
site lie the reactor's other work (50 boards' crawls share it in a crawl process) and the
connection: a request that leaves late makes the site see the next one come early
(``bench/fleet_schedule.py`` saw gaps of 0.8x the delay on the sites' own logs). Counting the
delay from the answer's arrival closes that gap: an answer arrives after its request reached the
site, so the next request reaches it at least ``delay`` later. With a delay, the board's
crawl also sends one request to the site at a time (``CONCURRENT_REQUESTS_PER_DOMAIN`` 1, set
by the spider), so no request is in flight while the next one leaves.

A request that fails without an answer (a timeout, a refused connection) still counts from when
it was sent, as Scrapy counts.

Settings: ``SITEGAP_ENABLED`` (True); off, or with no ``DOWNLOAD_DELAY``, ``NotConfigured``.
"""

from __future__ import annotations

from time import monotonic
from typing import Self

from scrapy import Request, Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.http import Response


class SiteGap:
    """Sets the download slot's last-seen time when an answer arrives."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        if not crawler.settings.getbool("SITEGAP_ENABLED", True):
            raise NotConfigured("SITEGAP_ENABLED is off")
        if crawler.settings.getfloat("DOWNLOAD_DELAY") <= 0:
            raise NotConfigured("no DOWNLOAD_DELAY: nothing to space")
        ext = cls(crawler)
        # response_downloaded comes before the downloader looks at the slot's queue again
        crawler.signals.connect(ext.answered, signal=signals.response_downloaded)
        return ext

    def answered(self, response: Response, request: Request, spider: Spider) -> None:
        engine = self.crawler.engine
        if engine is None:
            return
        downloader = engine.downloader
        slot = downloader.slots.get(downloader.get_slot_key(request))
        if slot is not None:
            slot.lastseen = max(slot.lastseen, monotonic())
